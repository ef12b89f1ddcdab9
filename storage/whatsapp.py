"""Queries of the WhatsApp channel: the persist-first inbox, sent messages, the 24-hour window.

The inbox makes "acknowledge fast, process later" safe: a webhook's messages
are inserted (unique by message id, so a re-delivery adds nothing) before the
200, then taken one at a time per sender under a lease, so a second worker or
a restarted process picks up exactly what was left unfinished, in order.

What is kept is only what that needs. A sender nobody on the roster is linked
to is forgotten as soon as their message is finished: the row (number,
profile name, text) and the record of the refusal sent to them are deleted,
not even the message id is kept (a ``wamid`` encodes the sender's number).
Finished rows of people on the roster are purged after a retention period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, select

from storage.models import ChannelIdentity, Outbox
from storage.models_whatsapp import (
    INBOX_DONE,
    INBOX_FAILED,
    INBOX_FINISHED,
    INBOX_HANDLED,
    INBOX_OPEN,
    INBOX_PENDING,
    WhatsAppInbox,
    WhatsAppMessage,
)
from storage.sql import InsertIgnore

CHANNEL = "whatsapp"  # the adapter's name for itself (bot/channels/whatsapp_payload.py)
_STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "played": 3, "failed": 4}
_TERMINAL = ("delivered", "read", "played", "failed")
MAX_ERROR = 200
_INSERT_INBOUND = InsertIgnore(WhatsAppInbox.__table__, ("message_id",))
_INSERT_SENT = InsertIgnore(WhatsAppMessage.__table__, ("wamid",))


@dataclass(frozen=True, slots=True)
class Fallback:
    """A free-form message Meta refused as outside the 24-hour window: send this as a template."""

    recipient: str
    text: str
    outbox_id: int | None


def store_inbound(
    session: Session, message_id: str, sender: str, payload: dict[str, Any], now: datetime
) -> bool:
    """Keep one inbound message for processing; False if this message id is already stored."""
    values = {
        "message_id": message_id,
        "sender": sender,
        "payload": payload,
        "status": INBOX_PENDING,
        "attempts": 0,
        "stored_at": now,
        "next_attempt_at": now,
        "sent_count": 0,
    }
    return _INSERT_INBOUND(session, values)


def claim_next(
    session: Session, sender: str, now: datetime, lease: timedelta
) -> WhatsAppInbox | None:
    """Take the sender's oldest unfinished message, if it is due and nobody holds it.

    Only the oldest is ever taken, so one person's messages are handled in the
    order they arrived even across retries; the conditional update makes the
    claim safe against another worker doing the same at the same moment.
    """
    oldest = session.exec(
        select(WhatsAppInbox)
        .where(WhatsAppInbox.sender == sender, WhatsAppInbox.status.in_(INBOX_OPEN))
        .order_by(WhatsAppInbox.id)
        .limit(1)
    ).first()
    if oldest is None or oldest.next_attempt_at > now:
        return None
    claimed = session.execute(
        update(WhatsAppInbox)
        .where(WhatsAppInbox.id == oldest.id, _free(now), WhatsAppInbox.status.in_(INBOX_OPEN))
        .values(lease_until=now + lease, attempts=WhatsAppInbox.attempts + 1)
    )
    if claimed.rowcount != 1:
        return None
    session.refresh(oldest)
    return oldest


def save_replies(session: Session, row: WhatsAppInbox, replies: list[dict[str, Any]]) -> None:
    """The core has answered: keep its replies so a failed send can be retried without it."""
    session.execute(
        update(WhatsAppInbox)
        .where(WhatsAppInbox.id == row.id)
        .values(status=INBOX_HANDLED, replies=replies, sent_count=0)
    )


def finish(session: Session, row: WhatsAppInbox, now: datetime) -> None:
    """Every reply was sent (or there was none): the message is done."""
    session.execute(
        update(WhatsAppInbox)
        .where(WhatsAppInbox.id == row.id)
        .values(status=INBOX_DONE, lease_until=None, finished_at=now, error=None)
    )
    _forget_if_stranger(session, row.sender)


def release(
    session: Session,
    row: WhatsAppInbox,
    *,
    sent_count: int,
    error: str,
    retry_at: datetime | None,
    now: datetime,
) -> None:
    """Processing stopped: try again at ``retry_at``, or give up on the message when None."""
    values: dict[str, Any] = {
        "lease_until": None,
        "sent_count": sent_count,
        "error": error[:MAX_ERROR],
    }
    if retry_at is None:
        values.update(status=INBOX_FAILED, finished_at=now)
    else:
        values["next_attempt_at"] = retry_at
    session.execute(update(WhatsAppInbox).where(WhatsAppInbox.id == row.id).values(**values))
    if retry_at is None:
        _forget_if_stranger(session, row.sender)


def purge_finished(session: Session, before: datetime) -> int:
    """Delete finished inbox rows and sent-message records older than ``before``; how many.

    A purged message id no longer stops a re-delivery at the inbox, but the
    core's own record of handled messages still does, and Meta gives up
    re-delivering after days, not weeks.
    """
    inbox = session.execute(
        delete(WhatsAppInbox).where(
            WhatsAppInbox.status.in_(INBOX_FINISHED), WhatsAppInbox.finished_at < before
        )
    )
    sent = session.execute(delete(WhatsAppMessage).where(WhatsAppMessage.updated_at < before))
    return inbox.rowcount + sent.rowcount


def due_senders(session: Session, now: datetime, limit: int = 100) -> list[str]:
    """Senders whose oldest unfinished message is due and free: what :func:`claim_next` takes."""
    oldest = (
        select(func.min(WhatsAppInbox.id).label("id"))
        .where(WhatsAppInbox.status.in_(INBOX_OPEN))
        .group_by(WhatsAppInbox.sender)
        .subquery()
    )
    statement = (
        select(WhatsAppInbox.sender)
        .join(oldest, WhatsAppInbox.id == oldest.c.id)
        .where(WhatsAppInbox.next_attempt_at <= now, _free(now))
        .order_by(WhatsAppInbox.id)
        .limit(limit)
    )
    return list(session.exec(statement))


def last_inbound_at(session: Session, user_id: str) -> datetime | None:
    """When this WhatsApp account last wrote to us (start of the 24-hour window), if ever."""
    statement = select(ChannelIdentity.last_inbound_at).where(
        ChannelIdentity.channel == CHANNEL, ChannelIdentity.external_id == user_id
    )
    return session.exec(statement).first()


def record_sent(
    session: Session,
    wamid: str,
    recipient: str,
    kind: str,
    now: datetime,
    *,
    outbox_id: int | None = None,
    fallback_text: str | None = None,
) -> None:
    """Remember a message WhatsApp accepted, so its later statuses can be attributed."""
    values = {
        "wamid": wamid,
        "recipient": recipient,
        "kind": kind,
        "outbox_id": outbox_id,
        "status": "accepted",
        "fallback_text": fallback_text,
        "sent_at": now,
        "updated_at": now,
    }
    _INSERT_SENT(session, values)


def record_status(
    session: Session,
    wamid: str,
    status: str,
    error_code: int | None,
    now: datetime,
    *,
    window_closed: bool = False,
) -> Fallback | None:
    """Apply a delivery status to the message it is about; the template to send, if any.

    Statuses may arrive out of order (``read`` before ``delivered``), so only a
    later stage is applied. A failure is copied to the outbox row, except when
    the window was closed and the template fallback is returned instead. An
    unknown ``wamid`` (sent by another tool on the same number) is ignored.
    """
    message = session.get(WhatsAppMessage, wamid)
    if message is None or _STATUS_RANK.get(status, -1) <= _STATUS_RANK[message.status]:
        return None
    fallback = None
    if status == "failed":
        message.error_code = error_code
        if window_closed and message.fallback_text:
            fallback = Fallback(message.recipient, message.fallback_text, message.outbox_id)
        elif not window_closed and message.outbox_id is not None:
            mark_outbox_failed(session, message.outbox_id, f"whatsapp {error_code}")
    if status in _TERMINAL:
        message.fallback_text = None
    message.status = status
    message.updated_at = now
    session.add(message)
    return fallback


def mark_outbox_failed(session: Session, outbox_id: int, error: str) -> None:
    """WhatsApp could not deliver a proactive message: say so on its outbox row."""
    statement = update(Outbox).where(Outbox.id == outbox_id)
    session.execute(statement.values(status="failed", error=error[:MAX_ERROR]))


def _forget_if_stranger(session: Session, sender: str) -> None:
    """Delete what a sender left, unless they are linked to someone on the roster.

    Registration links a roster member in the same transaction that answered
    their first message, so by the time that message is finished a sender
    without a link is someone the bot refused.
    """
    linked = session.exec(
        select(ChannelIdentity.id).where(
            ChannelIdentity.channel == CHANNEL, ChannelIdentity.external_id == sender
        )
    ).first()
    if linked is not None:
        return
    session.execute(
        delete(WhatsAppInbox).where(
            WhatsAppInbox.sender == sender, WhatsAppInbox.status.in_(INBOX_FINISHED)
        )
    )
    session.execute(
        delete(WhatsAppMessage).where(
            WhatsAppMessage.recipient == sender, WhatsAppMessage.outbox_id.is_(None)
        )
    )


def _free(now: datetime) -> Any:
    return or_(WhatsAppInbox.lease_until.is_(None), WhatsAppInbox.lease_until <= now)

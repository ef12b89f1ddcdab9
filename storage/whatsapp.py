"""Queries of the WhatsApp channel: the messages WhatsApp accepted from us and their statuses.

Inbound messages live in the inbox every channel shares (``storage.inbox``),
which also purges these records with the rows they answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from storage.models import Outbox
from storage.models_whatsapp import WhatsAppMessage
from storage.sql import InsertIgnore

_STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "played": 3, "failed": 4}
_TERMINAL = ("delivered", "read", "played", "failed")
MAX_ERROR = 200
_INSERT_SENT = InsertIgnore(WhatsAppMessage.__table__, ("wamid",))


@dataclass(frozen=True, slots=True)
class Fallback:
    """A free-form message Meta refused as outside the 24-hour window: send this as a template."""

    recipient: str
    text: str
    outbox_id: int | None


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

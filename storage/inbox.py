"""The inbox every channel shares, and the replies waiting to go back out.

Persist, then acknowledge: a channel stores each inbound update here (unique
per channel and external id, so a redelivery adds nothing) before it answers
the platform. A worker then takes one person's *lane* (channel and user id)
at a time: the lane's oldest unfinished row, in the platform's order, under a
lease that a conditional update grants to exactly one worker, so any number
of processes may share a PostgreSQL database and a person's messages are
still handled in order and once.

A row is ``pending`` until the core has run; the core's effects, its replies
(outbox rows naming the inbox row) and the status ``answered`` commit in one
transaction. Once every reply is sent the row is ``done``. Nothing later in
the lane is taken while a row is unfinished, so a reply still waiting is sent
before the person's next message is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from storage.models import ChannelIdentity, Inbox, Outbox
from storage.models_whatsapp import WhatsAppMessage
from storage.sql import InsertIgnore

PENDING = "pending"
ANSWERED = "answered"
DONE = "done"
FAILED = "failed"
OPEN = (PENDING, ANSWERED)
FINISHED = (DONE, FAILED)

SENDING = "sending"
SENT = "sent"

MAX_ERROR = 200
MAX_EXTERNAL_ID = 128
MAX_USER_ID = 64

_INSERT = InsertIgnore(Inbox.__table__, ("channel", "external_id"))
_REPLY = InsertIgnore(Outbox.__table__, ("key",))


@dataclass(frozen=True, slots=True)
class Lane:
    """One person on one channel: whose messages are handled one at a time, in order."""

    channel: str
    user_id: str


def fits(external_id: str, user_id: str) -> bool:
    """Whether the ids fit their columns (checked before a row is written, not by the database)."""
    return 0 < len(external_id) <= MAX_EXTERNAL_ID and 0 < len(user_id) <= MAX_USER_ID


def keep(
    session: Session,
    lane: Lane,
    external_id: str,
    sort_key: int,
    payload: dict[str, Any],
    now: datetime,
    *,
    status: str = PENDING,
) -> bool:
    """Store one inbound update; False when this channel's id is already stored (a redelivery)."""
    values = {
        "channel": lane.channel,
        "external_id": external_id,
        "user_id": lane.user_id,
        "sort_key": sort_key,
        "payload": payload,
        "status": status,
        "attempts": 0,
        "received_at": now,
        "next_attempt_at": now,
        "finished_at": now if status in FINISHED else None,
    }
    return _INSERT(session, values)


def claim(session: Session, lane: Lane, now: datetime, lease: timedelta) -> Inbox | None:
    """The lane's oldest unfinished row under a fresh lease; None if it waits, is held or is empty.

    Only the oldest is ever taken, so a person's messages are handled in the
    platform's order even across retries and processes; the conditional
    update makes the claim safe against another worker claiming at once.
    """
    oldest = session.exec(
        select(Inbox)
        .where(Inbox.channel == lane.channel, Inbox.user_id == lane.user_id)
        .where(col(Inbox.status).in_(OPEN))
        .order_by(col(Inbox.sort_key), col(Inbox.id))
        .limit(1)
    ).first()
    if oldest is None or oldest.next_attempt_at > now:
        return None
    claimed = session.execute(
        update(Inbox)
        .where(col(Inbox.id) == oldest.id, _free(now), col(Inbox.status).in_(OPEN))
        .values(lease_until=now + lease, attempts=Inbox.attempts + 1)
    )
    if claimed.rowcount != 1:
        return None
    session.refresh(oldest)
    return oldest


def renew(session: Session, row_id: int, until: datetime) -> None:
    """Extend a lease we hold (the heartbeat of a worker that is still busy)."""
    session.execute(update(Inbox).where(col(Inbox.id) == row_id).values(lease_until=until))


def answered(session: Session, row_id: int, error: str | None = None) -> None:
    """The core has run: its effects and replies commit with this (``error``: it gave up)."""
    session.execute(
        update(Inbox).where(col(Inbox.id) == row_id).values(status=ANSWERED, error=_cut(error))
    )


def finish(session: Session, row_id: int, now: datetime, error: str | None = None) -> None:
    """Every reply was sent, or given up on (``error``): the row is done."""
    values = {"status": DONE, "lease_until": None, "finished_at": now, "error": _cut(error)}
    session.execute(update(Inbox).where(col(Inbox.id) == row_id).values(**values))


def release(session: Session, row_id: int, retry_at: datetime, error: str) -> None:
    """Stop working the row for now; the lane is taken up again at ``retry_at``."""
    session.execute(
        update(Inbox)
        .where(col(Inbox.id) == row_id)
        .values(lease_until=None, next_attempt_at=retry_at, error=_cut(error))
    )


def fail(session: Session, row_id: int, now: datetime, error: str) -> None:
    """The core could not handle the message: park it for an operator (``inbox failed``)."""
    values = {"status": FAILED, "lease_until": None, "finished_at": now, "error": _cut(error)}
    session.execute(update(Inbox).where(col(Inbox.id) == row_id).values(**values))


def has_open(session: Session, lane: Lane) -> bool:
    """Whether the lane has a message not yet finished."""
    statement = (
        select(Inbox.id)
        .where(Inbox.channel == lane.channel, Inbox.user_id == lane.user_id)
        .where(col(Inbox.status).in_(OPEN))
        .limit(1)
    )
    return session.exec(statement).first() is not None


def due_lanes(session: Session, now: datetime, limit: int = 200) -> list[Lane]:
    """Lanes whose oldest unfinished row is due and free: work left by a crash or a failure."""
    oldest = (
        select(func.min(Inbox.id).label("id"))
        .where(col(Inbox.status).in_(OPEN))
        .group_by(col(Inbox.channel), col(Inbox.user_id))
        .subquery()
    )
    statement = (
        select(Inbox.channel, Inbox.user_id)
        .join(oldest, col(Inbox.id) == oldest.c.id)
        .where(Inbox.next_attempt_at <= now, _free(now))
        .order_by(col(Inbox.id))
        .limit(limit)
    )
    return [Lane(channel, user_id) for channel, user_id in session.exec(statement)]


def purge(session: Session, before: datetime) -> int:
    """Delete finished rows, their replies and sent-message records older than ``before``.

    How many inbox rows went. A purged id no longer stops a redelivery, but
    platforms give up redelivering after days, not weeks.
    """
    old = (col(Inbox.status).in_(FINISHED), col(Inbox.finished_at) < before)
    _delete_replies(session, select(Inbox.id).where(*old).scalar_subquery())
    session.execute(delete(WhatsAppMessage).where(col(WhatsAppMessage.updated_at) < before))
    return session.execute(delete(Inbox).where(*old)).rowcount


def forget_if_stranger(session: Session, lane: Lane) -> None:
    """Delete what a sender left once answered, unless they are linked to someone on the roster.

    Registration links a roster member in the transaction that answers their
    first message, so a finished lane without a link is someone the bot
    refused: not even the message id is kept (a WhatsApp id encodes the number). A message
    the core failed on stays for the operator (``inbox failed``) until the retention ends.
    """
    linked = session.exec(
        select(ChannelIdentity.id).where(
            ChannelIdentity.channel == lane.channel, ChannelIdentity.external_id == lane.user_id
        )
    ).first()
    if linked is not None:
        return
    mine = (Inbox.channel == lane.channel, Inbox.user_id == lane.user_id, Inbox.status == DONE)
    _delete_replies(session, select(Inbox.id).where(*mine).scalar_subquery())
    session.execute(delete(Inbox).where(*mine))


def _delete_replies(session: Session, inbox_ids: Any) -> None:
    """Delete the replies to these inbox rows, with the platform's records of sending them."""
    replies = select(Outbox.id).where(col(Outbox.inbox_id).in_(inbox_ids)).scalar_subquery()
    session.execute(delete(WhatsAppMessage).where(col(WhatsAppMessage.outbox_id).in_(replies)))
    session.execute(delete(Outbox).where(col(Outbox.id).in_(replies)))


def last_inbound_at(session: Session, lane: Lane) -> datetime | None:
    """When this account last wrote to us (the start of WhatsApp's 24-hour window), if ever."""
    statement = select(func.max(Inbox.received_at)).where(
        Inbox.channel == lane.channel, Inbox.user_id == lane.user_id
    )
    return session.exec(statement).first()


# --- replies ----------------------------------------------------------------------------------


def add_reply(
    session: Session,
    row: Inbox,
    position: int,
    person_id: int | None,
    payload: dict[str, Any],
    question_id: str | None,
    now: datetime,
) -> int:
    """Queue the ``position``-th reply to an inbox row (in the transaction of its effects); its id.

    Queueing the same position twice (a retry after a crash) keeps the first.
    """
    key = f"reply:{row.id}:{position}"
    values = {
        "key": key,
        "person_id": person_id,
        "rule": "reply",
        "payload": payload,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "channel": row.channel,
        "address": row.user_id,
        "inbox_id": row.id,
        "question_id": question_id,
    }
    _REPLY(session, values)
    return session.exec(select(Outbox.id).where(Outbox.key == key)).one() or 0


def replies(session: Session, row_id: int) -> list[Outbox]:
    """An inbox row's replies still to send (``pending``, or ``sending`` when a worker died)."""
    statement = (
        select(Outbox)
        .where(Outbox.inbox_id == row_id, col(Outbox.status).in_((PENDING, SENDING)))
        .order_by(col(Outbox.id))
    )
    return list(session.exec(statement))


def sending(session: Session, reply_id: int) -> None:
    """Mark a reply as being sent, in its own commit before the platform is called.

    A crash between this commit and :func:`sent` can send it twice; nothing
    else can, since a row not yet marked was never handed to a platform.
    """
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == reply_id)
        .values(status=SENDING, attempts=Outbox.attempts + 1)
    )


def sent(session: Session, reply_id: int, now: datetime) -> None:
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == reply_id)
        .values(status=SENT, sent_at=now, error=None)
    )


def reply_waits(session: Session, reply_id: int, error: str) -> None:
    """A send failed and will be tried again (with its inbox row)."""
    session.execute(
        update(Outbox).where(col(Outbox.id) == reply_id).values(status=PENDING, error=_cut(error))
    )


def reply_failed(session: Session, reply_id: int, error: str) -> None:
    """A reply that cannot be delivered: listed by ``inbox failed`` until retried."""
    session.execute(
        update(Outbox).where(col(Outbox.id) == reply_id).values(status=FAILED, error=_cut(error))
    )


def retried_question_since(session: Session, lane: Lane, since: datetime) -> bool:
    """Whether a question reached the lane only after ``since``, and only on a retry.

    Then what the person typed at ``since`` answers an earlier question: they
    had not seen this one, nor whatever was asked after it (a question asked
    again once an earlier line was found stale arrives at its first try, but
    behind the one that failed). A question that merely arrived a moment after
    a fast typist's next line, at its first try, does not count.
    """
    statement = (
        select(Outbox.id)
        .where(Outbox.channel == lane.channel, Outbox.address == lane.user_id)
        .where(col(Outbox.question_id).is_not(None), col(Outbox.sent_at) > since)
        .where(Outbox.attempts > 1)
        .limit(1)
    )
    return session.exec(statement).first() is not None


# --- the operator's view ------------------------------------------------------------------------


PARKED_MESSAGE = "message"
PARKED_REPLY = "reply"


@dataclass(frozen=True, slots=True)
class Parked:
    """Something that failed for good: an inbound ``message``, or a ``reply`` (``kind``)."""

    kind: str
    id: int
    channel: str
    user_id: str
    at: datetime | None
    error: str | None


def parked(session: Session, limit: int = 100) -> list[Parked]:
    """Failed inbound messages and failed replies, newest first."""
    messages = session.exec(
        select(Inbox.id, Inbox.channel, Inbox.user_id, Inbox.finished_at, Inbox.error)
        .where(Inbox.status == FAILED)
        .order_by(col(Inbox.id).desc())
        .limit(limit)
    )
    found = [Parked(PARKED_MESSAGE, *row) for row in messages]
    answers = session.exec(
        select(Outbox.id, Outbox.channel, Outbox.address, Outbox.created_at, Outbox.error)
        .where(Outbox.status == FAILED, col(Outbox.inbox_id).is_not(None))
        .order_by(col(Outbox.id).desc())
        .limit(limit)
    )
    found += [Parked(PARKED_REPLY, i, c or "", a or "", at, e) for i, c, a, at, e in answers]
    return found


def retry_message(session: Session, row_id: int) -> bool:
    """Put a failed inbound message back in its lane, due at once; False if no such failed row.

    The replies of the failed attempt (the apology) go: the next attempt writes its own.
    """
    failed = select(Inbox.id).where(col(Inbox.id) == row_id, Inbox.status == FAILED)
    _delete_replies(session, failed.scalar_subquery())
    result = session.execute(
        update(Inbox)
        .where(col(Inbox.id) == row_id, Inbox.status == FAILED)
        .values(
            status=PENDING,
            attempts=0,
            next_attempt_at=Inbox.received_at,
            finished_at=None,
            error=None,
        )
    )
    return result.rowcount == 1


def retry_reply(session: Session, reply_id: int) -> Lane | None:
    """Queue a failed reply again, due at once (its inbox row reopens); its lane, or None."""
    reply = session.get(Outbox, reply_id)
    if reply is None or reply.status != FAILED or reply.inbox_id is None:
        return None
    reply.status, reply.attempts, reply.error = PENDING, 0, None
    session.add(reply)
    session.execute(
        update(Inbox)
        .where(col(Inbox.id) == reply.inbox_id)
        .values(
            status=ANSWERED,
            next_attempt_at=Inbox.received_at,
            finished_at=None,
            lease_until=None,
            error=None,
        )
    )
    return Lane(reply.channel or "", reply.address or "")


def _free(now: datetime) -> Any:
    return or_(col(Inbox.lease_until).is_(None), col(Inbox.lease_until) <= now)


def _cut(error: str | None) -> str | None:
    return None if error is None else error[:MAX_ERROR]

"""Taking outbox rows to send, and settling them afterwards: the dispatcher's queries.

A dispatcher claims a batch in one short transaction by writing its name and
a lease expiry on the rows (``SELECT … FOR UPDATE SKIP LOCKED`` inside the
UPDATE on PostgreSQL, so several dispatchers take disjoint batches; SQLite
serialises writers, so the same statement is safe there too). It sends outside
any transaction and settles the results afterwards. A crashed dispatcher's
rows become claimable once the lease runs out (a live one renews its lease every
few seconds); a row marked ``sent`` is never claimed again.

Each row is marked ``sending`` in a commit of its own just before the platform
is called, so after a crash only those rows (the sends in flight, and those sent
since the last settlement) may go out twice: a row claimed but not yet marked
is simply claimed again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, or_, select, update
from sqlmodel import Session, col

from storage.models import ChannelIdentity, Outbox, Person
from storage.reminders.recipients import Reach

CHUNK = 500
MAX_ERROR = 200
PENDING = "pending"
SENDING = "sending"
HELD = (PENDING, SENDING)
_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Address:
    """Where one person is reached: a channel, the id it knows them by, and the linked account."""

    channel: str
    external_id: str
    identity_id: int | None


@dataclass(frozen=True, slots=True)
class Claimed:
    """An outbox row taken for sending; ``address`` None: no configured channel reaches it.

    ``choices`` are the message's buttons (value, label) and ``attachment`` its
    file (filename, mime_type, kind and base64 ``content``), where it has them.
    """

    id: int
    person_id: int
    rule: str
    text: str
    attempts: int
    claimed_until: datetime
    address: Address | None
    choices: tuple[tuple[str, str], ...] = ()
    """Buttons (value, label) of a message that offers them; each value is a typed command."""
    attachment: dict[str, str] | None = None
    resent: bool = False
    """It was being sent when its dispatcher died: it may reach the person a second time."""


@dataclass(slots=True)
class Settlement:
    """Outcomes of sends, written back together in one transaction."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    retry: list[tuple[int, datetime, str]] = field(default_factory=list)
    failed: list[tuple[int, str | None, str]] = field(default_factory=list)
    blocked_identities: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sent) + len(self.retry) + len(self.failed)

    def absorb(self, other: Settlement) -> None:
        """Take over another settlement's outcomes (one that could not be written yet)."""
        self.sent.extend(other.sent)
        self.retry.extend(other.retry)
        self.failed.extend(other.failed)
        self.blocked_identities.extend(other.blocked_identities)


def claim(
    session: Session,
    worker: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
    reach: Reach,
    person_id: int | None = None,
) -> list[Claimed]:
    """Take up to ``limit`` due rows (oldest first) for ``worker`` until ``lease_until``."""
    conditions = [
        col(Outbox.status).in_(HELD),
        Outbox.inbox_id.is_(None),  # replies are the mailroom's, sent in their person's lane
        Outbox.next_attempt_at <= now,
        or_(Outbox.claimed_until.is_(None), Outbox.claimed_until < now),
        or_(Outbox.send_before.is_(None), Outbox.send_before > now),
    ]
    if person_id is not None:
        conditions.append(Outbox.person_id == person_id)
    due = (
        select(Outbox.id)
        .where(*conditions)
        .order_by(Outbox.status, Outbox.next_attempt_at, Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(Outbox)
        .where(Outbox.id.in_(due))
        .values(claimed_by=worker, claimed_until=lease_until, attempts=Outbox.attempts + 1)
        .returning(
            Outbox.id,
            Outbox.person_id,
            Outbox.rule,
            Outbox.payload,
            Outbox.attempts,
            Outbox.status,
        )
    )
    rows = sorted(session.connection().execute(statement).all())
    found = addresses(session, sorted({row.person_id for row in rows}), reach)
    return [
        Claimed(
            row.id,
            row.person_id,
            row.rule,
            row.payload["text"],
            row.attempts,
            lease_until,
            found.get(row.person_id),
            tuple((value, label) for value, label in row.payload.get("choices", ())),
            row.payload.get("attachment"),
            resent=row.status == SENDING,
        )
        for row in rows
    ]


def mark_sending(session: Session, worker: str, ids: Sequence[int]) -> set[int]:
    """Mark rows as being sent (committed before the platform call); the ids still ours."""
    if not ids:
        return set()
    statement = (
        update(Outbox)
        .where(
            col(Outbox.id).in_(list(ids)),
            col(Outbox.claimed_by) == worker,
            col(Outbox.status).in_(HELD),
        )
        .values(status=SENDING)
        .returning(Outbox.id)
    )
    return set(session.connection().execute(statement).scalars())


def renew(session: Session, worker: str, ids: Sequence[int], until: datetime) -> None:
    """Extend the lease on rows this live dispatcher still holds (its heartbeat)."""
    connection = session.connection()
    for start in range(0, len(ids), CHUNK):
        connection.execute(
            update(Outbox)
            .where(
                col(Outbox.id).in_(list(ids[start : start + CHUNK])),
                col(Outbox.claimed_by) == worker,
                col(Outbox.status).in_(HELD),
            )
            .values(claimed_until=until)
        )


@dataclass(frozen=True, slots=True)
class Held:
    """Rows another dispatcher holds: how many, and when the last lease runs out."""

    rows: int
    until: datetime


def held_by_others(session: Session, worker: str, now: datetime) -> Held | None:
    """Due rows leased by another dispatcher (alive, or dead and not yet expired); None if none."""
    statement = select(func.count(), func.max(col(Outbox.claimed_until))).where(
        col(Outbox.status).in_(HELD),
        col(Outbox.inbox_id).is_(None),
        col(Outbox.claimed_until) > now,
        or_(col(Outbox.claimed_by).is_(None), col(Outbox.claimed_by) != worker),
    )
    count, until = session.connection().execute(statement).one()
    return Held(count, until) if count else None


def addresses(session: Session, person_ids: Sequence[int], reach: Reach) -> dict[int, Address]:
    """The address each active person is best reached at on the configured channels.

    Candidates are linked accounts not marked unreachable, plus, on each channel
    that reaches roster phones (WhatsApp) where the person has no account linked,
    the roster phone as digits without the ``+`` (how WhatsApp names a number).
    The one the person wrote from last wins, since that is where they expect the bot.
    """
    candidates: dict[int, list[tuple[datetime, int, Address]]] = defaultdict(list)
    linked: set[tuple[int, str]] = set()
    active: dict[int, str] = {}
    for start in range(0, len(person_ids), CHUNK):
        ids = list(person_ids[start : start + CHUNK])
        active.update(
            session.connection()
            .execute(select(Person.id, Person.phone).where(Person.id.in_(ids), Person.active))
            .all()
        )
        identities = select(
            ChannelIdentity.id,
            ChannelIdentity.person_id,
            ChannelIdentity.channel,
            ChannelIdentity.external_id,
            ChannelIdentity.last_inbound_at,
            ChannelIdentity.unreachable_at,
        ).where(
            ChannelIdentity.person_id.in_(ids), ChannelIdentity.channel.in_(list(reach.channels))
        )
        for (
            identity,
            person,
            channel,
            external,
            last_inbound,
            blocked,
        ) in session.connection().execute(identities):
            linked.add((person, channel))
            if blocked is None:
                candidates[person].append(
                    (last_inbound or _EPOCH, 1, Address(channel, external, identity))
                )
    for channel in reach.phone_channels:
        for person, phone in active.items():
            if (person, channel) not in linked:
                candidates[person].append((_EPOCH, 0, Address(channel, phone.lstrip("+"), None)))
    return {
        person: max(options, key=lambda option: option[:2])[2]
        for person, options in candidates.items()
        if person in active
    }


_RETRY = (
    update(Outbox)
    .where(Outbox.id == bindparam("b_id"), col(Outbox.status).in_(HELD))
    .values(
        status=PENDING,
        next_attempt_at=bindparam("b_at"),
        error=bindparam("b_error"),
        claimed_by=None,
        claimed_until=None,
    )
)
_FAIL = (
    update(Outbox)
    .where(Outbox.id == bindparam("b_id"), col(Outbox.status).in_(HELD))
    .values(
        status="failed",
        channel=bindparam("b_channel"),
        error=bindparam("b_error"),
        claimed_by=None,
        claimed_until=None,
    )
)


def settle(session: Session, settlement: Settlement, now: datetime) -> None:
    """Write back what happened to each sent row; only rows still held are touched."""
    connection = session.connection()
    by_channel: dict[str, list[int]] = defaultdict(list)
    for row_id, channel in settlement.sent:
        by_channel[channel].append(row_id)
    for channel, ids in by_channel.items():
        for start in range(0, len(ids), CHUNK):
            connection.execute(
                update(Outbox)
                .where(Outbox.id.in_(ids[start : start + CHUNK]), col(Outbox.status).in_(HELD))
                .values(
                    status="sent",
                    sent_at=now,
                    channel=channel,
                    error=None,
                    claimed_by=None,
                    claimed_until=None,
                )
            )
    if settlement.retry:
        connection.execute(
            _RETRY,
            [
                {"b_id": row_id, "b_at": at, "b_error": error[:MAX_ERROR]}
                for row_id, at, error in settlement.retry
            ],
        )
    if settlement.failed:
        connection.execute(
            _FAIL,
            [
                {"b_id": row_id, "b_channel": channel, "b_error": error[:MAX_ERROR]}
                for row_id, channel, error in settlement.failed
            ],
        )
    if settlement.blocked_identities:
        connection.execute(
            update(ChannelIdentity)
            .where(ChannelIdentity.id.in_(settlement.blocked_identities))
            .values(unreachable_at=now)
        )


def release(session: Session, worker: str, ids: Sequence[int]) -> None:
    """Give back claimed rows that were not sent (a stopping dispatcher, which knows)."""
    connection = session.connection()
    for start in range(0, len(ids), CHUNK):
        connection.execute(
            update(Outbox)
            .where(
                Outbox.id.in_(list(ids[start : start + CHUNK])),
                Outbox.claimed_by == worker,
                col(Outbox.status).in_(HELD),
            )
            .values(status=PENDING, claimed_by=None, claimed_until=None)
        )


def expire(session: Session, now: datetime) -> int:
    """Reminders whose useful time is over are not sent late: mark them ``expired``."""
    result = session.connection().execute(
        update(Outbox)
        .where(
            col(Outbox.status).in_(HELD),
            Outbox.send_before.is_not(None),
            Outbox.send_before <= now,
            or_(Outbox.claimed_until.is_(None), Outbox.claimed_until < now),
        )
        .values(status="expired", error="not sent before the end of the working day")
    )
    return result.rowcount

"""Chat accounts linked by support staff, and the audit of every such change.

People link their own accounts by writing to the bot (registration); support
staff and tests link a Telegram account to a roster person from the command
line. Each change they make is kept as a row: who did it, when, to whom.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Field, Session, SQLModel, col, select

from storage.models import ChannelIdentity
from storage.types import UTCDateTime


class IdentityChange(SQLModel, table=True):
    """One account linked or unlinked by support staff (``action`` is ``link`` or ``unlink``)."""

    __tablename__ = "identity_change"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    action: str = Field(max_length=8)
    actor: str = Field(max_length=64)
    at: datetime = Field(sa_type=UTCDateTime)


def owner(session: Session, channel: str, external_id: str) -> int | None:
    """The person this account is linked to, if any."""
    statement = select(ChannelIdentity.person_id).where(
        ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
    )
    return session.exec(statement).first()


def link(
    session: Session, person_id: int, channel: str, external_id: str, actor: str, now: datetime
) -> None:
    """Link an account nobody holds yet to ``person_id``, and record who did it."""
    session.add(
        ChannelIdentity(
            channel=channel, external_id=external_id, person_id=person_id, created_at=now
        )
    )
    _audit(session, person_id, channel, external_id, "link", actor, now)


def unlink(
    session: Session, person_id: int, channel: str, external_id: str, actor: str, now: datetime
) -> bool:
    """Remove the account from ``person_id`` (recorded); False when it was not theirs."""
    removed = session.execute(
        delete(ChannelIdentity).where(
            col(ChannelIdentity.person_id) == person_id,
            col(ChannelIdentity.channel) == channel,
            col(ChannelIdentity.external_id) == external_id,
        )
    )
    if not removed.rowcount:  # type: ignore[attr-defined]
        return False
    _audit(session, person_id, channel, external_id, "unlink", actor, now)
    return True


def changes(session: Session, person_id: int) -> list[IdentityChange]:
    """The recorded changes of one person's accounts, oldest first."""
    statement = (
        select(IdentityChange)
        .where(IdentityChange.person_id == person_id)
        .order_by(col(IdentityChange.id))
    )
    return list(session.exec(statement))


def _audit(
    session: Session,
    person_id: int,
    channel: str,
    external_id: str,
    action: str,
    actor: str,
    now: datetime,
) -> None:
    session.add(
        IdentityChange(
            person_id=person_id,
            channel=channel,
            external_id=external_id,
            action=action,
            actor=actor,
            at=now,
        )
    )

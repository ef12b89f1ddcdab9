"""The saved conversation of each person, guarded by a version number.

Two workers handling the same person at once cannot both win: a save names
the version it read, and fails if another save came in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, select

from storage.models import Conversation


class StaleDraftError(Exception):
    """Someone else saved this person's conversation since it was read."""


@dataclass(frozen=True, slots=True)
class Draft:
    form: str
    state: str
    version: int


def load(session: Session, person_id: int) -> Draft | None:
    statement = select(Conversation.form, Conversation.state, Conversation.version).where(
        Conversation.person_id == person_id
    )
    row = session.exec(statement).first()
    return Draft(*row) if row else None


def save(
    session: Session,
    person_id: int,
    form: str,
    state: str,
    expires_at: datetime,
    now: datetime,
    read: Draft | None,
) -> None:
    """Write the new state; raises :class:`StaleDraftError` if ``read`` is no longer current."""
    if read is None:
        session.add(
            Conversation(
                person_id=person_id,
                form=form,
                state=state,
                version=1,
                updated_at=now,
                expires_at=expires_at,
            )
        )
        session.flush()
        return
    result = session.execute(
        update(Conversation)
        .where(Conversation.person_id == person_id, Conversation.version == read.version)
        .values(
            form=form,
            state=state,
            version=read.version + 1,
            updated_at=now,
            expires_at=expires_at,
        )
    )
    if result.rowcount != 1:
        raise StaleDraftError(person_id)


def discard(session: Session, person_id: int, read: Draft | None) -> None:
    """Remove the conversation (finished or cancelled)."""
    if read is None:
        return
    result = session.execute(
        delete(Conversation).where(
            Conversation.person_id == person_id, Conversation.version == read.version
        )
    )
    if result.rowcount != 1:
        raise StaleDraftError(person_id)


def expiring(session: Session, before: datetime) -> list[tuple[int, str, datetime]]:
    """(person, form, expiry) of drafts that expire before ``before`` (for reminders)."""
    statement = (
        select(Conversation.person_id, Conversation.form, Conversation.expires_at)
        .where(Conversation.expires_at < before)
        .order_by(Conversation.expires_at)
    )
    return [tuple(row) for row in session.exec(statement)]

"""The saved conversation of each person, guarded by a version number.

Two workers handling the same person at once cannot both win: a save names
the version it read, and fails if another save came in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, update
from sqlmodel import Session, select

from storage.models import Conversation


class StaleDraftError(Exception):
    """Someone else saved this person's conversation since it was read."""


@dataclass(frozen=True, slots=True)
class Draft:
    form: str
    state: str
    version: int


_LOAD = select(Conversation.form, Conversation.state, Conversation.version).where(
    Conversation.person_id == bindparam("person_id")
)
_UPDATE = (
    update(Conversation)
    .where(
        Conversation.person_id == bindparam("b_person_id"),
        Conversation.version == bindparam("b_read_version"),
    )
    .values(
        form=bindparam("b_form"),
        state=bindparam("b_state"),
        version=bindparam("b_version"),
        updated_at=bindparam("b_now"),
        expires_at=bindparam("b_expires_at"),
    )
)


def load(session: Session, person_id: int) -> Draft | None:
    row = session.connection().execute(_LOAD, {"person_id": person_id}).first()
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
        values = {
            "person_id": person_id,
            "form": form,
            "state": state,
            "version": 1,
            "updated_at": now,
            "expires_at": expires_at,
        }
        session.connection().execute(insert(Conversation), values)
        return
    params = {
        "b_person_id": person_id,
        "b_read_version": read.version,
        "b_form": form,
        "b_state": state,
        "b_version": read.version + 1,
        "b_now": now,
        "b_expires_at": expires_at,
    }
    if session.connection().execute(_UPDATE, params).rowcount != 1:
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

"""The saved conversations of each person, guarded by a version number.

Two workers handling the same person at once cannot both win: a save names
the version it read, and fails if another save came in between.

A person has at most one open conversation, the one their messages answer,
and may have put drafts aside to file another form first (one per form): a
kader half-way through the monthly report can file an urgent home visit and
come back to the report later. Put-aside drafts keep their expiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, delete, insert, update
from sqlmodel import Session, col, select

from storage.models import Conversation


class StaleDraftError(Exception):
    """Someone else saved this person's conversation since it was read."""


@dataclass(frozen=True, slots=True)
class Draft:
    form: str
    state: str
    version: int


_OPEN = col(Conversation.paused_at).is_(None)
_PAUSED = col(Conversation.paused_at).is_not(None)
_LOAD = select(Conversation.form, Conversation.state, Conversation.version).where(
    Conversation.person_id == bindparam("person_id"), _OPEN
)
_UPDATE = (
    update(Conversation)
    .where(
        Conversation.person_id == bindparam("b_person_id"),
        Conversation.form == bindparam("b_read_form"),
        Conversation.version == bindparam("b_read_version"),
        _OPEN,
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
    """The open conversation, the one the person's next answer belongs to."""
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
    """Write the open conversation; :class:`StaleDraftError` if ``read`` is no longer current.

    With ``read`` None a new open conversation is inserted: the database refuses
    a second open one (``IntegrityError``), so concurrent starts cannot both win.
    """
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
        "b_read_form": read.form,
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
    """Remove the open conversation (finished or cancelled)."""
    if read is None:
        return
    result = session.execute(
        delete(Conversation).where(
            Conversation.person_id == person_id,
            Conversation.form == read.form,
            Conversation.version == read.version,
            _OPEN,
        )
    )
    if result.rowcount != 1:
        raise StaleDraftError(person_id)


def pause(session: Session, person_id: int, read: Draft, now: datetime) -> None:
    """Put the open conversation aside, so that another form can be opened."""
    _move(session, person_id, read, now, paused_at=now, now_in=_OPEN)


def resume(session: Session, person_id: int, draft: Draft, now: datetime) -> Draft:
    """Open a draft that was put aside again; returns it as now saved."""
    _move(session, person_id, draft, now, paused_at=None, now_in=_PAUSED)
    return Draft(draft.form, draft.state, draft.version + 1)


def _move(
    session: Session,
    person_id: int,
    draft: Draft,
    now: datetime,
    *,
    paused_at: datetime | None,
    now_in: ColumnElement[bool],
) -> None:
    """Pause or resume ``draft``, if nobody changed it since it was read."""
    result = session.execute(
        update(Conversation)
        .where(
            Conversation.person_id == person_id,
            Conversation.form == draft.form,
            Conversation.version == draft.version,
            now_in,
        )
        .values(paused_at=paused_at, updated_at=now, version=draft.version + 1)
    )
    if result.rowcount != 1:
        raise StaleDraftError(person_id)


def paused(session: Session, person_id: int, now: datetime) -> list[Draft]:
    """The drafts the person put aside that have not expired, oldest first."""
    statement = (
        select(Conversation.form, Conversation.state, Conversation.version)
        .where(Conversation.person_id == person_id, _PAUSED, Conversation.expires_at > now)
        .order_by(Conversation.paused_at, Conversation.form)
    )
    return [Draft(*row) for row in session.exec(statement)]


def drop_expired(session: Session, person_id: int, now: datetime) -> list[str]:
    """Delete the put-aside drafts past their expiry; returns their forms, to tell the person.

    An open conversation expires when its next answer arrives (the engine says
    so); a put-aside one receives no answers, so it is dropped here instead.
    """
    expired = (
        Conversation.person_id == person_id,
        _PAUSED,
        Conversation.expires_at <= now,
    )
    forms = list(
        session.exec(select(Conversation.form).where(*expired).order_by(Conversation.form))
    )
    if forms:
        session.execute(delete(Conversation).where(*expired))
    return forms

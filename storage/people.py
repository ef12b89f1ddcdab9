"""Who is writing: channel identities, people on the roster, and their Posyandu."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, bindparam, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage import regions
from storage.drafts import Draft
from storage.models import (
    ChannelIdentity,
    Conversation,
    Desa,
    Kabupaten,
    Person,
    PersonPosyandu,
    Posyandu,
)

TOUCH_EVERY = timedelta(minutes=1)
"""How stale an account's ``last_inbound_at`` may be before a message updates it: writing it on
every message cost a statement each; WhatsApp's 24-hour window does not notice a minute."""


@dataclass(frozen=True, slots=True)
class Profile:
    """A person as a conversation needs them: role, area, clock and deadline."""

    person_id: int
    name: str
    role: str
    phone: str
    area_code: str | None
    kabupaten_code: str
    timezone: str
    deadline_day: int


_PROFILE = select_columns(
    col(Person.id),
    col(Person.name),
    col(Person.role),
    col(Person.phone),
    col(Person.area_code),
    col(Person.kabupaten_code),
    col(Person.timezone),
    col(Kabupaten.timezone),
    col(Kabupaten.deadline_day),
).join(Kabupaten, col(Kabupaten.code) == col(Person.kabupaten_code))
# Built once: the per-message lookups run thousands of times a second.
_BY_IDENTITY = _PROFILE.join(
    ChannelIdentity, col(ChannelIdentity.person_id) == col(Person.id)
).where(
    col(ChannelIdentity.channel) == bindparam("channel"),
    col(ChannelIdentity.external_id) == bindparam("external_id"),
    col(Person.active),
)
_WRITER = _BY_IDENTITY.add_columns(
    col(ChannelIdentity.last_inbound_at),
    col(ChannelIdentity.unreachable_at),
    col(Conversation.form),
    col(Conversation.state),
    col(Conversation.version),
).outerjoin(
    Conversation,
    (col(Conversation.person_id) == col(Person.id)) & col(Conversation.paused_at).is_(None),
)
_BY_PHONE = _PROFILE.where(col(Person.phone) == bindparam("phone"), col(Person.active))
_BY_ID = _PROFILE.where(col(Person.id) == bindparam("person_id"), col(Person.active))
_TOUCH = (
    update(ChannelIdentity)
    .where(
        col(ChannelIdentity.channel) == bindparam("b_channel"),
        col(ChannelIdentity.external_id) == bindparam("b_external_id"),
    )
    .values(last_inbound_at=bindparam("now"), unreachable_at=None)
)


def _to_profile(row: Sequence[Any] | None) -> Profile | None:
    if row is None:
        return None
    pid, name, role, phone, area, kab, own_tz, kab_tz, deadline = row
    return Profile(pid, name, role, phone, area, kab, own_tz or kab_tz, deadline)


def by_identity(session: Session, channel: str, external_id: str) -> Profile | None:
    """The active person behind a chat account, if it is linked."""
    params = {"channel": channel, "external_id": external_id}
    return _to_profile(session.connection().execute(_BY_IDENTITY, params).first())


@dataclass(frozen=True, slots=True)
class Writer:
    """Who wrote on a linked account, their open conversation, and when the account last wrote."""

    profile: Profile
    draft: Draft | None
    last_inbound_at: datetime | None
    unreachable: bool

    def stale(self, now: datetime) -> bool:
        """Whether this message must be noted on the account (:func:`touch_identity`)."""
        last = self.last_inbound_at
        return self.unreachable or last is None or now - last >= TOUCH_EVERY


def writer(session: Session, channel: str, external_id: str) -> Writer | None:
    """The active person behind a linked chat account with their open conversation, in one query.

    One statement for what every message needs first (the profile join and the
    draft): on PostgreSQL each statement is a round trip.
    """
    params = {"channel": channel, "external_id": external_id}
    row = session.connection().execute(_WRITER, params).first()
    if row is None:
        return None
    profile = _to_profile(row[:9])
    assert profile is not None
    last, unreachable, form, state, version = row[9:]
    draft = None if form is None else Draft(form, state, version)
    return Writer(profile, draft, last, unreachable is not None)


def by_phone(session: Session, phone: str) -> Profile | None:
    """The active person with this E.164 number."""
    return _to_profile(session.connection().execute(_BY_PHONE, {"phone": phone}).first())


def by_id(session: Session, person_id: int) -> Profile | None:
    """The active person with this roster id."""
    return _to_profile(session.connection().execute(_BY_ID, {"person_id": person_id}).first())


def link_identity(
    session: Session, person_id: int, channel: str, external_id: str, now: datetime
) -> None:
    """Link a chat account to a person (the first message after registration)."""
    session.add(
        ChannelIdentity(
            channel=channel,
            external_id=external_id,
            person_id=person_id,
            created_at=now,
            last_inbound_at=now,
        )
    )


def touch_identity(session: Session, channel: str, external_id: str, now: datetime) -> None:
    """Remember when this account last wrote (WhatsApp's 24-hour window needs it)."""
    params = {"b_channel": channel, "b_external_id": external_id, "now": now}
    session.connection().execute(_TOUCH, params)


def posyandu_of(session: Session, profile: Profile) -> list[tuple[str, str]]:
    """(code, name) of the Posyandu this person reports for, by name.

    A kader reports for the Posyandu linked to them; a bidan for every Posyandu
    in her desa and any linked to her by the roster.
    """
    linked = select(PersonPosyandu.posyandu_code).where(
        PersonPosyandu.person_id == profile.person_id
    )
    condition: ColumnElement[bool] = col(Posyandu.code).in_(linked)
    if profile.role == "bidan" and profile.area_code:
        condition = or_(condition, col(Posyandu.desa_code) == profile.area_code)
    statement = (
        select(Posyandu.code, Posyandu.name)
        .where(condition, Posyandu.active)
        .order_by(Posyandu.name)
    )
    return [(code, name) for code, name in session.exec(statement)]


def desa_name_of_posyandu(session: Session, posyandu_code: str) -> str:
    statement = (
        select(Desa.name)
        .join(Posyandu, col(Posyandu.desa_code) == col(Desa.code))
        .where(Posyandu.code == posyandu_code)
    )
    return session.exec(statement).first() or ""


class Contact(NamedTuple):
    person_id: int
    name: str


def bidan_of_posyandu(session: Session, posyandu_code: str) -> list[Contact]:
    """The bidan responsible for this Posyandu's desa (or linked to it), in roster order."""
    desa = select(Posyandu.desa_code).where(Posyandu.code == posyandu_code).scalar_subquery()
    linked = select(PersonPosyandu.person_id).where(PersonPosyandu.posyandu_code == posyandu_code)
    statement = (
        select(Person.id, Person.name)
        .where(
            Person.role == "bidan",
            Person.active,
            or_(col(Person.area_code) == desa, col(Person.id).in_(linked)),
        )
        .order_by(col(Person.id))
    )
    return [Contact(*row) for row in session.exec(statement)]


def desa_of_posyandu(session: Session, posyandu_code: str) -> str | None:
    return session.exec(select(Posyandu.desa_code).where(Posyandu.code == posyandu_code)).first()


def bidan_of_desa(session: Session, desa_code: str) -> list[Contact]:
    """The bidan of this desa, or linked to one of its Posyandu, in roster order."""
    in_desa = select(Posyandu.code).where(Posyandu.desa_code == desa_code)
    linked = select(PersonPosyandu.person_id).where(col(PersonPosyandu.posyandu_code).in_(in_desa))
    statement = (
        select(Person.id, Person.name)
        .where(
            Person.role == "bidan",
            Person.active,
            or_(col(Person.area_code) == desa_code, col(Person.id).in_(linked)),
        )
        .order_by(col(Person.id))
    )
    return [Contact(*row) for row in session.exec(statement)]


def puskesmas_staff_of_desa(session: Session, desa_code: str) -> list[Contact]:
    """The staff of the Puskesmas serving this desa, in roster order."""
    puskesmas = select(Desa.puskesmas_code).where(Desa.code == desa_code).scalar_subquery()
    statement = (
        select(Person.id, Person.name)
        .where(Person.role == "puskesmas", Person.active, col(Person.area_code) == puskesmas)
        .order_by(col(Person.id))
    )
    return [Contact(*row) for row in session.exec(statement)]


def area_name(session: Session, profile: Profile) -> str:
    """A readable name of the person's area for greetings."""
    return regions.area_name(session, profile.role, profile.area_code) or profile.kabupaten_code

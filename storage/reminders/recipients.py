"""Who a reminder goes to: set-based recipient queries, one statement per kind of recipient.

Every query is scoped to one kabupaten and, for recipients, to one time zone
(their own, or the kabupaten's when they have none), because reminders fire
at each recipient's local time. Each row says whether the person can be
reached on the configured channels, so nobody unreachable is skipped silently:
the caller lists them instead.

Reachability (:class:`Reach`): a channel that reaches roster phones (WhatsApp)
reaches every person unless their account on it was marked unreachable; any
other channel (Telegram, console) only through a linked account that is not
marked unreachable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, true
from sqlmodel import Session, col, select

from conversations.forms.home_visit import HOME_VISIT
from storage.models import (
    ChannelIdentity,
    Conversation,
    Desa,
    Person,
    PersonPosyandu,
    Posyandu,
    Puskesmas,
    Report,
)
from storage.reports import MONTHLY


@dataclass(frozen=True, slots=True)
class Reach:
    """The configured channels, and those of them that reach a roster phone number unasked.

    Built from the channels' declarations (``handlers.channels.reach``): storage names no
    channel itself.
    """

    channels: tuple[str, ...]
    by_phone: frozenset[str] = frozenset()

    @property
    def linked_only(self) -> list[str]:
        """The channels that reach a person only through an account they linked."""
        return [channel for channel in self.channels if channel not in self.by_phone]

    @property
    def phone_channels(self) -> list[str]:
        """The configured channels that reach roster phone numbers, in a stable order."""
        return sorted(self.by_phone.intersection(self.channels))


@dataclass(frozen=True, slots=True)
class Recipient:
    person_id: int
    name: str
    role: str
    phone: str
    reachable: bool


@dataclass(frozen=True, slots=True)
class PosyanduLink:
    """A person responsible for a Posyandu (its kader, or the bidan of its desa)."""

    person: Recipient
    posyandu_code: str
    posyandu_name: str
    desa_code: str
    puskesmas_code: str


@dataclass(frozen=True, slots=True)
class AreaMember:
    """A person of a Puskesmas area: its staff, or the bidan of one of its desa."""

    person: Recipient
    puskesmas_code: str


@dataclass(frozen=True, slots=True)
class ExpiringDraft:
    person: Recipient
    form: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Zone:
    """Recipients on one clock: ``timezone``, where the kabupaten's own zone is ``home``."""

    timezone: str
    home: str

    def condition(self) -> ColumnElement[bool]:
        if self.timezone == self.home:
            return or_(Person.timezone.is_(None), Person.timezone == self.timezone)
        return Person.timezone == self.timezone


def reachable(reach: Reach) -> ColumnElement[bool]:
    """A condition on Person rows: some configured channel can deliver to them."""
    conditions: list[ColumnElement[bool]] = []
    linked = reach.linked_only
    if linked:
        conditions.append(
            exists().where(
                ChannelIdentity.person_id == Person.id,
                ChannelIdentity.channel.in_(linked),
                ChannelIdentity.unreachable_at.is_(None),
            )
        )
    conditions.extend(
        ~exists().where(
            ChannelIdentity.person_id == Person.id,
            ChannelIdentity.channel == channel,
            ChannelIdentity.unreachable_at.is_not(None),
        )
        for channel in reach.phone_channels
    )
    return or_(*conditions) if conditions else false()


def missing_report(period: str) -> ColumnElement[bool]:
    """A condition on Posyandu rows: no monthly report for ``period`` yet."""
    return ~exists().where(
        Report.kind == MONTHLY,
        Report.period == period,
        Report.is_latest,
        Report.posyandu_code == Posyandu.code,
    )


def posyandu_day_in(days: Sequence[int]) -> ColumnElement[bool]:
    """A condition on Posyandu rows: their Posyandu day is one of ``days``."""
    return Posyandu.posyandu_day.in_(list(days))


def posyandu_in(codes: Sequence[str]) -> ColumnElement[bool]:
    """A condition on Posyandu rows: one of ``codes``."""
    return col(Posyandu.code).in_(list(codes))


def visits_between(
    session: Session, kabupaten_code: str, first: date, last: date
) -> list[tuple[str, dict[str, Any]]]:
    """(Posyandu, answers) of the kabupaten's home visits made from ``first`` to ``last``.

    The latest revision of each visit, for active Posyandu, oldest visit first.
    """
    statement = (
        select(Report.posyandu_code, Report.data)
        .join(Posyandu, col(Posyandu.code) == col(Report.posyandu_code))
        .where(
            Posyandu.kabupaten_code == kabupaten_code,
            col(Posyandu.active),
            Report.kind == HOME_VISIT.id,
            col(Report.is_latest),
            col(Report.event_date) >= first,
            col(Report.event_date) <= last,
        )
        .order_by(col(Report.event_date), col(Report.id))
    )
    return [(code, dict(data)) for code, data in session.exec(statement)]


def _person_columns(reach: Reach) -> tuple[Any, ...]:
    return (
        Person.id,
        Person.name,
        Person.role,
        Person.phone,
        reachable(reach).label("reachable"),
    )


def posyandu_people(
    session: Session,
    kabupaten_code: str,
    roles: Sequence[str],
    posyandu: ColumnElement[bool],
    reach: Reach,
    zone: Zone | None = None,
) -> list[PosyanduLink]:
    """People with one of ``roles`` responsible for the active Posyandu matching ``posyandu``.

    A kader (or bidan) is linked to Posyandu by the roster; a bidan is also
    responsible for every Posyandu of her desa. Ordered by person, then Posyandu.
    """
    columns = (
        *_person_columns(reach),
        Posyandu.code,
        Posyandu.name,
        Posyandu.desa_code,
        Posyandu.puskesmas_code,
    )
    common = [
        Posyandu.kabupaten_code == kabupaten_code,
        Posyandu.active,
        Person.active,
        posyandu,
        zone.condition() if zone else true(),
    ]
    linked = (
        select(*columns)
        .select_from(Posyandu)
        .join(PersonPosyandu, PersonPosyandu.posyandu_code == Posyandu.code)
        .join(Person, Person.id == PersonPosyandu.person_id)
        .where(Person.role.in_(list(roles)), *common)
    )
    statements = [linked]
    if "bidan" in roles:
        statements.append(
            select(*columns)
            .select_from(Posyandu)
            .join(Person, and_(Person.role == "bidan", Person.area_code == Posyandu.desa_code))
            .where(*common)
        )
    found: dict[tuple[int, str], PosyanduLink] = {}
    for statement in statements:
        for pid, name, role, phone, ok, code, pname, desa, pkm in session.exec(statement):
            person = Recipient(pid, name, role, phone, bool(ok))
            found.setdefault((pid, code), PosyanduLink(person, code, pname, desa, pkm))
    return sorted(found.values(), key=lambda link: (link.person.person_id, link.posyandu_name))


def area_members(
    session: Session,
    kabupaten_code: str,
    puskesmas_codes: Sequence[str],
    roles: Sequence[str],
    reach: Reach,
    zone: Zone,
) -> list[AreaMember]:
    """Staff of these Puskesmas and (when ``roles`` has ``bidan``) the bidan of their desa."""
    members: list[AreaMember] = []
    codes = list(puskesmas_codes)
    common = [Person.kabupaten_code == kabupaten_code, Person.active, zone.condition()]
    if "puskesmas" in roles:
        statement = select(*_person_columns(reach), Person.area_code).where(
            Person.role == "puskesmas", Person.area_code.in_(codes), *common
        )
        members.extend(
            AreaMember(Recipient(pid, name, role, phone, bool(ok)), area)
            for pid, name, role, phone, ok, area in session.exec(statement)
        )
    if "bidan" in roles:
        statement = (
            select(*_person_columns(reach), Desa.puskesmas_code)
            .join(Desa, Desa.code == Person.area_code)
            .where(Person.role == "bidan", Desa.puskesmas_code.in_(codes), *common)
        )
        members.extend(
            AreaMember(Recipient(pid, name, role, phone, bool(ok)), area)
            for pid, name, role, phone, ok, area in session.exec(statement)
        )
    return sorted(members, key=lambda member: member.person.person_id)


def puskesmas_with_lokmin(
    session: Session, kabupaten_code: str, lokmin_days: Sequence[int]
) -> dict[str, str]:
    """code -> name of the kabupaten's Puskesmas holding their lokakarya mini on these days."""
    statement = select(Puskesmas.code, Puskesmas.name).where(
        Puskesmas.kabupaten_code == kabupaten_code, Puskesmas.lokmin_day.in_(list(lokmin_days))
    )
    return dict(session.exec(statement).all())


def completeness(
    session: Session, kabupaten_code: str, periods: Sequence[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """(Puskesmas, month) -> (Posyandu that reported, active Posyandu), for the whole kabupaten."""
    totals = dict(
        session.exec(
            select(Posyandu.puskesmas_code, func.count())
            .where(Posyandu.kabupaten_code == kabupaten_code, Posyandu.active)
            .group_by(Posyandu.puskesmas_code)
        ).all()
    )
    reported: dict[tuple[str, str], int] = defaultdict(int)
    statement = (
        select(Posyandu.puskesmas_code, Report.period, func.count(func.distinct(Posyandu.code)))
        .join(Report, Report.posyandu_code == Posyandu.code)
        .where(
            Posyandu.kabupaten_code == kabupaten_code,
            Posyandu.active,
            Report.kind == MONTHLY,
            Report.is_latest,
            Report.period.in_(list(periods)),
        )
        .group_by(Posyandu.puskesmas_code, Report.period)
    )
    for puskesmas, period, count in session.exec(statement):
        reported[(puskesmas, period)] = count
    return {
        (puskesmas, period): (reported[(puskesmas, period)], total)
        for puskesmas, total in totals.items()
        for period in periods
    }


def place_names(session: Session, kabupaten_code: str) -> dict[str, str]:
    """Names of the kabupaten's desa and Puskesmas by code (for listing what is missing)."""
    names = dict(
        session.exec(
            select(Puskesmas.code, Puskesmas.name).where(Puskesmas.kabupaten_code == kabupaten_code)
        ).all()
    )
    names.update(
        session.exec(
            select(Desa.code, Desa.name)
            .join(Puskesmas, Puskesmas.code == Desa.puskesmas_code)
            .where(Puskesmas.kabupaten_code == kabupaten_code)
        ).all()
    )
    return names


def missing_posyandu(
    session: Session, kabupaten_code: str, period: str
) -> list[tuple[str, str, str, str]]:
    """(code, name, desa, Puskesmas) of active Posyandu without a monthly report, by name."""
    statement = (
        select(Posyandu.code, Posyandu.name, Posyandu.desa_code, Posyandu.puskesmas_code)
        .where(Posyandu.kabupaten_code == kabupaten_code, Posyandu.active, missing_report(period))
        .order_by(Posyandu.name)
    )
    return [tuple(row) for row in session.exec(statement)]


def expiring_drafts(
    session: Session,
    kabupaten_code: str,
    after: datetime,
    before: datetime,
    reach: Reach,
    zone: Zone,
) -> list[ExpiringDraft]:
    """Unfinished drafts of the kabupaten's people on this clock expiring in (after, before]."""
    statement = (
        select(*_person_columns(reach), Conversation.form, Conversation.expires_at)
        .join(Person, Person.id == Conversation.person_id)
        .where(
            Conversation.expires_at > after,
            Conversation.expires_at <= before,
            Person.kabupaten_code == kabupaten_code,
            Person.active,
            zone.condition(),
        )
        .order_by(Person.id)
    )
    return [
        ExpiringDraft(Recipient(pid, name, role, phone, bool(ok)), form, expires)
        for pid, name, role, phone, ok, form, expires in session.exec(statement)
    ]

"""What the scheduler needs to place reminders on the calendar, and what it has already run.

Per kabupaten: its zone and deadline, the recipient time zones present among
its people, the days of the month its Posyandu and lokakarya mini fall on,
and the admin's rule overrides. Run records say which occurrence has been
queued for which zone; they are written in the transaction that queued it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, tuple_
from sqlmodel import Session, select

from storage.models import Desa, Kabupaten, Person, PersonPosyandu, Posyandu, Puskesmas
from storage.reminders.models import ScheduleRun, ScheduleSetting
from storage.sql import InsertIgnore

_RUN = InsertIgnore(ScheduleRun.__table__, ("rule", "occurrence", "kabupaten_code", "timezone"))


@dataclass(frozen=True, slots=True)
class KabupatenFacts:
    """One kabupaten as the scheduler places its reminders."""

    code: str
    name: str
    timezone: str
    deadline_day: int
    zones: tuple[str, ...]
    posyandu_days: frozenset[int]
    lokmin_days: frozenset[int]


def kabupaten_facts(session: Session) -> list[KabupatenFacts]:
    """Every kabupaten with its recipient zones and event days (four queries in all)."""
    zones = _grouped(
        session,
        select(Person.kabupaten_code, Person.timezone)
        .where(Person.active, Person.timezone.is_not(None))
        .distinct(),
    )
    posyandu_days = _grouped(
        session,
        select(Posyandu.kabupaten_code, Posyandu.posyandu_day)
        .where(Posyandu.active, Posyandu.posyandu_day.is_not(None))
        .distinct(),
    )
    lokmin_days = _grouped(
        session, select(Puskesmas.kabupaten_code, Puskesmas.lokmin_day).distinct()
    )
    kabupaten = session.exec(
        select(Kabupaten.code, Kabupaten.name, Kabupaten.timezone, Kabupaten.deadline_day).order_by(
            Kabupaten.code
        )
    )
    return [
        KabupatenFacts(
            code=code,
            name=name,
            timezone=zone,
            deadline_day=deadline_day,
            zones=tuple(sorted(zones[code] | {zone})),
            posyandu_days=frozenset(posyandu_days[code]),
            lokmin_days=frozenset(lokmin_days[code]),
        )
        for code, name, zone, deadline_day in kabupaten
    ]


def _grouped(session: Session, statement: Select) -> dict[str, set]:
    """(kabupaten, value) rows as a set of values per kabupaten."""
    grouped: dict[str, set] = defaultdict(set)
    for code, value in session.exec(statement):
        grouped[code].add(value)
    return grouped


def overrides(session: Session) -> dict[tuple[str, str], ScheduleSetting]:
    """Every rule override, by (kabupaten, rule)."""
    return {(row.kabupaten_code, row.rule): row for row in session.exec(select(ScheduleSetting))}


def save_override(
    session: Session,
    kabupaten_code: str,
    rule: str,
    now: datetime,
    *,
    enabled: bool | None = None,
    days: str | None = None,
    hour: int | None = None,
    months: str | None = None,
) -> ScheduleSetting:
    """Change a kabupaten's override of a rule; arguments left None keep what was there."""
    row = session.get(ScheduleSetting, (kabupaten_code, rule)) or ScheduleSetting(
        kabupaten_code=kabupaten_code, rule=rule, updated_at=now
    )
    if enabled is not None:
        row.enabled = enabled
    if days is not None:
        row.days = days
    if hour is not None:
        row.hour = hour
    if months is not None:
        row.months = months
    row.updated_at = now
    session.add(row)
    session.flush()
    return row


def clear_override(session: Session, kabupaten_code: str, rule: str) -> bool:
    """Back to the defaults; False when there was no override."""
    result = session.execute(
        delete(ScheduleSetting).where(
            ScheduleSetting.kabupaten_code == kabupaten_code, ScheduleSetting.rule == rule
        )
    )
    return result.rowcount > 0


def kabupaten_exists(session: Session, code: str) -> bool:
    return session.get(Kabupaten, code) is not None


RunKey = tuple[str, str, str, str]
"""(rule, occurrence, kabupaten, time zone)."""


def already_run(session: Session, keys: Sequence[RunKey]) -> set[RunKey]:
    """Which of these occurrences have been run before."""
    found: set[RunKey] = set()
    columns = (
        ScheduleRun.rule,
        ScheduleRun.occurrence,
        ScheduleRun.kabupaten_code,
        ScheduleRun.timezone,
    )
    for start in range(0, len(keys), 200):
        chunk = list(keys[start : start + 200])
        statement = select(*columns).where(tuple_(*columns).in_(chunk))
        found.update(tuple(row) for row in session.exec(statement))
    return found


def record_run(
    session: Session, key: RunKey, now: datetime, messages: int, unreachable: int
) -> None:
    """Remember that an occurrence ran (a second record of it is ignored)."""
    rule, occurrence, kabupaten_code, timezone = key
    _RUN(
        session,
        {
            "rule": rule,
            "occurrence": occurrence,
            "kabupaten_code": kabupaten_code,
            "timezone": timezone,
            "ran_at": now,
            "messages": messages,
            "unreachable": unreachable,
        },
    )


@dataclass(frozen=True, slots=True)
class PosyanduDay:
    name: str
    day: int | None


def posyandu_days(session: Session, codes: Sequence[str]) -> list[PosyanduDay]:
    """The Posyandu day of each of these Posyandu, by name (for ``jadwal``)."""
    statement = (
        select(Posyandu.name, Posyandu.posyandu_day)
        .where(Posyandu.code.in_(list(codes)))
        .order_by(Posyandu.name)
    )
    return [PosyanduDay(name, day) for name, day in session.exec(statement)]


def puskesmas_of(
    session: Session, person_id: int, role: str, area_code: str | None
) -> list[tuple[str, int]]:
    """(name, lokmin day) of the Puskesmas a person works with (for ``jadwal``).

    Staff belong to the Puskesmas they are registered at, a bidan to her desa's,
    a kader to the one over her Posyandu; district roles have none of their own.
    """
    if role == "puskesmas":
        condition = Puskesmas.code == area_code
    elif role in ("kader", "bidan"):
        linked = (
            select(Posyandu.puskesmas_code)
            .join(PersonPosyandu, PersonPosyandu.posyandu_code == Posyandu.code)
            .where(PersonPosyandu.person_id == person_id)
        )
        of_desa = select(Desa.puskesmas_code).where(Desa.code == area_code)
        condition = Puskesmas.code.in_(linked) | Puskesmas.code.in_(of_desa)
    else:
        return []
    statement = (
        select(Puskesmas.name, Puskesmas.lokmin_day).where(condition).order_by(Puskesmas.name)
    )
    return [(name, day) for name, day in session.exec(statement)]

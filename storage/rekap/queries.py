"""The set-based queries behind every rekap: one GROUP BY per report kind, whatever the area.

Each query groups the Posyandu of an area by the code of one level (``by``:
``puskesmas`` gives one row per Puskesmas) joined with the reports that count:
the latest revision, or, for a snapshot, the latest revision submitted before
``as_of``. Answers are read with SQLAlchemy's JSON element access, so the same
statement runs on SQLite and PostgreSQL (where ``report.data`` is JSONB and
reading fifteen keys of 300,000 reports takes a fraction of a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, exists, false, func, literal, or_, text
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from conversations.periods import deadline_end
from storage.models import Desa, Kabupaten, Posyandu, Puskesmas, Report
from storage.regions import LEVELS
from storage.rekap.figures import Figures, add_pair
from storage.reports import MONTHLY
from storage.types import UTCDateTime

VISIT = "kunjungan"
OUTREACH = "luar_gedung"
# The Posyandu column holding the code of the area one level up, for each grouping level.
PARENT_COLUMN = {
    "kabupaten": Posyandu.provinsi_code,
    "kecamatan": Posyandu.kabupaten_code,
    "puskesmas": Posyandu.kabupaten_code,
    "desa": Posyandu.puskesmas_code,
    "posyandu": Posyandu.desa_code,
}


@dataclass(frozen=True, slots=True)
class Group:
    """One sub-area: its code, name, parent's code (None for provinces) and active Posyandu."""

    code: str
    name: str
    parent_code: str | None
    expected: int


@dataclass(frozen=True, slots=True)
class PosyanduPlace:
    """A Posyandu with the names of the areas above it (missing lists, CSV rows)."""

    code: str
    name: str
    desa: str
    puskesmas: str
    kabupaten: str


def groups(session: Session, where: ColumnElement[bool], by: str) -> list[Group]:
    """The sub-areas at level ``by`` that have active Posyandu in the area, by name."""
    column, table = LEVELS[by]
    name = table.name
    parent = PARENT_COLUMN.get(by)
    keys = [column, name] + ([parent] if parent is not None else [])
    statement = select(*keys, func.count()).select_from(Posyandu)
    if table is not Posyandu:
        statement = statement.join(table, table.code == column)
    statement = statement.where(where, Posyandu.active).group_by(*keys).order_by(name, column)
    result = []
    for row in session.exec(statement):
        parent_code = row[2] if parent is not None else None
        result.append(Group(row[0], row[1], parent_code, row[-1]))
    return result


def monthly(
    session: Session,
    where: ColumnElement[bool],
    by: str | None,
    periods: Sequence[str],
    as_of: datetime | None = None,
    *,
    summed: Sequence[str],
) -> dict[tuple[str, str], Figures]:
    """Monthly-report figures per ``(period, code at level by)`` ("" for code when by is None).

    ``summed`` are the answers added up (the form's counts, by code).

    ``expected`` is left at 0: it comes from :func:`groups`. On time means the
    first revision was submitted before the end of the kabupaten's deadline
    day, so a late correction keeps an on-time report on time.

    One pass over every revision of those months, no self-join: each report has
    exactly one first revision (timeliness) and one revision that counts (the
    rest), so conditional sums count both. That keeps the plan parallel on
    PostgreSQL and the national rekap within seconds.
    """
    keys = [Report.period] + ([LEVELS[by][0]] if by else [])
    counted = _counted(as_of)
    first_on_time = and_(Report.revision == 1, Report.submitted_at < _deadline(session, periods))
    statement = (
        select(
            *keys,
            func.sum(case((counted, 1), else_=0)),
            func.sum(case((first_on_time, 1), else_=0)),
            func.sum(case((and_(counted, Report.held == false()), 1), else_=0)),
            *(func.sum(case((counted, Report.data[name].as_integer()))) for name in summed),
        )
        .select_from(Report)
        .join(Posyandu, Posyandu.code == Report.posyandu_code)
        .join(Kabupaten, Kabupaten.code == Posyandu.kabupaten_code)
        .where(where, Posyandu.active, Report.kind == MONTHLY, Report.period.in_(periods))
        .group_by(*keys)
    )
    _analytic(session)
    result: dict[tuple[str, str], Figures] = {}
    width = len(keys)
    for row in session.exec(statement):
        period, code = row[0], (row[1] if by else "")
        reported, timely, closed, *values = row[width:]
        sums_row = {
            name: int(value)
            for name, value in zip(summed, values, strict=True)
            if value is not None
        }
        result[(period, code)] = Figures(
            reported=int(reported), on_time=int(timely), not_held=int(closed), sums=sums_row
        )
    return result


def visits(
    session: Session,
    where: ColumnElement[bool],
    by: str,
    periods: Sequence[str],
    as_of: datetime | None = None,
) -> dict[tuple[str, str], dict[str, list[int]]]:
    """Home visits per ``(period, sub-area)``: target group -> ``[visits, with a danger sign]``.

    A danger sign includes fever.
    """
    data = Report.data
    danger = or_(
        data["demam"].as_boolean(),
        data["tanda_bahaya"].as_boolean(),
        func.coalesce(data["tanda_bahaya_balita"].as_string(), "[]") != "[]",
    )
    target = data["sasaran"].as_string()
    column = LEVELS[by][0]
    statement = (
        select(Report.period, column, target, func.count(), func.sum(case((danger, 1), else_=0)))
        .select_from(Report)
        .join(Posyandu, Posyandu.code == Report.posyandu_code)
        .where(where, Posyandu.active, *_events(VISIT, periods, as_of))
        .group_by(Report.period, column, target)
    )
    _analytic(session)
    result: dict[tuple[str, str], dict[str, list[int]]] = {}
    for period, code, group, count, with_danger in session.exec(statement):
        table = result.setdefault((period, code), {})
        add_pair(table, group or "", count, int(with_danger or 0))
    return result


def outreach(
    session: Session,
    where: ColumnElement[bool],
    by: str,
    periods: Sequence[str],
    as_of: datetime | None = None,
) -> dict[tuple[str, str], list[tuple[str, str, int, int]]]:
    """Outreach per ``(period, sub-area)``: ``(type, funding source, sessions, participants)``."""
    data = Report.data
    kind, fund = data["jenis"].as_string(), data["dana"].as_string()
    participants = func.coalesce(data["peserta_l"].as_integer(), 0) + func.coalesce(
        data["peserta_p"].as_integer(), 0
    )
    column = LEVELS[by][0]
    statement = (
        select(
            Report.period, column, kind, fund, func.count(), func.sum(participants).cast(Integer)
        )
        .select_from(Report)
        .join(Posyandu, Posyandu.code == Report.posyandu_code)
        .where(where, Posyandu.active, *_events(OUTREACH, periods, as_of))
        .group_by(Report.period, column, kind, fund)
    )
    _analytic(session)
    result: dict[tuple[str, str], list[tuple[str, str, int, int]]] = {}
    for period, code, activity, source, count, people in session.exec(statement):
        row = (activity or "", source or "", count, int(people or 0))
        result.setdefault((period, code), []).append(row)
    return result


def joined(session: Session, where: ColumnElement[bool]) -> dict[str | None, int]:
    """Active Posyandu of the area counted by the month of their first monthly report.

    The roster keeps no history, so a Posyandu's first report is when it
    joined the system; the key None counts those that have never reported.
    """
    first = (
        select(func.min(Report.period).label("first"))
        .select_from(Posyandu)
        .outerjoin(Report, and_(Report.posyandu_code == Posyandu.code, Report.kind == MONTHLY))
        .where(where, Posyandu.active)
        .group_by(Posyandu.code)
        .subquery()
    )
    statement = select(first.c.first, func.count()).group_by(first.c.first)
    return {period: int(count) for period, count in session.exec(statement)}


def places(
    session: Session,
    where: ColumnElement[bool],
    *,
    unreported: str | None = None,
    as_of: datetime | None = None,
    limit: int | None = None,
) -> list[PosyanduPlace]:
    """Active Posyandu of the area with their desa, Puskesmas and kabupaten, in that order.

    With ``unreported`` (a period), only those without a monthly report for
    it (as known at ``as_of``): the list of who has not reported.
    """
    statement = (
        select(Posyandu.code, Posyandu.name, Desa.name, Puskesmas.name, Kabupaten.name)
        .join(Desa, Desa.code == Posyandu.desa_code)
        .join(Puskesmas, Puskesmas.code == Posyandu.puskesmas_code)
        .join(Kabupaten, Kabupaten.code == Posyandu.kabupaten_code)
        .where(where, Posyandu.active)
        .order_by(Kabupaten.name, Puskesmas.name, Desa.name, Posyandu.name, Posyandu.code)
        .limit(limit)
    )
    if unreported is not None:
        filed = select(Report.id).where(
            Report.posyandu_code == Posyandu.code,
            Report.kind == MONTHLY,
            Report.period == unreported,
            _counted(as_of),
        )
        statement = statement.where(~exists(filed))
    return [PosyanduPlace(*row) for row in session.exec(statement)]


def _counted(as_of: datetime | None) -> ColumnElement[bool]:
    """The revision that counts: the latest, or the latest submitted before ``as_of``."""
    if as_of is None:
        return Report.is_latest
    newer = aliased(Report)
    known_later = exists().where(
        newer.report_key == Report.report_key,
        newer.revision > Report.revision,
        newer.submitted_at < as_of,
    )
    return and_(Report.submitted_at < as_of, ~known_later)


def _analytic(session: Session) -> None:
    """PostgreSQL: no JIT for this transaction.

    The planner's JIT threshold is met by every national rekap, and compiling
    its expressions took longer (2 s) than running the query.
    """
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def _events(kind: str, periods: Sequence[str], as_of: datetime | None) -> list[ColumnElement[bool]]:
    return [Report.kind == kind, Report.period.in_(periods), _counted(as_of)]


def _deadline(session: Session, periods: Sequence[str]) -> Any:
    """The end of each report's deadline day, as a CASE over the (month, deadline, zone) in use.

    Districts share a handful of deadline days and time zones, so the CASE
    stays short even for the whole country.
    """
    settings = session.exec(select(Kabupaten.deadline_day, Kabupaten.timezone).distinct()).all()
    return case(
        *(
            (
                and_(
                    Report.period == period,
                    Kabupaten.deadline_day == day,
                    Kabupaten.timezone == zone,
                ),
                literal(deadline_end(period, day, zone), UTCDateTime),
            )
            for period in periods
            for day, zone in settings
        )
    )

"""A month's rekap of an area: its sub-areas side by side, the change, who has not reported.

District officers compare Puskesmas side by side and drill down to the
Posyandu that pull a figure down, so a rekap is always "an area and the level
below it" (kabupaten -> Puskesmas -> desa -> Posyandu). The figures of the area
itself are the sum of its rows. At each kabupaten's deadline the scheduler
stores the figures as known then (:func:`take_snapshot`); a rekap shows them
next to the live ones where reports arrived or changed since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from conversations.form import Form
from conversations.forms.monthly import MONTHLY
from conversations.periods import (
    DEFAULT_DEADLINE_DAY,
    deadline_end,
    deadline_of,
    month_of,
    shift_month,
)
from conversations.zones import DEFAULT_TIMEZONE
from storage.models import Kabupaten
from storage.rekap import queries as rq
from storage.rekap.areas import Area, kabupaten_of
from storage.rekap.figures import Figures, add_pair, summed, total
from storage.rekap.reviews import Review, review_of
from storage.rekap.snapshots import Stored, save_snapshots, stored

# The level a rekap of each level is broken down by; a Posyandu's rekap is its own row.
CHILD_LEVEL = {
    None: "provinsi",
    "provinsi": "kabupaten",
    "kabupaten": "puskesmas",
    "kecamatan": "puskesmas",
    "puskesmas": "desa",
    "desa": "posyandu",
    "posyandu": "posyandu",
}
SNAPSHOT_LEVELS = ("kabupaten", "puskesmas", "desa", "posyandu")
LEVEL_CHAIN = ("provinsi", "kabupaten", "puskesmas", "desa", "posyandu")
DETAIL_DEPTH = 3
"""Levels below the area in an export: a kabupaten down to Posyandu, the country to Puskesmas."""
TREND_MONTHS = 6


@dataclass(slots=True)
class Row:
    """One sub-area: this month's figures and last month's (for the change)."""

    code: str
    name: str
    parent_code: str | None
    figures: Figures
    previous: Figures


@dataclass(slots=True)
class Rekap:
    """Everything a rekap shows, in any format.

    ``missing`` lists Posyandu without a report (possibly only the first few:
    ``total.missing`` is the count). ``at_deadline`` holds the stored snapshot
    of the area and ``rows_at_deadline`` those of its rows, when taken.
    ``deadline`` and ``timezone`` are the reporting deadline for the month and
    the zone it is kept in; within a kabupaten, ``review`` says whether the
    month was reviewed. ``form`` is the monthly form whose fields and
    indicators the rekap counts and shows.
    """

    area: Area
    period: str
    child_level: str
    rows: list[Row]
    total: Figures
    previous: Figures
    missing: list[rq.PosyanduPlace]
    at_deadline: Stored | None = None
    rows_at_deadline: dict[str, Stored] = field(default_factory=dict)
    kabupaten_code: str | None = None
    deadline: date | None = None
    timezone: str | None = None
    review: Review | None = None
    form: Form = MONTHLY

    def in_progress(self, today: date) -> bool:
        """True until the deadline day is over (``today`` in the area's zone).

        Reports may still come in: the month's figures are partial and are
        compared with nothing yet.
        """
        return self.deadline is not None and today <= self.deadline


def build(
    session: Session,
    area: Area,
    period: str,
    *,
    missing_limit: int | None = None,
    form: Form = MONTHLY,
) -> Rekap:
    """The live rekap of ``area`` for ``period`` (latest revisions), with its stored snapshot.

    Above a kabupaten the deadline is the common practice's (day 5, Jakarta
    time), as for :func:`default_period`. ``form`` decides what is counted.
    """
    by = CHILD_LEVEL[area.level]
    rows = sub_areas(session, area, by, period, previous=shift_month(period, -1), form=form)
    rekap = Rekap(
        area=area,
        period=period,
        child_level=by,
        rows=rows,
        total=total([row.figures for row in rows]),
        previous=total([row.previous for row in rows]),
        missing=rq.places(session, area.where, unreported=period, limit=missing_limit),
        form=form,
    )
    if area.level is not None and area.code is not None:
        rekap.at_deadline = stored(session, period, area.level, [area.code]).get(area.code)
        rekap.rows_at_deadline = stored(session, period, by, [r.code for r in rows])
    kabupaten = session.get(Kabupaten, kabupaten_of(session, area) or "")
    rekap.deadline = deadline_of(period, DEFAULT_DEADLINE_DAY)
    rekap.timezone = DEFAULT_TIMEZONE
    if kabupaten is not None:
        rekap.kabupaten_code = kabupaten.code
        rekap.deadline = deadline_of(period, kabupaten.deadline_day)
        rekap.timezone = kabupaten.timezone
        rekap.review = review_of(session, kabupaten.code, period)
    return rekap


@dataclass(slots=True)
class Level:
    """All sub-areas of one level below a rekap's area, with their stored snapshots."""

    level: str
    rows: list[Row]
    at_deadline: dict[str, Stored]


def detail(session: Session, rekap: Rekap, depth: int = DETAIL_DEPTH) -> list[Level]:
    """The rekap's rows and those of up to ``depth - 1`` further levels below (for exports)."""
    levels = [Level(rekap.child_level, rekap.rows, rekap.rows_at_deadline)]
    if rekap.child_level not in LEVEL_CHAIN:
        return levels
    start = LEVEL_CHAIN.index(rekap.child_level) + 1
    previous = shift_month(rekap.period, -1)
    for level in LEVEL_CHAIN[start : start + depth - 1]:
        rows = sub_areas(
            session, rekap.area, level, rekap.period, previous=previous, form=rekap.form
        )
        snapshots = stored(session, rekap.period, level, [row.code for row in rows])
        levels.append(Level(level, rows, snapshots))
    return levels


def sub_areas(
    session: Session,
    area: Area,
    by: str,
    period: str,
    *,
    previous: str | None = None,
    as_of: datetime | None = None,
    form: Form = MONTHLY,
) -> list[Row]:
    """The figures of every sub-area at level ``by``: four grouped queries in all.

    With ``previous`` (a month) each row also carries that month's report
    figures; with ``as_of`` only revisions submitted before it count.
    ``form`` gives the answers summed.
    """
    where = area.where
    periods = [period] if previous is None else [period, previous]
    monthly = rq.monthly(session, where, by, periods, as_of, summed=summed(form))
    visits = rq.visits(session, where, by, periods, as_of)
    outreach = rq.outreach(session, where, by, periods, as_of)

    def figures(month: str, group: rq.Group) -> Figures:
        key = (month, group.code)
        result = monthly.get(key) or Figures()
        result.expected = group.expected
        result.visits = visits.get(key, {})
        for kind, fund, sessions, participants in outreach.get(key, []):
            add_pair(result.outreach_by_type, kind, sessions, participants)
            add_pair(result.outreach_by_fund, fund, sessions, participants)
        return result

    return [
        Row(
            group.code,
            group.name,
            group.parent_code,
            figures(period, group),
            figures(previous, group) if previous is not None else Figures(expected=group.expected),
        )
        for group in rq.groups(session, where, by)
    ]


def trend(
    session: Session, rekap: Rekap, months: int = TREND_MONTHS
) -> list[tuple[str, Figures | None]]:
    """Completeness and report figures of the area for the ``months`` months up to the rekap's.

    The roster keeps no history, so a Posyandu counts from the month of its
    first monthly report, one that never reported from the area's first
    report. A month before any of them has no figures (None): the area was
    not in the system yet, which is not a month without reports.
    """
    periods = [shift_month(rekap.period, offset) for offset in range(1 - months, 1)]
    monthly = rq.monthly(session, rekap.area.where, None, periods, summed=summed(rekap.form))
    joined = rq.joined(session, rekap.area.where)
    start = min((first for first in joined if first is not None), default=rekap.period)
    result: list[tuple[str, Figures | None]] = []
    for period in periods:
        expected = sum(count for first, count in joined.items() if (first or start) <= period)
        figures = monthly.get((period, "")) or Figures()
        figures.expected = expected
        result.append((period, figures if expected else None))
    return result


def take_snapshot(session: Session, kabupaten_code: str, period: str, now: datetime) -> int:
    """Store a kabupaten's figures for ``period`` at every level as known at its deadline.

    Only revisions submitted before the end of the deadline day count, so a
    snapshot taken late (the service was down) still shows the deadline's
    view. Returns the number of rows stored.
    """
    kabupaten = session.get(Kabupaten, kabupaten_code)
    if kabupaten is None:
        return 0
    as_of = deadline_end(period, kabupaten.deadline_day, kabupaten.timezone)
    area = Area("kabupaten", kabupaten.code, kabupaten.name)
    rows = [
        {
            "period": period,
            "level": level,
            "code": row.code,
            "parent_code": row.parent_code,
            "kabupaten_code": kabupaten.code,
            "name": row.name,
            "figures": row.figures.to_json(),
            "as_of": as_of,
            "computed_at": now,
        }
        for level in SNAPSHOT_LEVELS
        for row in sub_areas(session, area, level, period, as_of=as_of)
    ]
    save_snapshots(session, rows)
    return len(rows)


def default_period(session: Session, area: Area, now: datetime) -> str:
    """The month a rekap shows when none is asked for: the last one closed in the area's kabupaten.

    Above a kabupaten (a province, the country) districts may differ: the
    common practice (day 5, Jakarta time) decides.
    """
    kabupaten = session.get(Kabupaten, kabupaten_of(session, area) or "")
    if kabupaten is None:
        return last_closed_period(now, DEFAULT_DEADLINE_DAY, DEFAULT_TIMEZONE)
    return last_closed_period(now, kabupaten.deadline_day, kabupaten.timezone)


def last_closed_period(now: datetime, deadline_day: int, timezone: str) -> str:
    """The latest month whose reporting deadline has passed (on 3 Nov with day 5: September)."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    candidate = shift_month(month_of(today), -1)
    if now < deadline_end(candidate, deadline_day, timezone):
        return shift_month(candidate, -1)
    return candidate

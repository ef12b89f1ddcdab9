"""The plain per-Posyandu tables: the contract's monthly CSV and the long table of answers.

The monthly table is built on the rekap's grouped queries at Posyandu level
(:mod:`storage.rekap.summary`), so the CSV, the chat rekap and the Excel
workbook count the same way. Its columns come from the form: the contract's
``S, K, D, N`` are the short labels of the fields the form names as its
``columns``; every other count and indicator of the form follows, by code.
The long table has one row per number in each latest revision, including
answers to fields an older version of the form had (stored reports keep
them under their old codes, so births and deaths of old months stay there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from conversations.form import Form
from conversations.forms.monthly import MONTHLY
from storage.models import Posyandu, Report
from storage.rekap.areas import Area
from storage.rekap.figures import Figures
from storage.rekap.queries import places
from storage.rekap.summary import sub_areas
from storage.reports import MONTHLY as MONTHLY_KIND

PLACE_COLUMNS = (
    "period",
    "kabupaten",
    "puskesmas",
    "desa",
    "posyandu_code",
    "posyandu",
)
ACTIVITY_COLUMNS = ("home_visits", "outreach_sessions", "outreach_participants")
LONG_COLUMNS = (*PLACE_COLUMNS, "code", "label", "value")
RATIO_DIGITS = 4


def contract_columns(form: Form = MONTHLY) -> tuple[str, ...]:
    """The contract's header names of the count columns (``S, K, D, N``)."""
    return tuple(form.field(code).short for code in form.columns)


def extra_columns(form: Form = MONTHLY) -> tuple[str, ...]:
    """Every other count of the form and every indicator, by code, after the contract's."""
    counts = tuple(f.name for f in form.counts if f.name not in form.columns)
    return (*counts, *(indicator.code for indicator in form.indicators))


def columns(form: Form = MONTHLY) -> tuple[str, ...]:
    """The monthly CSV's header: the contract's columns in its order, then the form's others."""
    return (
        *PLACE_COLUMNS,
        "reported",
        "on_time",
        "held",
        *contract_columns(form),
        *ACTIVITY_COLUMNS,
        *extra_columns(form),
    )


def monthly_rows(
    session: Session,
    period: str,
    level: str | None,
    code: str | None,
    form: Form = MONTHLY,
) -> list[dict[str, Any]]:
    """One row per active Posyandu in the area, with the latest monthly revision's counts.

    ``on_time`` compares the first revision's submission with the end of the
    kabupaten's deadline day: a correction after the deadline keeps an on-time
    report on time. Counts are empty where no report came or it was not held.
    """
    area = Area(level, code, "")
    rows_of = sub_areas(session, area, "posyandu", period, form=form)
    figures = {row.code: row.figures for row in rows_of}
    rows = []
    for place in places(session, area.where):
        counts = figures[place.code]
        reported = bool(counts.reported)
        rows.append(
            {
                "period": period,
                "kabupaten": place.kabupaten,
                "puskesmas": place.puskesmas,
                "desa": place.desa,
                "posyandu_code": place.code,
                "posyandu": place.name,
                "reported": int(reported),
                "on_time": counts.on_time,
                "held": int(not counts.not_held) if reported else "",
                **{form.field(name).short: counts.sums.get(name, "") for name in form.columns},
                "home_visits": counts.visit_count,
                "outreach_sessions": counts.outreach_sessions,
                "outreach_participants": counts.outreach_participants,
                **_others(counts, form),
            }
        )
    return rows


def _others(counts: Figures, form: Form) -> dict[str, Any]:
    values: dict[str, Any] = {
        f.name: counts.sums.get(f.name, "") for f in form.counts if f.name not in form.columns
    }
    for indicator in form.indicators:
        value = counts.value(indicator)
        shown = round(value, RATIO_DIGITS) if isinstance(value, float) else value
        values[indicator.code] = "" if shown is None else shown
    return values


@dataclass(frozen=True, slots=True)
class Answer:
    """One number of one latest monthly revision."""

    period: str
    posyandu_code: str
    code: str
    value: int


def answers(session: Session, area: Area, periods: Sequence[str]) -> list[Answer]:
    """Every number in the latest monthly revisions of the area's Posyandu for ``periods``.

    Read from the stored answers as they are, so a code the form no longer
    has (``lahir`` of a month reported on version 1) is still there.
    Yes/no answers count as 1 or 0; dates, months and text are left out.
    """
    statement = (
        select(Report.period, Report.posyandu_code, Report.data)
        .join(Posyandu, col(Posyandu.code) == col(Report.posyandu_code))
        .where(
            area.where,
            col(Report.kind) == MONTHLY_KIND,
            col(Report.is_latest),
            col(Report.period).in_(periods),
        )
        .order_by(col(Report.period), col(Report.posyandu_code))
    )
    result = []
    for period, posyandu, data in session.exec(statement):
        for name, value in data.items():
            if isinstance(value, int):
                result.append(Answer(period, posyandu, name, int(value)))
    return result


def long_rows(
    session: Session, periods: Sequence[str], area: Area, form: Form = MONTHLY
) -> list[dict[str, Any]]:
    """The long table: one row per Posyandu, month and answer, with names and the field's label."""
    where = places(session, area.where)
    names = {place.code: place for place in where}
    rows = []
    for item in answers(session, area, periods):
        place = names.get(item.posyandu_code)
        if place is None:
            continue
        rows.append(
            {
                "period": item.period,
                "kabupaten": place.kabupaten,
                "puskesmas": place.puskesmas,
                "desa": place.desa,
                "posyandu_code": place.code,
                "posyandu": place.name,
                "code": item.code,
                "label": form.label_of(item.code),
                "value": item.value,
            }
        )
    return rows

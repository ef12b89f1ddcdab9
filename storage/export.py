"""The plain per-Posyandu monthly table that ``rekap --format csv`` prints.

One set-based query per table touched (Posyandu with their names, the latest
monthly reports, home-visit and outreach counts), whatever the area's size.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, func
from sqlmodel import Session, select

from storage.models import Desa, Kabupaten, Posyandu, Puskesmas, Report
from storage.periods import deadline_end
from storage.regions import in_area

COLUMNS = (
    "period",
    "kabupaten",
    "puskesmas",
    "desa",
    "posyandu_code",
    "posyandu",
    "reported",
    "on_time",
    "held",
    "S",
    "K",
    "D",
    "N",
    "home_visits",
    "outreach_sessions",
    "outreach_participants",
)
SKDN = ("s", "k", "d", "n")


def monthly_rows(
    session: Session, period: str, level: str | None, code: str | None
) -> list[dict[str, Any]]:
    """One row per active Posyandu in the area, with the latest monthly revision's counts.

    ``on_time`` compares the first revision's submission with the end of the
    kabupaten's deadline day: a correction after the deadline keeps an on-time
    report on time.
    """
    area = in_area(level, code)
    posyandu = session.exec(
        select(
            Posyandu.code,
            Posyandu.name,
            Desa.name,
            Puskesmas.name,
            Kabupaten.name,
            Kabupaten.deadline_day,
            Kabupaten.timezone,
        )
        .join(Desa, Desa.code == Posyandu.desa_code)
        .join(Puskesmas, Puskesmas.code == Posyandu.puskesmas_code)
        .join(Kabupaten, Kabupaten.code == Posyandu.kabupaten_code)
        .where(area, Posyandu.active)
        .order_by(Puskesmas.name, Desa.name, Posyandu.name)
    ).all()
    latest = {
        row.posyandu_code: row
        for row in session.exec(
            select(Report.posyandu_code, Report.held, Report.data)
            .join(Posyandu, Posyandu.code == Report.posyandu_code)
            .where(area, Report.kind == "bulanan", Report.period == period, Report.is_latest)
        )
    }
    first_submitted = dict(
        session.exec(
            select(Report.posyandu_code, func.min(Report.submitted_at))
            .join(Posyandu, Posyandu.code == Report.posyandu_code)
            .where(area, Report.kind == "bulanan", Report.period == period)
            .group_by(Report.posyandu_code)
        ).all()
    )
    visits = _counts(session, area, period, "kunjungan")
    outreach = _counts(session, area, period, "luar_gedung")
    participants = _participants(session, area, period)
    rows = []
    deadlines: dict[tuple[int, str], Any] = {}
    for code, name, desa, puskesmas, kabupaten, deadline_day, timezone in posyandu:
        report = latest.get(code)
        data = report.data if report else {}
        submitted = first_submitted.get(code)
        key = (deadline_day, timezone)
        if key not in deadlines:
            deadlines[key] = deadline_end(period, deadline_day, timezone)
        rows.append(
            {
                "period": period,
                "kabupaten": kabupaten,
                "puskesmas": puskesmas,
                "desa": desa,
                "posyandu_code": code,
                "posyandu": name,
                "reported": int(report is not None),
                "on_time": int(submitted is not None and submitted < deadlines[key]),
                "held": "" if report is None else int(bool(report.held)),
                **{key.upper(): data.get(key, "") for key in SKDN},
                "home_visits": visits.get(code, 0),
                "outreach_sessions": outreach.get(code, 0),
                "outreach_participants": participants.get(code, 0),
            }
        )
    return rows


def _counts(session: Session, area: Any, period: str, kind: str) -> dict[str, int]:
    statement = (
        select(Report.posyandu_code, func.count())
        .join(Posyandu, Posyandu.code == Report.posyandu_code)
        .where(area, Report.kind == kind, Report.period == period, Report.is_latest)
        .group_by(Report.posyandu_code)
    )
    return dict(session.exec(statement).all())


def _participants(session: Session, area: Any, period: str) -> dict[str, int]:
    total = func.sum(
        Report.data["peserta_l"].as_integer() + Report.data["peserta_p"].as_integer()
    ).cast(Integer)
    statement = (
        select(Report.posyandu_code, total)
        .join(Posyandu, Posyandu.code == Report.posyandu_code)
        .where(area, Report.kind == "luar_gedung", Report.period == period, Report.is_latest)
        .group_by(Report.posyandu_code)
    )
    return {code: int(value or 0) for code, value in session.exec(statement).all()}

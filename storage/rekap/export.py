"""The plain per-Posyandu monthly table that ``rekap --format csv`` prints.

Built on the rekap's grouped queries at Posyandu level (:mod:`storage.rekap.summary`),
so the CSV, the chat rekap and the Excel workbook count the same way.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from conversations.forms import EVENT_TALLIES
from storage.rekap.areas import Area
from storage.rekap.queries import places
from storage.rekap.summary import sub_areas

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
    *(option.value for option in EVENT_TALLIES),
)
SKDN = ("s", "k", "d", "n")


def monthly_rows(
    session: Session, period: str, level: str | None, code: str | None
) -> list[dict[str, Any]]:
    """One row per active Posyandu in the area, with the latest monthly revision's counts.

    ``on_time`` compares the first revision's submission with the end of the
    kabupaten's deadline day: a correction after the deadline keeps an on-time
    report on time. Counts are empty where no report came or it was not held.
    """
    area = Area(level, code, "")
    figures = {row.code: row.figures for row in sub_areas(session, area, "posyandu", period)}
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
                **{key.upper(): counts.sums.get(key, "") for key in SKDN},
                "home_visits": counts.visit_count,
                "outreach_sessions": counts.outreach_sessions,
                "outreach_participants": counts.outreach_participants,
                **{option.value: counts.events.get(option.value, 0) for option in EVENT_TALLIES},
            }
        )
    return rows

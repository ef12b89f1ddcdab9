"""The rekap's stored monthly snapshots: an area's figures as they stood at the deadline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

from storage.rekap.figures import Figures
from storage.rekap.models import SummarySnapshot

CODES_PER_QUERY = 5000


@dataclass(frozen=True, slots=True)
class Stored:
    """An area's figures as they stood at the deadline (``as_of``)."""

    figures: Figures
    as_of: datetime


def save_snapshots(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert snapshot rows (one per area); the caller makes sure they are new."""
    if rows:
        session.execute(insert(SummarySnapshot), [dict(row) for row in rows])


def stored(session: Session, period: str, level: str, codes: Sequence[str]) -> dict[str, Stored]:
    """The stored snapshots of these areas of one level for one month, by code.

    Codes go in batches: an export of a province's Posyandu asks for tens of
    thousands, more than SQLite accepts as parameters of one statement.
    """
    result: dict[str, Stored] = {}
    for start in range(0, len(codes), CODES_PER_QUERY):
        statement = select(
            SummarySnapshot.code, SummarySnapshot.figures, SummarySnapshot.as_of
        ).where(
            SummarySnapshot.period == period,
            SummarySnapshot.level == level,
            SummarySnapshot.code.in_(list(codes[start : start + CODES_PER_QUERY])),
        )
        for code, figures, as_of in session.exec(statement):
            result[code] = Stored(Figures.from_json(figures), as_of)
    return result

"""Reading and writing the rekap's tables: stored monthly snapshots and reviews."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

from storage.models import Person
from storage.models_rekap import SummaryReview, SummarySnapshot
from storage.rekap_figures import Figures
from storage.sql import InsertIgnore

CODES_PER_QUERY = 5000
_REVIEW = InsertIgnore(SummaryReview.__table__, ("kabupaten_code", "period"))


@dataclass(frozen=True, slots=True)
class Review:
    """Who marked a kabupaten's month as reviewed, and when."""

    reviewer: str
    reviewed_at: datetime


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


def mark_reviewed(
    session: Session, kabupaten_code: str, period: str, person_id: int, now: datetime
) -> bool:
    """Record the review of a kabupaten's month; False when it was already reviewed."""
    values = {
        "kabupaten_code": kabupaten_code,
        "period": period,
        "reviewed_by": person_id,
        "reviewed_at": now,
    }
    return _REVIEW(session, values)


def review_of(session: Session, kabupaten_code: str, period: str) -> Review | None:
    """The review of a kabupaten's month, if someone has reviewed it."""
    statement = (
        select(Person.name, SummaryReview.reviewed_at)
        .join(Person, Person.id == SummaryReview.reviewed_by)
        .where(SummaryReview.kabupaten_code == kabupaten_code, SummaryReview.period == period)
    )
    row = session.exec(statement).first()
    return Review(*row) if row else None

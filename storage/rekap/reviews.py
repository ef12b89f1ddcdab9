"""The district's reviews of a month's rekap (``tinjau``): who marked it reviewed, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from storage.models import Person
from storage.rekap.models import SummaryReview
from storage.sql import InsertIgnore

_REVIEW = InsertIgnore(SummaryReview.__table__, ("kabupaten_code", "period"))


@dataclass(frozen=True, slots=True)
class Review:
    """Who marked a kabupaten's month as reviewed, and when."""

    reviewer: str
    reviewed_at: datetime


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

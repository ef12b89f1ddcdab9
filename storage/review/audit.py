"""The audit trail of supervision (``riwayat``): every step of one Posyandu's month, in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from storage.models import Person
from storage.review.models import ReviewEvent


@dataclass(frozen=True, slots=True)
class Entry:
    """One step: what was done (an action of :data:`storage.review.models.ACTIONS`), by whom."""

    action: str
    person: str
    role: str
    at: datetime
    channel: str
    revision: int | None
    reason: str | None


def history(session: Session, posyandu_code: str, period: str) -> list[Entry]:
    """Every recorded step of the month, oldest first."""
    statement = (
        select_columns(
            col(ReviewEvent.action),
            col(Person.name),
            col(Person.role),
            col(ReviewEvent.at),
            col(ReviewEvent.channel),
            col(ReviewEvent.revision),
            col(ReviewEvent.reason),
        )
        .join(Person, col(Person.id) == col(ReviewEvent.person_id))
        .where(col(ReviewEvent.posyandu_code) == posyandu_code, col(ReviewEvent.period) == period)
        .order_by(col(ReviewEvent.id))
    )
    return [Entry(*row) for row in session.execute(statement)]

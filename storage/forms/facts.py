"""What the roster tells a form before it starts."""

from __future__ import annotations

from sqlmodel import Session

from storage.models import Posyandu


def posyandu_day(session: Session, posyandu_code: str) -> int | None:
    """The Posyandu's usual day of the month (its one-tap default for the day held)."""
    posyandu = session.get(Posyandu, posyandu_code)
    return posyandu.posyandu_day if posyandu is not None else None

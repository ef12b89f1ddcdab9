"""Targets per indicator and kabupaten: a kabupaten's own, where it set one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from storage.exports.models import AchievementBand, IndicatorTarget
from storage.models import Kabupaten


def kabupaten_targets(session: Session, kabupaten_code: str) -> dict[str, float]:
    """The targets a kabupaten set for itself: indicator code -> percent."""
    statement = select(IndicatorTarget).where(col(IndicatorTarget.kabupaten_code) == kabupaten_code)
    return {row.indicator: row.percent for row in session.exec(statement)}


def save_targets(session: Session, targets: Iterable[tuple[str, str, float]], now: datetime) -> int:
    """Set ``(kabupaten, indicator, percent)`` targets, replacing older ones; returns how many."""
    saved = 0
    for kabupaten_code, indicator, percent in targets:
        row = session.get(IndicatorTarget, (kabupaten_code, indicator)) or IndicatorTarget(
            kabupaten_code=kabupaten_code, indicator=indicator, percent=percent, updated_at=now
        )
        row.percent = percent
        row.updated_at = now
        session.add(row)
        saved += 1
    session.flush()
    return saved


def kabupaten_bands(session: Session, kabupaten_code: str) -> tuple[float, float] | None:
    """A kabupaten's own bands ``(good_above, fair_above)``, if it set them."""
    row = session.get(AchievementBand, kabupaten_code)
    return (row.good_above, row.fair_above) if row is not None else None


def save_bands(
    session: Session, kabupaten_code: str, good_above: float, fair_above: float, now: datetime
) -> None:
    """Set a kabupaten's bands."""
    row = session.get(AchievementBand, kabupaten_code) or AchievementBand(
        kabupaten_code=kabupaten_code, good_above=good_above, fair_above=fair_above, updated_at=now
    )
    row.good_above, row.fair_above, row.updated_at = good_above, fair_above, now
    session.add(row)
    session.flush()


def kabupaten_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The names of those of ``codes`` that are kabupaten."""
    statement = select(Kabupaten.code, Kabupaten.name).where(col(Kabupaten.code).in_(list(codes)))
    return dict(session.exec(statement).all())

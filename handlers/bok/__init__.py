"""BOK evidence of outreach activities: each Puskesmas' plan (:mod:`.plan`), the check of
each activity's evidence and its workbook (:mod:`.evidence`), ``rekap bok`` (:mod:`.command`)."""

from __future__ import annotations

from conversations.periods import format_month
from handlers.bok import words as W
from handlers.bok.evidence import checked, workbook
from handlers.exports.scope import Made, area_of, months_ending
from storage import Database


def export(database: Database, *, period: str, area: str) -> Made:
    """The month's outreach activities of an area as a workbook, one row per activity.

    Raises :class:`~handlers.exports.scope.UnknownAreaError` and
    :class:`~handlers.exports.scope.BadPeriodError`.
    """
    months_ending(period)
    with database.transaction() as session:
        found = area_of(session, area)
        activities = checked(session, found.where, period)
        title = W.TITLE.format(area=found.name, month=format_month(period))
        content = workbook(session, title, activities)
    return Made(content, f"bok-{found.code}-{period}.xlsx", len(activities))


__all__ = ["export"]

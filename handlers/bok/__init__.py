"""BOK evidence of outreach activities: each Puskesmas' plan (:mod:`.plan`), the check of
each activity's evidence and its workbook (:mod:`.evidence`), ``rekap bok`` (:mod:`.command`)."""

from __future__ import annotations

from pathlib import Path

from conversations.periods import format_month
from handlers.bok import words as W
from handlers.bok.evidence import Checked, checked, photo_folder, workbook
from handlers.exports.scope import Made, area_of, months_ending
from storage import Database
from storage.media import MediaStore


def export(database: Database, media_dir: Path, *, period: str, area: str) -> tuple[Made, Made]:
    """The month's outreach activities of an area: the workbook (one row per activity) and
    the zip of their photos (a folder per activity, numbered as the workbook's rows).

    Raises :class:`~handlers.exports.scope.UnknownAreaError` and
    :class:`~handlers.exports.scope.BadPeriodError`.
    """
    book, activities = workbook_of(database, period=period, area=area)
    photos = photo_folder(activities, MediaStore(media_dir))
    count = sum(len(item.photos) for item in activities)
    return book, Made(photos, book.name.replace(".xlsx", "-foto.zip"), count)


def workbook_of(database: Database, *, period: str, area: str) -> tuple[Made, list[Checked]]:
    """The workbook alone (what the web page offers), with the checked activities it lists."""
    months_ending(period)
    with database.transaction() as session:
        found = area_of(session, area)
        activities = checked(session, found.where, period)
        title = W.TITLE.format(area=found.name, month=format_month(period))
        content = workbook(session, title, activities)
    return Made(content, f"bok-{found.code}-{period}.xlsx", len(activities)), activities


__all__ = ["export", "workbook_of"]

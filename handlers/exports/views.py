"""``export table``: the long table as CSV, or the workbook of the views pivoted from it."""

from __future__ import annotations

from conversations.form import Form
from conversations.forms import MONTHLY
from handlers.exports import words as W
from handlers.exports.achievement import review
from handlers.exports.scope import Made, area_of, months_ending
from handlers.exports.table import csv_bytes, measures, rows
from handlers.exports.targets import bands_of, percents
from storage import Database
from storage.exports import filed_monthly
from storage.rekap.areas import kabupaten_of

FORMATS = ("csv", "xlsx")


def export(
    database: Database,
    *,
    period: str,
    months: int = 1,
    area: str | None,
    output: str = "csv",
    form: Form = MONTHLY,
) -> Made:
    """The long table of ``months`` months up to ``period`` as CSV, or the workbook of its views.

    Raises :class:`~handlers.exports.scope.UnknownAreaError` and
    :class:`~handlers.exports.scope.BadPeriodError`.
    """
    wanted = months_ending(period, months)
    with database.transaction() as session:
        found = area_of(session, area)
        table = rows(filed_monthly(session, found.where, wanted), form)
        kabupaten = kabupaten_of(session, found)
        targets, bands = percents(session, kabupaten, form), bands_of(session, kabupaten)
    name = f"tabel-{found.code or 'semua'}-{period}.{output}"
    if output == "csv":
        return Made(csv_bytes(table), name, len(table))
    from handlers.exports.workbook import workbook

    span = wanted[0] if len(wanted) == 1 else f"{wanted[0]} s.d. {wanted[-1]}"
    where = found.name or W.ALL_AREAS
    title = W.RECAP_TITLE.format(area=where, months=span)
    every = measures(form)
    achieved = (
        W.ACHIEVEMENT_TITLE.format(area=where, span=span),
        review(table, every, targets, bands),
    )
    return Made(workbook(table, every, title, form, achieved), name, len(table))

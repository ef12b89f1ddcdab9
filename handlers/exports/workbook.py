"""The Excel views staff retype, each a pivot of the long table (:mod:`.table`).

Sheets: the long table itself, and the recap with one row per Posyandu
(per month) and one column per measure, closed by the area's total. Header
rows are bold and frozen; a measure nobody reported is an empty cell, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from handlers.exports import words as W
from handlers.exports.table import HEADERS, Measure, Row, Totals, pivot

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
MAX_WIDTH = 40


def workbook(table: Sequence[Row], measures: Sequence[Measure], title: str) -> bytes:
    """The long table and its recap per Posyandu as an XLSX file."""
    book = Workbook()
    long_sheet = book.active
    assert long_sheet is not None
    long_sheet.title = W.SHEET_LONG
    _header(long_sheet, HEADERS)
    for row in table:
        long_sheet.append(list(row.cells()))
    _finish(long_sheet)
    recap(book.create_sheet(W.SHEET_RECAP), table, measures, title)
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def recap(sheet: Worksheet, table: Sequence[Row], measures: Sequence[Measure], title: str) -> None:
    """Posyandu as rows (with month, desa and Puskesmas), measures as columns, then the total."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    _header(sheet, (*W.RECAP_PLACE, *(m.label for m in measures)), row=2)
    by_posyandu = pivot(
        table,
        lambda r: (r.period, r.place.puskesmas, r.place.desa, r.place.code, r.place.name),
    )
    for key, totals in by_posyandu.items():
        sheet.append([*key, *_values(totals, measures)])
    total = pivot(table, lambda r: "").get("", {})
    sheet.append([W.TOTAL, "", "", "", "", *_values(total, measures)])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    _finish(sheet, frozen="F3")


def _values(totals: Totals, measures: Sequence[Measure]) -> list[object]:
    return [m.value(*totals.get(m.code, (None, None))) for m in measures]


def _header(sheet: Worksheet, names: Sequence[str], row: int = 1) -> None:
    if row == 1:
        sheet.append(list(names))
    else:
        for column, name in enumerate(names, start=1):
            sheet.cell(row=row, column=column, value=name)
    for cell in sheet[row]:
        cell.font = BOLD


def _finish(sheet: Worksheet, frozen: str = "A2") -> None:
    sheet.freeze_panes = frozen
    for index, column in enumerate(sheet.iter_cols(min_row=2), start=1):
        width = max((len(str(c.value)) for c in column if c.value is not None), default=4)
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width + 2)

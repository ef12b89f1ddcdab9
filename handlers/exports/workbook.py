"""The Excel views staff retype, each a pivot of the long table (:mod:`.table`).

Sheets: the long table itself, the recap with one row per Posyandu (per
month) and one column per measure, closed by the area's total, and the
achievement review (PKP style) with its sub-areas side by side. Header
rows are bold and frozen; a measure nobody reported is an empty cell, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from conversations.form import Field, Form, Section
from handlers.exports import words as W
from handlers.exports.achievement import Line
from handlers.exports.table import HEADERS, Measure, Row, Totals, pivot
from handlers.exports.values import data_elements

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
MAX_WIDTH = 40
PERCENT = "0.0%"
INTEGER = "#,##0"


def workbook(
    table: Sequence[Row],
    measures: Sequence[Measure],
    title: str,
    form: Form,
    achieved: tuple[str, Sequence[Line]] | None = None,
) -> bytes:
    """The long table, the recap per Posyandu, the ILP open-day recap and, with ``achieved``
    (a title and its lines), the achievement review, as one XLSX file."""
    book = Workbook()
    long_sheet = book.active
    assert long_sheet is not None
    long_sheet.title = W.SHEET_LONG
    _header(long_sheet, HEADERS)
    for row in table:
        long_sheet.append(list(row.cells()))
    _finish(long_sheet)
    recap(book.create_sheet(W.SHEET_RECAP), table, measures, title)
    open_day(book.create_sheet(W.SHEET_OPEN_DAY), table, form, title)
    if achieved is not None:
        achievement(book.create_sheet(W.ACHIEVEMENT_SHEET), *achieved)
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


def achievement_workbook(
    title: str, lines: Sequence[Line], sub_areas: Sequence[tuple[str, Sequence[Line]]]
) -> bytes:
    """The PKP achievement table of an area, then its sub-areas' coverage side by side."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = W.ACHIEVEMENT_SHEET
    achievement(sheet, title, lines)
    by_area(book.create_sheet(W.ACHIEVEMENT_SUB_SHEET), title, lines, sub_areas)
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def achievement(sheet: Worksheet, title: str, lines: Sequence[Line]) -> None:
    """The PKP table: one row per indicator, then empty columns for the lokakarya mini."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    _header(sheet, W.ACHIEVEMENT_COLUMNS, row=2)
    for number, line in enumerate(lines, start=1):
        sheet.append(
            [
                number,
                line.measure.label,
                _ratio(line.target),
                line.sasaran,
                line.target_people,
                line.achieved,
                _ratio(line.coverage),
                _ratio(line.of_target),
                line.band,
                None,
                None,
                None,
            ]
        )
        row = sheet.max_row
        for column in (3, 7, 8):
            sheet.cell(row=row, column=column).number_format = PERCENT
        for column in (4, 5, 6):
            sheet.cell(row=row, column=column).number_format = INTEGER
    sheet.append([])
    sheet.append([W.PROXY_NOTE])
    _finish(sheet, frozen="C3")


def by_area(
    sheet: Worksheet,
    title: str,
    lines: Sequence[Line],
    sub_areas: Sequence[tuple[str, Sequence[Line]]],
) -> None:
    """Coverage per sub-area (rows) and indicator (columns), the targets in the first row."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    _header(sheet, ("", *(line.measure.label for line in lines)), row=2)
    sheet.append([W.RADAR_TARGET, *(_ratio(line.target) for line in lines)])
    for name, found in sub_areas:
        sheet.append([name, *(_ratio(line.coverage) for line in found)])
    for row in sheet.iter_rows(min_row=3, min_col=2):
        for cell in row:
            cell.number_format = PERCENT
    _finish(sheet, frozen="B3")


def _ratio(percent: float | None) -> float | None:
    """A percentage as the fraction Excel formats as one."""
    return None if percent is None else percent / 100


def open_day(sheet: Worksheet, table: Sequence[Row], form: Form, title: str) -> None:
    """The ILP *rekapitulasi hari buka*: one row per Posyandu (and month), a column block per
    life-cycle group with its counts (sasaran, datang, bermasalah, dirujuk: whatever the form
    asks of that group), the group on the first header row and each count on the second."""
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    blocks = groups(form)
    first = len(W.OPEN_DAY_PLACE) + 1
    column = first
    for section, fields in blocks:
        sheet.cell(row=2, column=column, value=section.title).font = BOLD
        if len(fields) > 1:
            sheet.merge_cells(
                start_row=2, start_column=column, end_row=2, end_column=column + len(fields) - 1
            )
        for offset, field in enumerate(fields):
            sheet.cell(row=3, column=column + offset, value=field.label).font = BOLD
        column += len(fields)
    for offset, name in enumerate(W.OPEN_DAY_PLACE, start=1):
        sheet.cell(row=3, column=offset, value=name).font = BOLD
    by_posyandu = pivot(table, lambda r: (r.period, r.place.desa, r.place.code, r.place.name))
    for key, totals in by_posyandu.items():
        counts = [totals.get(f.name, (None, None))[0] for _, fields in blocks for f in fields]
        sheet.append([*key, *counts])
    _finish(sheet, frozen=f"{get_column_letter(first)}4")


def groups(form: Form) -> list[tuple[Section, tuple[Field, ...]]]:
    """The form's sections that have count fields, with those fields, in form order."""
    elements = data_elements(form)
    found = []
    for section in form.sections:
        fields = tuple(f for f in elements if f.section == section.name)
        if fields:
            found.append((section, fields))
    return found

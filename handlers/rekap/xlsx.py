"""The rekap as an Excel workbook for the monthly meeting.

Sheets: a summary of the area (now, at the deadline, last month), one sheet
per level below it (Puskesmas, desa, Posyandu), home visits and outreach
broken down per sub-area with the area's totals in separate bold rows, the
six-month trend, and the Posyandu that have not reported. Header rows are
bold and frozen, ratios are real numbers shown as percentages and counts as
whole numbers (each cell formatted by what it holds, not by its column), so
officers can sort, filter and chart them in Excel. A figure nobody reported
is ``-``, never 0; an empty cell means there is nothing to compare with (no
snapshot was taken at the deadline).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from conversations.form import Form, Indicator
from conversations.forms.home_visit import TARGET_GROUPS
from conversations.forms.outreach import FUNDING, OUTREACH_TYPES
from conversations.periods import format_date, format_month
from handlers.rekap import format as F
from handlers.rekap import words as W
from storage.rekap import Figures, Level, Rekap

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
INTEGER = "#,##0"
MAX_WIDTH = 45
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
RIGHT = Alignment(horizontal="right")


@dataclass(frozen=True, slots=True)
class Metric:
    """One figure of an area: its row or column header, how to read it, and its number format.

    ``title`` is the header of a figure of the form (its label); the others
    are named in the rekap's words by ``key``.
    """

    key: str
    value: Callable[[Figures], int | float | None]
    number_format: str = INTEGER
    title: str = ""

    @property
    def header(self) -> str:
        return self.title or W.XLSX_COLUMNS[self.key]

    def cell(self, figures: Figures) -> int | float | str:
        """The value to write: ``-`` when it is unknown (nothing reported, nothing to divide)."""
        value = self.value(figures)
        return W.REKAP_NO_VALUE if value is None else value


def _answer(name: str) -> Callable[[Figures], int | None]:
    return lambda figures: figures.answer(name)


def _indicator(indicator: Indicator) -> Callable[[Figures], int | float | None]:
    return lambda figures: figures.value(indicator)


HEADLINE = "headline"
"""The key of the form's headline indicator (D/S) among the metrics."""


def metrics(form: Form) -> tuple[Metric, ...]:
    """Every figure of an area, in column order: reporting, the form's indicators and counts,
    home visits and outreach. The headline indicator has the key :data:`HEADLINE`."""
    indicators = sorted(form.indicators, key=lambda item: item.code != form.headline)
    return (
        Metric("expected", lambda f: f.expected),
        Metric("reported", lambda f: f.reported),
        Metric("completeness", lambda f: f.completeness, PERCENT),
        Metric("on_time", lambda f: f.on_time),
        Metric("timeliness", lambda f: f.timeliness, PERCENT),
        Metric("not_held", lambda f: f.not_held),
        *(
            Metric(
                HEADLINE if item.code == form.headline else item.code,
                _indicator(item),
                PERCENT if item.denominator is not None and item.percent else INTEGER,
                item.label,
            )
            for item in indicators
        ),
        *(Metric(f.name, _answer(f.name), INTEGER, f.label) for f in form.counts),
        Metric("visits", lambda f: f.visit_count),
        Metric("visit_danger", lambda f: f.visit_danger),
        Metric("outreach", lambda f: f.outreach_sessions),
        Metric("participants", lambda f: f.outreach_participants),
    )


class _Writer:
    """Writes one sheet line by line, formatting each cell and fitting the table's columns."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 0
        self.widths: dict[int, int] = {}

    def line(
        self,
        values: Sequence[Any],
        formats: Sequence[str | None] = (),
        *,
        bold: bool = False,
        fit: bool = True,
    ) -> None:
        """Write one row; ``formats`` gives each cell's number format (None: general)."""
        self.row += 1
        padded = [*formats, *([None] * (len(values) - len(formats)))]
        for column, (value, number_format) in enumerate(zip(values, padded, strict=True), 1):
            cell = self.sheet.cell(row=self.row, column=column, value=value)
            if number_format is not None:
                cell.number_format = number_format
            known = value != W.REKAP_NO_VALUE
            if not known:
                cell.alignment = RIGHT
            if bold:
                cell.font = BOLD
            if fit and value is not None:
                shown = f"{value:.1%}" if number_format == PERCENT and known else str(value)
                self.widths[column] = max(self.widths.get(column, 0), len(shown))

    def blank(self) -> None:
        self.row += 1

    def header(self, headers: Sequence[str]) -> None:
        """A bold header row; the rows above it and the header stay visible when scrolling."""
        self.line(headers, bold=True)
        self.sheet.freeze_panes = f"A{self.row + 1}"

    def finish(self) -> None:
        for column, width in self.widths.items():
            self.sheet.column_dimensions[get_column_letter(column)].width = min(
                MAX_WIDTH, width + 2
            )


def workbook(
    rekap: Rekap, levels: Sequence[Level], trend: Sequence[tuple[str, Figures | None]], made: date
) -> bytes:
    """The whole workbook as ``.xlsx`` bytes; ``made`` is the area's local date."""
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet), "a new workbook starts with one worksheet"
    table = metrics(rekap.form)
    _summary(first, rekap, made, table)
    names = {rekap.area.code or "": F.area_label(rekap.area)}
    for level in levels:
        _level(book.create_sheet(W.REKAP_LEVELS[level.level]), level, names, table)
        names.update({row.code: row.name for row in level.rows})
    areas = [(row.code, row.name, row.figures) for row in levels[0].rows]
    whole = (rekap.area.code or "", F.area_label(rekap.area), rekap.total)
    _breakdown(
        book.create_sheet(W.XLSX_SHEETS["visits"]),
        ("target", "count", "danger"),
        areas,
        whole,
        lambda f: f.visits,
        TARGET_GROUPS,
    )
    for sheet, key, pick, labels in (
        ("types", "type", lambda f: f.outreach_by_type, OUTREACH_TYPES),
        ("funds", "fund", lambda f: f.outreach_by_fund, FUNDING),
    ):
        _breakdown(
            book.create_sheet(W.XLSX_SHEETS[sheet]),
            (key, "sessions", "people"),
            areas,
            whole,
            pick,
            labels,
        )
    _trend(book.create_sheet(W.XLSX_SHEETS["trend"]), trend, table)
    _missing(book.create_sheet(W.XLSX_SHEETS["missing"]), rekap)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(sheet: Worksheet, rekap: Rekap, made: date, table: Sequence[Metric]) -> None:
    """One row per indicator, formatted by its kind (count or ratio) across the three columns."""
    sheet.title = W.XLSX_SHEETS["summary"]
    out = _Writer(sheet)
    title = W.XLSX_TITLE.format(month=format_month(rekap.period), area=F.area_label(rekap.area))
    out.line([title], fit=False)
    sheet["A1"].font = TITLE
    out.line([W.XLSX_MADE.format(date=format_date(made))], fit=False)
    open_until = rekap.deadline if rekap.in_progress(made) else None
    if open_until is not None:
        out.line([W.XLSX_IN_PROGRESS.format(deadline=format_date(open_until))], fit=False)
    else:
        out.blank()
    out.header(W.XLSX_SUMMARY_HEADERS)
    at_deadline = rekap.at_deadline.figures if rekap.at_deadline else None
    for metric in table:
        values = [
            metric.cell(rekap.total),
            metric.cell(at_deadline) if at_deadline else None,
            metric.cell(rekap.previous),
        ]
        out.line([metric.header, *values], [None, *(metric.number_format for _ in values)])
    out.finish()


def _level(sheet: Worksheet, level: Level, names: dict[str, str], table: Sequence[Metric]) -> None:
    out = _Writer(sheet)
    extra = ("previous_completeness", "previous_ds", "deadline_reported", "deadline_ds")
    out.header(
        [
            *(W.XLSX_COLUMNS[key] for key in ("code", "name", "parent")),
            *(metric.header for metric in table),
            *(W.XLSX_COLUMNS[key] for key in extra),
        ]
    )
    sheet.freeze_panes = f"C{out.row + 1}"
    formats = [
        *(None for _ in range(3)),
        *(m.number_format for m in table),
        PERCENT,
        PERCENT,
        INTEGER,
        PERCENT,
    ]
    by_key = {metric.key: metric for metric in table}
    completeness, ds, reported = (by_key[key] for key in ("completeness", HEADLINE, "reported"))
    for row in level.rows:
        stored = level.at_deadline.get(row.code)
        then = stored.figures if stored else None
        values = [
            row.code,
            row.name,
            names.get(row.parent_code or "", row.parent_code),
            *(metric.cell(row.figures) for metric in table),
            completeness.cell(row.previous),
            ds.cell(row.previous),
            reported.cell(then) if then else None,
            ds.cell(then) if then else None,
        ]
        out.line(values, formats)
    out.finish()


def _breakdown(
    sheet: Worksheet,
    keys: tuple[str, str, str],
    areas: Sequence[tuple[str, str, Figures]],
    whole: tuple[str, str, Figures],
    pick: Callable[[Figures], dict[str, list[int]]],
    labels: dict[str, str],
) -> None:
    """A long table: one line per sub-area and category; the whole area's totals below it.

    The totals stand apart (after a blank row, bold, labelled "Total") so that
    summing the column of sub-area lines never counts anything twice.
    """
    out = _Writer(sheet)
    out.header([W.XLSX_COLUMNS[key] for key in ("code", "name", *keys)])
    formats = [None, None, None, INTEGER, INTEGER]
    for code, name, figures in areas:
        for key, (first, second) in sorted(pick(figures).items()):
            out.line([code, name, labels.get(key, key), first, second], formats)
    _, name, figures = whole
    totals = sorted(pick(figures).items())
    if totals:
        out.blank()
    for key, (first, second) in totals:
        out.line([W.XLSX_TOTAL, name, labels.get(key, key), first, second], formats, bold=True)
    out.finish()


def _trend(
    sheet: Worksheet, trend: Sequence[tuple[str, Figures | None]], table: Sequence[Metric]
) -> None:
    """One row per month; ``-`` throughout for a month before the area was in the system."""
    out = _Writer(sheet)
    by_key = {metric.key: metric for metric in table}
    shown = [by_key[key] for key in ("expected", "reported", "completeness", HEADLINE)]
    out.header([W.XLSX_COLUMNS["period"], *(metric.header for metric in shown)])
    formats = [None, *(metric.number_format for metric in shown)]
    for period, figures in trend:
        values: list[int | float | str] = (
            [W.REKAP_NO_VALUE for _ in shown]
            if figures is None
            else [metric.cell(figures) for metric in shown]
        )
        out.line([format_month(period), *values], formats)
    out.finish()


def _missing(sheet: Worksheet, rekap: Rekap) -> None:
    out = _Writer(sheet)
    keys = ("kabupaten", "puskesmas", "desa", "code", "posyandu")
    out.header([W.XLSX_COLUMNS[key] for key in keys])
    for p in rekap.missing:
        out.line([p.kabupaten, p.puskesmas, p.desa, p.code, p.name])
    out.finish()

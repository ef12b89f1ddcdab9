"""The rekap as an Excel workbook for the monthly meeting.

Sheets: a summary of the area (now, at the deadline, last month), one sheet
per level below it (Puskesmas, desa, Posyandu), home visits and outreach
broken down per sub-area, the six-month trend, and the Posyandu that have not
reported. Header rows are bold and frozen, ratios are real numbers shown as
percentages, so officers can sort, filter and chart them in Excel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from conversations import catalogue as T
from conversations.engine import format_date, format_month
from handlers import rekap_format as F
from storage.rekap import Level, Rekap
from storage.rekap_figures import Figures

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
INTEGER = "#,##0"
MAX_WIDTH = 45
BOLD = Font(bold=True)


@dataclass(frozen=True, slots=True)
class Metric:
    """One figure of an area: its column header, how to read it, and its number format."""

    key: str
    value: Callable[[Figures], int | float | None]
    number_format: str = INTEGER

    @property
    def header(self) -> str:
        return T.XLSX_COLUMNS[self.key]


def _sum(name: str) -> Callable[[Figures], int]:
    return lambda figures: figures.get(name)


METRICS = (
    Metric("expected", lambda f: f.expected),
    Metric("reported", lambda f: f.reported),
    Metric("completeness", lambda f: f.completeness, PERCENT),
    Metric("on_time", lambda f: f.on_time),
    Metric("timeliness", lambda f: f.timeliness, PERCENT),
    Metric("not_held", lambda f: f.not_held),
    *(Metric(name, _sum(name)) for name in ("s", "k", "d", "n")),
    Metric("ds", lambda f: f.ds, PERCENT),
    Metric("ks", lambda f: f.ks, PERCENT),
    Metric("nd", lambda f: f.nd, PERCENT),
    Metric("bgm", _sum("bgm")),
    Metric("t2", _sum("t2")),
    Metric("bumil_kek", _sum("bumil_kek")),
    Metric("hypertension", lambda f: f.hypertension),
    *(Metric(name, _sum(name)) for name in ("terduga_tbc", "dirujuk", "lahir", "mati_bayi")),
    Metric("mati_ibu", _sum("mati_ibu")),
    Metric("visits", lambda f: f.visit_count),
    Metric("visit_danger", lambda f: f.visit_danger),
    Metric("outreach", lambda f: f.outreach_sessions),
    Metric("participants", lambda f: f.outreach_participants),
)


def workbook(
    rekap: Rekap, levels: Sequence[Level], trend: Sequence[tuple[str, Figures]], made: date
) -> bytes:
    """The whole workbook as ``.xlsx`` bytes."""
    book = Workbook()
    _summary(book.active, rekap, made)
    names = {rekap.area.code or "": F.area_label(rekap.area)}
    for level in levels:
        _level(book.create_sheet(T.REKAP_LEVELS[level.level]), level, names)
        names.update({row.code: row.name for row in level.rows})
    areas = [(row.code, row.name, row.figures) for row in levels[0].rows]
    areas.append((rekap.area.code or "", F.area_label(rekap.area), rekap.total))
    _breakdown(
        book.create_sheet(T.XLSX_SHEETS["visits"]),
        ("target", "count", "danger"),
        areas,
        lambda f: f.visits,
        T.TARGET_GROUPS,
    )
    for sheet, key, pick, labels in (
        ("types", "type", lambda f: f.outreach_by_type, T.OUTREACH_TYPES),
        ("funds", "fund", lambda f: f.outreach_by_fund, T.FUNDING),
    ):
        _breakdown(
            book.create_sheet(T.XLSX_SHEETS[sheet]),
            (key, "sessions", "people"),
            areas,
            pick,
            labels,
        )
    _trend(book.create_sheet(T.XLSX_SHEETS["trend"]), trend)
    _missing(book.create_sheet(T.XLSX_SHEETS["missing"]), rekap)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(sheet: Worksheet, rekap: Rekap, made: date) -> None:
    sheet.title = T.XLSX_SHEETS["summary"]
    title = T.XLSX_TITLE.format(month=format_month(rekap.period), area=F.area_label(rekap.area))
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([T.XLSX_MADE.format(date=format_date(made))])
    sheet.append([])
    at_deadline = rekap.at_deadline.figures if rekap.at_deadline else None
    rows = [
        [
            metric.header,
            metric.value(rekap.total),
            metric.value(at_deadline) if at_deadline else None,
            metric.value(rekap.previous),
        ]
        for metric in METRICS
    ]
    _table(sheet, T.XLSX_SUMMARY_HEADERS, rows, [m.number_format for m in METRICS], start_row=4)


def _level(sheet: Worksheet, level: Level, names: dict[str, str]) -> None:
    headers = [T.XLSX_COLUMNS[key] for key in ("code", "name", "parent")] + [
        metric.header for metric in METRICS
    ]
    headers += [
        T.XLSX_COLUMNS[key]
        for key in ("previous_completeness", "previous_ds", "deadline_reported", "deadline_ds")
    ]
    rows = []
    for row in level.rows:
        stored = level.at_deadline.get(row.code)
        then = stored.figures if stored else None
        rows.append(
            [
                row.code,
                row.name,
                names.get(row.parent_code or "", row.parent_code),
                *(metric.value(row.figures) for metric in METRICS),
                row.previous.completeness,
                row.previous.ds,
                then.reported if then else None,
                then.ds if then else None,
            ]
        )
    formats = [
        *(None for _ in range(3)),
        *(m.number_format for m in METRICS),
        PERCENT,
        PERCENT,
        INTEGER,
        PERCENT,
    ]
    _table(sheet, headers, rows, formats, freeze="C2")


def _breakdown(
    sheet: Worksheet,
    keys: tuple[str, str, str],
    areas: Sequence[tuple[str, str, Figures]],
    pick: Callable[[Figures], dict[str, list[int]]],
    labels: dict[str, str],
) -> None:
    """A long table: one line per sub-area and category, the whole area's totals last."""
    headers = [T.XLSX_COLUMNS[key] for key in ("code", "name", *keys)]
    lines: list[list[Any]] = []
    for code, name, figures in areas:
        for key, (first, second) in sorted(pick(figures).items()):
            lines.append([code, name, labels.get(key, key), first, second])
    _table(sheet, headers, lines, [None, None, None, INTEGER, INTEGER], freeze="A2")


def _trend(sheet: Worksheet, trend: Sequence[tuple[str, Figures]]) -> None:
    keys = ("expected", "reported", "completeness", "ds")
    by_key = {metric.key: metric for metric in METRICS}
    headers = [T.XLSX_COLUMNS["period"], *(by_key[key].header for key in keys)]
    rows = [
        [format_month(period), *(by_key[key].value(figures) for key in keys)]
        for period, figures in trend
    ]
    _table(sheet, headers, rows, [None, *(by_key[key].number_format for key in keys)])


def _missing(sheet: Worksheet, rekap: Rekap) -> None:
    keys = ("kabupaten", "puskesmas", "desa", "code", "posyandu")
    rows = [[p.kabupaten, p.puskesmas, p.desa, p.code, p.name] for p in rekap.missing]
    _table(sheet, [T.XLSX_COLUMNS[key] for key in keys], rows, [None] * len(keys))


def _table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str | None],
    *,
    start_row: int = 1,
    freeze: str = "A2",
) -> None:
    """Write a header row and data rows with number formats, a frozen header and fitted widths."""
    sheet.append(list(headers))
    for cell in sheet[start_row]:
        cell.font = BOLD
    widths = [len(str(header)) for header in headers]
    for values in rows:
        sheet.append(list(values))
        for index, value in enumerate(values):
            if value is not None:
                shown = f"{value:.1%}" if formats[index] == PERCENT else str(value)
                widths[index] = max(widths[index], len(shown))
    for index, number_format in enumerate(formats, start=1):
        if number_format is not None:
            for (cell,) in sheet.iter_rows(
                min_row=start_row + 1, min_col=index, max_col=index, max_row=sheet.max_row
            ):
                cell.number_format = number_format
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = freeze if start_row == 1 else f"A{start_row + 1}"

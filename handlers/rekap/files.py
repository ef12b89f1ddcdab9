"""Rekap files (Excel workbook, CSV, chart): the same bytes in chat and on the command line.

openpyxl and matplotlib are imported when a file is asked for: together they
add almost half a second to the start of every process that loads the core.
:func:`export` is the command line's way in: it opens its own transaction, so
the command line needs nothing of the storage layer but the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from conversations import Attachment
from conversations.form import Form
from conversations.forms import MONTHLY
from conversations.parsing import parse_month
from handlers.rekap import format as F
from handlers.rekap import text as rekap_text
from handlers.rekap import words as W
from storage import Transaction
from storage.db import Database
from storage.rekap import (
    LONG_COLUMNS,
    Area,
    build,
    by_code,
    columns,
    default_period,
    detail,
    long_rows,
    monthly_rows,
    trend,
)

FORMATS = ("csv", "xlsx", "png")
OUTPUTS = ("text", *FORMATS, "long")
"""What ``python -m bot rekap --format`` accepts: the chat text, a file, or the long table.

``long`` is a CSV with one row per Posyandu and answer of the latest
revisions, including answers to fields the form no longer has."""
BINARY = ("xlsx", "png")
"""Formats that are never printed to a terminal."""
HEADERS = ("en", "id")
"""CSV header rows: the contract's column names, or the Indonesian ones sent in chat."""
CSV_MIME = "text/csv"


class UnknownAreaError(LookupError):
    """No region or Posyandu has the code asked for."""


class UnknownMonthError(ValueError):
    """The month asked for is not one people write (``2026-10``, ``oktober``, ...)."""


@dataclass(frozen=True, slots=True)
class Export:
    """A rekap made for the command line: its bytes and the name to save them under."""

    content: bytes
    name: str


def export(
    database: Database,
    output: str,
    *,
    period: str | None = None,
    area: str | None = None,
    headers: str = "en",
    now: datetime,
    timezone: str,
) -> Export:
    """The rekap of the area with code ``area`` (None: the whole country) for the command line.

    ``period`` is read like a typed month; None is the last month whose
    deadline has passed in the area. ``timezone`` gives the local date a
    workbook says it was made on. Raises :class:`UnknownAreaError` or
    :class:`UnknownMonthError`, checked in that order, before anything is built.
    """
    today = now.astimezone(ZoneInfo(timezone)).date()
    with database.transaction() as session:
        found = by_code(session, area) if area else Area(None, None, "")
        if found is None:
            raise UnknownAreaError(area)
        month = parse_month(period, now.date()) if period else default_period(session, found, now)
        if month is None:
            raise UnknownMonthError(period)
        content = file_bytes(session, found, month, output, today, headers=headers)
    return Export(content, file_name(found, month, output))


def file_name(area: Area, period: str, output: str) -> str:
    """``rekap-32.99-2026-10.xlsx``: the name a file is sent or saved under."""
    suffix = "-long.csv" if output == "long" else f".{output}"
    return f"{F.slug(area, period)}{suffix}"


def file_bytes(
    session: Transaction,
    area: Area,
    period: str,
    output: str,
    made: date,
    *,
    headers: str = "en",
    form: Form = MONTHLY,
) -> bytes:
    """The rekap as bytes for the command line: the chat text with every row, or a file.

    A CSV has the contract's header unless ``headers`` is ``id``. ``form``
    is the monthly form whose fields and indicators are shown.
    """
    if output == "text":
        rekap = build(session, area, period, form=form)
        text = rekap_text.render(rekap, today=made, page_size=max(1, len(rekap.rows)))
        return (text + "\n").encode("utf-8")
    if output == "csv":
        return _csv(session, area, period, headers, form)
    if output == "long":
        rows = long_rows(session, [period], area, form)
        return _table(rows, LONG_COLUMNS, W.LONG_COLUMNS, headers).encode("utf-8")
    return attachment(session, area, period, output, made, form=form).content


def attachment(
    session: Transaction,
    area: Area,
    period: str,
    output: str,
    made: date,
    *,
    form: Form = MONTHLY,
) -> Attachment:
    """The rekap of ``area`` for ``period`` as a file: ``xlsx``, ``csv`` or ``png`` (a photo).

    ``made`` is the area's local date: the workbook says it, and a month whose
    deadline is still ahead is marked as in progress. The CSV goes to people,
    so its header is Indonesian.
    """
    name = file_name(area, period, output)
    if output == "csv":
        return Attachment(name, _csv(session, area, period, "id", form), CSV_MIME)
    rekap = build(session, area, period, form=form)
    months = trend(session, rekap)
    if output == "xlsx":
        from handlers.rekap import xlsx

        content = xlsx.workbook(rekap, detail(session, rekap), months, made)
        return Attachment(name, content, xlsx.MIME)
    if output == "png":
        from handlers.rekap import chart

        content = chart.chart(rekap, months, made)
        return Attachment(name, content, chart.MIME, "photo")
    raise ValueError(f"unknown rekap file format {output!r}")


def csv_text(rows: Iterable[dict[str, Any]], headers: str = "en", form: Form = MONTHLY) -> str:
    """Rows of :func:`storage.rekap.monthly_rows` as CSV in the contract's column order.

    ``headers`` ``en`` writes the contract's names (and the form's codes),
    ``id`` the Indonesian ones (and the form's labels).
    """
    labels = {f.name: f.label for f in form.counts} | {i.code: i.label for i in form.indicators}
    return _table(rows, columns(form), {**labels, **W.CSV_COLUMNS}, headers)


def _table(
    rows: Iterable[dict[str, Any]],
    names: Sequence[str],
    indonesian: Mapping[str, str],
    headers: str,
) -> str:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=names, extrasaction="ignore")
    if headers == "id":
        writer.writerow({name: indonesian.get(name, name) for name in names})
    else:
        writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


def _csv(session: Transaction, area: Area, period: str, headers: str, form: Form) -> bytes:
    rows = monthly_rows(session, period, area.level, area.code, form)
    return csv_text(rows, headers, form).encode("utf-8")

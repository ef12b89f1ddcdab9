"""Rekap files (Excel workbook, CSV, chart): the same bytes in chat and on the command line.

openpyxl and matplotlib are imported when a file is asked for: together they
add almost half a second to the start of every process that loads the core.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel import Session

from conversations import Attachment
from conversations import catalogue as T
from handlers import rekap_format as F
from handlers import rekap_text
from storage import export
from storage.rekap import build, detail, trend
from storage.rekap_areas import Area

FORMATS = ("csv", "xlsx", "png")
OUTPUTS = ("text", *FORMATS)
"""What ``python -m bot rekap --format`` accepts: the chat text or a file."""
BINARY = ("xlsx", "png")
"""Formats that are never printed to a terminal."""
HEADERS = ("en", "id")
"""CSV header rows: the contract's column names, or the Indonesian ones sent in chat."""
CSV_MIME = "text/csv"


def file_name(area: Area, period: str, output: str) -> str:
    """``rekap-32.99-2026-10.xlsx``: the name a file is sent or saved under."""
    return f"{F.slug(area, period)}.{output}"


def file_bytes(
    session: Session, area: Area, period: str, output: str, made: date, *, headers: str = "en"
) -> bytes:
    """The rekap as bytes for the command line: the chat text with every row, or a file.

    A CSV has the contract's header unless ``headers`` is ``id``.
    """
    if output == "text":
        rekap = build(session, area, period)
        text = rekap_text.render(rekap, today=made, page_size=max(1, len(rekap.rows)))
        return (text + "\n").encode("utf-8")
    if output == "csv":
        return _csv(session, area, period, headers)
    return attachment(session, area, period, output, made).content


def attachment(session: Session, area: Area, period: str, output: str, made: date) -> Attachment:
    """The rekap of ``area`` for ``period`` as a file: ``xlsx``, ``csv`` or ``png`` (a photo).

    ``made`` is the area's local date: the workbook says it, and a month whose
    deadline is still ahead is marked as in progress. The CSV goes to people,
    so its header is Indonesian.
    """
    name = file_name(area, period, output)
    if output == "csv":
        return Attachment(name, _csv(session, area, period, "id"), CSV_MIME)
    rekap = build(session, area, period)
    months = trend(session, rekap)
    if output == "xlsx":
        from handlers import rekap_xlsx

        content = rekap_xlsx.workbook(rekap, detail(session, rekap), months, made)
        return Attachment(name, content, rekap_xlsx.MIME)
    if output == "png":
        from handlers import rekap_chart

        content = rekap_chart.chart(rekap, months, made)
        return Attachment(name, content, rekap_chart.MIME, "photo")
    raise ValueError(f"unknown rekap file format {output!r}")


def csv_text(rows: Iterable[dict[str, Any]], headers: str = "en") -> str:
    """Rows of :func:`storage.export.monthly_rows` as CSV in the contract's column order.

    ``headers`` ``en`` writes the contract's names, ``id`` the Indonesian ones.
    """
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=export.COLUMNS, extrasaction="ignore")
    if headers == "id":
        writer.writerow(T.CSV_COLUMNS)
    else:
        writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


def _csv(session: Session, area: Area, period: str, headers: str) -> bytes:
    rows = export.monthly_rows(session, period, area.level, area.code)
    return csv_text(rows, headers).encode("utf-8")

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
from handlers import rekap_format as F
from handlers import rekap_text
from storage import export
from storage.rekap import build, detail, trend
from storage.rekap_areas import Area

FORMATS = ("csv", "xlsx", "png")
OUTPUTS = ("text", *FORMATS)
"""What ``python -m bot rekap --format`` accepts: the chat text or a file."""
CSV_MIME = "text/csv"


def file_bytes(session: Session, area: Area, period: str, output: str, made: date) -> bytes:
    """The rekap as bytes for the command line: the chat text with every row, or a file."""
    if output == "text":
        rekap = build(session, area, period)
        text = rekap_text.render(rekap, page_size=max(1, len(rekap.rows)))
        return (text + "\n").encode("utf-8")
    return attachment(session, area, period, output, made).content


def attachment(session: Session, area: Area, period: str, output: str, made: date) -> Attachment:
    """The rekap of ``area`` for ``period`` as a file: ``xlsx``, ``csv`` or ``png`` (a photo)."""
    stem = F.slug(area, period)
    if output == "csv":
        rows = export.monthly_rows(session, period, area.level, area.code)
        return Attachment(f"{stem}.csv", csv_text(rows).encode("utf-8"), CSV_MIME)
    rekap = build(session, area, period)
    months = trend(session, rekap)
    if output == "xlsx":
        from handlers import rekap_xlsx

        content = rekap_xlsx.workbook(rekap, detail(session, rekap), months, made)
        return Attachment(f"{stem}.xlsx", content, rekap_xlsx.MIME)
    if output == "png":
        from handlers import rekap_chart

        content = rekap_chart.chart(rekap, months)
        return Attachment(f"{stem}.png", content, rekap_chart.MIME, "photo")
    raise ValueError(f"unknown rekap file format {output!r}")


def csv_text(rows: Iterable[dict[str, Any]]) -> str:
    """Rows of :func:`storage.export.monthly_rows` as CSV with the contract's header."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=export.COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()

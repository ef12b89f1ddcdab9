"""``GET /unduh/{output}?wilayah=&bulan=``: the overview's files, each from the builder that
chat or the command line uses for it.

The rekap (Excel, CSV, chart) is the chat's ``rekap excel`` file; DHIS2
(JSON, ADX) and the long table (CSV, Excel) are ``python -m bot export dhis2``
and ``export table``; the BOK workbook is ``export bok`` without its photos.
The area is checked first, like every page's: outside one's own, a 403.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from handlers import bok
from handlers.exports import dhis2, views
from handlers.exports.scope import Made
from handlers.exports.workbook import MIME as XLSX_MIME
from handlers.rekap import files
from handlers.web import words as W
from handlers.web.pages import period_of, scope
from handlers.web.session import PageError, in_transaction, options, page, viewer
from storage import Database, Transaction
from storage.rekap import Area

CSV_MIME = "text/csv"


@dataclass(frozen=True, slots=True)
class Job:
    """One file to make: for which area and month, on what day (the rekap says it), and when."""

    database: Database
    area: Area
    period: str
    today: date
    now: datetime

    @property
    def code(self) -> str:
        assert self.area.code is not None
        return self.area.code


@dataclass(frozen=True, slots=True)
class File:
    content: bytes
    name: str
    mime_type: str


def _rekap(output: str) -> Callable[[Job], File]:
    def make(job: Job) -> File:
        with job.database.transaction() as session:
            made = files.attachment(session, job.area, job.period, output, job.today)
        return File(made.content, made.filename, made.mime_type)

    return make


def _dhis2(output: str) -> Callable[[Job], File]:
    def make(job: Job) -> File:
        made = dhis2.export(
            job.database, period=job.period, area=job.code, output=output, now=job.now
        )
        return File(made.content, made.name, dhis2.MIME[output])

    return make


def _table(output: str) -> Callable[[Job], File]:
    def make(job: Job) -> File:
        made = views.export(job.database, period=job.period, area=job.code, output=output)
        return File(made.content, made.name, CSV_MIME if output == "csv" else XLSX_MIME)

    return make


def _bok(job: Job) -> File:
    made: Made = bok.workbook_of(job.database, period=job.period, area=job.code)[0]
    return File(made.content, made.name, XLSX_MIME)


MAKERS: dict[str, Callable[[Job], File]] = {
    **{output: _rekap(output) for output in files.FORMATS},
    "dhis2-json": _dhis2("json"),
    "dhis2-adx": _dhis2("adx"),
    "tabel-csv": _table("csv"),
    "tabel-xlsx": _table("xlsx"),
    "bok-xlsx": _bok,
}
"""Every file the overview offers (:data:`handlers.web.words.DOWNLOAD_GROUPS` names them)."""


@page
async def download(request: web.Request) -> web.StreamResponse:
    """The file ``output`` of an area the person may see, for the month asked."""
    who = await viewer(request)
    maker = MAKERS.get(request.match_info["output"])
    if maker is None:
        raise PageError(404, W.PAGE_NOT_FOUND)
    code = request.query.get("wilayah") or None

    def find(session: Transaction) -> tuple[Area, str]:
        area = scope(session, who, code)
        return area, period_of(session, request, area, request.query.get("bulan"))

    area, period = await in_transaction(request, find)
    now = options(request).clock()
    today = now.astimezone(ZoneInfo(who.profile.timezone)).date()
    job = Job(options(request).database, area, period, today, now)
    made = await asyncio.to_thread(maker, job)
    return web.Response(
        body=made.content,
        content_type=made.mime_type,
        headers={"Content-Disposition": f'attachment; filename="{made.name}"'},
    )

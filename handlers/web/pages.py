"""The review pages and downloads, read from the rekap wing (the same figures as chat and Excel).

Every page works out who is asking first and whether the area asked for lies
in what that person may see (:func:`storage.rekap.visible`): another
Puskesmas' page or file is a 403, whatever the URL says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from conversations import ALL_FORMS, Engine
from conversations.form import Form, Indicator
from conversations.forms import MONTHLY
from conversations.periods import format_date, format_month, month_of, shift_month, short_month
from handlers.exports.targets import percents
from handlers.rekap import files
from handlers.rekap import format as F
from handlers.rekap import text as rekap_text
from handlers.rekap import words as RW
from handlers.web import words as W
from handlers.web.command import REVIEW_ROLES
from handlers.web.session import PageError, Viewer, in_transaction, options, page, viewer
from storage import Transaction
from storage.rekap import Area, Figures, Rekap, build, by_code, default_period, own_area, visible
from storage.rekap.areas import kabupaten_of
from storage.web.places import contacts, lineage, monthly_revisions

_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True, slots=True)
class Card:
    label: str
    value: str
    detail: str
    change: str


def rekap_url(code: str | None, period: str) -> str:
    return "/rekap?" + urlencode({"wilayah": code or "", "bulan": period})


def posyandu_url(code: str, period: str) -> str:
    return f"/posyandu/{code}?" + urlencode({"bulan": period})


def download_url(output: str, code: str | None, period: str) -> str:
    return f"/unduh/{output}?" + urlencode({"wilayah": code or "", "bulan": period})


def _scope(session: Transaction, who: Viewer, code: str | None) -> Area:
    """The area asked for (default: the person's own), refused unless they may see it."""
    if who.profile.role not in REVIEW_ROLES:
        raise PageError(403, W.PAGE_FORBIDDEN)
    area = by_code(session, code) if code else own_area(session, who.profile)
    if area is None:
        raise PageError(404, W.PAGE_NOT_FOUND)
    if not visible(session, who.profile, area):
        raise PageError(403, W.PAGE_FORBIDDEN)
    return area


def _period(session: Transaction, request: web.Request, area: Area) -> str:
    asked = request.query.get("bulan")
    if not asked:
        return default_period(session, area, options(request).clock())
    if not _PERIOD.fullmatch(asked):
        raise PageError(400, W.PAGE_BAD_MONTH)
    return asked


def _today(request: web.Request, timezone: str) -> date:
    return options(request).clock().astimezone(ZoneInfo(timezone)).date()


def _breadcrumb(session: Transaction, who: Viewer, area: Area, period: str) -> list[dict[str, str]]:
    """The areas from the person's own down to this one, each a link."""
    top = own_area(session, who.profile)
    chain = lineage(session, area)
    codes = [item.code for item in chain]
    start = codes.index(top.code) if top.code in codes else len(chain) - 1
    return [{"label": F.area_label(item), "url": _area_url(item, period)} for item in chain[start:]]


def _area_url(area: Area, period: str) -> str:
    if area.level == "posyandu" and area.code:
        return posyandu_url(area.code, period)
    return rekap_url(area.code, period)


def _months(request: web.Request, url: Any, period: str, timezone: str) -> dict[str, Any]:
    """Links to the month before and after (none after the current month)."""
    before, after = shift_month(period, -1), shift_month(period, 1)
    current = month_of(_today(request, timezone))
    return {
        "label": format_month(period),
        "previous": {
            "label": W.PREVIOUS_MONTH.format(month=short_month(before)),
            "url": url(before),
        },
        "next": (
            {"label": W.NEXT_MONTH.format(month=short_month(after)), "url": url(after)}
            if after <= current
            else None
        ),
    }


def _headline_target(session: Transaction, area: Area, form: Form) -> float | None:
    """The headline indicator's target for the area's kabupaten (``targets``), as a fraction."""
    percent = percents(session, kabupaten_of(session, area), form).get(form.headline)
    return None if percent is None else percent / 100


def _cards(rekap: Rekap, compare: bool, target: float | None) -> list[Card]:
    """Completeness, timeliness and the form's indicators (its headline first), with change.

    As the chat rekap's headline: without ``compare`` (a month in progress)
    nothing is compared with last month and timeliness is left out.
    """
    now, before = rekap.total, rekap.previous
    month = short_month(shift_month(rekap.period, -1))

    def change(current: float | None, previous: float | None) -> str:
        if not compare:
            return ""
        points = F.points(current, previous)
        return (
            W.NO_CHANGE if points is None else W.CHANGE.format(change=F.signed(points), month=month)
        )

    cards = [
        Card(
            W.COMPLETENESS,
            F.percent(now.completeness),
            W.REPORTED_OF.format(reported=F.count(now.reported), expected=F.count(now.expected)),
            change(now.completeness, before.completeness),
        )
    ]
    if compare:
        cards.append(
            Card(
                W.TIMELINESS,
                F.percent(now.timeliness),
                W.ON_TIME_OF.format(on_time=F.count(now.on_time), expected=F.count(now.expected)),
                change(now.timeliness, before.timeliness),
            )
        )
    form = rekap.form
    for item in sorted(form.indicators, key=lambda item: item.code != form.headline):
        ratio = item.denominator is not None and item.percent
        cards.append(
            Card(
                item.label,
                rekap_text.indicator_text(now, item),
                W.TARGET.format(percent=F.percent(target))
                if item.code == form.headline and target is not None
                else "",
                change(_ratio(now, item), _ratio(before, item)) if ratio else "",
            )
        )
    return cards


def _ratio(figures: Figures, indicator: Indicator) -> float | None:
    value = figures.value(indicator)
    return None if value is None else float(value)


def _row(figures: Figures, form: Form) -> dict[str, Any]:
    return {
        "reported": f"{F.count(figures.reported)}/{F.count(figures.expected)}",
        "completeness": F.percent(figures.completeness),
        "on_time": F.percent(figures.timeliness),
        "counts": [F.count(figures.answer(code)) for code in form.columns],
        "ds": F.percent(figures.ds),
    }


@page
async def overview(request: web.Request) -> web.StreamResponse:
    """``GET /rekap?wilayah=CODE&bulan=YYYY-MM``: an area's month, its sub-areas, who is missing."""
    who = await viewer(request)
    code = request.query.get("wilayah") or None

    def gather(session: Transaction) -> dict[str, Any] | str:
        area = _scope(session, who, code)
        period = _period(session, request, area)
        if area.level == "posyandu" and area.code:
            return posyandu_url(area.code, period)
        rekap = build(session, area, period)
        assert rekap.timezone is not None
        today = _today(request, rekap.timezone)
        compare = not rekap.in_progress(today)
        child = rekap.child_level
        in_chart = [row for row in rekap.rows if row.figures.ds is not None]
        people = contacts(session, [place.code for place in rekap.missing])
        target = _headline_target(session, area, rekap.form)
        return {
            "who": who,
            "title": W.TITLE_OVERVIEW.format(month=format_month(period)),
            "area": F.area_label(area),
            "breadcrumb": _breadcrumb(session, who, area, period),
            "months": _months(request, lambda p: rekap_url(area.code, p), period, rekap.timezone),
            "in_progress": (
                W.IN_PROGRESS.format(deadline=format_date(rekap.deadline))
                if not compare and rekap.deadline
                else ""
            ),
            "cards": _cards(rekap, compare, target),
            "chart_title": W.CHART_TITLE.format(level=RW.REKAP_LEVELS[child]),
            "chart": [
                {"name": F.without_level(child, row.name), "ds": row.figures.ds or 0.0}
                for row in in_chart
            ],
            "target": target,
            "table_title": W.TABLE_TITLE.format(level=RW.REKAP_LEVELS[child]),
            "rows": [
                {
                    "name": F.without_level(child, row.name),
                    "url": (
                        posyandu_url(row.code, period)
                        if child == "posyandu"
                        else rekap_url(row.code, period)
                    ),
                    **_row(row.figures, rekap.form),
                }
                for row in rekap.rows
            ],
            "total": _row(rekap.total, rekap.form),
            "columns": [rekap.form.field(code).short for code in rekap.form.columns],
            "missing_title": W.MISSING_TITLE.format(count=rekap.total.missing),
            "missing": [
                {
                    "name": place.name,
                    "desa": place.desa,
                    "url": posyandu_url(place.code, period),
                    "contacts": people.get(place.code, []),
                }
                for place in rekap.missing
            ],
            "downloads": [
                {"label": label, "url": download_url(output, area.code, period)}
                for output, label in W.DOWNLOAD_LABELS.items()
            ],
        }

    found = await in_transaction(request, gather)
    if isinstance(found, str):
        raise web.HTTPSeeOther(found)
    return aiohttp_jinja2.render_template("overview.html", request, found)


@page
async def posyandu(request: web.Request) -> web.StreamResponse:
    """``GET /posyandu/{code}?bulan=``: the month's report, its revisions side by side, history."""
    who = await viewer(request)
    code = request.match_info["code"]
    engine = Engine(ALL_FORMS)

    def gather(session: Transaction) -> dict[str, Any]:
        area = _scope(session, who, code)
        if area.level != "posyandu":
            raise PageError(404, W.PAGE_NOT_FOUND)
        period = _period(session, request, area)
        rekap = build(session, area, period)
        assert rekap.timezone is not None
        zone = ZoneInfo(rekap.timezone)
        revisions = monthly_revisions(session, code, period)
        headers = [
            {
                "title": W.REVISION_HEADER.format(revision=item.revision),
                "by": W.REVISION_BY.format(
                    when=format_date(item.submitted_at.astimezone(zone).date()),
                    who=item.submitted_by,
                    channel=item.channel,
                ),
            }
            for item in revisions
        ]
        sections: dict[str | None, dict[str, Any]] = {}
        for field in MONTHLY.fields:
            values = [item.data.get(field.name) for item in revisions]
            if all(value is None for value in values):
                continue
            section = MONTHLY.section(field.section)
            title = section.title if section else ""
            sections.setdefault(field.section, {"title": title, "fields": []})
            sections[field.section]["fields"].append(
                {
                    "label": field.label,
                    "cells": [
                        {
                            "text": engine.display(field, value, {}),
                            "changed": index > 0 and value != values[index - 1],
                        }
                        for index, value in enumerate(values)
                    ],
                }
            )
        audit = [
            W.AUDIT_LINE.format(
                when=item.submitted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                revision=item.revision,
                who=item.submitted_by,
                channel=item.channel,
            )
            for item in revisions
        ]
        return {
            "who": who,
            "title": W.TITLE_POSYANDU.format(name=area.name),
            "area": F.area_label(area),
            "breadcrumb": _breadcrumb(session, who, area, period),
            "months": _months(request, lambda p: posyandu_url(code, p), period, rekap.timezone),
            "report_title": W.REVISIONS_TITLE.format(month=format_month(period)),
            "no_report": W.NO_REPORT.format(month=format_month(period)),
            "headers": headers,
            "sections": list(sections.values()),
            "audit": audit,
            "contacts": contacts(session, [code]).get(code, []),
        }

    return aiohttp_jinja2.render_template(
        "posyandu.html", request, await in_transaction(request, gather)
    )


@page
async def download(request: web.Request) -> web.StreamResponse:
    """``GET /unduh/{xlsx|csv|png}?wilayah=&bulan=``: the rekap file, as sent in chat."""
    who = await viewer(request)
    output = request.match_info["output"]
    if output not in files.FORMATS:
        raise PageError(404, W.PAGE_NOT_FOUND)
    code = request.query.get("wilayah") or None

    def make(session: Transaction) -> Any:
        area = _scope(session, who, code)
        period = _period(session, request, area)
        return files.attachment(
            session, area, period, output, _today(request, who.profile.timezone)
        )

    made = await in_transaction(request, make)
    return web.Response(
        body=made.content,
        content_type=made.mime_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )

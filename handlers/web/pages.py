"""The review pages, read from the rekap wing (the same figures as chat and Excel).

Every page works out who is asking first and whether the area asked for lies
in what that person may see (:func:`storage.rekap.visible`): another
Puskesmas' page is a 403, whatever the URL says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp_jinja2
from aiohttp import web

from conversations.form import Form, Indicator
from conversations.forms import MONTHLY
from conversations.periods import format_date, format_month, month_of, shift_month, short_month
from handlers.exports.targets import percents
from handlers.rekap import format as F
from handlers.rekap import text as rekap_text
from handlers.rekap import words as RW
from handlers.turn import TurnContext
from handlers.web import standing
from handlers.web import words as W
from handlers.web.command import REVIEW_ROLES
from handlers.web.session import PageError, Viewer, in_transaction, options, page, viewer
from handlers.web.turns import page_turn
from handlers.web.urls import download_url, posyandu_url, rekap_url
from storage import Transaction
from storage.rekap import Area, Figures, Rekap, build, by_code, default_period, own_area, visible
from storage.rekap.areas import kabupaten_of
from storage.web.places import contacts, lineage, monthly_revisions

PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True, slots=True)
class Card:
    label: str
    value: str
    detail: str
    change: str


def scope(session: Transaction, who: Viewer, code: str | None) -> Area:
    """The area asked for (default: the person's own), refused unless they may see it."""
    if who.profile.role not in REVIEW_ROLES:
        raise PageError(403, W.PAGE_FORBIDDEN)
    area = by_code(session, code) if code else own_area(session, who.profile)
    if area is None:
        raise PageError(404, W.PAGE_NOT_FOUND)
    if not visible(session, who.profile, area):
        raise PageError(403, W.PAGE_FORBIDDEN)
    return area


def period_of(session: Transaction, request: web.Request, area: Area, asked: str | None) -> str:
    """The month asked for (``YYYY-MM``; 400 otherwise), or the area's default month."""
    if not asked:
        return default_period(session, area, options(request).clock())
    if not PERIOD.fullmatch(asked):
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
        area = scope(session, who, code)
        period = period_of(session, request, area, request.query.get("bulan"))
        if area.level == "posyandu" and area.code:
            return posyandu_url(area.code, period)
        turn = page_turn(session, who.profile, options(request).clock())
        return overview_context(turn, request, who, area, period)

    found = await in_transaction(request, gather)
    if isinstance(found, str):
        raise web.HTTPSeeOther(found)
    return aiohttp_jinja2.render_template("overview.html", request, found)


def overview_context(
    turn: TurnContext,
    request: web.Request,
    who: Viewer,
    area: Area,
    period: str,
    notice: Sequence[str] = (),
) -> dict[str, Any]:
    """What ``overview.html`` shows of an area above a Posyandu, with ``notice`` on top."""
    session = turn.session
    rekap = build(session, area, period)
    assert rekap.timezone is not None
    today = _today(request, rekap.timezone)
    compare = not rekap.in_progress(today)
    child = rekap.child_level
    in_chart = [row for row in rekap.rows if row.figures.ds is not None]
    people = contacts(session, [place.code for place in rekap.missing])
    target = _headline_target(session, area, rekap.form)
    statuses = standing.statuses(session, [row.code for row in rekap.rows], period, child)
    return {
        "who": who,
        "notice": list(notice),
        "title": W.TITLE_OVERVIEW.format(month=format_month(period)),
        "area": F.area_label(area),
        "code": area.code or "",
        "period": period,
        "breadcrumb": _breadcrumb(session, who, area, period),
        "months": _months(request, lambda p: rekap_url(area.code, p), period, rekap.timezone),
        "in_progress": (
            W.IN_PROGRESS.format(deadline=format_date(rekap.deadline))
            if not compare and rekap.deadline
            else ""
        ),
        "cards": _cards(rekap, compare, target),
        "review": standing.overview(turn, area, period, closed=compare),
        "chart_title": W.CHART_TITLE.format(level=RW.REKAP_LEVELS[child]),
        "chart": [
            {"name": F.without_level(child, row.name), "ds": row.figures.ds or 0.0}
            for row in in_chart
        ],
        "target": target,
        "table_title": W.TABLE_TITLE.format(level=RW.REKAP_LEVELS[child]),
        "with_status": bool(statuses),
        "rows": [
            {
                "name": F.without_level(child, row.name),
                "url": (
                    posyandu_url(row.code, period)
                    if child == "posyandu"
                    else rekap_url(row.code, period)
                ),
                "status": statuses.get(row.code, ""),
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
            {
                "title": title,
                "files": [
                    {"label": label, "url": download_url(output, area.code, period)}
                    for output, label in outputs.items()
                ],
            }
            for title, outputs in W.DOWNLOAD_GROUPS.items()
        ],
    }


@page
async def posyandu(request: web.Request) -> web.StreamResponse:
    """``GET /posyandu/{code}?bulan=``: the month's report, its revisions side by side, history."""
    who = await viewer(request)
    code = request.match_info["code"]

    def gather(session: Transaction) -> dict[str, Any]:
        area = scope(session, who, code)
        period = period_of(session, request, area, request.query.get("bulan"))
        turn = page_turn(session, who.profile, options(request).clock())
        return posyandu_context(turn, request, who, area, period)

    return aiohttp_jinja2.render_template(
        "posyandu.html", request, await in_transaction(request, gather)
    )


def posyandu_context(
    turn: TurnContext,
    request: web.Request,
    who: Viewer,
    area: Area,
    period: str,
    notice: Sequence[str] = (),
) -> dict[str, Any]:
    """What ``posyandu.html`` shows of one Posyandu's month, with ``notice`` on top."""
    if area.level != "posyandu" or area.code is None:
        raise PageError(404, W.PAGE_NOT_FOUND)
    session, code, engine = turn.session, area.code, turn.engine
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
        "notice": list(notice),
        "title": W.TITLE_POSYANDU.format(name=area.name),
        "area": F.area_label(area),
        "code": code,
        "period": period,
        "breadcrumb": _breadcrumb(session, who, area, period),
        "months": _months(request, lambda p: posyandu_url(code, p), period, rekap.timezone),
        "report_title": W.REVISIONS_TITLE.format(month=format_month(period)),
        "no_report": W.NO_REPORT.format(month=format_month(period)),
        "headers": headers,
        "sections": list(sections.values()),
        "audit": audit,
        "review": standing.posyandu(turn, code, period),
        "contacts": contacts(session, [code]).get(code, []),
    }

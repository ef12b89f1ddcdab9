"""The review buttons of the pages: verify, return, unlock, approve, tinjau.

Each is a form posted with the session's CSRF token. The server checks the
role and the area first (403 otherwise, whatever the form says), then runs
the handler the chat command runs (:mod:`handlers.review`, ``tinjau`` of
:mod:`handlers.rekap`), as a turn of the signed-in person on the channel
``web``: the same rules, the same audit, and the kader told through the same
outbox. The page is shown again with the handler's answer on top.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from conversations import Reply
from conversations.forms.return_reason import reason_text
from handlers.rekap import command as rekap_command
from handlers.review import actions as review_actions
from handlers.review import commands as review_commands
from handlers.review import words as RW
from handlers.turn import TurnContext
from handlers.web import standing
from handlers.web import words as W
from handlers.web.pages import PERIOD, overview_context, posyandu_context, scope
from handlers.web.session import (
    PageError,
    Viewer,
    checked_form,
    in_transaction,
    options,
    page,
    viewer,
)
from handlers.web.turns import page_turn
from storage import Transaction
from storage.rekap import Area

NOTE_LIMIT = 300
"""As the chat's return reason form allows."""

Act = Callable[[TurnContext, Area, str, Any], list[Reply]]


def _texts(replies: list[Reply]) -> list[str]:
    return [reply.text for reply in replies if reply.text]


async def _posted(request: web.Request) -> tuple[Viewer, Any, str]:
    """The signed-in person, the form (CSRF checked) and its month."""
    who = await viewer(request)
    form = await checked_form(request, who)
    period = form.get("bulan")
    if not isinstance(period, str) or not PERIOD.fullmatch(period):
        raise PageError(400, W.PAGE_BAD_MONTH)
    return who, form, period


def _forbidden() -> PageError:
    return PageError(403, W.PAGE_FORBIDDEN)


def _revision(form: Any) -> int | None:
    value = form.get("revisi")
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip()[:NOTE_LIMIT] if isinstance(value, str) else ""


async def _on_posyandu(
    request: web.Request, allowed: Callable[[TurnContext, str], bool], act: Act
) -> web.StreamResponse:
    """Check, act on the Posyandu of the URL, and show its page with the answer."""
    who, form, period = await _posted(request)
    code = request.match_info["code"]

    def work(session: Transaction) -> dict[str, Any]:
        turn = page_turn(session, who.profile, options(request).clock())
        area = scope(session, who, code)
        if not allowed(turn, code):
            raise _forbidden()
        replies = act(turn, area, period, form)
        return posyandu_context(turn, request, who, area, period, _texts(replies))

    context = await in_transaction(request, work)
    return aiohttp_jinja2.render_template("posyandu.html", request, context)


async def _on_area(
    request: web.Request, allowed: Callable[[Any, Area], bool], act: Act
) -> web.StreamResponse:
    """Check, act on the area of the form, and show its overview with the answer."""
    who, form, period = await _posted(request)
    code = form.get("wilayah")

    def work(session: Transaction) -> dict[str, Any]:
        turn = page_turn(session, who.profile, options(request).clock())
        area = scope(session, who, code if isinstance(code, str) and code else None)
        if not allowed(who.profile, area):
            raise _forbidden()
        replies = act(turn, area, period, form)
        return overview_context(turn, request, who, area, period, _texts(replies))

    context = await in_transaction(request, work)
    return aiohttp_jinja2.render_template("overview.html", request, context)


@page
async def verify(request: web.Request) -> web.StreamResponse:
    """``POST /posyandu/{code}/sesuai``: as ``sesuai`` (and its button) in chat."""

    def act(turn: TurnContext, area: Area, period: str, form: Any) -> list[Reply]:
        assert area.code is not None
        return review_actions.verify(turn, area.code, period, _revision(form))

    return await _on_posyandu(request, standing.may_judge, act)


@page
async def give_back(request: web.Request) -> web.StreamResponse:
    """``POST /posyandu/{code}/kembalikan``: as ``kembalikan`` with the reason form's answers."""

    def act(turn: TurnContext, area: Area, period: str, form: Any) -> list[Reply]:
        assert area.code is not None
        reason = reason_text({"alasan": _text(form, "alasan"), "catatan": _text(form, "catatan")})
        if not reason:
            return [Reply(W.RETURN_NEEDS_REASON)]
        return review_actions.give_back(turn, area.code, period, _revision(form), reason)

    return await _on_posyandu(request, standing.may_judge, act)


@page
async def unlock(request: web.Request) -> web.StreamResponse:
    """``POST /posyandu/{code}/buka-kunci``: as ``buka kunci BULAN POSYANDU ALASAN``."""

    def act(turn: TurnContext, area: Area, period: str, form: Any) -> list[Reply]:
        assert area.code is not None
        reason = _text(form, "alasan").split()
        return review_commands.unlock(turn, [RW.WORD_LOCK, period, area.code, *reason])

    return await _on_posyandu(request, standing.may_unlock, act)


@page
async def approve(request: web.Request) -> web.StreamResponse:
    """``POST /rekap/setujui``: as ``setujui BULAN ya``, once the box is ticked."""

    def act(turn: TurnContext, _area: Area, period: str, form: Any) -> list[Reply]:
        if form.get("yakin") != RW.WORD_CONFIRM[0]:
            return [Reply(W.APPROVE_TICK)]
        return review_commands.approve(turn, [period, RW.WORD_CONFIRM[0]])

    return await _on_area(request, standing.may_approve, act)


@page
async def mark_reviewed(request: web.Request) -> web.StreamResponse:
    """``POST /rekap/tinjau``: as ``tinjau BULAN``."""

    def act(turn: TurnContext, _area: Area, period: str, _form: Any) -> list[Reply]:
        return rekap_command.review(turn, [period])

    return await _on_area(request, standing.may_mark_reviewed, act)

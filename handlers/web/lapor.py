"""The Mini App's routes: ``GET /app/lapor`` (the shell), then data and submission as JSON.

Every data request carries Telegram's ``initData`` in the
``X-Telegram-Init-Data`` header (or, from a ``lapor formulir`` link, the
session cookie and its CSRF token); nothing is read or stored without it.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from conversations import ALL_FORMS, Engine
from handlers.web import miniapp
from handlers.web import words as W
from handlers.web.session import in_transaction, options, signed_in
from storage import Transaction

MAX_BODY = 64 * 1024


CSRF_HEADER = "X-CSRF-Token"


async def shell(request: web.Request) -> web.StreamResponse:
    """The page without data: its script asks for the form with ``initData``.

    Opened from a ``lapor formulir`` link instead, the browser is signed in:
    the page then carries the session's CSRF token for its script to send.
    """
    who = await signed_in(request)
    context = {"title": W.APP_TITLE, "csrf": who.csrf if who else ""}
    return aiohttp_jinja2.render_template("lapor.html", request, context)


async def _caller(request: web.Request) -> miniapp.Caller:
    """Telegram's ``initData`` if sent, else the signed-in browser with its CSRF token."""
    data = request.headers.get(miniapp.INIT_DATA_HEADER)
    if data:
        now = options(request).clock()
        user = miniapp.telegram_user(data, options(request).bot_token, now)
        return miniapp.Caller(miniapp.CHANNEL, user)
    who = await signed_in(request)
    if who is None:
        raise miniapp.RefusedError(403, W.APP_FORGED)
    if not hmac.compare_digest(request.headers.get(CSRF_HEADER, ""), who.csrf):
        raise miniapp.RefusedError(403, W.PAGE_CSRF)
    person = who.profile.person_id
    return miniapp.Caller(miniapp.WEB_CHANNEL, f"person:{person}", person)


def _json(status: int, body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=status)


async def _guarded(
    request: web.Request, work: Callable[[miniapp.Caller], Awaitable[Any]]
) -> web.Response:
    """Find who is asking, run ``work`` for them, answer JSON; refusals too."""
    try:
        return _json(200, await work(await _caller(request)))
    except miniapp.RefusedError as refused:
        return _json(refused.status, {"error": refused.message, "warnings": refused.warnings})


async def data(request: web.Request) -> web.Response:
    """``POST /app/lapor/data``: the person's Posyandu, the form schema, last month's answers."""
    engine = Engine(ALL_FORMS)
    now = options(request).clock()

    async def work(caller: miniapp.Caller) -> dict[str, Any]:
        def gather(session: Transaction) -> dict[str, Any]:
            profile = miniapp.reporter(session, caller)
            return miniapp.form_data(session, engine, profile, caller, now)

        return await in_transaction(request, gather)

    return await _guarded(request, work)


async def send(request: web.Request) -> web.Response:
    """``POST /app/lapor/kirim``: check every rule with the chat's engine and store the report."""
    engine = Engine(ALL_FORMS)
    now = options(request).clock()

    async def work(caller: miniapp.Caller) -> dict[str, Any]:
        sent = _submission(await request.read())

        def store(session: Transaction) -> str:
            profile = miniapp.reporter(session, caller)
            return miniapp.submit(session, engine, profile, caller, sent, now)

        return {"message": await in_transaction(request, store)}

    return await _guarded(request, work)


def _submission(body: bytes) -> miniapp.Submission:
    if len(body) > MAX_BODY:
        raise miniapp.RefusedError(413, W.APP_BAD_REQUEST)
    try:
        sent = json.loads(body)
        answers = sent["answers"]
        if not isinstance(answers, dict):
            raise TypeError(answers)
        return miniapp.Submission(
            str(sent["posyandu"]), answers, bool(sent.get("confirm")), str(sent["id"])[:64]
        )
    except (ValueError, KeyError, TypeError):
        raise miniapp.RefusedError(400, W.APP_BAD_REQUEST) from None

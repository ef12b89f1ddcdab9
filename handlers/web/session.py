"""Browser sessions: the cookie, the signed-in person, CSRF, and the error pages.

The session cookie is HttpOnly (no script can read it), SameSite=Lax (no
other site can post with it), Secure when the app is reached over HTTPS, and
expires with the session. Only its hash is stored. Every form a page posts
carries the session's CSRF token; a POST without it is refused.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import aiohttp_jinja2
from aiohttp import web

from handlers.web import tokens
from handlers.web import words as W
from storage import Database, Transaction
from storage import web as web_store
from storage.people import Profile

COOKIE = "sesi"
SESSION_LIFETIME = timedelta(hours=12)
"""Long enough for a day of meetings; the link to start one lives 15 minutes."""
CSRF_FIELD = "csrf"

_T = TypeVar("_T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Options:
    """What the web app needs from the process: its database, address and clock."""

    database: Database
    base_url: str
    clock: Callable[[], datetime]
    bot_token: str | None = None
    """The Telegram bot token: the Mini App's ``initData`` is signed with a key derived from it."""

    @property
    def secure(self) -> bool:
        return self.base_url.startswith("https://")


OPTIONS = web.AppKey("web_options", Options)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person of a request."""

    profile: Profile
    csrf: str
    token_hash: str


class PageError(Exception):
    """A page that cannot be shown: rendered as a short Indonesian message with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def options(request: web.Request) -> Options:
    return request.app[OPTIONS]


async def in_transaction(request: web.Request, work: Callable[[Transaction], _T]) -> _T:
    """Run ``work`` in one transaction off the event loop (the webhooks share it)."""
    database = options(request).database

    def run() -> _T:
        with database.transaction() as session:
            return work(session)

    return await asyncio.to_thread(run)


def page(handler: Handler) -> Handler:
    """Render a :class:`PageError` raised by ``handler`` as an error page."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except PageError as error:
            return aiohttp_jinja2.render_template(
                "message.html",
                request,
                {"title": W.PAGE_TITLE_ERROR, "message": error.message},
                status=error.status,
            )

    return guarded


async def viewer(request: web.Request) -> Viewer:
    """The signed-in person, or a 401 page saying how to sign in."""
    found = await signed_in(request)
    if found is None:
        raise PageError(401, W.PAGE_NOT_SIGNED_IN)
    return found


async def signed_in(request: web.Request) -> Viewer | None:
    """The signed-in person of this browser, if any."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    token_hash = tokens.digest(token)
    now = options(request).clock()
    found = await in_transaction(
        request, lambda session: web_store.find_session(session, token_hash, now)
    )
    if found is None:
        return None
    profile, csrf = found
    return Viewer(profile, csrf, token_hash)


async def sign_in(request: web.Request) -> web.StreamResponse:
    """``GET /masuk/{token}``: spend the one-time link, open a session, go to the overview."""
    return await _spend(request, tokens.SIGN_IN, "/rekap")


async def open_form(request: web.Request) -> web.StreamResponse:
    """``GET /app/lapor/masuk/{token}`` (sent by ``lapor formulir``): the form, signed in."""
    return await _spend(request, tokens.REPORT_FORM, "/app/lapor")


async def _spend(request: web.Request, purpose: str, target: str) -> web.StreamResponse:
    token_hash = tokens.digest(request.match_info["token"])
    now = options(request).clock()
    session_token, csrf = tokens.new_token(), tokens.new_token()

    def spend(session: Transaction) -> Profile | None:
        profile = web_store.spend_link(session, token_hash, purpose, now)
        if profile is not None:
            web_store.open_session(
                session,
                profile.person_id,
                tokens.digest(session_token),
                csrf,
                now,
                now + SESSION_LIFETIME,
            )
        return profile

    if await in_transaction(request, spend) is None:
        raise PageError(403, W.PAGE_LINK_REFUSED)
    response = web.HTTPSeeOther(target)
    response.set_cookie(
        COOKIE,
        session_token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        secure=options(request).secure or request.secure,
        samesite="Lax",
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    raise response


async def checked_form(request: web.Request, who: Viewer) -> Any:
    """The posted form, once its CSRF token matches the session's (403 otherwise)."""
    form = await request.post()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, who.csrf):
        raise PageError(403, W.PAGE_CSRF)
    return form


async def sign_out(request: web.Request) -> web.StreamResponse:
    """``POST /keluar`` (with the CSRF token): end the session and drop the cookie."""
    who = await viewer(request)
    await checked_form(request, who)
    now = options(request).clock()
    await in_transaction(
        request, lambda session: web_store.end_session(session, who.token_hash, now)
    )
    response = aiohttp_jinja2.render_template(
        "message.html", request, {"title": W.PAGE_TITLE_SIGNED_OUT, "message": W.PAGE_SIGNED_OUT}
    )
    response.del_cookie(COOKIE, path="/")
    return response

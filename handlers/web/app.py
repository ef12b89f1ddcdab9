"""The web app's routes on the one aiohttp server (next to the webhooks), and its templates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from handlers.clock import utc_now
from handlers.rekap import format as F
from handlers.web import actions, downloads, lapor, meetings, pages, session
from handlers.web import words as W
from storage import Database

STATIC = Path(__file__).with_name("static")


async def _home(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/rekap")


def install(
    app: web.Application,
    database: Database,
    base_url: str,
    clock: Callable[[], datetime] = utc_now,
    bot_token: str | None = None,
) -> None:
    """Add the sign-in, review pages and their buttons, downloads, meetings and the Mini App
    form to ``app``.

    Pages are rendered from ``templates/``; the form's script is served from ``static/``.
    """
    app[session.OPTIONS] = session.Options(database, base_url, clock, bot_token)
    environment = aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("handlers.web", "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(W=W, percent=F.percent, csrf_field=session.CSRF_FIELD)
    app.router.add_get("/", _home)
    app.router.add_get("/masuk/{token}", session.page(session.sign_in))
    app.router.add_post("/keluar", session.page(session.sign_out))
    app.router.add_get("/rekap", pages.overview)
    app.router.add_post("/rekap/setujui", actions.approve)
    app.router.add_post("/rekap/tinjau", actions.mark_reviewed)
    app.router.add_get("/posyandu/{code}", pages.posyandu)
    app.router.add_post("/posyandu/{code}/sesuai", actions.verify)
    app.router.add_post("/posyandu/{code}/kembalikan", actions.give_back)
    app.router.add_post("/posyandu/{code}/buka-kunci", actions.unlock)
    app.router.add_get("/unduh/{output}", downloads.download)
    app.router.add_get("/rapat", meetings.listing)
    app.router.add_get("/rapat/{id}", meetings.detail)
    app.router.add_post("/rapat/{id}/jawab", meetings.answer)
    app.router.add_post("/rapat/{id}/tandai", meetings.mark)
    app.router.add_get("/rapat/{id}/daftar-hadir", meetings.attendance)
    app.router.add_get("/app/lapor", lapor.shell)
    app.router.add_get("/app/lapor/masuk/{token}", session.page(session.open_form))
    app.router.add_post("/app/lapor/data", lapor.data)
    app.router.add_post("/app/lapor/kirim", lapor.send)
    app.router.add_static("/static/", STATIC)

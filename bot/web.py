"""The one web server (aiohttp) that hosts every webhook and the web app.

aiohttp is already required by aiogram, so it costs no extra dependency, and
both channels' webhooks and the review pages (``handlers/web``) share one
port. ``GET /healthz`` answers for probes.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from bot.channels.base import RouteInstaller
from bot.config import Settings
from storage import Database


async def _health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(installers: Iterable[RouteInstaller]) -> web.Application:
    """An application with the health route and every channel's webhook routes."""
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/healthz", _health)
    for install in installers:
        install(app)
    return app


def web_app(settings: Settings, database: Database) -> RouteInstaller:
    """The installer of the review pages and sign-in links (``handlers/web``)."""
    from handlers.web.app import install

    token = settings.telegram_bot_token
    secret = token.get_secret_value() if token is not None else None
    return lambda app: install(app, database, settings.web_url, bot_token=secret)


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start serving ``app``; call ``await runner.cleanup()`` to stop."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner

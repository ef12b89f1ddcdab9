"""``python -m bot run``: the channels, the shared web server, until a signal stops them."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager, nullcontext

from bot.channels.base import Channel, RouteInstaller
from bot.config import Settings
from bot.web import create_app, serve
from handlers.mailroom import Mailroom

log = logging.getLogger(__name__)


async def run_channels(
    settings: Settings,
    channels: list[Channel],
    stop: asyncio.Event,
    background: Callable[[], AbstractAsyncContextManager[None]] = nullcontext,
    pages: Iterable[RouteInstaller] = (),
    mailroom: Mailroom | None = None,
) -> None:
    """Serve webhooks (and ``pages``: the web app) and run every channel until ``stop`` is set.

    The ``mailroom`` (answering what the channels stored) and ``background``
    (the scheduler and the outbox dispatcher) run while the channels are up:
    started after them, so sends find them ready, and stopped before them.
    """
    app = create_app([*pages, *(channel.add_routes for channel in channels)])
    runner = await serve(app, settings.http_host, settings.http_port)
    log.info("web server on http://%s:%d", settings.http_host, settings.http_port)
    started: list[Channel] = []
    try:
        for channel in channels:
            await channel.start()
            started.append(channel)
            log.info("%s channel started", channel.name)
        async with mailroom.running() if mailroom else nullcontext(), background():
            await stop.wait()
    finally:
        for channel in reversed(started):
            await channel.stop()
        await runner.cleanup()
        log.info("stopped")


def install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

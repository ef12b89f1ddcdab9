"""What every channel adapter offers the rest of the service, and per-user ordering."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from aiohttp import web

from conversations import Inbound, Reply
from handlers.delivery import Sender


class Core(Protocol):
    """The core service as adapters see it (``handlers.Service``)."""

    def handle(self, inbound: Inbound) -> list[Reply]: ...


class Channel(Sender, Protocol):
    """A running chat platform adapter.

    ``name`` is the channel name stored with identities and messages
    (``telegram``, ``whatsapp``). ``add_routes`` mounts webhook handlers on
    the shared web server (a no-op for polling). ``send`` delivers proactive
    messages (alerts, reminders) to an external user id and raises
    :class:`handlers.delivery.DeliveryError` on failure.
    """

    def add_routes(self, app: web.Application) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class PerUserQueue:
    """Runs the core for each message in a worker thread, one message per user at a time.

    ``asyncio.Lock`` wakes waiters in arrival order, so one person's messages
    are handled in the order they came, while different people proceed in
    parallel and a slow database never blocks the event loop.
    """

    def __init__(self, core: Core) -> None:
        self._core = core
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._waiting: dict[tuple[str, str], int] = {}

    async def handle(self, inbound: Inbound) -> list[Reply]:
        key = (inbound.channel, inbound.user_id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                return await asyncio.to_thread(self._core.handle, inbound)
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key]
                del self._locks[key]


RouteInstaller = Callable[[web.Application], None]

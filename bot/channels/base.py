"""What every channel adapter offers the service, how it is registered, per-user ordering."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from bot.config import Settings
from conversations import Inbound, Reply
from handlers.channels import ChannelInfo
from handlers.delivery import Sender
from handlers.reminders.pacing import Pace


class Core(Protocol):
    """The core service as adapters see it (``handlers.Service``)."""

    def handle(self, inbound: Inbound) -> list[Reply]: ...


class Channel(Sender, Protocol):
    """A running chat platform adapter.

    ``name`` is the channel name stored with identities and messages
    (``telegram``, ``whatsapp``); ``pace`` carries its declaration and the
    sending slots every platform request holds. ``add_routes`` mounts webhook handlers on
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


@dataclass(frozen=True, slots=True)
class Registration:
    """One channel as ``bot.channels.registry`` lists it: its declaration, and how to start it.

    ``configured``: whether the settings set this channel up (its token is there).
    ``account``: what the platform counts its limit by (the bot token, the number id); only
    a hash of it ever leaves the process (the Redis key of a shared pace). ``rate``: the
    setting that overrides the declared ``per_second``, if the channel has one. ``build``:
    the running channel, given the settings, the core and the pace its sends keep.
    """

    info: ChannelInfo
    configured: Callable[[Settings], bool]
    account: Callable[[Settings], str]
    build: Callable[[Settings, Core, Pace], Channel]
    rate: Callable[[Settings], float | None] = lambda _settings: None

    def effective(self, settings: Settings) -> ChannelInfo:
        """The declaration with the rate the settings ask for."""
        rate = self.rate(settings)
        return self.info if rate is None else self.info.at_rate(rate)

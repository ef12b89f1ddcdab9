"""What every channel adapter offers the rest of the service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from aiohttp import web

from handlers.delivery import Sender


class Channel(Sender, Protocol):
    """A running chat platform adapter.

    ``name`` is the channel name stored with identities and messages
    (``telegram``, ``whatsapp``). ``add_routes`` mounts webhook handlers on
    the shared web server (a no-op for polling). Everything received goes to
    the mailroom, which the adapter attached itself to when it was built.
    ``send`` delivers replies and proactive messages (alerts, reminders) to an
    external user id and raises :class:`handlers.delivery.DeliveryError` on
    failure.
    """

    def add_routes(self, app: web.Application) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


RouteInstaller = Callable[[web.Application], None]

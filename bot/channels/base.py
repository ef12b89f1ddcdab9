"""What every channel adapter offers the service, and how it is registered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from aiohttp import web

from bot.config import Settings
from handlers.channels import ChannelInfo
from handlers.delivery import Sender
from handlers.mailroom import Mailroom
from handlers.reminders.pacing import Pace


class Channel(Sender, Protocol):
    """A running chat platform adapter.

    ``name`` is the channel name stored with identities and messages
    (``telegram``, ``whatsapp``); ``pace`` carries its declaration and the
    sending slots every platform request holds. ``add_routes`` mounts webhook
    handlers on the shared web server (a no-op for polling). Everything
    received goes to the mailroom, which the adapter attached itself to when
    it was built. ``send`` delivers replies and proactive messages (alerts,
    reminders) to an external user id and raises
    :class:`handlers.delivery.DeliveryError` on failure.
    """

    def add_routes(self, app: web.Application) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


RouteInstaller = Callable[[web.Application], None]


@dataclass(frozen=True, slots=True)
class Registration:
    """One channel as ``bot.channels.registry`` lists it: its declaration, and how to start it.

    ``configured``: whether the settings set this channel up (its token is there).
    ``account``: what the platform counts its limit by (the bot token, the number id); only
    a hash of it ever leaves the process (the Redis key of a shared pace). ``rate``: the
    setting that overrides the declared ``per_second``, if the channel has one. ``build``:
    the running channel, given the settings, the mailroom and the pace its sends keep.
    ``polls``: whether the settings have it fetch its own updates (long polling), which
    one process per account may do.
    """

    info: ChannelInfo
    configured: Callable[[Settings], bool]
    account: Callable[[Settings], str]
    build: Callable[[Settings, Mailroom, Pace], Channel]
    rate: Callable[[Settings], float | None] = lambda _settings: None
    polls: Callable[[Settings], bool] = lambda _settings: False

    def effective(self, settings: Settings) -> ChannelInfo:
        """The declaration with the rate the settings ask for."""
        rate = self.rate(settings)
        return self.info if rate is None else self.info.at_rate(rate)

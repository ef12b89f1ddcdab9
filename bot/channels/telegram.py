"""The Telegram channel: one behaviour, on python-telegram-bot or aiogram.

``TELEGRAM_LIBRARY`` picks the library (``ptb``, the default, or ``aiogram``). Each library
module is a thin backend: it receives updates (long polling, or the webhook handed to it
here), and performs Bot API calls, mapping the library's errors to
:class:`~handlers.delivery.DeliveryError`. Everything that decides what the bot does lives
in this module and in :mod:`bot.channels.telegram_format`, so both libraries behave the same.

Receiving: long polling unless ``TELEGRAM_WEBHOOK_URL`` is set. Only one process may
long-poll a token (Telegram answers a second one with 409 Conflict and the two steal each
other's updates): ``python -m bot run`` refuses to start a second poller on a token whose
database (PostgreSQL) shows one running (:mod:`handlers.pollers`), and a poller that meets a
409 anyway stops. To run several workers, use the webhook behind a load balancer. In
webhook mode the route is mounted on the shared web server (path taken from the URL) and
checks Telegram's secret token header; a missing or wrong secret gets 403, whichever
library is in use.

Persist, then acknowledge: every update (webhook or polled) is stored in the shared inbox
(:mod:`handlers.mailroom`) before the webhook answers 200 or the next ``getUpdates`` confirms
it, so a crash loses nothing Telegram was told we have. Long polling is our own loop over the
library's ``getUpdates``, which advances the offset only after the updates are committed. The
mailroom answers each chat's messages in order (Telegram's ``update_id``) and sends the
replies through :meth:`TelegramChannel.send`; a redelivery has the same inbound id (derived
from the Telegram message, ``"{chat_id}:{message_id}"``, or button press,
``"cb:{callback_query_id}"``) and is stored once. A button's spinner is stopped and its
buttons removed as soon as the press arrives; a short in-memory list of update ids spares the
Bot API calls of a redelivery.

Sending: every message, reply or reminder, holds one of the bot's sending slots
(:mod:`handlers.reminders.pacing`) while it is sent, so the bot keeps within Telegram's limit
(``INFO``, ``TELEGRAM_RATE_PER_SECOND``), across processes when the pace is shared in Redis.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

from aiohttp import web

from bot.channels import words as T
from bot.channels.base import Registration
from bot.channels.telegram_format import (
    ALLOWED_UPDATES,
    CHANNEL,
    POLL_TIMEOUT_SECONDS,
    Outgoing,
    Received,
    parse_update,
    render,
)
from bot.config import Settings
from conversations import Reply
from handlers.channels import ChannelInfo, Limit
from handlers.delivery import DeliveryError
from handlers.mailroom import Arrival, Lane, Mailroom
from handlers.reminders.pacing import Pace

log = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
SECRET_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""What Telegram accepts as a webhook secret token."""
RECENT_UPDATES: Final = 10_000
"""Update ids remembered against redelivery; Telegram redelivers within minutes, not days."""
STOP_GRACE_SECONDS: Final = 10.0
"""How long ``stop`` waits for button presses being answered before closing the session."""
POLL_RETRY_SECONDS: Final = 2.0
"""The pause after a failed ``getUpdates`` (Telegram down, the network gone) before the next."""

INFO: Final = ChannelInfo(CHANNEL, Limit(per_second=30, per_chat_seconds=1.0))
"""Telegram's broadcast limit (about 30 messages a second per bot, about one a second per
chat); it reaches only people who started the bot (a linked account), with no message window."""


class PollConflictError(Exception):
    """Telegram refused ``getUpdates`` because another process is polling the same token."""


class Backend(Protocol):
    """What a library module provides: fetching updates and making Bot API calls.

    Updates are Bot API JSON. Sending methods raise :class:`DeliveryError`;
    ``get_updates`` raises :class:`PollConflictError` on 409 and :class:`DeliveryError` otherwise.
    """

    async def start(self) -> None:
        """Open the library's session (and check the token)."""

    async def start_polling(self) -> None:
        """Prepare for ``get_updates``: a webhook left registered is removed."""

    async def get_updates(
        self, offset: int | None, timeout: int, allowed_updates: Sequence[str]
    ) -> list[dict[str, Any]]: ...

    async def start_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None:
        """Register the webhook with Telegram."""

    async def close(self) -> None: ...

    async def set_commands(self, commands: Sequence[tuple[str, str]]) -> None: ...

    async def send(self, chat_id: int, message: Outgoing) -> None: ...

    async def answer_press(self, callback_query_id: str) -> None: ...

    async def clear_buttons(self, chat_id: int, message_id: int) -> None: ...


BackendFactory = Callable[[str, str | None], Backend]
"""``(token, api_base_url) -> Backend``: the constructor of a library's backend."""


@dataclass(frozen=True, slots=True)
class Webhook:
    """Webhook mode: the public URL, the path it reaches on our server, the shared secret."""

    url: str
    path: str
    secret: str


def build_telegram(
    settings: Settings, mailroom: Mailroom, pace: Pace | None = None
) -> TelegramChannel:
    """The Telegram channel on the library named by ``TELEGRAM_LIBRARY``.

    Only the chosen library is imported, so an installation may leave the other one out.
    """
    backend: BackendFactory
    if settings.telegram_library == "aiogram":
        from bot.channels.telegram_aiogram import AiogramBackend

        backend = AiogramBackend
    else:
        from bot.channels.telegram_ptb import PtbBackend

        backend = PtbBackend
    return TelegramChannel(settings, mailroom, backend, pace=pace)


def bot_token(settings: Settings) -> str:
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    return settings.telegram_bot_token.get_secret_value()


REGISTRATION: Final = Registration(
    INFO,
    configured=lambda settings: settings.telegram_enabled,
    account=bot_token,
    build=build_telegram,
    rate=lambda settings: settings.telegram_rate_per_second,
    polls=lambda settings: webhook_from(settings) is None,
)


def webhook_from(settings: Settings) -> Webhook | None:
    """Webhook mode settings, or None for long polling; refuses a webhook without a secret."""
    if not settings.telegram_webhook_url:
        return None
    url = settings.telegram_webhook_url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("TELEGRAM_WEBHOOK_URL must be an absolute URL (Telegram needs https://)")
    secret = settings.telegram_webhook_secret
    if secret is None or not SECRET_PATTERN.fullmatch(secret.get_secret_value()):
        raise ValueError(
            "TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL: 1-256 characters "
            "of A-Z, a-z, 0-9, _ and -"
        )
    return Webhook(url, parts.path or "/", secret.get_secret_value())


class TelegramChannel:
    """The Telegram adapter: updates into the inbox, replies and proactive messages out."""

    name = CHANNEL

    def __init__(
        self,
        settings: Settings,
        mailroom: Mailroom,
        backend: BackendFactory,
        *,
        pace: Pace | None = None,
    ) -> None:
        """``pace``: the bot's sending slots (from the registry); one of its own by default."""
        token = bot_token(settings)
        self.pace = pace or Pace(REGISTRATION.effective(settings))
        self._webhook = webhook_from(settings)
        self._backend = backend(token, settings.telegram_api_base_url)
        self._mailroom = mailroom
        mailroom.attach(self)
        self._recent = _RecentIds(RECENT_UPDATES)
        self._contact_keyboards: set[int] = set()
        self._side_tasks: set[asyncio.Task[None]] = set()
        self._poller: asyncio.Task[None] | None = None
        self._accepting = False

    def add_routes(self, app: web.Application) -> None:
        """Mount the webhook route (webhook mode only; polling needs no route)."""
        if self._webhook is not None:
            app.router.add_post(self._webhook.path, self._receive)

    async def start(self) -> None:
        """Start receiving updates and publish the command menu."""
        await self._backend.start()
        if self._webhook is None:
            await self._backend.start_polling()
            self._poller = asyncio.create_task(self._poll())
            log.info("telegram: long polling (one process per token)")
        else:
            await self._backend.start_webhook(
                self._webhook.url, self._webhook.secret, ALLOWED_UPDATES
            )
            log.info("telegram: webhook on %s", self._webhook.path)
        self._accepting = True
        try:
            await self._backend.set_commands(list(T.TELEGRAM_COMMANDS.items()))
        except DeliveryError as error:
            log.warning("telegram: command menu not set: %s", error)

    async def stop(self) -> None:
        """Stop receiving (what was stored stays for the next start), then close the session."""
        self._accepting = False
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        try:
            async with asyncio.timeout(STOP_GRACE_SECONDS):
                await asyncio.gather(*self._side_tasks, return_exceptions=True)
        except TimeoutError:
            log.warning("telegram: stopping with button presses still unanswered")
        await self._backend.close()

    async def send(
        self, user_id: str, replies: Sequence[Reply], outbox_id: int | None = None
    ) -> None:
        """Deliver messages; a 429, a 403 or a network error surfaces as :class:`DeliveryError`.

        The first message after a person shared their contact also removes the
        contact keyboard.
        """
        try:
            chat_id = int(user_id)
        except ValueError:
            raise DeliveryError("not a Telegram user id", permanent=True) from None
        remove = chat_id in self._contact_keyboards
        for message in render(replies, remove_reply_keyboard=remove):
            async with self.pace.slot():
                await self._backend.send(chat_id, message)
        self._contact_keyboards.discard(chat_id)

    # --- receiving ------------------------------------------------------------------------

    async def _receive(self, request: web.Request) -> web.Response:
        """The webhook: check the secret, store the update, then answer.

        403 for a missing or wrong secret, compared as raw bytes before anything else is
        read, so no header (not even one that is not UTF-8) gets past it or breaks it.
        400 for a body that is not a JSON object with an integer ``update_id``: Telegram
        never sends one, so only a misconfigured proxy could, and it should hear so. The
        body is read as UTF-8 whatever charset the header names (JSON is UTF-8). 200 once
        the update is in the inbox (or is one the bot ignores); 503 while stopping, so
        Telegram delivers it again later.
        """
        assert self._webhook is not None
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self._webhook.secret.encode()):
            log.warning("telegram: webhook request with a wrong or missing secret refused")
            return web.Response(status=403, text="Forbidden")
        if not self._accepting:
            return web.Response(status=503, text="Not running")
        try:
            update = json.loads(await request.read())
        except (ValueError, RecursionError):
            return web.Response(status=400, text="Not JSON")
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400, text="Not an update")
        await self._mailroom.accept(self._arrivals([update]))
        return web.Response(text="OK")

    async def _poll(self) -> None:
        """Long polling: fetch, store, and only then confirm (the next offset)."""
        offset: int | None = None
        while True:
            try:
                updates = await self._backend.get_updates(
                    offset, POLL_TIMEOUT_SECONDS, ALLOWED_UPDATES
                )
                await self._mailroom.accept(self._arrivals(updates))
            except PollConflictError:
                log.error(
                    "telegram: another process is long-polling this bot token, so this one "
                    "stopped polling. Run one `python -m bot run` per token in polling mode, "
                    "or set TELEGRAM_WEBHOOK_URL to run several behind a load balancer."
                )
                return
            except DeliveryError as error:
                log.warning("telegram: getUpdates failed (%s); trying again shortly", error)
                await asyncio.sleep(POLL_RETRY_SECONDS)
                continue
            ids = [u["update_id"] for u in updates if isinstance(u.get("update_id"), int)]
            if ids:
                offset = max(ids) + 1

    def _arrivals(self, updates: Sequence[Mapping[str, Any]]) -> list[Arrival]:
        """What of these updates goes to the inbox; a press is answered on the spot."""
        arrivals = []
        for update in updates:
            received = parse_update(update)
            if received.update_id is not None and not self._recent.first_time(received.update_id):
                log.info("telegram: update %s delivered again", received.update_id)
            elif received.callback_query_id is not None:
                self._spawn(self._answer_press(received))
            if received.chat_id is None or received.update_id is None:
                continue
            if received.contact_shared:
                self._contact_keyboards.add(received.chat_id)
            if received.inbound is not None:
                lane = Lane(CHANNEL, received.inbound.user_id)
                arrivals.append(
                    Arrival(lane, received.inbound.message_id, received.update_id, received.inbound)
                )
            elif received.notice is not None:
                lane = Lane(CHANNEL, str(received.chat_id))
                external = f"update:{received.update_id}"
                notice = received.notice
                arrivals.append(Arrival(lane, external, received.update_id, notice=notice))
        return arrivals

    async def _answer_press(self, received: Received) -> None:
        """Stop the button's spinner and remove the pressed message's buttons, at once."""
        assert received.callback_query_id is not None
        try:
            await self._backend.answer_press(received.callback_query_id)
        except DeliveryError as error:
            log.info("telegram: button press not answered: %s", error)
        if received.chat_id is None or received.pressed_message_id is None:
            return
        try:
            await self._backend.clear_buttons(received.chat_id, received.pressed_message_id)
        except DeliveryError as error:
            log.info("telegram: buttons not removed: %s", error)

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._side_tasks.add(task)
        task.add_done_callback(self._side_tasks.discard)


class _RecentIds:
    """The last ``size`` update ids, to skip a redelivery without touching the database."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._order: deque[int] = deque()
        self._seen: set[int] = set()

    def first_time(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._size:
            self._seen.discard(self._order.popleft())
        return True

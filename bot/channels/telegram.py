"""The Telegram channel: one behaviour, on python-telegram-bot or aiogram.

``TELEGRAM_LIBRARY`` picks the library (``ptb``, the default, or ``aiogram``). Each library
module is a thin backend: it receives updates (long polling, or the webhook handed to it
here), and performs Bot API calls, mapping the library's errors to
:class:`~handlers.delivery.DeliveryError`. Everything that decides what the bot does lives
in this module and in :mod:`bot.channels.telegram_format`, so both libraries behave the same.

Receiving: long polling unless ``TELEGRAM_WEBHOOK_URL`` is set. Only one process may
long-poll a token (Telegram answers a second one with 409 Conflict and the two steal each
other's updates), so run exactly one ``python -m bot run`` per token in polling mode; to run
several workers, use the webhook behind a load balancer. In webhook mode the route is
mounted on the shared web server (path taken from the URL) and checks Telegram's secret
token header; a missing or wrong secret gets 403, whichever library is in use.

Ordering and duplicates: updates of one chat are handled one at a time, in arrival order,
from the core call to the last reply sent, so replies never overtake each other (not even
while waiting out a 429). Different chats proceed in parallel. Telegram redelivers a webhook
update it thinks was not received: the inbound message id is derived from the Telegram
message (``"{chat_id}:{message_id}"``) or button press (``"cb:{callback_query_id}"``), never
from the delivery, so the core's database dedupe sees a redelivery as the same message even
after a restart; a short in-memory list of update ids also spares the Bot API calls of a
redelivery (a second answer to a button press, a second keyboard removal).

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
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

from aiohttp import web

from bot.channels import words as T
from bot.channels.base import Core, PerUserQueue, Registration
from bot.channels.telegram_format import (
    ALLOWED_UPDATES,
    CHANNEL,
    Outgoing,
    Received,
    parse_update,
    render,
)
from bot.config import Settings
from conversations import Reply
from handlers.channels import ChannelInfo, Limit
from handlers.delivery import DeliveryError
from handlers.reminders.pacing import Pace

log = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
SECRET_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""What Telegram accepts as a webhook secret token."""
RECENT_UPDATES: Final = 10_000
"""Update ids remembered against redelivery; Telegram redelivers within minutes, not days."""
STOP_GRACE_SECONDS: Final = 10.0
"""How long ``stop`` waits for updates already being handled before closing the session."""

INFO: Final = ChannelInfo(CHANNEL, Limit(per_second=30, per_chat_seconds=1.0))
"""Telegram's broadcast limit (about 30 messages a second per bot, about one a second per
chat); it reaches only people who started the bot (a linked account), with no message window."""

UpdateHandler = Callable[[Mapping[str, Any]], Awaitable[None]]


class Backend(Protocol):
    """What a library module provides: receiving updates and making Bot API calls.

    Every update, polled or fed from the webhook, goes to the ``UpdateHandler`` the backend
    was built with, as Bot API JSON. Sending methods raise :class:`DeliveryError`.
    """

    async def start_polling(self, allowed_updates: Sequence[str]) -> None: ...

    async def start_webhook(self, url: str, secret: str, allowed_updates: Sequence[str]) -> None:
        """Register the webhook with Telegram, ready for :meth:`feed`."""

    async def feed(self, update: dict[str, Any]) -> None:
        """Hand a webhook update to the library without waiting for it to be handled.

        Raises whatever the library's parser raises for a body it cannot read.
        """

    async def stop_receiving(self) -> None: ...

    async def close(self) -> None: ...

    async def set_commands(self, commands: Sequence[tuple[str, str]]) -> None: ...

    async def send(self, chat_id: int, message: Outgoing) -> None: ...

    async def answer_press(self, callback_query_id: str) -> None: ...

    async def clear_buttons(self, chat_id: int, message_id: int) -> None: ...


BackendFactory = Callable[[str, str | None, UpdateHandler], Backend]
"""``(token, api_base_url, handler) -> Backend``: the constructor of a library's backend."""


@dataclass(frozen=True, slots=True)
class Webhook:
    """Webhook mode: the public URL, the path it reaches on our server, the shared secret."""

    url: str
    path: str
    secret: str


def build_telegram(settings: Settings, core: Core, pace: Pace | None = None) -> TelegramChannel:
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
    return TelegramChannel(settings, core, backend, pace=pace)


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
    """The Telegram adapter: updates in, core in a worker thread, replies out."""

    name = CHANNEL

    def __init__(
        self,
        settings: Settings,
        core: Core,
        backend: BackendFactory,
        *,
        pace: Pace | None = None,
    ) -> None:
        """``pace``: the bot's sending slots (from the registry); one of its own by default."""
        token = bot_token(settings)
        self.pace = pace or Pace(REGISTRATION.effective(settings))
        self._webhook = webhook_from(settings)
        self._backend = backend(token, settings.telegram_api_base_url, self._on_update)
        self._queue = PerUserQueue(core)
        self._chats = _ChatTurns()
        self._recent = _RecentIds(RECENT_UPDATES)
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._side_tasks: set[asyncio.Task[None]] = set()
        self._accepting = False

    def add_routes(self, app: web.Application) -> None:
        """Mount the webhook route (webhook mode only; polling needs no route)."""
        if self._webhook is not None:
            app.router.add_post(self._webhook.path, self._receive)

    async def start(self) -> None:
        """Start receiving updates and publish the command menu."""
        self._accepting = True
        try:
            if self._webhook is None:
                await self._backend.start_polling(ALLOWED_UPDATES)
                log.info("telegram: long polling (one process per token)")
            else:
                await self._backend.start_webhook(
                    self._webhook.url, self._webhook.secret, ALLOWED_UPDATES
                )
                log.info("telegram: webhook on %s", self._webhook.path)
        except BaseException:
            self._accepting = False
            raise
        try:
            await self._backend.set_commands(list(T.TELEGRAM_COMMANDS.items()))
        except DeliveryError as error:
            log.warning("telegram: command menu not set: %s", error)

    async def stop(self) -> None:
        """Stop receiving, let updates in hand finish (briefly), then close the session."""
        self._accepting = False
        await self._backend.stop_receiving()
        try:
            async with asyncio.timeout(STOP_GRACE_SECONDS):
                await self._idle.wait()
        except TimeoutError:
            log.warning("telegram: stopping with %d update(s) still in hand", self._busy)
        await asyncio.gather(*self._side_tasks, return_exceptions=True)
        await self._backend.close()

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        """Deliver proactive messages; 429 and 403 surface as :class:`DeliveryError`."""
        try:
            chat_id = int(user_id)
        except ValueError:
            raise DeliveryError("not a Telegram user id", permanent=True) from None
        for message in render(replies):
            await self._send_paced(chat_id, message)

    async def _send_paced(self, chat_id: int, message: Outgoing) -> None:
        """One Bot API message, holding one of the bot's sending slots while it is sent."""
        async with self.pace.slot():
            await self._backend.send(chat_id, message)

    # --- receiving ------------------------------------------------------------------------

    async def _receive(self, request: web.Request) -> web.Response:
        """The webhook: check the secret, hand the update over, answer at once.

        403 for a missing or wrong secret, compared as raw bytes before anything else is
        read, so no header (not even one that is not UTF-8) gets past it or breaks it.
        400 for a body that is not a JSON object with an integer ``update_id``: Telegram
        never sends one, so only a misconfigured proxy could, and it should hear so. The
        body is read as UTF-8 whatever charset the header names (JSON is UTF-8). 200 for
        an update the library cannot read: Telegram would re-deliver it again and again
        and it would never become readable, so it is dropped with a warning.
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
        try:
            await self._backend.feed(update)
        except Exception as error:  # the library's parser fails in its own ways on odd input
            log.warning(
                "telegram: update %s dropped, not readable: %s",
                update["update_id"],
                type(error).__name__,
            )
        return web.Response(text="OK")

    async def _on_update(self, update: Mapping[str, Any]) -> None:
        """Every update from either library, polled or from the webhook, comes here."""
        received = parse_update(update)
        if received.update_id is not None and not self._recent.first_time(received.update_id):
            log.info("telegram: update %s delivered again, ignored", received.update_id)
            return
        if received.callback_query_id is not None:
            self._spawn(self._answer_press(received.callback_query_id))
        if received.chat_id is None:
            return
        self._busy += 1
        self._idle.clear()
        try:
            async with self._chats.turn(received.chat_id):
                await self._handle(received.chat_id, received)
        except Exception:
            log.exception("telegram: update %s failed", received.update_id)
        finally:
            self._busy -= 1
            if self._busy == 0:
                self._idle.set()

    async def _handle(self, chat_id: int, received: Received) -> None:
        if received.pressed_message_id is not None:
            await self._clear_buttons(chat_id, received.pressed_message_id)
        if received.inbound is not None:
            replies = await self._queue.handle(received.inbound)
        elif received.notice is not None:
            replies = [received.notice]
        else:
            return
        for message in render(replies, remove_reply_keyboard=received.contact_shared):
            try:
                await self._send_waiting_out_flood(chat_id, message)
            except DeliveryError as error:
                log.warning("telegram: reply to update %s lost: %s", received.update_id, error)
                return

    async def _send_waiting_out_flood(self, chat_id: int, message: Outgoing) -> None:
        """Send; on 429 wait as long as Telegram asks and try once more.

        A reply in a conversation has nowhere else to go (unlike reminders, which the
        outbox retries), and the user is waiting for it.
        """
        try:
            await self._send_paced(chat_id, message)
        except DeliveryError as error:
            if error.permanent or error.retry_after is None:
                raise
            await asyncio.sleep(error.retry_after)
            await self._send_paced(chat_id, message)

    async def _answer_press(self, callback_query_id: str) -> None:
        """Stop the button's spinner at once, whatever the queue of this chat looks like."""
        try:
            await self._backend.answer_press(callback_query_id)
        except DeliveryError as error:
            log.info("telegram: button press not answered: %s", error)

    async def _clear_buttons(self, chat_id: int, message_id: int) -> None:
        """Remove the pressed message's buttons so the same question cannot be answered twice."""
        try:
            await self._backend.clear_buttons(chat_id, message_id)
        except DeliveryError as error:
            log.info("telegram: buttons not removed: %s", error)

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._side_tasks.add(task)
        task.add_done_callback(self._side_tasks.discard)


class _ChatTurns:
    """One turn at a time per chat, in arrival order (``asyncio.Lock`` wakes waiters FIFO).

    The :class:`PerUserQueue` orders core calls only; this also keeps the sending of the
    replies in order, so a reply held up by flood control is not overtaken by the next one.
    """

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}

    @contextlib.asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._holders[chat_id] = self._holders.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[chat_id] -= 1
            if self._holders[chat_id] == 0:
                del self._holders[chat_id]
                del self._locks[chat_id]


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

"""The WhatsApp channel (Cloud API): webhook routes, the persist-first inbox, sending.

Receiving: ``POST /whatsapp/webhook`` checks Meta's signature over the raw
body, has every message stored in the inbox (unique by message id) and only
then answers 200, so Meta's re-deliveries add nothing and a crash after the
answer loses nothing. Processing runs in the background, one lane per sender
so a person's messages are answered in the order they came; a sweep at
start-up and every ``WHATSAPP_INBOX_RETRY_SECONDS`` takes up whatever was left
unfinished (a failed send, a crash, a core error). What the inbox does with a
message (claim, the core's answer, retries, purging) is
``handlers.inbox.whatsapp``; this module translates and sends.

Sending: free-form messages only inside the 24-hour customer-service window
(counted from the person's last message); outside it, or when Meta answers
131047 (at once or later in a status webhook), the text goes out as the
approved template ``WHATSAPP_TEMPLATE_NAME`` with the text as its one body
parameter. Logs never carry a full phone number, a message text or the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from aiohttp import web

from bot.channels import words as T
from bot.channels.base import Core, PerUserQueue, Registration
from bot.channels.whatsapp_client import WINDOW_CLOSED, GraphClient, GraphError
from bot.channels.whatsapp_payload import (
    CHANNEL,
    parse_message,
    parse_webhook,
    render_reply,
    render_template,
    signature_valid,
    template_text,
)
from bot.config import Settings
from bot.wiring import open_database
from conversations import Reply
from conversations.phone import mask_phone
from handlers.channels import ChannelInfo, Limit
from handlers.delivery import OUTBOX_ID, DeliveryError
from handlers.inbox.whatsapp import Arrival, Fallback, InboxWorker, Job
from handlers.reminders.pacing import Pace

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
WINDOW = timedelta(hours=24)
STOP_TIMEOUT = 10.0

INFO = ChannelInfo(
    CHANNEL,
    Limit(per_second=80, per_chat_seconds=6.0),
    reaches_phones=True,
    template_window=WINDOW,
)
"""The Cloud API's default throughput per number, and about one message per 6 s to one person
(the pair rate limit); any roster phone can be messaged unasked, by template outside the
24-hour window."""

R = TypeVar("R")


def build_whatsapp(settings: Settings, core: Core, pace: Pace | None = None) -> WhatsAppChannel:
    """The channel for ``python -m bot run``, on its own connection pool to the database."""
    inbox = InboxWorker(open_database(settings, upgrade=False))
    return WhatsAppChannel(settings, core, inbox, pace=pace)


def phone_number_id(settings: Settings) -> str:
    if settings.whatsapp_phone_number_id is None:
        raise ValueError("WHATSAPP_PHONE_NUMBER_ID is not set")
    return settings.whatsapp_phone_number_id


REGISTRATION = Registration(
    INFO,
    configured=lambda settings: settings.whatsapp_enabled,
    account=phone_number_id,
    build=build_whatsapp,
    rate=lambda settings: settings.whatsapp_rate_per_second,
)


class WhatsAppChannel:
    """The WhatsApp adapter: translates webhooks to the core and replies to Cloud API sends."""

    name = CHANNEL

    def __init__(
        self,
        settings: Settings,
        core: Core,
        inbox: InboxWorker,
        *,
        pace: Pace | None = None,
        client: GraphClient | None = None,
    ) -> None:
        """``inbox`` keeps and processes the messages; its clock is the channel's.

        ``pace``: the number's sending slots (from the registry), one of its own by default;
        a ``client`` given here must hold the same pace.
        """
        secret = settings.whatsapp_app_secret
        verify_token = settings.whatsapp_verify_token
        phone_number_id = settings.whatsapp_phone_number_id
        if secret is None or verify_token is None or phone_number_id is None:
            raise ValueError(
                "WhatsApp needs WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET and "
                "WHATSAPP_VERIFY_TOKEN"
            )
        self._settings = settings
        self.pace = pace or Pace(REGISTRATION.effective(settings))
        self._app_secret = secret.get_secret_value()
        self._verify_token = verify_token.get_secret_value()
        self._phone_number_id = phone_number_id
        self._queue = PerUserQueue(core)
        self._inbox = inbox
        self._clock = inbox.clock
        self._client = client
        self._lanes = _Lanes()
        self._sweeper: asyncio.Task[None] | None = None
        self._running = False

    # ------------------------------------------------------------------ lifecycle

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(WEBHOOK_PATH, self._verify)
        app.router.add_post(WEBHOOK_PATH, self._receive)

    async def start(self) -> None:
        """Open the Graph connection pool and start the inbox sweep (which recovers leftovers)."""
        if self._client is None:
            self._client = GraphClient.from_settings(self._settings, self.pace)
        self._running = True
        self._sweeper = asyncio.create_task(self._sweep_forever())

    async def stop(self) -> None:
        """Refuse new webhooks (Meta re-delivers them), finish what runs, close the pool."""
        self._running = False
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        try:
            await asyncio.wait_for(self.idle(), STOP_TIMEOUT)
        except TimeoutError:
            log.warning("whatsapp: unfinished work left for the next start")
            await self._lanes.cancel()
        if self._client is not None:
            await self._client.aclose()

    async def idle(self) -> None:
        """Wait until every message handed to the background so far is processed and sent."""
        await self._lanes.join()

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None:
        """Deliver a proactive message; free-form inside the 24-hour window, else the template.

        The outbox row being delivered (``OUTBOX_ID``, set by the dispatcher)
        is linked to the sent messages, so later delivery statuses (a failure,
        with its code) are recorded on it. Raises :class:`DeliveryError` when
        WhatsApp refuses the message.
        """
        outbox_id = OUTBOX_ID.get()
        last_inbound = await self._inbox.last_inbound_at(user_id)
        job = partial(self._deliver, user_id, list(replies), last_inbound, outbox_id)
        await self._lanes.submit(user_id, job)

    # ------------------------------------------------------------------ webhook

    async def _verify(self, request: web.Request) -> web.Response:
        """Meta's subscription handshake: echo the challenge if the verify token matches."""
        query = request.query
        token = query.get("hub.verify_token", "").encode()
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(
            token, self._verify_token.encode()
        ):
            return web.Response(text=query.get("hub.challenge", ""))
        log.warning("whatsapp webhook verification refused")
        return web.Response(status=403)

    async def _receive(self, request: web.Request) -> web.Response:
        """Authenticate, store, acknowledge; processing happens after the 200.

        403 without a valid signature; 400 for a signed body that is not JSON (or
        nested too deep to read), which Meta never sends. Any JSON is answered 200:
        what :func:`parse_webhook` does not recognise is skipped, since refusing the
        whole body would only make Meta re-deliver it for days. The charset in the
        content type is ignored: the signature covers the bytes, and JSON is UTF-8.
        """
        body = await request.read()
        if not signature_valid(body, request.headers.get(SIGNATURE_HEADER), self._app_secret):
            log.warning("whatsapp webhook with a missing or wrong signature refused")
            return web.Response(status=403)
        if not self._running:
            return web.Response(status=503)
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            return web.Response(status=400)
        webhook = parse_webhook(payload, self._phone_number_id)
        arrivals = [
            Arrival(message.inbound.message_id, message.inbound.user_id, message.raw)
            for message in webhook.messages
        ]
        senders, fallbacks = await self._inbox.keep(arrivals, webhook.statuses)
        for sender in senders:
            self._lanes.spawn(sender, partial(self._drain, sender))
        for fallback in fallbacks:
            self._lanes.spawn(fallback.recipient, partial(self._send_fallback, fallback))
        return web.Response(text="OK")

    # ------------------------------------------------------------------ processing

    async def _sweep_forever(self) -> None:
        """Every few seconds, queue the senders whose messages wait (after a crash or a failure).

        The inbox purges what is past its retention as part of the sweep.
        """
        retention = timedelta(days=self._settings.whatsapp_inbox_retention_days)
        while True:
            try:
                for sender in await self._inbox.sweep(retention):
                    self._lanes.spawn(sender, partial(self._drain, sender))
            except Exception:
                log.exception("whatsapp inbox sweep failed")
            await asyncio.sleep(self._settings.whatsapp_inbox_retry_seconds)

    async def _drain(self, sender: str) -> None:
        """Answer the sender's waiting messages oldest first; stop at one that must wait."""
        while (job := await self._inbox.claim(sender, self._answer)) is not None:
            if not await self._send_replies(job):
                return

    async def _answer(self, payload: dict[str, Any]) -> list[Reply]:
        """The core's replies, or the polite "text only, please" for kinds the bot cannot read."""
        message = parse_message(payload)
        if message is None or not message.supported:
            return [Reply(T.WA_UNSUPPORTED)]
        return await self._queue.handle(message.inbound)

    async def _send_replies(self, job: Job) -> bool:
        """Send the replies not yet sent; True to go on with the sender's next message."""
        for index in range(job.sent_count, len(job.replies)):
            try:
                await self._deliver(job.sender, job.replies[index : index + 1], job.received_at)
            except DeliveryError as error:
                log.warning("whatsapp: reply to %s not sent: %s", mask_phone(job.sender), error)
                if error.permanent:
                    await self._inbox.give_up(job, index, str(error))
                    return True
                await self._inbox.retry_later(job, index, str(error), error.retry_after)
                return False
        await self._inbox.finish(job)
        return True

    # ------------------------------------------------------------------ sending

    async def _deliver(
        self,
        to: str,
        replies: Sequence[Reply],
        window_start: datetime | None,
        outbox_id: int | None = None,
    ) -> None:
        """Send replies free-form while the window is open, else (or once refused) as template."""
        if window_start is None or self._clock() - window_start >= WINDOW:
            await self._send_template(to, replies, outbox_id)
            return
        for index, reply in enumerate(replies):
            try:
                await self._send_free_form(to, reply, outbox_id)
            except GraphError as error:
                if error.code != WINDOW_CLOSED:
                    raise
                log.info("whatsapp window closed for %s: sending the template", mask_phone(to))
                await self._send_template(to, replies[index:], outbox_id)
                return

    async def _send_free_form(self, to: str, reply: Reply, outbox_id: int | None) -> None:
        client = self._require_client()
        media_id = None
        if reply.attachment is not None:
            attachment = reply.attachment
            media_id = await client.upload_media(
                attachment.filename, attachment.content, attachment.mime_type
            )
        fallback: str | None = template_text([reply])
        for body in render_reply(to, reply, media_id):
            wamid = await client.send_message(body)
            await self._inbox.record_sent(
                wamid, to, body["type"], outbox_id=outbox_id, fallback_text=fallback
            )
            fallback = None  # one template stands for the whole reply

    async def _send_template(
        self, to: str, replies: Sequence[Reply], outbox_id: int | None
    ) -> None:
        files = sum(reply.attachment is not None for reply in replies)
        if files:
            log.warning("whatsapp: %d file(s) not sent outside the 24-hour window", files)
        await self._send_template_text(to, template_text(replies), outbox_id)

    async def _send_template_text(self, to: str, text: str, outbox_id: int | None) -> None:
        settings = self._settings
        body = render_template(
            to, settings.whatsapp_template_name, settings.whatsapp_template_language, text
        )
        wamid = await self._require_client().send_message(body)
        await self._inbox.record_sent(wamid, to, "template", outbox_id=outbox_id)

    async def _send_fallback(self, fallback: Fallback) -> None:
        """A status webhook said the window was closed: send the same text as the template."""
        try:
            await self._send_template_text(fallback.recipient, fallback.text, fallback.outbox_id)
        except DeliveryError as error:
            log.warning(
                "whatsapp: template to %s failed: %s", mask_phone(fallback.recipient), error
            )
            if fallback.outbox_id is not None:
                await self._inbox.mark_outbox_failed(fallback.outbox_id, str(error))

    def _require_client(self) -> GraphClient:
        if self._client is None:
            raise RuntimeError("the WhatsApp channel is not started")
        return self._client


class _Lanes:
    """Background jobs chained per key: a job starts only after the previous one of its key.

    Different senders run concurrently; one sender's messages, replies and
    proactive sends never overtake each other.
    """

    def __init__(self) -> None:
        self._tails: dict[str, asyncio.Task[Any]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    def submit(self, key: str, job: Callable[[], Awaitable[R]]) -> asyncio.Task[R]:
        """Queue ``job`` behind ``key``'s earlier jobs; await the task for its result."""
        task = asyncio.create_task(self._after(self._tails.get(key), job))
        self._tails[key] = task
        self._tasks.add(task)
        task.add_done_callback(partial(self._done, key))
        return task

    def spawn(self, key: str, job: Callable[[], Awaitable[None]]) -> None:
        """Queue ``job`` that nobody awaits: its failure is logged (the inbox keeps the work)."""
        self.submit(key, job).add_done_callback(_log_failure)

    async def join(self) -> None:
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def cancel(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @staticmethod
    async def _after(previous: asyncio.Task[Any] | None, job: Callable[[], Awaitable[R]]) -> R:
        if previous is not None:
            await asyncio.wait({previous})
        return await job()

    def _done(self, key: str, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if self._tails.get(key) is task:
            del self._tails[key]


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("whatsapp background job failed", exc_info=task.exception())

"""The WhatsApp channel (Cloud API): webhook routes, the persist-first inbox, sending.

Receiving: ``POST /whatsapp/webhook`` checks Meta's signature over the raw
body, stores every message in the inbox (unique by message id) and only then
answers 200, so Meta's re-deliveries add nothing and a crash after the answer
loses nothing. Processing runs in the background, one lane per sender so a
person's messages are answered in the order they came; a sweep at start-up
and every ``WHATSAPP_INBOX_RETRY_SECONDS`` takes up whatever was left
unfinished (a failed send, a crash, a core error).

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
from sqlmodel import Session

from bot.channels.base import Core, PerUserQueue
from bot.channels.whatsapp_client import WINDOW_CLOSED, GraphClient, GraphError
from bot.channels.whatsapp_payload import (
    IncomingMessage,
    Webhook,
    parse_message,
    parse_webhook,
    render_reply,
    render_template,
    replies_from_data,
    replies_to_data,
    signature_valid,
    template_text,
)
from bot.config import Settings
from bot.wiring import open_database
from conversations import Reply
from conversations import catalogue as T
from handlers import utc_now
from handlers.delivery import OUTBOX_ID, DeliveryError
from storage import Database
from storage import whatsapp as store
from storage.models_whatsapp import WhatsAppInbox
from storage.phone import mask_phone

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
WINDOW = timedelta(hours=24)
# Long enough for one message's replies with the client's retries; a worker
# that died holding a lease only delays the retry by this much.
LEASE = timedelta(minutes=2)
MAX_INBOX_ATTEMPTS = 8
INBOX_RETRY_BASE = timedelta(seconds=5)
INBOX_RETRY_CAP = timedelta(minutes=10)
STOP_TIMEOUT = 10.0
PURGE_INTERVAL = timedelta(hours=1)

R = TypeVar("R")


def build_whatsapp(settings: Settings, core: Core) -> WhatsAppChannel:
    """The channel for ``python -m bot run``, on its own connection pool to the database."""
    return WhatsAppChannel(settings, core, open_database(settings, upgrade=False))


class WhatsAppChannel:
    """The WhatsApp adapter: translates webhooks to the core and replies to Cloud API sends."""

    name = store.CHANNEL

    def __init__(
        self,
        settings: Settings,
        core: Core,
        database: Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        client: GraphClient | None = None,
    ) -> None:
        secret = settings.whatsapp_app_secret
        verify_token = settings.whatsapp_verify_token
        phone_number_id = settings.whatsapp_phone_number_id
        if secret is None or verify_token is None or phone_number_id is None:
            raise ValueError(
                "WhatsApp needs WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET and "
                "WHATSAPP_VERIFY_TOKEN"
            )
        self._settings = settings
        self._app_secret = secret.get_secret_value()
        self._verify_token = verify_token.get_secret_value()
        self._phone_number_id = phone_number_id
        self._queue = PerUserQueue(core)
        self._db = database
        self._clock = clock
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
            self._client = GraphClient.from_settings(self._settings)
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
        last_inbound = await self._run(store.last_inbound_at, user_id)
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
        senders, fallbacks = await self._run(self._store, webhook)
        for sender in senders:
            self._lanes.spawn(sender, partial(self._drain, sender))
        for fallback in fallbacks:
            self._lanes.spawn(fallback.recipient, partial(self._send_fallback, fallback))
        return web.Response(text="OK")

    def _store(self, session: Session, webhook: Webhook) -> tuple[list[str], list[store.Fallback]]:
        """New messages into the inbox, statuses onto sent messages; one transaction."""
        now = self._clock()
        senders: list[str] = []
        for message in webhook.messages:
            inbound = message.inbound
            is_new = store.store_inbound(
                session, inbound.message_id, inbound.user_id, message.raw, now
            )
            if is_new and inbound.user_id not in senders:
                senders.append(inbound.user_id)
        fallbacks = []
        for status in webhook.statuses:
            fallback = store.record_status(
                session,
                status.message_id,
                status.status,
                status.error_code,
                now,
                window_closed=status.error_code == WINDOW_CLOSED,
            )
            if fallback is not None:
                fallbacks.append(fallback)
        return senders, fallbacks

    # ------------------------------------------------------------------ processing

    async def _sweep_forever(self) -> None:
        """Every few seconds, queue the senders whose messages wait (after a crash or a failure).

        Hourly (and at start-up) it also purges what is past its retention.
        """
        purged_at: datetime | None = None
        while True:
            try:
                now = self._clock()
                if purged_at is None or now - purged_at >= PURGE_INTERVAL:
                    await self._purge(now)
                    purged_at = now
                for sender in await self._run(store.due_senders, now):
                    self._lanes.spawn(sender, partial(self._drain, sender))
            except Exception:
                log.exception("whatsapp inbox sweep failed")
            await asyncio.sleep(self._settings.whatsapp_inbox_retry_seconds)

    async def _purge(self, now: datetime) -> None:
        retention = timedelta(days=self._settings.whatsapp_inbox_retention_days)
        purged = await self._run(store.purge_finished, now - retention)
        if purged:
            log.info("whatsapp: %d message record(s) past their retention deleted", purged)

    async def _drain(self, sender: str) -> None:
        """Process the sender's waiting messages oldest first; stop at one that must wait."""
        while True:
            row = await self._run(store.claim_next, sender, self._clock(), LEASE)
            if row is None or not await self._process(row):
                return

    async def _process(self, row: WhatsAppInbox) -> bool:
        """Answer one stored message and send the answer; True to go on with the next one."""
        if row.replies is None:
            try:
                replies = await self._answer(parse_message(row.payload))
            except Exception:
                log.exception("whatsapp: processing inbox row %s failed", row.id)
                await self._retry_later(row, row.sent_count, "processing failed", None)
                return False
            await self._run(store.save_replies, row, replies_to_data(replies))
        else:
            replies = replies_from_data(row.replies)
        for index in range(row.sent_count, len(replies)):
            try:
                await self._deliver(row.sender, replies[index : index + 1], row.stored_at)
            except DeliveryError as error:
                log.warning("whatsapp: reply to %s not sent: %s", mask_phone(row.sender), error)
                if error.permanent:
                    await self._give_up(row, index, str(error))
                    return True
                await self._retry_later(row, index, str(error), error.retry_after)
                return False
        await self._run(store.finish, row, self._clock())
        return True

    async def _answer(self, message: IncomingMessage | None) -> list[Reply]:
        """The core's replies, or the polite "text only, please" for kinds the bot cannot read."""
        if message is None or not message.supported:
            return [Reply(T.WA_UNSUPPORTED)]
        return await self._queue.handle(message.inbound)

    async def _retry_later(
        self, row: WhatsAppInbox, sent_count: int, error: str, retry_after: float | None
    ) -> None:
        """Back off exponentially; after ``MAX_INBOX_ATTEMPTS`` give the message up."""
        if row.attempts >= MAX_INBOX_ATTEMPTS:
            await self._give_up(row, sent_count, error)
            return
        now = self._clock()
        delay = min(INBOX_RETRY_CAP, INBOX_RETRY_BASE * 2 ** (row.attempts - 1))
        retry_at = now + max(delay, timedelta(seconds=retry_after or 0))
        await self._run(
            store.release, row, sent_count=sent_count, error=error, retry_at=retry_at, now=now
        )

    async def _give_up(self, row: WhatsAppInbox, sent_count: int, error: str) -> None:
        now = self._clock()
        await self._run(
            store.release, row, sent_count=sent_count, error=error, retry_at=None, now=now
        )

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
            await self._run(
                store.record_sent,
                wamid,
                to,
                body["type"],
                self._clock(),
                outbox_id=outbox_id,
                fallback_text=fallback,
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
        await self._run(
            store.record_sent, wamid, to, "template", self._clock(), outbox_id=outbox_id
        )

    async def _send_fallback(self, fallback: store.Fallback) -> None:
        """A status webhook said the window was closed: send the same text as the template."""
        try:
            await self._send_template_text(fallback.recipient, fallback.text, fallback.outbox_id)
        except DeliveryError as error:
            log.warning(
                "whatsapp: template to %s failed: %s", mask_phone(fallback.recipient), error
            )
            if fallback.outbox_id is not None:
                await self._run(store.mark_outbox_failed, fallback.outbox_id, str(error))

    def _require_client(self) -> GraphClient:
        if self._client is None:
            raise RuntimeError("the WhatsApp channel is not started")
        return self._client

    async def _run(self, function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """Run a storage function in one transaction, in a worker thread (the DB is synchronous)."""

        def in_transaction() -> R:
            with self._db.transaction() as session:
                return function(session, *args, **kwargs)

        return await asyncio.to_thread(in_transaction)


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

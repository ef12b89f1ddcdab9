"""The WhatsApp channel (Cloud API): translating webhooks and sends, the 24-hour window.

Receiving: ``POST /whatsapp/webhook`` checks Meta's signature over the raw
body, has every message stored in the shared inbox (each in its own
transaction, unique by message id, ordered by WhatsApp's ``timestamp``) and
only then answers 200, so Meta's re-deliveries add nothing and a crash after
the answer loses nothing. What happens next (answering in order, sending the
replies, retrying, purging) is the mailroom's (``handlers.mailroom``).

Sending: free-form messages only inside the 24-hour customer-service window
(counted from the person's last message); outside it, or when Meta answers
131047 (at once or later in a status webhook), the text goes out as the
approved template ``WHATSAPP_TEMPLATE_NAME`` with the text as its one body
parameter. Logs never carry a full phone number, a message text or the token.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from aiohttp import web

from bot.channels import words as T
from bot.channels.base import Registration
from bot.channels.whatsapp_client import WINDOW_CLOSED, GraphClient, GraphError
from bot.channels.whatsapp_payload import (
    CHANNEL,
    parse_webhook,
    render_reply,
    render_template,
    signature_valid,
    template_text,
)
from bot.config import Settings
from conversations import Reply
from conversations.phone import mask_phone
from handlers.channels import ChannelInfo, Limit
from handlers.delivery import DeliveryError
from handlers.mailroom import Arrival, Lane, Mailroom
from handlers.reminders.pacing import Pace
from handlers.whatsapp_records import Fallback, SentRecords

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
WINDOW = timedelta(hours=24)

INFO = ChannelInfo(
    CHANNEL,
    Limit(per_second=80, per_chat_seconds=6.0),
    reaches_phones=True,
    template_window=WINDOW,
)
"""The Cloud API's default throughput per number, and about one message per 6 s to one person
(the pair rate limit); any roster phone can be messaged unasked, by template outside the
24-hour window."""


def build_whatsapp(
    settings: Settings, mailroom: Mailroom, pace: Pace | None = None
) -> WhatsAppChannel:
    """The channel for ``python -m bot run``, recording its sends in the mailroom's database."""
    records = SentRecords(mailroom.service.database, CHANNEL, mailroom.clock)
    return WhatsAppChannel(settings, mailroom, records, pace=pace)


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
    """The WhatsApp adapter: webhooks into the inbox, replies and messages into Cloud API sends."""

    name = CHANNEL

    def __init__(
        self,
        settings: Settings,
        mailroom: Mailroom,
        records: SentRecords,
        *,
        pace: Pace | None = None,
        client: GraphClient | None = None,
    ) -> None:
        """``records`` keeps what was sent; its clock is the channel's.

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
        self._mailroom = mailroom
        mailroom.attach(self)
        self._records = records
        self._clock = records.clock
        self._client = client
        self._running = False
        self._fallbacks: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------------ lifecycle

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(WEBHOOK_PATH, self._verify)
        app.router.add_post(WEBHOOK_PATH, self._receive)

    async def start(self) -> None:
        """Open the Graph connection pool and accept webhooks."""
        if self._client is None:
            self._client = GraphClient.from_settings(self._settings, self.pace)
        self._running = True

    async def stop(self) -> None:
        """Refuse new webhooks (Meta re-delivers them), finish template resends, close the pool."""
        self._running = False
        await self.idle()
        if self._client is not None:
            await self._client.aclose()

    async def idle(self) -> None:
        """Wait for the templates being resent for texts refused as outside the window."""
        await asyncio.gather(*self._fallbacks, return_exceptions=True)

    async def send(
        self, user_id: str, replies: Sequence[Reply], outbox_id: int | None = None
    ) -> None:
        """Deliver messages: free-form inside the 24-hour window, else the template.

        The outbox row being delivered is linked to the sent messages, so later
        delivery statuses (a failure, with its code) are recorded on it.
        Raises :class:`DeliveryError` when WhatsApp refuses the message.
        """
        last_inbound = await self._records.last_inbound_at(user_id)
        await self._deliver(user_id, list(replies), last_inbound, outbox_id)

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
        """Authenticate, store, acknowledge; answering happens after the 200.

        403 without a valid signature; 400 for a signed body that is not JSON (or
        nested too deep to read), which Meta never sends. Any JSON is answered 200:
        what :func:`parse_webhook` does not recognise is skipped, since refusing the
        whole body would only make Meta re-deliver it for days. The charset in the
        content type is ignored: the signature covers the bytes, and JSON is UTF-8.
        A kind of message the bot cannot read (a voice note, a sticker) is stored
        with its polite answer, so it too is answered once, in order.
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
            Arrival(
                Lane(CHANNEL, message.inbound.user_id),
                message.inbound.message_id,
                message.timestamp,
                message.inbound if message.supported else None,
                None if message.supported else Reply(T.WA_UNSUPPORTED),
            )
            for message in webhook.messages
        ]
        await self._mailroom.accept(arrivals)
        for fallback in await self._records.apply(webhook.statuses):
            task = asyncio.create_task(self._send_fallback(fallback))
            self._fallbacks.add(task)
            task.add_done_callback(self._fallbacks.discard)
        return web.Response(text="OK")

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
            await self._records.record_sent(
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
        await self._records.record_sent(wamid, to, "template", outbox_id=outbox_id)

    async def _send_fallback(self, fallback: Fallback) -> None:
        """A status webhook said the window was closed: send the same text as the template."""
        try:
            await self._send_template_text(fallback.recipient, fallback.text, fallback.outbox_id)
        except DeliveryError as error:
            log.warning(
                "whatsapp: template to %s failed: %s", mask_phone(fallback.recipient), error
            )
            if fallback.outbox_id is not None:
                await self._records.mark_outbox_failed(fallback.outbox_id, str(error))

    def _require_client(self) -> GraphClient:
        if self._client is None:
            raise RuntimeError("the WhatsApp channel is not started")
        return self._client

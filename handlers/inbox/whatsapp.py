"""The WhatsApp inbox worker: what happens to a webhook's messages after they are stored.

The adapter (``bot/channels/whatsapp.py``) authenticates a webhook, hands its
messages and delivery statuses to :meth:`InboxWorker.keep` and answers Meta
only after they are in the inbox. From then on the work is here: claim a
sender's oldest waiting message under a lease, ask the core once for its
replies (kept with the message, so a failed send is retried without asking
again), let the adapter send them, and finish the message, retry it later
with backoff, or give it up. The hourly sweep also purges what is past its
retention. Every step is one transaction, run in a worker thread because the
database is synchronous.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from conversations import Attachment, Choice, Reply
from handlers.clock import utc_now
from handlers.retry import RetryPolicy
from storage import Database
from storage import whatsapp as store
from storage.models_whatsapp import WhatsAppInbox
from storage.whatsapp import Fallback

__all__ = [
    "LEASE",
    "Arrival",
    "DeliveryStatus",
    "Fallback",
    "InboxWorker",
    "Job",
    "replies_from_data",
    "replies_to_data",
]

log = logging.getLogger(__name__)

# Long enough for one message's replies with the client's retries; a worker
# that died holding a lease only delays the retry by this much.
LEASE = timedelta(minutes=2)
INBOX_RETRY = RetryPolicy(attempts=8, base_delay=5.0, max_delay=600.0)
PURGE_INTERVAL = timedelta(hours=1)

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Arrival:
    """One webhook message to keep: its id, its sender and the payload to parse later."""

    message_id: str
    sender: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """What became of a message we sent: sent, delivered, read or failed (with its code).

    ``window_closed``: it failed because the 24-hour window had closed, so the
    text is to go out again as the template.
    """

    message_id: str
    status: str
    error_code: int | None = None
    window_closed: bool = False


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed inbox message and its replies; ``replies[row.sent_count:]`` are still to send."""

    row: WhatsAppInbox
    replies: list[Reply]

    @property
    def sender(self) -> str:
        return self.row.sender

    @property
    def received_at(self) -> datetime:
        """When the message arrived: the start of the sender's 24-hour window."""
        return self.row.stored_at

    @property
    def sent_count(self) -> int:
        return self.row.sent_count


class InboxWorker:
    """The WhatsApp inbox as the adapter uses it: every method is one transaction."""

    def __init__(self, database: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = database
        self.clock = clock
        self._purged_at: datetime | None = None

    async def keep(
        self, arrivals: Sequence[Arrival], statuses: Sequence[DeliveryStatus]
    ) -> tuple[list[str], list[Fallback]]:
        """Store new messages and apply delivery statuses, in one transaction.

        Returns the senders with a new message (to drain) and the templates to
        send for messages Meta refused as outside the 24-hour window.
        """
        return await asyncio.to_thread(self._keep, arrivals, statuses)

    def _keep(
        self, arrivals: Sequence[Arrival], statuses: Sequence[DeliveryStatus]
    ) -> tuple[list[str], list[Fallback]]:
        now = self.clock()
        senders: list[str] = []
        fallbacks: list[Fallback] = []
        with self._db.transaction() as session:
            for arrival in arrivals:
                is_new = store.store_inbound(
                    session, arrival.message_id, arrival.sender, arrival.payload, now
                )
                if is_new and arrival.sender not in senders:
                    senders.append(arrival.sender)
            for status in statuses:
                fallback = store.record_status(
                    session,
                    status.message_id,
                    status.status,
                    status.error_code,
                    now,
                    window_closed=status.window_closed,
                )
                if fallback is not None:
                    fallbacks.append(fallback)
        return senders, fallbacks

    async def sweep(self, retention: timedelta) -> list[str]:
        """Senders whose messages wait (after a crash or a failure); hourly, purge the old.

        Finished messages older than ``retention`` are deleted at the first
        sweep and then once an hour.
        """
        now = self.clock()
        if self._purged_at is None or now - self._purged_at >= PURGE_INTERVAL:
            purged = await self._run(store.purge_finished, now - retention)
            if purged:
                log.info("whatsapp: %d message record(s) past their retention deleted", purged)
            self._purged_at = now
        return await self._run(store.due_senders, now)

    async def claim(
        self, sender: str, answer: Callable[[dict[str, Any]], Awaitable[list[Reply]]]
    ) -> Job | None:
        """The sender's oldest waiting message with its replies; None when there is nothing to do.

        ``answer`` turns a stored payload into the core's replies; it is asked
        only once per message. When it fails the message is retried later and
        None is returned, so the sender's later messages wait their turn.
        """
        row = await self._run(store.claim_next, sender, self.clock(), LEASE)
        if row is None:
            return None
        if row.replies is not None:
            return Job(row, replies_from_data(row.replies))
        try:
            replies = await answer(row.payload)
        except Exception:
            log.exception("whatsapp: processing inbox row %s failed", row.id)
            await self.retry_later(Job(row, []), row.sent_count, "processing failed", None)
            return None
        await self._run(store.save_replies, row, replies_to_data(replies))
        return Job(row, replies)

    async def finish(self, job: Job) -> None:
        """Every reply was sent (or there was none): the message is done."""
        await self._run(store.finish, job.row, self.clock())

    async def retry_later(
        self, job: Job, sent_count: int, error: str, retry_after: float | None
    ) -> None:
        """Back off (at least ``retry_after`` seconds); give the message up once
        ``INBOX_RETRY`` is exhausted."""
        row = job.row
        if INBOX_RETRY.exhausted(row.attempts):
            await self.give_up(job, sent_count, error)
            return
        now = self.clock()
        retry_at = now + timedelta(seconds=INBOX_RETRY.delay(row.attempts, retry_after))
        await self._run(
            store.release, row, sent_count=sent_count, error=error, retry_at=retry_at, now=now
        )

    async def give_up(self, job: Job, sent_count: int, error: str) -> None:
        """The message cannot be answered (a permanent send error, too many attempts)."""
        now = self.clock()
        await self._run(
            store.release, job.row, sent_count=sent_count, error=error, retry_at=None, now=now
        )

    async def last_inbound_at(self, user_id: str) -> datetime | None:
        """When this WhatsApp account last wrote to us (start of the 24-hour window), if ever."""
        return await self._run(store.last_inbound_at, user_id)

    async def record_sent(
        self,
        wamid: str,
        recipient: str,
        kind: str,
        *,
        outbox_id: int | None = None,
        fallback_text: str | None = None,
    ) -> None:
        """Remember a message WhatsApp accepted, so its later statuses can be attributed."""
        await self._run(
            store.record_sent,
            wamid,
            recipient,
            kind,
            self.clock(),
            outbox_id=outbox_id,
            fallback_text=fallback_text,
        )

    async def mark_outbox_failed(self, outbox_id: int, error: str) -> None:
        """WhatsApp could not deliver a proactive message: say so on its outbox row."""
        await self._run(store.mark_outbox_failed, outbox_id, error)

    async def _run(self, function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """Run a storage function in one transaction, in a worker thread (the DB is synchronous)."""

        def in_transaction() -> R:
            with self._db.transaction() as session:
                return function(session, *args, **kwargs)

        return await asyncio.to_thread(in_transaction)


def replies_to_data(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    """Replies as JSON for the inbox, so a failed send is retried without asking the core again."""
    return [
        {
            "text": reply.text,
            "choices": [[c.value, c.label] for c in reply.choices],
            "question_id": reply.question_id,
            "free_text": reply.free_text,
            "request_contact": reply.request_contact,
            "request_location": reply.request_location,
            "attachment": None
            if reply.attachment is None
            else {
                "filename": reply.attachment.filename,
                "content": base64.b64encode(reply.attachment.content).decode("ascii"),
                "mime_type": reply.attachment.mime_type,
                "kind": reply.attachment.kind,
            },
        }
        for reply in replies
    ]


def replies_from_data(data: Sequence[dict[str, Any]]) -> list[Reply]:
    """The inverse of :func:`replies_to_data`."""
    replies = []
    for item in data:
        stored = item["attachment"]
        attachment = None
        if stored is not None:
            content = base64.b64decode(stored["content"])
            attachment = Attachment(
                stored["filename"], content, stored["mime_type"], stored["kind"]
            )
        replies.append(
            Reply(
                item["text"],
                tuple(Choice(value, label) for value, label in item["choices"]),
                question_id=item["question_id"],
                free_text=item["free_text"],
                request_contact=item["request_contact"],
                request_location=item.get("request_location", False),
                attachment=attachment,
            )
        )
    return replies

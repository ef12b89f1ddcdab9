"""What the WhatsApp channel remembers about what it sent: ids, delivery statuses, the window.

WhatsApp answers a send with a message id (``wamid``) and reports what became
of it later, in status webhooks. The channel records each accepted send here
(with the outbox row it delivered), applies the statuses as they come, and
gets back the texts to send again as the approved template when Meta says
the 24-hour window had closed. Every method is one transaction, run in a
worker thread because the database is synchronous.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from handlers.clock import utc_now
from storage import Database, inbox
from storage import whatsapp as store
from storage.inbox import Lane
from storage.whatsapp import Fallback

__all__ = ["DeliveryStatus", "Fallback", "SentRecords"]

R = TypeVar("R")


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


class SentRecords:
    """The WhatsApp channel's records, as the adapter uses them."""

    def __init__(
        self, database: Database, channel: str, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._db = database
        self._channel = channel
        self.clock = clock

    async def apply(self, statuses: Sequence[DeliveryStatus]) -> list[Fallback]:
        """Apply delivery statuses in one transaction; the templates to send for refused texts."""
        if not statuses:
            return []

        def apply_all(session: Any) -> list[Fallback]:
            now = self.clock()
            found = (
                store.record_status(
                    session,
                    status.message_id,
                    status.status,
                    status.error_code,
                    now,
                    window_closed=status.window_closed,
                )
                for status in statuses
            )
            return [fallback for fallback in found if fallback is not None]

        return await self._run(apply_all)

    async def last_inbound_at(self, user_id: str) -> datetime | None:
        """When this WhatsApp account last wrote to us (start of the 24-hour window), if ever."""
        return await self._run(inbox.last_inbound_at, Lane(self._channel, user_id))

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
        """WhatsApp could not deliver a message: say so on its outbox row."""
        await self._run(store.mark_outbox_failed, outbox_id, error)

    async def _run(self, function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """Run a storage function in one transaction, in a worker thread."""

        def in_transaction() -> R:
            with self._db.transaction() as session:
                return function(session, *args, **kwargs)

        return await asyncio.to_thread(in_transaction)

"""Sending no faster than a platform allows: per channel, per chat, and after a 429.

The per-channel rate is a leaky bucket (``aiolimiter``) with a small burst:
with burst ``b`` and drain rate ``r - b``, no one-second window ever holds
more than ``r`` sends, which is how the platforms count, while the steady
rate stays within 2% of ``r``. Per chat, sends to one user are spaced
(Telegram about 1 s, WhatsApp about 6 s). A 429 with ``retry_after`` pauses
the whole channel for that long, as Telegram asks.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiolimiter import AsyncLimiter

BURST_SHARE = 0.02


@dataclass(frozen=True, slots=True)
class Limit:
    """A platform's limits: sends per second for the bot, and seconds between sends to one chat."""

    per_second: float
    per_chat_seconds: float = 0.0


DEFAULT_LIMITS = {
    "telegram": Limit(30, 1.0),
    "whatsapp": Limit(80, 6.0),
    "console": Limit(1000),
}
FALLBACK_LIMIT = Limit(30, 1.0)


class ChannelPace:
    """Waits until one more send on a channel, to one user, is allowed."""

    def __init__(self, limit: Limit) -> None:
        burst = max(1, int(limit.per_second * BURST_SHARE))
        drain = max(limit.per_second - burst, limit.per_second / 2)
        self._limiter = AsyncLimiter(burst, burst / drain)
        self._per_chat = limit.per_chat_seconds
        self._next_slot: dict[str, float] = {}
        self._next_prune = 0.0
        self._paused_until = 0.0

    async def wait(self, user_id: str) -> None:
        loop = asyncio.get_running_loop()
        if self._per_chat:
            now = loop.time()
            if now >= self._next_prune:
                self._next_slot = {u: s for u, s in self._next_slot.items() if s > now}
                self._next_prune = now + self._per_chat
            slot = max(now, self._next_slot.get(user_id, 0.0))
            self._next_slot[user_id] = slot + self._per_chat
            if slot > now:
                await asyncio.sleep(slot - now)
        while (delay := self._paused_until - loop.time()) > 0:
            await asyncio.sleep(delay)
        await self._limiter.acquire()

    def pause(self, seconds: float) -> None:
        """The platform said to slow down: no sends on this channel for ``seconds``."""
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)

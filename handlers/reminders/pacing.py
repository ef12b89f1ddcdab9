"""Sending no faster than a platform allows: per bot or number, per chat, and after a 429.

One :class:`Pace` per sending account (a Telegram bot token, a WhatsApp number), shared by
the channel's own send path and the outbox dispatcher:

- **The rate, in any one-second window.** Every platform request holds a *slot* from the
  moment it is allowed until one second after the platform answered; at most ``N`` slots are
  held at once (``N`` = the channel's ``per_second``). Two requests ``N`` slots apart are
  therefore sent more than one second apart even if the first one's bytes were slow to leave,
  so the platform never counts more than ``N`` in any second, open or closed, whatever the
  network delay; the price is that a slow answer keeps its slot a little longer (the steady
  rate is ``N`` per ``1 s + latency``). Bursts of up to ``N`` are allowed, as the platforms
  allow them.
- **Across processes.** The slots live in this process (:class:`LocalWindow`), or in Redis
  (:class:`SharedWindow`, ``RATE_LIMIT_REDIS_URL``) so that every process sending for the
  same account shares them; the Redis key names the channel and a hash of the account, never
  the token itself.
- **Per chat** (:meth:`Pace.turn`, the dispatcher's proactive sends): sends to one user are
  spaced by the channel's ``per_chat_seconds`` (Telegram about 1 s, WhatsApp about 6 s).
- **After a 429** with ``retry_after`` (:meth:`Pace.pause`): no request on the account for
  that long, as Telegram asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Protocol

from handlers.channels import ChannelInfo
from handlers.delivery import DeliveryError

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

WINDOW_SECONDS = 1.0
HOLD_SECONDS = 30.0
"""Longest a request may hold a slot in Redis before it counts as finished (its process died);
longer than any request's timeout."""
POLL_SECONDS = 0.02
"""How often a waiter asks Redis again while every slot is held by a request still running."""


class SendWindow(Protocol):
    """At most a fixed number of requests in any window: a slot is held until it is released."""

    async def acquire(self) -> str: ...

    async def release(self, ticket: str) -> None: ...


class LocalWindow:
    """Slots counted in this process: for one process per account (SQLite, tests)."""

    def __init__(self, limit: int, seconds: float = WINDOW_SECONDS) -> None:
        self._limit = limit
        self._seconds = seconds
        self._finished: deque[float] = deque()
        self._running = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._turns = asyncio.Lock()
        self._released = asyncio.Event()

    async def acquire(self) -> str:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a channel may outlive one asyncio.run (the console, tests)
            self._loop, self._turns, self._released = loop, asyncio.Lock(), asyncio.Event()
        async with self._turns:  # waiters are served in arrival order
            while (delay := self._delay(time.monotonic())) > 0:
                self._released.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._released.wait(), None if delay == math.inf else delay
                    )
            self._running += 1
        return ""

    async def release(self, ticket: str) -> None:
        self._running -= 1
        self._finished.append(time.monotonic())
        self._released.set()

    def _delay(self, now: float) -> float:
        """0 when a slot is free now; else how long until one may be (inf: when one is released)."""
        while self._finished and self._finished[0] + self._seconds < now:
            self._finished.popleft()
        if self._running + len(self._finished) < self._limit:
            return 0.0
        if not self._finished:
            return math.inf
        return max(self._finished[0] + self._seconds - now, 1e-4)


# Times are Redis's own clock (TIME), in microseconds, so every process counts alike. A slot is
# a member of a sorted set scored by when it ends counting: while its request runs, the hold
# limit; once released, the moment of the release. Members older than the window are dropped.
# Numbers go to Redis through string.format: Lua would print them with 14 digits.
_ACQUIRE = """
local t = redis.call('TIME')
local now = t[1] * 1000000 + t[2]
local window, limit, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('(%.0f', now - window))
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + hold), ARGV[4])
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.ceil((hold + window) / 1000)))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now + 1
"""
_RELEASE = """
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', t[1] * 1000000 + t[2]), ARGV[1])
return 0
"""


class SharedWindow:
    """Slots counted in Redis, shared by every process that sends for the same account.

    Without Redis nothing is sent (the limit cannot be known): taking a slot fails as a
    transient :class:`DeliveryError`, which the outbox and the inbox retry later. A slot that
    cannot be given back after a send is only logged; it counts until its hold runs out.
    """

    def __init__(
        self,
        client: Redis,
        key: str,
        limit: int,
        seconds: float = WINDOW_SECONDS,
        hold: float = HOLD_SECONDS,
    ) -> None:
        self._acquire = client.register_script(_ACQUIRE)
        self._release = client.register_script(_RELEASE)
        self._key = key
        self._args = (round(seconds * 1e6), limit, round(hold * 1e6))
        self._owner = uuid.uuid4().hex
        self._count = 0
        self._turns = asyncio.Lock()

    async def acquire(self) -> str:
        from redis import RedisError

        self._count += 1
        ticket = f"{self._owner}:{self._count}"
        async with self._turns:  # one waiter per process asks Redis; the others queue here
            try:
                while (wait := int(await self._acquire([self._key], [*self._args, ticket]))) > 0:
                    await asyncio.sleep(min(wait / 1e6, POLL_SECONDS))
            except RedisError as error:
                raise DeliveryError(
                    f"sending limit not reachable (Redis: {type(error).__name__})",
                    permanent=False,
                ) from None
        return ticket

    async def release(self, ticket: str) -> None:
        from redis import RedisError

        try:
            await self._release([self._key], [ticket])
        except RedisError as error:
            log.warning("sending slot not given back (Redis: %s)", type(error).__name__)


class Pace:
    """The pace of one sending account: its limits (``info``), its slots, its chats, its pauses."""

    def __init__(self, info: ChannelInfo, window: SendWindow | None = None) -> None:
        self.info = info
        self._window = window or LocalWindow(*window_size(info.limit.per_second))
        self._per_chat = info.limit.per_chat_seconds
        self._next_slot: dict[str, float] = {}
        self._next_prune = 0.0
        self._paused_until = 0.0

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one slot around one platform request (waiting out a pause first)."""
        while (delay := self._paused_until - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        ticket = await self._window.acquire()
        try:
            yield
        finally:
            await self._window.release(ticket)

    async def turn(self, user_id: str) -> None:
        """Wait until one more proactive send to ``user_id`` keeps the per-chat spacing."""
        if not self._per_chat:
            return
        now = time.monotonic()
        if now >= self._next_prune:
            self._next_slot = {user: at for user, at in self._next_slot.items() if at > now}
            self._next_prune = now + self._per_chat
        at = max(now, self._next_slot.get(user_id, 0.0))
        self._next_slot[user_id] = at + self._per_chat
        if at > now:
            await asyncio.sleep(at - now)

    def pause(self, seconds: float) -> None:
        """The platform said to slow down: no request on this account for ``seconds``."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)


def window_size(per_second: float) -> tuple[int, float]:
    """(slots, seconds) for a rate: whole sends per second, or one send per so many seconds."""
    if per_second >= 1:
        return int(per_second), WINDOW_SECONDS
    return 1, WINDOW_SECONDS / per_second


class Pacing:
    """Hands out the pace of each sending account: counted here, or in Redis when given a URL."""

    def __init__(self, redis_url: str | None = None) -> None:
        self._redis: Redis | None = None
        if redis_url:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(redis_url)

    @property
    def shared(self) -> bool:
        return self._redis is not None

    def pace(self, info: ChannelInfo, account: str) -> Pace:
        """The pace for ``account`` (a token or number id; only its hash is stored) on a channel."""
        if self._redis is None:
            return Pace(info)
        digest = hashlib.sha256(account.encode()).hexdigest()[:16]
        limit, seconds = window_size(info.limit.per_second)
        return Pace(
            info, SharedWindow(self._redis, f"lapor:pace:{info.name}:{digest}", limit, seconds)
        )

    async def aclose(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()

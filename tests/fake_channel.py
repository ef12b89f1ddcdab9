"""A stand-in for the Telegram and WhatsApp servers behind our own ``Channel.send`` interface.

Declared like a real channel (its ``ChannelInfo``; by default with a rate tests do not
wait for), it holds a slot of its pace for every send, as real channels do. Records every
accepted send (with the outbox row the dispatcher says it is
delivering), enforces a rate limit the way the platforms do (a bucket of one
second's worth, refilled continuously; over it, a 429-like transient
``DeliveryError`` with ``retry_after``), and fails on purpose when a test
asks it to. Safe to share between dispatchers running in several threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.channels import telegram, whatsapp
from conversations import Reply
from handlers.channels import ChannelInfo, Limit
from handlers.clock import utc_now
from handlers.delivery import DeliveryError
from handlers.reminders.pacing import Pace

TELEGRAM = telegram.INFO
WHATSAPP = whatsapp.INFO
FAST = Limit(50_000)
"""A pace no test waits for: no per-chat spacing, more sends a second than a test makes."""


@dataclass(frozen=True)
class Sent:
    user_id: str
    text: str
    outbox_id: int | None
    at: datetime
    monotonic: float


class Crash(BaseException):
    """Stands for the process dying mid-send (not an error the dispatcher may handle)."""


Failure = Callable[[str, int], BaseException | None]
"""(user id, 0-based call number) -> the exception this call raises, or None."""


class FakeChannel:
    """``pace_limit``: the pace our side keeps; ``limit_per_second``: what the server accepts."""

    def __init__(
        self,
        info: ChannelInfo,
        pace_limit: Limit = FAST,
        *,
        limit_per_second: float | None = None,
        fail: Failure | None = None,
        clock: Callable[[], datetime] = utc_now,
        on_send: Callable[[], None] | None = None,
    ) -> None:
        self.name = info.name
        self.pace = Pace(replace(info, limit=pace_limit))
        self.sent: list[Sent] = []
        self.rejected = 0
        self.calls = 0
        self._limit = limit_per_second
        self._tokens = limit_per_second or 0.0
        self._refilled = time.monotonic()
        self._fail = fail
        self._clock = clock
        self._on_send = on_send
        self._lock = threading.Lock()

    async def send(
        self, user_id: str, replies: Sequence[Reply], outbox_id: int | None = None
    ) -> None:
        async with self.pace.slot():
            self._accept(user_id, replies, outbox_id)
        if self._on_send is not None:
            self._on_send()

    def _accept(self, user_id: str, replies: Sequence[Reply], outbox_id: int | None) -> None:
        with self._lock:
            call = self.calls
            self.calls += 1
            failure = self._fail(user_id, call) if self._fail else None
            if failure is not None:
                raise failure
            now = time.monotonic()
            if self._limit is not None:
                self._tokens = min(self._limit, self._tokens + (now - self._refilled) * self._limit)
                self._refilled = now
                if self._tokens < 1:
                    self.rejected += 1
                    raise DeliveryError("429 Too Many Requests", permanent=False, retry_after=1)
                self._tokens -= 1
            for reply in replies:
                self.sent.append(Sent(user_id, reply.text, outbox_id, self._clock(), now))

    def max_in_window(self, seconds: float = 1.0) -> int:
        """The most sends accepted within any window of ``seconds``."""
        times = sorted(sent.monotonic for sent in self.sent)
        best = start = 0
        for end, at in enumerate(times):
            while at - times[start] >= seconds:
                start += 1
            best = max(best, end - start + 1)
        return best

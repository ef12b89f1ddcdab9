"""A stand-in for the Telegram and WhatsApp servers behind our own ``Channel.send`` interface.

Records every accepted send (with the outbox row the dispatcher says it is
delivering), enforces a rate limit the way the platforms do (a bucket of one
second's worth, refilled continuously; over it, a 429-like transient
``DeliveryError`` with ``retry_after``), and fails on purpose when a test
asks it to. Safe to share between dispatchers running in several threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from conversations import Reply
from handlers.clock import utc_now
from handlers.delivery import DeliveryError


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
    def __init__(
        self,
        name: str,
        *,
        limit_per_second: float | None = None,
        fail: Failure | None = None,
        clock: Callable[[], datetime] = utc_now,
        on_send: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
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
        if self._on_send is not None:
            self._on_send()

    def max_in_window(self, seconds: float = 1.0) -> int:
        """The most sends accepted within any window of ``seconds``."""
        times = sorted(sent.monotonic for sent in self.sent)
        best = start = 0
        for end, at in enumerate(times):
            while at - times[start] >= seconds:
                start += 1
            best = max(best, end - start + 1)
        return best

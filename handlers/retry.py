"""How long to wait before trying a failed operation again: the one backoff of the tree.

Every retry follows the same rule. The wait doubles with each failed attempt,
from ``base_delay`` up to ``max_delay``; it is never shorter than what the
platform asked for (``retry_after``, from a 429); and, given a random source,
it is spread over the upper half of that span ("equal jitter": never zero,
and many senders failing at once do not come back in lock-step). The outbox
dispatcher (seconds to an hour, across restarts), the WhatsApp Graph client
(sub-second, within one request) and the WhatsApp inbox (seconds to minutes)
differ only in their numbers. Pure: callers pass the random source, so tests
can fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from random import Random


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a failing operation is tried again.

    ``attempts`` counts every try, the first included: after that many
    failures the operation is given up.
    """

    attempts: int
    base_delay: float
    max_delay: float

    def exhausted(self, failures: int) -> bool:
        """Whether ``failures`` failed tries are all this policy allows."""
        return failures >= self.attempts

    def delay(
        self, failures: int, retry_after: float | None = None, rng: Random | None = None
    ) -> float:
        """Seconds to wait after the ``failures``-th failed try before the next one.

        With ``rng`` the wait is jittered within [ceiling / 2, ceiling]; without
        it, it is the ceiling itself (for queues that back off as a whole).
        """
        ceiling = min(self.max_delay, self.base_delay * 2 ** max(failures - 1, 0))
        wait = ceiling if rng is None else rng.uniform(ceiling / 2, ceiling)
        return max(wait, retry_after or 0.0)


def retry_after_seconds(hint: float | timedelta | str | None) -> float | None:
    """A platform's "retry after" hint in seconds, or None when it gave none we can read.

    Telegram libraries give a number or (python-telegram-bot 22) a timedelta;
    HTTP gives a ``Retry-After`` header of seconds.
    """
    if hint is None:
        return None
    if isinstance(hint, timedelta):
        return hint.total_seconds()
    try:
        return float(hint)
    except ValueError:
        return None

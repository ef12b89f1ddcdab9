"""The one backoff of the tree: how long the outbox, the Graph client and the inbox wait.

Why: a retry that comes too soon is refused again (and can get a bot
throttled harder), one that never comes loses a reminder; the platforms'
own "retry after" always wins over our guess.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from handlers.retry import RetryPolicy, retry_after_seconds

POLICY = RetryPolicy(attempts=4, base_delay=5.0, max_delay=30.0)


def test_the_wait_doubles_per_failure_up_to_the_cap():
    assert [POLICY.delay(failures) for failures in range(1, 6)] == [5.0, 10.0, 20.0, 30.0, 30.0]


def test_jitter_stays_in_the_upper_half_of_the_span():
    rng = random.Random(3)
    waits = [POLICY.delay(3, None, rng) for _ in range(200)]
    assert all(10.0 <= wait <= 20.0 for wait in waits)
    assert len(set(waits)) > 100, "not in lock-step"


def test_the_platforms_retry_after_wins_when_longer():
    assert POLICY.delay(1, retry_after=120.0) == 120.0
    assert POLICY.delay(1, retry_after=1.0) == 5.0


def test_the_policy_gives_up_after_its_attempts():
    assert not POLICY.exhausted(3)
    assert POLICY.exhausted(4)


@pytest.mark.parametrize(
    ("hint", "seconds"),
    [
        (None, None),
        (7, 7.0),
        (timedelta(seconds=3), 3.0),
        ("12", 12.0),
        ("Wed, 21 Oct 2026 07:28:00 GMT", None),
    ],
)
def test_retry_after_hints_are_read_as_seconds(hint, seconds):
    assert retry_after_seconds(hint) == seconds

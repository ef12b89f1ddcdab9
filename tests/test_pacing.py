"""The pace of a sending account: never more than its limit in any one-second window.

Why: Telegram and WhatsApp count the requests that reach them; one over the limit in a
second is a 429 (and, repeated, a ban). A request may reach the platform at any moment
between being allowed and being answered, so these tests record arrivals at a random point
of that interval and check every closed one-second window. The shared pace is run by three
real processes against the fake Graph server, through the Redis at ``TEST_REDIS_URL``
(skipped, saying so, when none answers).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
import uuid
from collections.abc import Sequence

import pytest

from handlers.channels import ChannelInfo, Limit
from handlers.delivery import DeliveryError
from handlers.reminders.pacing import Pace, Pacing, window_size
from tests.whatsapp_graph_fake import FakeGraphAPI

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = 20
PACED = ChannelInfo("paced", Limit(LIMIT))


def most_in_a_second(times: Sequence[float]) -> int:
    """The most arrivals within any closed window of 1.0 s."""
    ordered = sorted(times)
    best = start = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] > 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def send_through(pace: Pace, count: int, arrivals: list[float], rng: random.Random) -> None:
    """``count`` requests at once, each arriving somewhere within its 0-60 ms round trip."""

    async def one() -> None:
        async with pace.slot():
            latency = rng.uniform(0, 0.06)
            arrives = rng.uniform(0, latency)
            await asyncio.sleep(arrives)
            arrivals.append(time.monotonic())
            await asyncio.sleep(latency - arrives)

    await asyncio.gather(*(one() for _ in range(count)))


async def test_the_limit_holds_in_every_window_whatever_the_latency():
    arrivals: list[float] = []
    await send_through(Pace(PACED), 50, arrivals, random.Random(7))
    assert len(arrivals) == 50
    assert most_in_a_second(arrivals) <= LIMIT
    assert max(arrivals) - min(arrivals) >= 2.0, "50 at 20/s need three windows"


async def test_a_burst_up_to_the_limit_goes_at_once():
    arrivals: list[float] = []
    await send_through(Pace(PACED), LIMIT, arrivals, random.Random(8))
    assert max(arrivals) - min(arrivals) < 0.2


async def test_a_pause_holds_every_send_back():
    pace = Pace(PACED)
    pace.pause(0.3)
    started = time.monotonic()
    async with pace.slot():
        pass
    assert time.monotonic() - started >= 0.29


async def test_sends_to_one_chat_are_spaced_and_other_chats_are_not():
    pace = Pace(ChannelInfo("paced", Limit(1000, per_chat_seconds=0.2)))
    started = time.monotonic()
    await asyncio.gather(pace.turn("a"), pace.turn("b"), pace.turn("c"))
    assert time.monotonic() - started < 0.1
    await pace.turn("a")
    assert time.monotonic() - started >= 0.19


def test_a_rate_below_one_a_second_is_one_send_per_so_many_seconds():
    assert window_size(80) == (80, 1.0)
    assert window_size(30.5) == (30, 1.0)
    assert window_size(0.5) == (1, 2.0)


async def test_without_its_redis_a_shared_pace_sends_nothing_and_says_try_again():
    pacing = Pacing("redis://127.0.0.1:1/0")
    try:
        with pytest.raises(DeliveryError, match="sending limit not reachable") as failed:
            async with pacing.pace(PACED, "account").slot():
                pytest.fail("sent without knowing the limit")
        assert not failed.value.permanent
    finally:
        await pacing.aclose()


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(
            f"no Redis at {REDIS_URL} ({error}); set TEST_REDIS_URL to test the shared pace"
        )
    return REDIS_URL


async def test_paces_sharing_redis_keep_one_limit_between_them(redis_url):
    account = uuid.uuid4().hex
    pacings = [Pacing(redis_url) for _ in range(3)]
    arrivals: list[float] = []
    try:
        await asyncio.gather(
            *(
                send_through(pacing.pace(PACED, account), 30, arrivals, random.Random(n))
                for n, pacing in enumerate(pacings)
            )
        )
    finally:
        for pacing in pacings:
            await pacing.aclose()
    assert len(arrivals) == 90
    assert most_in_a_second(arrivals) <= LIMIT
    assert max(arrivals) - min(arrivals) >= 4.0, "90 at 20/s need five windows"


async def test_accounts_are_paced_apart_and_the_key_hides_the_token(redis_url):
    import redis.asyncio

    pacing = Pacing(redis_url)
    token = f"secret-{uuid.uuid4().hex}"
    try:
        arrivals: list[float] = []
        started = time.monotonic()
        await asyncio.gather(
            send_through(pacing.pace(PACED, token), LIMIT, arrivals, random.Random(1)),
            send_through(pacing.pace(PACED, token + "-2"), LIMIT, arrivals, random.Random(2)),
        )
        assert time.monotonic() - started < 0.5, "two accounts, two limits"
        client = redis.asyncio.Redis.from_url(redis_url)
        keys = [key.decode() async for key in client.scan_iter("lapor:pace:paced:*")]
        await client.aclose()
        assert keys and not [key for key in keys if "secret" in key]
    finally:
        await pacing.aclose()


@pytest.mark.timeout(90)
async def test_three_processes_on_one_number_stay_within_its_limit(redis_url):
    """90 messages from 3 processes at 20/s: Graph never sees 21 within 1.0 s."""
    phone_id = str(random.randrange(10**14, 10**15))
    async with FakeGraphAPI(phone_id, "wa-token") as graph:
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.shared_pace_sender",
                redis_url,
                graph.base_url,
                phone_id,
                "wa-token",
                f"--process={n}",
                "--count=30",
                f"--rate={LIMIT}",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            for n in range(3)
        ]
        for process in processes:
            assert process.stdout is not None
            assert await asyncio.wait_for(process.stdout.readline(), 30) == b"ready\n"
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        codes = [await asyncio.wait_for(process.wait(), 60) for process in processes]
    assert codes == [0, 0, 0]
    times = graph.request_times()
    assert len(times) == 90
    graph.assert_rate_at_most(LIMIT, 1.0)
    assert max(times) - min(times) >= 4.0, "90 at 20/s need five windows"

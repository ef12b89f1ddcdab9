"""The outbox dispatcher on SQLite and PostgreSQL: once-only delivery, pacing, retries, restarts.

Why: a reminder sent twice teaches kader to ignore the bot, one never sent
leaves a Posyandu unreported; platforms ban bots that exceed their limits.
The channel is our own ``Channel.send`` interface faked at the boundary,
standing in for the Telegram and WhatsApp servers.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from bot.channels.console import ConsoleChannel
from conversations import ALL_FORMS, Engine
from handlers.channels import Limit, reach
from handlers.delivery import DeliveryError
from handlers.mailroom import Mailroom
from handlers.reminders.dispatcher import (
    BASE_BACKOFF_SECONDS,
    LEASE,
    MAX_ATTEMPTS,
    MAX_BACKOFF_SECONDS,
    RETRY,
    Dispatcher,
    deliver_pending,
)
from handlers.service import Service
from storage import Database, outbox
from storage.models import ChannelIdentity, Outbox, Person
from storage.reminders import dispatch
from tests.conftest import Clock
from tests.fake_channel import TELEGRAM, WHATSAPP, Crash, FakeChannel
from tests.roster import KADER, load_roster

NOW = datetime(2026, 11, 2, 2, tzinfo=UTC)


def people(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        return {phone: pid for pid, phone in session.exec(select(Person.id, Person.phone))}


def queue(database: Database, count: int, now: datetime = NOW, **kwargs: object) -> list[int]:
    """Queue ``count`` messages spread over the roster; returns their outbox ids."""
    ids = sorted(people(database).values())
    messages = [
        outbox.Queued(f"test:{n}", ids[n % len(ids)], "test", f"pesan {n}", None)
        for n in range(count)
    ]
    with database.transaction() as session:
        outbox.enqueue_many(session, messages, now)
        if kwargs:
            session.execute(update(Outbox).values(**kwargs))
        return sorted(session.exec(select(Outbox.id)).all())


def rows(database: Database) -> dict[int, Outbox]:
    with database.transaction() as session:
        return {row.id: row for row in session.exec(select(Outbox))}


def sent_ids(*channels: FakeChannel) -> list[int]:
    return sorted(s.outbox_id for channel in channels for s in channel.sent)


@pytest.fixture
def roster(database: Database) -> Database:
    load_roster(database)
    return database


@pytest.mark.backends
def test_two_dispatchers_at_once_send_each_row_exactly_once(roster):
    ids = queue(roster, 2000)
    channels = [FakeChannel(WHATSAPP), FakeChannel(WHATSAPP)]
    stats = [None, None]

    def serve(index: int) -> None:
        own = Database(roster.url)
        try:
            dispatcher = Dispatcher(own, [channels[index]], batch=50)
            stats[index] = asyncio.run(dispatcher.drain())
        finally:
            own.dispose()

    threads = [threading.Thread(target=serve, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sent_ids(*channels) == ids
    assert all(len(channel.sent) > 0 for channel in channels), "both took part"
    assert {row.status for row in rows(roster).values()} == {"sent"}
    assert sum(s.sent for s in stats) == 2000


@pytest.mark.backends
def test_a_crash_mid_batch_then_a_restart_delivers_the_rest_exactly_once(roster):
    ids = queue(roster, 600)
    crashing = FakeChannel(WHATSAPP, fail=lambda _user, call: Crash() if call == 137 else None)
    with pytest.raises(Crash):
        asyncio.run(Dispatcher(roster, [crashing], batch=100).drain())
    assert len(crashing.sent) == 137
    after_crash = rows(roster)
    assert {i for i, row in after_crash.items() if row.status == "sent"} == set(
        sent_ids(crashing)
    ), "every send before the crash is marked sent"
    assert all(row.claimed_by is None for row in after_crash.values()), "claims released"

    restarted = FakeChannel(WHATSAPP)
    asyncio.run(Dispatcher(roster, [restarted]).drain())
    assert not set(sent_ids(crashing)) & set(sent_ids(restarted))
    assert sorted(sent_ids(crashing) + sent_ids(restarted)) == ids


@pytest.mark.backends
def test_a_dispatcher_stopped_after_k_sends_leaves_the_rest_to_the_next(roster):
    ids = queue(roster, 300)
    stop = asyncio.Event()
    # At 50/s a batch is 100 rows: 50 go at once, the stop comes before the next second's.
    first = FakeChannel(WHATSAPP, Limit(50), on_send=lambda: len(first.sent) >= 40 and stop.set())
    asyncio.run(Dispatcher(roster, [first]).run(stop))
    assert 40 <= len(first.sent) < 300
    second = FakeChannel(WHATSAPP)
    asyncio.run(Dispatcher(roster, [second]).drain())
    assert sorted(sent_ids(first) + sent_ids(second)) == ids


@pytest.mark.backends
def test_rows_of_a_killed_dispatcher_are_sent_once_its_lease_runs_out(roster):
    ids = queue(roster, 50)
    with roster.transaction() as session:
        claimed = dispatch.claim(session, "killed", NOW, NOW + LEASE, 30, reach([WHATSAPP]))
    with roster.transaction() as session:
        done = dispatch.Settlement(sent=[(row.id, "whatsapp") for row in claimed[:10]])
        dispatch.settle(session, done, NOW)
    clock = Clock(NOW)
    channel = FakeChannel(WHATSAPP)
    asyncio.run(Dispatcher(roster, [channel], clock=clock).drain())
    assert len(channel.sent) == 20, "only rows nobody holds"
    clock.advance(seconds=LEASE.total_seconds() + 1)
    asyncio.run(Dispatcher(roster, [channel], clock=clock).drain())
    assert sent_ids(channel) == sorted(set(ids) - {row.id for row in claimed[:10]})


@pytest.mark.backends
def test_after_a_hard_kill_only_the_rows_being_sent_go_twice_and_a_rerun_says_what_waits(roster):
    """A dispatcher killed with 30 rows claimed, 3 of them marked ``sending`` (in flight).

    Within the lease a rerun sends nothing of them and says until when they are held; after
    it, the 27 never marked go once and the 3 in flight go again, counted as resent.
    """
    ids = queue(roster, 50)
    with roster.transaction() as session:
        claimed = dispatch.claim(session, "killed", NOW, NOW + LEASE, 30, reach([WHATSAPP]))
        in_flight = {row.id for row in claimed[:3]}
        assert dispatch.mark_sending(session, "killed", sorted(in_flight)) == in_flight
        assert dispatch.mark_sending(session, "another", [claimed[3].id]) == set()
    clock = Clock(NOW)
    channel = FakeChannel(WHATSAPP)
    rerun = Dispatcher(roster, [channel], clock=clock)
    stats = asyncio.run(rerun.drain())
    assert (stats.sent, stats.resent) == (20, 0), "only rows nobody holds"
    held = rerun.held_elsewhere()
    assert held is not None and (held.rows, held.until) == (30, NOW + LEASE)

    clock.advance(seconds=LEASE.total_seconds() + 1)
    stats = asyncio.run(Dispatcher(roster, [channel], clock=clock).drain())
    assert (stats.sent, stats.resent) == (30, 3)
    assert sent_ids(channel) == ids
    assert {row.status for row in rows(roster).values()} == {"sent"}
    assert Dispatcher(roster, [channel], clock=clock).held_elsewhere() is None


@pytest.mark.backends
def test_transient_errors_retry_with_backoff_and_the_rows_are_sent_later(roster):
    ids = queue(roster, 5)
    clock = Clock(NOW)
    busy = FakeChannel(
        WHATSAPP,
        fail=lambda _user, call: (
            DeliveryError("429", permanent=False, retry_after=0.2) if call < 5 else None
        ),
    )
    dispatcher = Dispatcher(roster, [busy], clock=clock)
    first = asyncio.run(dispatcher.drain())
    assert (first.sent, first.retried) == (0, 5)
    waiting = rows(roster)
    assert all(row.status == "pending" and row.attempts == 1 for row in waiting.values())
    assert all(
        row.next_attempt_at >= NOW + timedelta(seconds=BASE_BACKOFF_SECONDS / 2)
        for row in waiting.values()
    )
    assert asyncio.run(dispatcher.drain()).sent == 0, "not before the backoff"
    clock.advance(hours=1)
    assert asyncio.run(dispatcher.drain()).sent == 5
    assert sent_ids(busy) == ids
    assert {row.attempts for row in rows(roster).values()} == {2}


@pytest.mark.backends
def test_a_row_failing_too_often_is_given_up(roster):
    [row_id] = queue(roster, 1, attempts=MAX_ATTEMPTS - 1)
    down = FakeChannel(WHATSAPP, fail=lambda *_: ConnectionError("502 Bad Gateway"))
    stats = asyncio.run(Dispatcher(roster, [down]).drain())
    assert stats.failed == 1
    row = rows(roster)[row_id]
    assert (row.status, row.error) == ("failed", "ConnectionError: 502 Bad Gateway")


def test_backoff_doubles_with_jitter_and_honours_retry_after():
    rng = random.Random(7)
    for attempts in range(1, 12):
        ceiling = min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (attempts - 1))
        assert ceiling / 2 <= RETRY.delay(attempts, None, rng) <= ceiling
    assert RETRY.delay(1, 120.0, rng) == 120.0


@pytest.mark.backends
def test_a_blocked_bot_marks_the_account_unreachable_and_the_next_goes_by_whatsapp(roster):
    siti = people(roster)[KADER]
    with roster.transaction() as session:
        session.add(
            ChannelIdentity(
                channel="telegram",
                external_id="777",
                person_id=siti,
                created_at=NOW,
                last_inbound_at=NOW,
            )
        )
    with roster.transaction() as session:
        outbox.enqueue_many(session, [outbox.Queued("a", siti, "test", "satu", None)], NOW)
    blocked = FakeChannel(
        TELEGRAM,
        fail=lambda *_: DeliveryError("Forbidden: bot was blocked by the user", permanent=True),
    )
    whatsapp = FakeChannel(WHATSAPP)
    asyncio.run(Dispatcher(roster, [blocked, whatsapp]).drain())
    [row] = rows(roster).values()
    assert (row.status, row.channel) == ("failed", "telegram")
    with roster.transaction() as session:
        [identity] = session.exec(select(ChannelIdentity)).all()
    assert identity.unreachable_at is not None
    with roster.transaction() as session:
        outbox.enqueue_many(session, [outbox.Queued("b", siti, "test", "dua", None)], NOW)
    asyncio.run(Dispatcher(roster, [blocked, whatsapp]).drain())
    assert [(s.user_id, s.text) for s in whatsapp.sent] == [(KADER[1:], "dua")]


@pytest.mark.backends
def test_reminders_past_their_working_day_expire_unsent(roster):
    queue(roster, 3, send_before=NOW - timedelta(minutes=1))
    channel = FakeChannel(WHATSAPP)
    asyncio.run(Dispatcher(roster, [channel], clock=lambda: NOW).drain())
    assert channel.sent == []
    assert {row.status for row in rows(roster).values()} == {"expired"}


def test_the_channel_rate_limit_is_never_exceeded(database):
    load_roster(database)
    queue(database, 150)
    channel = FakeChannel(WHATSAPP, Limit(50), limit_per_second=50)
    started = time.monotonic()
    asyncio.run(Dispatcher(database, [channel]).drain())
    elapsed = time.monotonic() - started
    assert (len(channel.sent), channel.rejected) == (150, 0)
    assert channel.max_in_window(1.0) <= 50
    assert elapsed >= 2.0


def test_sends_to_one_chat_are_spaced(database):
    load_roster(database)
    siti = people(database)[KADER]
    messages = [outbox.Queued(f"k{n}", siti, "test", str(n), None) for n in range(4)]
    with database.transaction() as session:
        outbox.enqueue_many(session, messages, NOW)
    channel = FakeChannel(WHATSAPP, Limit(1000, per_chat_seconds=0.25))
    asyncio.run(Dispatcher(database, [channel]).drain())
    times = [s.monotonic for s in channel.sent]
    assert len(times) == 4
    assert all(later - earlier >= 0.24 for earlier, later in itertools.pairwise(times))


@pytest.mark.backends
def test_the_console_prints_what_is_queued_for_its_person_only(roster):
    ids = people(roster)
    with roster.transaction() as session:
        session.add(
            ChannelIdentity(
                channel="console", external_id=KADER, person_id=ids[KADER], created_at=NOW
            )
        )
        queued = [
            outbox.Queued("mine", ids[KADER], "alert_kematian", "🚨 untuk Siti", None),
            outbox.Queued("other", ids["+6281100000101"], "alert_kematian", "untuk Nur", None),
        ]
        outbox.enqueue_many(session, queued, NOW)
    out = io.StringIO()
    mailroom = Mailroom(Service(roster, Engine(ALL_FORMS)))
    channel = ConsoleChannel(mailroom, KADER, io.StringIO(), out)
    deliver_pending(roster, channel, "081100000001")
    assert out.getvalue() == "🔔 🚨 untuk Siti\n\n"
    statuses = {row.key: row.status for row in rows(roster).values()}
    assert statuses == {"mine": "sent", "other": "pending"}

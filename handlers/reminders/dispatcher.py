"""The outbox dispatcher: claims due rows, sends them at the platforms' pace, settles the results.

Rows are claimed in batches under a lease (see ``storage.reminders.dispatch``),
handed to a pool of senders through a queue that holds at most two batches (so
a claimed row is sent long before its lease ends), and their outcomes are
written back every 100 ms in one transaction. Several dispatchers can share
one PostgreSQL database; a stopped or crashed one's unsent rows are released
(or, after a hard kill, claimable again when the lease ends).

Exactly once, nearly: a row is marked ``sending`` in its own commit right
before the platform call and ``sent`` at the next flush (within 100 ms); a
hard kill can send a second time only the rows marked and not yet settled
(the sends in flight and the last 100 ms of sends), which the next dispatcher
logs and counts. Leases are 15 s, renewed every 5 s by a live dispatcher, so a
dead one's rows are taken over within seconds.

Failures: a transient error (429, 5xx, network) retries with the backoff of
:mod:`handlers.retry` (jittered, honouring ``retry_after``); a permanent one (bot blocked,
unknown user) fails the row and marks the chat account unreachable, so the
next reminders go to another channel or list the person as unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from conversations import Reply
from conversations.phone import normalize_phone
from handlers.channels import reach
from handlers.clock import utc_now
from handlers.delivery import DeliveryError, Sender, decode
from handlers.retry import RetryPolicy
from storage import Database, people
from storage.reminders import dispatch
from storage.reminders.dispatch import Claimed, Held, Settlement

__all__ = ["Dispatcher", "Held", "Stats", "deliver_pending"]

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=15)
LEASE_MARGIN = timedelta(seconds=3)
HEARTBEAT_SECONDS = 5.0
"""How often a live dispatcher renews the lease on the rows it holds."""
FLUSH_SECONDS = 0.1
POLL_SECONDS = 1.0
EXPIRE_EVERY_SECONDS = 60.0
STOP_GRACE_SECONDS = 10.0
MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 10.0
MAX_BACKOFF_SECONDS = 3600.0
RETRY = RetryPolicy(MAX_ATTEMPTS, BASE_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS)


@dataclass(slots=True)
class Stats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    resent: int = 0
    """Rows that were being sent when a dispatcher died, sent again (each may arrive twice)."""


class Dispatcher:
    """Sends queued proactive messages through the channels, within their rate limits.

    Each channel brings its ``pace``: its declaration (limits, whether it reaches
    roster phones) and the slots its sends hold; the dispatcher adds the spacing
    between sends to one chat and the pause a 429 asks for.

    ``person_id`` restricts it to one person's messages and ``keep_unreachable``
    leaves rows no channel reaches queued instead of failing them (the console,
    which reaches one person only). One instance serves one ``drain``/``run``
    at a time; run several instances (or processes) to share the load.
    """

    def __init__(
        self,
        database: Database,
        channels: Sequence[Sender],
        *,
        clock: Callable[[], datetime] = utc_now,
        person_id: int | None = None,
        keep_unreachable: bool = False,
        batch: int | None = None,
        concurrency: int = 64,
        rng: random.Random | None = None,
    ) -> None:
        self._db = database
        self._channels = {channel.name: channel for channel in channels}
        self._reach = reach(channel.pace.info for channel in channels)
        total = sum(channel.pace.info.limit.per_second for channel in channels)
        self._batch = batch or max(10, min(500, int(total * 2)))
        self._concurrency = concurrency
        self._clock = clock
        self._person_id = person_id
        self._keep_unreachable = keep_unreachable
        self._rng = rng or random.Random()
        self._run = _RunState()
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    async def drain(self) -> Stats:
        """Send everything due now, then return (``jobs run --dispatch``, the console, tests)."""
        return await self._serve(asyncio.Event(), until_idle=True)

    async def run(self, stop: asyncio.Event) -> Stats:
        """Keep sending until ``stop`` is set (``python -m bot run``)."""
        return await self._serve(stop, until_idle=False)

    async def _serve(self, stop: asyncio.Event, *, until_idle: bool) -> Stats:
        self._run = state = _RunState()
        workers = [asyncio.create_task(self._work()) for _ in range(self._concurrency)]
        flusher = asyncio.create_task(self._flush_periodically())
        heartbeat = asyncio.create_task(self._renew_periodically())
        try:
            await self._produce(stop, until_idle=until_idle)
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)
            await self._shut_down(workers, flusher)
        if state.crash is not None:
            raise state.crash
        return state.stats

    async def _produce(self, stop: asyncio.Event, *, until_idle: bool) -> None:
        """Claim a batch whenever fewer than one are queued; ``until_idle``: stop when dry."""
        state = self._run
        loop = asyncio.get_running_loop()
        next_expiry = 0.0
        idle = False
        while not stop.is_set() and state.crash is None:
            if loop.time() >= next_expiry:
                await asyncio.to_thread(self._expire)
                next_expiry = loop.time() + EXPIRE_EVERY_SECONDS
            if state.queue.qsize() >= self._batch:
                await asyncio.sleep(0.005)
                continue
            claimed = await asyncio.to_thread(self._claim)
            resent = sum(row.resent for row in claimed)
            if resent:
                log.warning(
                    "%d reminder(s) were being sent when a dispatcher stopped: sending them "
                    "again (each may reach its person twice)",
                    resent,
                )
                state.stats.resent += resent
            for row in claimed:
                state.in_hand.add(row.id)
                state.leases[row.id] = row.claimed_until
                state.queue.put_nowait(row)
            if claimed:
                idle = False
            elif not until_idle:
                await self._until_done(stop.wait(), timeout=POLL_SECONDS)
            elif idle:
                return
            else:
                await self._until_done(state.queue.join())
                await self._flush()
                idle = True

    async def _until_done(
        self, awaitable: Coroutine[Any, Any, Any], timeout: float | None = None
    ) -> None:
        """Wait for ``awaitable``, a crashed sender, or ``timeout``, whichever comes first."""
        waiting = asyncio.create_task(awaitable)
        crashed = asyncio.create_task(self._run.crashed.wait())
        await asyncio.wait({waiting, crashed}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for task in (waiting, crashed):
            task.cancel()

    async def _work(self) -> None:
        """Take rows off the queue and deliver them; anything but a send error is a crash."""
        state = self._run
        while True:
            row = await state.queue.get()
            try:
                if state.sending:
                    await self._deliver(row)
            except asyncio.CancelledError:
                raise
            except BaseException as error:
                state.crash = state.crash or error
                state.crashed.set()
                raise
            finally:
                state.queue.task_done()

    async def _deliver(self, row: Claimed) -> None:
        state = self._run
        if row.address is None:
            if self._keep_unreachable:
                return
            state.ledger.failed.append(
                (row.id, None, "unreachable: no channel reaches this person")
            )
            state.in_hand.discard(row.id)
            state.stats.unreachable += 1
            return
        address = row.address
        await self._channels[address.channel].pace.turn(address.external_id)
        lease_until = state.leases.get(row.id, row.claimed_until)
        if not state.sending or lease_until - self._clock() < LEASE_MARGIN:
            return
        if not await asyncio.to_thread(self._mark_sending, row.id):
            state.in_hand.discard(row.id)
            return
        if not state.sending:  # stopped or crashed while the mark was being written
            return
        channel = self._channels[address.channel]
        try:
            await channel.send(address.external_id, [_reply(row)], row.id)
        except DeliveryError as error:
            self._failed(row, str(error), permanent=error.permanent, retry_after=error.retry_after)
        except Exception as error:
            self._failed(row, f"{type(error).__name__}: {error}", permanent=False, retry_after=None)
        else:
            state.ledger.sent.append((row.id, address.channel))
            state.stats.sent += 1
        state.in_hand.discard(row.id)

    def _failed(
        self, row: Claimed, error: str, *, permanent: bool, retry_after: float | None
    ) -> None:
        assert row.address is not None
        state = self._run
        channel = row.address.channel
        if retry_after:
            self._channels[channel].pace.pause(retry_after)
        if permanent or RETRY.exhausted(row.attempts):
            log.warning("outbox %d (%s) failed on %s: %s", row.id, row.rule, channel, error)
            state.ledger.failed.append((row.id, channel, error))
            if permanent and row.address.identity_id is not None:
                state.ledger.blocked_identities.append(row.address.identity_id)
            state.stats.failed += 1
            return
        delay = RETRY.delay(row.attempts, retry_after, self._rng)
        log.info(
            "outbox %d (%s) retry in %.0f s on %s: %s", row.id, row.rule, delay, channel, error
        )
        state.ledger.retry.append((row.id, self._clock() + timedelta(seconds=delay), error))
        state.stats.retried += 1

    async def _flush(self) -> None:
        """Write the outcomes gathered so far; on a database error keep them for the next try."""
        state = self._run
        if not len(state.ledger) and not state.ledger.blocked_identities:
            return
        settlement, state.ledger = state.ledger, Settlement()
        try:
            await asyncio.to_thread(self._settle, settlement)
        except Exception:
            state.ledger.absorb(settlement)
            raise

    async def _flush_periodically(self) -> None:
        done = self._run.done
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), FLUSH_SECONDS)
            try:
                await self._flush()
            except Exception:
                log.exception("writing send outcomes failed; retrying at the next flush")

    async def _shut_down(
        self, workers: list[asyncio.Task[None]], flusher: asyncio.Task[None]
    ) -> None:
        """Let sends in flight finish (not after a crash), write every outcome, release the rest."""
        state = self._run
        state.stopping = True
        if state.crash is None:
            await self._until_done(state.queue.join(), timeout=STOP_GRACE_SECONDS)
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        state.done.set()
        await asyncio.gather(flusher, return_exceptions=True)
        await self._flush()
        if state.in_hand:
            await asyncio.to_thread(self._release, sorted(state.in_hand))

    def _claim(self) -> list[Claimed]:
        now = self._clock()
        with self._db.transaction() as session:
            return dispatch.claim(
                session,
                self.worker,
                now,
                now + LEASE,
                self._batch,
                self._reach,
                self._person_id,
            )

    async def _renew_periodically(self) -> None:
        """The heartbeat: keep the lease on every row in hand, so only a dead dispatcher's
        rows are taken over (within ``LEASE``, seconds rather than minutes)."""
        state = self._run
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            until = self._clock() + LEASE
            ids = sorted(state.in_hand)
            try:
                await asyncio.to_thread(self._renew, ids, until)
            except Exception:
                log.exception("renewing the dispatcher's leases failed; trying again")
                continue
            for row_id in ids:
                state.leases[row_id] = until

    def _renew(self, ids: list[int], until: datetime) -> None:
        with self._db.transaction() as session:
            dispatch.renew(session, self.worker, ids, until)

    def _mark_sending(self, row_id: int) -> bool:
        """Commit that the row is being sent, before the platform call; False: not ours now."""
        with self._db.transaction() as session:
            return row_id in dispatch.mark_sending(session, self.worker, [row_id])

    def held_elsewhere(self) -> Held | None:
        """Due rows another dispatcher holds (after a crash: until its lease runs out)."""
        with self._db.transaction() as session:
            return dispatch.held_by_others(session, self.worker, self._clock())

    def _settle(self, settlement: Settlement) -> None:
        with self._db.transaction() as session:
            dispatch.settle(session, settlement, self._clock())

    def _release(self, ids: list[int]) -> None:
        with self._db.transaction() as session:
            dispatch.release(session, self.worker, ids)

    def _expire(self) -> None:
        with self._db.transaction() as session:
            expired = dispatch.expire(session, self._clock())
        if expired:
            log.info("%d reminder(s) expired unsent (past 21:00 local)", expired)


def deliver_pending(database: Database, channel: Sender, phone: str) -> None:
    """Send one person, named by phone, what the outbox holds for them (alerts, reminders), now.

    The console reaches only the person it chats as, so their rows are sent
    at once and everyone else's stay queued for the running bot.
    """
    number = normalize_phone(phone)
    with database.transaction() as session:
        profile = people.by_phone(session, number) if number else None
    if profile is not None:
        dispatcher = Dispatcher(
            database, [channel], person_id=profile.person_id, keep_unreachable=True, concurrency=1
        )
        asyncio.run(dispatcher.drain())


@dataclass(slots=True)
class _RunState:
    """One ``drain``/``run``: the queue, rows in hand, outcomes not yet written, a crash if any."""

    queue: asyncio.Queue[Claimed] = field(default_factory=asyncio.Queue)
    in_hand: set[int] = field(default_factory=set)
    leases: dict[int, datetime] = field(default_factory=dict)
    ledger: Settlement = field(default_factory=Settlement)
    stats: Stats = field(default_factory=Stats)
    crash: BaseException | None = None
    crashed: asyncio.Event = field(default_factory=asyncio.Event)
    stopping: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def sending(self) -> bool:
        return not self.stopping and self.crash is None


def _reply(row: Claimed) -> Reply:
    """The message of an outbox row, with its buttons and file where it has them."""
    return decode({"text": row.text, "choices": row.choices, "attachment": row.attachment})

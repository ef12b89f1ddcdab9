"""The mailroom: every channel's messages from the inbox to the core, and the replies back out.

A channel hands each update to :meth:`Mailroom.accept`, which stores it (one
transaction per message, so one bad message never loses the others) and
returns; only then does the channel acknowledge the platform. The mailroom
then works each person's *lane* (see :mod:`storage.inbox`): it claims the
lane's oldest unfinished message under a lease, runs the core in the
transaction that also writes the replies as outbox rows, and sends them,
each marked ``sending`` in its own commit before the platform is called.

Failures. A send that fails for now (5xx, a timeout, a 429) is retried with
:mod:`handlers.retry`'s backoff, honouring ``Retry-After`` up to a cap; the
person's next message waits, so a lost question is always delivered before
the answer typed after it is read. A reply that cannot be delivered, or a
message the core fails on three times, is parked for an operator
(``python -m bot inbox failed``, ``inbox retry ID``) and the person hears
one apology instead of silence. A worker that dies loses its lease within
seconds (a heartbeat renews it while the worker lives), and a sweep takes up
whatever was left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from conversations import Inbound, Reply
from conversations.messages import Location, Media
from handlers import words as T
from handlers.clock import utc_now
from handlers.delivery import DeliveryError, Sender, decode, encode
from handlers.retry import RetryPolicy
from handlers.service import Failed, Service
from storage import Database, Transaction, inbox
from storage.inbox import Lane
from storage.models import Inbox, Outbox

__all__ = ["Arrival", "Lane", "Mailroom"]

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=15)
PROCESS_ATTEMPTS = 3
PROCESS_RETRY = RetryPolicy(PROCESS_ATTEMPTS, 1.0, 30.0)
REPLY_RETRY = RetryPolicy(8, 1.0, 300.0)
PURGE_EVERY = timedelta(hours=1)
APOLOGY_POSITION = 1000
"""Where the one apology of a message goes among its replies (after every real one)."""
GAVE_UP = "diproses gagal berulang kali"
STALE = ""
"""The question id given to an answer typed before its question arrived: matches no question."""


@dataclass(frozen=True, slots=True)
class Arrival:
    """One inbound update to keep: the core's ``inbound``, or a ``notice`` to answer directly.

    ``sort_key`` is the platform's order within the person's lane (Telegram's
    ``update_id``, WhatsApp's ``timestamp``); arrival order breaks ties.
    """

    lane: Lane
    external_id: str
    sort_key: int
    inbound: Inbound | None = None
    notice: Reply | None = None


class _Queued(NamedTuple):
    """A reply to send: its outbox id, the tries it had, the reply, and whether the commit
    that queued it also marked it ``sending`` (the first reply of a fresh answer)."""

    id: int
    attempts: int
    reply: Reply
    marked: bool = False


@dataclass(frozen=True, slots=True)
class _Sent:
    """How sending a job's replies ended: all ``delivered``, and whether the lane has ``more``."""

    delivered: bool
    more: bool


@dataclass(frozen=True, slots=True)
class _Job:
    """A claimed inbox row and the replies still to send, each with its outbox id and tries."""

    row_id: int
    lane: Lane
    replies: list[_Queued]
    gave_up: bool


@dataclass(slots=True)
class _Lanes:
    """The lanes this process is working, and the ones woken again while being worked."""

    tasks: dict[Lane, asyncio.Task[None]] = field(default_factory=dict)
    again: set[Lane] = field(default_factory=set)


class Mailroom:
    """Stores what channels receive, has the core answer it in order, sends the answers.

    Channels register themselves with :meth:`attach`; :meth:`running` runs
    the sweep that takes up work left by a crash or waiting for a retry.
    """

    def __init__(
        self,
        service: Service,
        *,
        retention: timedelta = timedelta(days=30),
        max_retry_after: float = 60.0,
        sweep_seconds: float = 1.0,
        lease: timedelta = LEASE,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """``clock`` times the inbox (arrivals, leases, retries): the real time, not the core's."""
        self._service = service
        self._db = service.database
        self.clock = clock
        self._senders: dict[str, Sender] = {}
        self._retention = retention
        self._max_retry_after = max_retry_after
        self._sweep_seconds = sweep_seconds
        self._lease = lease
        self._rng = rng or random.Random()
        self._lanes = _Lanes()
        self._purged_at: datetime | None = None

    @property
    def service(self) -> Service:
        return self._service

    def attach(self, sender: Sender) -> None:
        """Send the replies of ``sender.name``'s messages through ``sender``."""
        self._senders[sender.name] = sender

    # --- receiving ----------------------------------------------------------------------------

    async def accept(self, arrivals: Sequence[Arrival]) -> None:
        """Store the updates; when this returns they are committed and may be acknowledged.

        Their lanes are then worked in the background.
        """
        for lane in await asyncio.to_thread(self.keep, arrivals):
            self.wake(lane)

    def keep(self, arrivals: Sequence[Arrival]) -> list[Lane]:
        """Store each update in its own transaction; the lanes with something new.

        An update whose ids do not fit (no platform sends such) is logged and
        skipped rather than allowed to fail the others.
        """
        lanes: list[Lane] = []
        for arrival in arrivals:
            lane = arrival.lane
            if not inbox.fits(arrival.external_id, lane.user_id):
                log.warning("%s update with an oversized id skipped", lane.channel)
                continue
            with self._db.transaction() as session:
                new = inbox.keep(
                    session,
                    lane,
                    arrival.external_id,
                    arrival.sort_key,
                    _payload(arrival),
                    self.clock(),
                )
            if not new:
                log.info("%s update %s delivered again, ignored", lane.channel, arrival.external_id)
            elif lane not in lanes:
                lanes.append(lane)
        return lanes

    def wake(self, lane: Lane) -> None:
        """Work ``lane`` now (or once more, if it is being worked)."""
        self._lanes.again.add(lane)
        if lane not in self._lanes.tasks:
            self._lanes.tasks[lane] = asyncio.create_task(self._drain(lane))

    async def idle(self) -> None:
        """Wait until every lane this process was working is done or waiting for a retry."""
        while self._lanes.tasks:
            await asyncio.wait(set(self._lanes.tasks.values()))

    async def settle(self, arrivals: Sequence[Arrival]) -> None:
        """Store, answer and send, then return (the console, which waits for its answers)."""
        await self.accept(arrivals)
        await self.idle()

    @contextlib.asynccontextmanager
    async def running(self, stop_timeout: float = 10.0) -> AsyncIterator[None]:
        """Sweep for waiting work while the body runs; finish (briefly) what is in hand after."""
        sweeper = asyncio.create_task(self._sweep_forever())
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            try:
                await asyncio.wait_for(self.idle(), stop_timeout)
            except TimeoutError:
                log.warning("inbox: unfinished work left for the next start")
                for task in list(self._lanes.tasks.values()):
                    task.cancel()
                await asyncio.gather(*self._lanes.tasks.values(), return_exceptions=True)

    async def sweep(self) -> int:
        """Wake every lane with due work; purge once an hour. How many lanes were woken."""
        now = self.clock()
        if self._purged_at is None or now - self._purged_at >= PURGE_EVERY:
            purged = await asyncio.to_thread(
                self._in_transaction, inbox.purge, now - self._retention
            )
            if purged:
                log.info("inbox: %d message(s) past their retention deleted", purged)
            self._purged_at = now
        lanes = await asyncio.to_thread(self._in_transaction, inbox.due_lanes, now)
        for lane in lanes:
            self.wake(lane)
        return len(lanes)

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                log.exception("inbox sweep failed")
            await asyncio.sleep(self._sweep_seconds)

    # --- working a lane -----------------------------------------------------------------------

    async def _drain(self, lane: Lane) -> None:
        try:
            while lane in self._lanes.again:
                self._lanes.again.discard(lane)
                while (row := await asyncio.to_thread(self._claim, lane)) is not None:
                    async with self._heartbeat(row.id or 0):
                        job = await asyncio.to_thread(self._prepare, row)
                        sent = None if job is None else await self._send(job)
                    if sent is None or not sent.delivered:
                        return
                    if not sent.more:
                        break
        except Exception:
            log.exception("inbox: working a %s lane failed; the sweep takes it up", lane.channel)
        finally:
            self._lanes.again.discard(lane)
            self._lanes.tasks.pop(lane, None)

    def _claim(self, lane: Lane) -> Inbox | None:
        """The lane's oldest unfinished message under a fresh lease, if it is due and free."""
        return self._in_transaction(inbox.claim, lane, self.clock(), self._lease)

    def _prepare(self, row: Inbox) -> _Job | None:
        """Have the core answer a claimed message (unless it was); what is left to send.

        None when the core failed and the message waits for its retry. The lease is
        renewed meanwhile (the caller's heartbeat), however long the core takes.
        """
        if row.status == inbox.PENDING:
            queued = self._process(row)
            if queued is not None:
                return _Job(row.id or 0, Lane(row.channel, row.user_id), queued, False)
        left = self._in_transaction(_left_to_send, row.id or 0)
        if left is None:
            return None
        row, replies = left
        return _Job(
            row.id or 0,
            Lane(row.channel, row.user_id),
            [_Queued(reply.id or 0, reply.attempts, decode(reply.payload)) for reply in replies],
            row.error == GAVE_UP,
        )

    def _process(self, row: Inbox) -> list[_Queued] | None:
        """Run the core on the message, writing its replies and ``answered`` in one transaction.

        The replies queued, to send; None when the core did not answer (it failed: the
        message waits for its retry, or was given up with an apology queued).
        """
        data = row.payload
        lane = Lane(row.channel, row.user_id)
        if "notice" in data:
            notice = [decode(data["notice"])]
            return self._in_transaction(_answer_with, row, notice, None, None, True)
        if "inbound" not in data:
            self._in_transaction(inbox.fail, row.id or 0, self.clock(), "tidak dapat dibaca")
            return None
        received = _inbound(data["inbound"])

        def work(session: Transaction) -> list[_Queued]:
            inbound = received
            if inbound.question_id is None and inbox.retried_question_since(
                session, lane, row.received_at
            ):
                inbound = replace(inbound, question_id=STALE)
            answer = self._service.answer(session, inbound, self._service.clock())
            return _answer_with(session, row, answer.replies, answer.person_id, None, True)

        outcome = self._service.attempt(work, received)
        if not isinstance(outcome, Failed):
            return outcome
        now = self.clock()
        if not PROCESS_RETRY.exhausted(row.attempts):
            retry_at = now + timedelta(seconds=PROCESS_RETRY.delay(row.attempts, None, self._rng))
            self._in_transaction(inbox.release, row.id or 0, retry_at, "pemrosesan gagal")
            return None
        log.error("inbox: %s message %s given up", row.channel, row.external_id)
        self._in_transaction(_give_up, row, outcome.apology)
        return None

    async def _send(self, job: _Job) -> _Sent:
        """Send the job's replies in order; not ``delivered`` when the lane must wait for a retry.

        The last reply's ``sent`` and the message's end are one commit, which also
        says whether the lane has ``more`` messages waiting.
        """
        sender = self._senders.get(job.lane.channel)
        error_left: str | None = GAVE_UP if job.gave_up else None
        queue = list(job.replies)
        apologised = job.gave_up
        sent_last: int | None = None
        while queue:
            reply_id, attempts, reply, marked = queue.pop(0)
            last = not queue
            problem = await self._send_one(
                sender, job.lane, reply_id, reply, marked=marked, mark_sent=not last
            )
            if problem is None:
                sent_last = reply_id if last else None
                continue
            if not problem.permanent and not REPLY_RETRY.exhausted(attempts + 1):
                await self._wait_for_retry(job, reply_id, attempts + 1, problem)
                return _Sent(delivered=False, more=True)
            log.warning("%s reply %d failed for good: %s", job.lane.channel, reply_id, problem)
            error_left = str(problem)
            await asyncio.to_thread(self._in_transaction, inbox.reply_failed, reply_id, error_left)
            if not apologised and not problem.permanent:
                apologised = True
                apology = await asyncio.to_thread(self._in_transaction, _apology, job.row_id)
                queue.append(_Queued(apology, 0, Reply(T.REPLY_LOST)))
        now = self.clock()
        more = await asyncio.to_thread(
            self._in_transaction, _finish, job, now, error_left, sent_last
        )
        return _Sent(delivered=True, more=more)

    async def _send_one(
        self,
        sender: Sender | None,
        lane: Lane,
        reply_id: int,
        reply: Reply,
        *,
        marked: bool,
        mark_sent: bool,
    ) -> DeliveryError | None:
        """Mark the reply ``sending`` (a commit before the platform call), send it, mark it
        ``sent``; the error.

        ``marked``: the commit that queued it marked it already. Without ``mark_sent``
        the caller writes ``sent`` with what it commits next.
        """
        if sender is None:
            return DeliveryError(f"no {lane.channel} channel in this process", permanent=True)
        if not marked:
            await asyncio.to_thread(self._in_transaction, inbox.sending, reply_id)
        try:
            await sender.send(lane.user_id, [reply], reply_id)
        except DeliveryError as error:
            return error
        except Exception as error:
            return DeliveryError(f"{type(error).__name__}: {error}", permanent=False)
        if mark_sent:
            await asyncio.to_thread(self._in_transaction, inbox.sent, reply_id, self.clock())
        return None

    async def _wait_for_retry(
        self, job: _Job, reply_id: int, failures: int, error: DeliveryError
    ) -> None:
        """Put the reply back; the lane waits for the backoff (``Retry-After``, capped)."""
        wait = error.retry_after
        if wait is not None and wait > self._max_retry_after:
            log.warning(
                "%s asked to wait %.0f s; waiting %.0f s (the cap)",
                job.lane.channel,
                wait,
                self._max_retry_after,
            )
            wait = self._max_retry_after
        delay = REPLY_RETRY.delay(failures, wait, self._rng)
        log.info("%s reply %d: retry in %.1f s: %s", job.lane.channel, reply_id, delay, error)
        retry_at = self.clock() + timedelta(seconds=delay)

        def wait_in(session: Transaction) -> None:
            inbox.reply_waits(session, reply_id, str(error))
            inbox.release(session, job.row_id, retry_at, str(error))

        await asyncio.to_thread(self._in_transaction, wait_in)

    @contextlib.asynccontextmanager
    async def _heartbeat(self, row_id: int) -> AsyncIterator[None]:
        """Renew the row's lease (every third of it) while the core runs and the replies go out."""

        async def beat() -> None:
            while True:
                await asyncio.sleep(self._lease.total_seconds() / 3)
                until = self.clock() + self._lease
                await asyncio.to_thread(self._in_transaction, inbox.renew, row_id, until)

        task = asyncio.create_task(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _in_transaction(self, function: Callable[..., Any], *args: Any) -> Any:
        with self._db.transaction() as session:
            return function(session, *args)


def _payload(arrival: Arrival) -> dict[str, Any]:
    if arrival.notice is not None:
        return {"notice": encode(arrival.notice)}
    assert arrival.inbound is not None
    return {"inbound": asdict(arrival.inbound)}


def _inbound(data: dict[str, Any]) -> Inbound:
    location = data.get("location")
    media = data.get("media")
    return Inbound(
        **{
            **data,
            "location": None if location is None else Location(**location),
            "media": None if media is None else Media(**media),
        }
    )


def _left_to_send(session: Transaction, row_id: int) -> tuple[Inbox, list[Outbox]] | None:
    """The claimed row as now stored and its replies still to send; None if it is still pending.

    One transaction for both (they were two: one round trip fewer per message).
    """
    found = session.get(Inbox, row_id)
    assert found is not None
    if found.status == inbox.PENDING:
        return None
    return found, inbox.replies(session, row_id)


def _answer_with(
    session: Transaction,
    row: Inbox,
    replies: list[Reply],
    person_id: int | None,
    error: str | None = None,
    mark_first: bool = False,
) -> list[_Queued]:
    """Queue the replies to a message and mark it answered; the replies as queued.

    ``mark_first``: the first reply is marked ``sending`` in this same commit, which
    comes before the platform call as the mark must (a crash before the send
    resends it once: no duplicate, since the platform never had it).
    """
    now = row.received_at
    queued = []
    for position, reply in enumerate(replies):
        payload = encode(reply)
        reply_id = inbox.add_reply(
            session, row, position, person_id, payload, reply.question_id, now
        )
        marked = mark_first and position == 0
        if marked:
            inbox.sending(session, reply_id)
        queued.append(_Queued(reply_id, 0, reply, marked))
    inbox.answered(session, row.id or 0, error)
    return queued


def _finish(
    session: Transaction, job: _Job, now: datetime, error: str | None, sent: int | None
) -> bool:
    """The message is done (or parked, if the core gave up); ``sent``: the last reply, sent.

    Whether the lane has another message waiting.
    """
    if sent is not None:
        inbox.sent(session, sent, now)
    if job.gave_up:
        inbox.fail(session, job.row_id, now, GAVE_UP)
    else:
        inbox.finish(session, job.row_id, now, error)
    inbox.forget_if_stranger(session, job.lane)
    return inbox.has_open(session, job.lane)


def _give_up(session: Transaction, row: Inbox, apology: list[Reply]) -> None:
    """Three failures: the person hears one apology; the message is then parked for an operator."""
    _answer_with(session, row, apology, None, GAVE_UP)


def _apology(session: Transaction, row_id: int) -> int:
    """Queue the one apology of a message whose reply could not be delivered; its outbox id."""
    row = session.get(Inbox, row_id)
    assert row is not None
    reply = encode(Reply(T.REPLY_LOST))
    return inbox.add_reply(session, row, APOLOGY_POSITION, None, reply, None, row.received_at)


# --- the operator's commands (``python -m bot inbox``) ---------------------------------------

MESSAGE_PREFIX = "m"
REPLY_PREFIX = "r"


def parked(database: Database, limit: int = 100) -> list[inbox.Parked]:
    """What failed for good: inbound messages the core could not handle, undeliverable replies."""
    with database.transaction() as session:
        return inbox.parked(session, limit)


def parked_id(item: inbox.Parked) -> str:
    """How an operator names a parked item: ``m12`` (message 12) or ``r34`` (reply 34)."""
    return (MESSAGE_PREFIX if item.kind == inbox.PARKED_MESSAGE else REPLY_PREFIX) + str(item.id)


def retry_parked(database: Database, name: str) -> bool:
    """Put a parked message or reply back in its lane; a running bot's sweep takes it up.

    False when ``name`` names nothing parked (a typo, or it was retried already).
    """
    prefix, digits = name[:1].lower(), name[1:]
    if not digits.isascii() or not digits.isdigit():
        return False
    with database.transaction() as session:
        if prefix == MESSAGE_PREFIX:
            return inbox.retry_message(session, int(digits))
        if prefix == REPLY_PREFIX:
            return inbox.retry_reply(session, int(digits)) is not None
    return False

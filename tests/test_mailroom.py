"""The mailroom on its own: a slow core keeps its lease, and the last reply settles its message.

Why: a message is answered once even when the core takes longer than the lease
(a second process must not take it over while the first still works), and a
message is never finished before its last reply was accepted.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import select

from conversations import ALL_FORMS, Engine, Inbound, Reply
from handlers import Service
from handlers.channels import ChannelInfo, Limit
from handlers.mailroom import Arrival, Lane, Mailroom
from handlers.reminders.pacing import Pace
from handlers.service import Answer
from storage import Database, Transaction
from storage.models import Inbox, Outbox
from tests.roster import KADER

LEASE = timedelta(seconds=0.3)


class SlowService(Service):
    """The real core, taking a second per message (a slow database), counting its calls."""

    calls = 0
    _lock = threading.Lock()

    def answer(self, session: Transaction, inbound: Inbound, now: datetime) -> Answer:
        with self._lock:
            SlowService.calls += 1
        time.sleep(1.0)
        return super().answer(session, inbound, now)


class Phone:
    """A channel that only records what it is asked to send."""

    name = "console"

    def __init__(self) -> None:
        self.pace = Pace(ChannelInfo(self.name, Limit(per_second=1000)))
        self.sent: list[tuple[str, str, int | None]] = []

    async def send(
        self, user_id: str, replies: Sequence[Reply], outbox_id: int | None = None
    ) -> None:
        self.sent.extend((user_id, reply.text, outbox_id) for reply in replies)


async def test_a_core_slower_than_the_lease_keeps_its_message(service, database: Database):
    slow = SlowService(database, Engine(ALL_FORMS), service.clock)
    first, second = Mailroom(slow, lease=LEASE), Mailroom(slow, lease=LEASE)
    phones = Phone(), Phone()
    first.attach(phones[0])
    second.attach(phones[1])
    lane = Lane("console", KADER)
    inbound = Inbound("console", KADER, "m-1", "bantuan", phone=KADER)
    await first.accept([Arrival(lane, "m-1", 1, inbound)])
    for _ in range(8):  # the other process sweeps while the first one's core works
        await asyncio.sleep(0.15)
        await second.sweep()
    await first.idle()
    await second.idle()
    assert SlowService.calls == 1, "one core run: the lease was renewed while it worked"
    assert phones[1].sent == [] and len(phones[0].sent) == 1
    with database.transaction() as session:
        [row] = session.exec(select(Inbox)).all()
        replies = session.exec(select(Outbox.status).where(Outbox.inbox_id == row.id)).all()
    assert (row.status, row.attempts, replies) == ("done", 1, ["sent"])


async def test_the_last_reply_is_marked_sent_with_the_end_of_its_message(service, database):
    mailroom = Mailroom(service)
    phone = Phone()
    mailroom.attach(phone)
    lane = Lane("console", KADER)
    await mailroom.settle(
        [Arrival(lane, "m-1", 1, Inbound("console", KADER, "m-1", "lapor", phone=KADER))]
    )
    [(_, text, outbox_id)] = phone.sent
    assert "Laporan apa" in text
    with database.transaction() as session:
        reply = session.get(Outbox, outbox_id)
        [row] = session.exec(select(Inbox)).all()
    assert reply is not None and (reply.status, reply.attempts) == ("sent", 1)
    assert row.status == "done" and row.finished_at == reply.sent_at

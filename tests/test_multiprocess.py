"""Several ``python -m bot run`` processes on one PostgreSQL database, as a district scales out.

Real processes, real HTTP: signed WhatsApp webhooks (``whatsapp_payloads``) are
spread round-robin over three processes, which answer through ``FakeGraphAPI``
in this test's event loop and share their sending limit through Redis. Skipped,
saying why, when PostgreSQL (``TEST_POSTGRES_URL``) or Redis (``TEST_REDIS_URL``)
does not answer.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select

from bot.channels.whatsapp_payload import render_reply
from conversations import ALL_FORMS, Engine, Inbound
from handlers import Service
from storage import Database, inbox
from storage.locks import ProcessLock
from storage.models import Inbox, Outbox
from storage.models_whatsapp import WhatsAppMessage
from tests import whatsapp_payloads as payloads
from tests.builders import District
from tests.conftest import fresh_postgres
from tests.telegram_emulator import TelegramEmulator
from tests.test_whatsapp_channel import shown
from tests.web_app import free_port
from tests.whatsapp_graph_fake import FakeGraphAPI

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parent.parent
SECRET = "app-secret"
VERIFY = "verify-me"
TOKEN = "wa-token"
USERS = 50
PROCESSES = 3
LIMIT = 40
"""Sends per second for the number: below what three processes answer, so the limit binds."""
SCRIPT = ["lapor", "1", "ya", "12", "5", "1"]
SCRIPT += ["80", "60", "40", "10", "5", "5", "2", "1", "50", "1", "2"]
SCRIPT += ["8", "6", "1", "1", "6", "0", "1", "4", "0", "0", "30", "20", "3"]
"""30 messages of a monthly report, answered question by question: order decides every answer."""


def kader_wa(index: int) -> str:
    return f"6281300{index:06d}"


def roster(users: int) -> District:
    """One Puskesmas; ``users`` kader, each of their own Posyandu, all named alike.

    Same names, so every kader's conversation reads the same and one reference
    run gives what each of them must receive.
    """
    district = District()
    district.provinsi("32", "Jawa Barat")
    district.kabupaten("32.96", "Kabupaten Ramai", "32")
    district.kecamatan("32.96.01", "Kecamatan Ramai", "32.96")
    district.puskesmas("PR1", "Puskesmas Ramai", "32.96.01")
    district.desa("32.96.01.2001", "Desa Ramai", "PR1")
    for index in range(users):
        code = f"PR{index:04d}"
        district.posyandu(code, "Posyandu Melati", "32.96.01.2001")
        district.person(f"+{kader_wa(index)}", "Sari", "kader", code, [code])
    return district


def expected_texts(tmp_path: Path) -> list[str]:
    """What one kader reads, from the core alone on SQLite, one message at a time."""
    database = Database(f"sqlite:///{tmp_path}/reference.db")
    database.upgrade()
    roster(1).write(database)
    service = Service(database, Engine(ALL_FORMS))
    wa_id = kader_wa(0)
    texts = []
    for step, line in enumerate(SCRIPT):
        inbound = Inbound("whatsapp", wa_id, f"ref-{step}", text=line, phone=f"+{wa_id}")
        for reply in service.handle(inbound):
            texts += [shown(body) for body in render_reply(wa_id, reply)]
    database.dispose()
    return texts


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error}); set TEST_REDIS_URL")
    return REDIS_URL


@pytest.fixture
def postgres() -> Iterator[str]:
    """A fresh migrated PostgreSQL database of its own, dropped afterwards."""
    with fresh_postgres() as url:
        yield url


@dataclass
class Process:
    """One ``python -m bot run`` and the port its webhooks arrive on."""

    popen: asyncio.subprocess.Process
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def start_bot(env: dict[str, str], folder: Path, name: str) -> Process:
    port = free_port()
    log = folder / f"{name}.log"
    popen = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env={**os.environ, **env, "HTTP_PORT": str(port), "PYTHONPATH": str(ROOT)},
        cwd=folder,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    return Process(popen, port, log)


async def wait_until_serving(process: Process, timeout: float = 60.0) -> None:
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "siap"}
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while True:
            assert process.popen.returncode is None, process.log.read_text()
            try:
                response = await client.get(f"{process.url}/whatsapp/webhook", params=query)
                if response.text == "siap":
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"not serving:\n{process.log.read_text()}"
            await asyncio.sleep(0.2)


async def stop_bot(process: Process) -> int:
    if process.popen.returncode is None:
        process.popen.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(process.popen.wait(), 30)
    except TimeoutError:
        process.popen.kill()
        return await process.popen.wait()


@asynccontextmanager
async def bots(count: int, env: dict[str, str], folder: Path) -> AsyncIterator[list[Process]]:
    processes = [await start_bot(env, folder, f"bot{n}") for n in range(count)]
    try:
        await asyncio.gather(*(wait_until_serving(process) for process in processes))
        yield processes
    finally:
        codes = await asyncio.gather(*(stop_bot(process) for process in processes))
        for process, code in zip(processes, codes, strict=True):
            assert code == 0, process.log.read_text()


def whatsapp_env(graph: FakeGraphAPI, database_url: str, redis_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY,
        "WHATSAPP_API_BASE_URL": graph.base_url,
        "WHATSAPP_RATE_PER_SECOND": str(LIMIT),
        "RATE_LIMIT_REDIS_URL": redis_url,
        "TELEGRAM_BOT_TOKEN": "",
        "LOG_LEVEL": "WARNING",
    }


async def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(predicate):
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.5)


def finished(database: Database) -> bool:
    with database.transaction() as session:
        statuses = session.exec(select(Inbox.status)).all()
    return len(statuses) == USERS * len(SCRIPT) and set(statuses) == {"done"}


def by_id(row: Outbox) -> int:
    return row.id or 0


def by_sort(row: Inbox) -> tuple[int, int]:
    return row.sort_key, row.id or 0


@pytest.mark.timeout(180)
async def test_three_processes_answer_every_message_once_in_order_within_the_limit(
    postgres, redis_url, tmp_path
):
    """50 kader x 30 messages, round-robin over 3 processes on one PostgreSQL and one number."""
    expected = expected_texts(tmp_path)
    database = Database(postgres)
    roster(USERS).write(database)
    phone_id = str(random.randrange(10**14, 10**15))  # its own key in the shared Redis
    business = payloads.Business(phone_number_id=phone_id)
    base = int(time.time())
    async with FakeGraphAPI(phone_id, TOKEN) as graph:
        env = whatsapp_env(graph, postgres, redis_url)
        async with bots(PROCESSES, env, tmp_path) as processes:
            started = time.monotonic()
            turns = itertools.cycle(processes)
            routes = [[next(turns) for _ in SCRIPT] for _ in range(USERS)]

            async def kader(index: int, client: httpx.AsyncClient) -> None:
                """One kader's messages, in order, each to the process the balancer picked."""
                wa_id = kader_wa(index)
                for step, line in enumerate(SCRIPT):
                    message = payloads.text_message(
                        line,
                        wa_id=wa_id,
                        message_id=f"wamid.{uuid.uuid4().hex}",
                        timestamp=base + step,
                    )
                    body, headers = payloads.signed_request(
                        payloads.messages_payload(message, business=business), SECRET
                    )
                    url = f"{routes[index][step].url}/whatsapp/webhook"
                    response = await client.post(url, content=body, headers=headers)
                    assert response.status_code == 200, response.text

            async with httpx.AsyncClient(timeout=30) as client:
                await asyncio.gather(*(kader(index, client) for index in range(USERS)))
            delivered = time.monotonic() - started
            await wait_for(lambda: finished(database), 80, "inbox not done")
            answered = time.monotonic() - started
    busiest = graph.max_requests_in_window(1.0)
    print(f"webhooks in {delivered:.1f} s, answered in {answered:.1f} s, busiest second {busiest}")
    with database.transaction() as session:
        rows = session.exec(select(Inbox).order_by(col(Inbox.id))).all()
        replies = session.exec(select(Outbox).where(col(Outbox.inbox_id).is_not(None))).all()
        records = session.exec(select(WhatsAppMessage)).all()
    database.dispose()
    assert len(rows) == USERS * len(SCRIPT)
    assert {row.attempts for row in rows} == {1}, "each message taken once"
    first_reply = {reply.inbox_id: reply.id for reply in sorted(replies, key=by_id, reverse=True)}
    for lane in {(row.channel, row.user_id) for row in rows}:
        mine = sorted((row for row in rows if (row.channel, row.user_id) == lane), key=by_sort)
        assert [row.payload["inbound"]["text"] for row in mine] == SCRIPT
        answered_in = [first_reply[row.id] for row in mine]
        assert answered_in == sorted(answered_in), f"{lane} answered out of order"
    assert {reply.attempts for reply in replies} == {1}, "each reply handed to Graph once"
    assert {reply.status for reply in replies} == {"sent"}
    assert len(graph.sent) == len(records), "every send recorded once"
    reply_ids = {reply.id for reply in replies}
    answers = {record.wamid for record in records if record.outbox_id in reply_ids}
    assert len(answers) == USERS * len(expected)
    for index in range(USERS):  # (a reminder the scheduler may send on some day is left out)
        wa_id = kader_wa(index)
        read = [
            shown(s["json"])
            for s in graph.sent
            if s["message_id"] in answers and s["to"].lstrip("+") == wa_id
        ]
        assert read == expected, wa_id
    graph.assert_rate_at_most(LIMIT, 1.0)


# --- the claim, from several workers at once --------------------------------------------------

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
LEASE = timedelta(seconds=15)


def keep_lane(database: Database, lane: inbox.Lane, count: int) -> None:
    with database.transaction() as session:
        for n in range(count):
            inbox.keep(session, lane, f"{lane.user_id}:{n}", n, {}, NOW)


def claim(database: Database, lane: inbox.Lane) -> Inbox | None:
    with database.transaction() as session:
        return inbox.claim(session, lane, NOW, LEASE)


def finish(database: Database, row: Inbox) -> None:
    with database.transaction() as session:
        inbox.finish(session, row.id or 0, NOW)


@pytest.mark.backends
def test_a_second_worker_never_takes_the_next_message_of_a_lane_held_by_another(database):
    first, second = database, Database(database.url)  # two connections, as two processes
    siti, dewi = inbox.Lane("whatsapp", "62811"), inbox.Lane("whatsapp", "62812")
    keep_lane(first, siti, 2)
    keep_lane(first, dewi, 1)
    held = claim(first, siti)
    assert held is not None and held.sort_key == 0
    assert claim(second, siti) is None, "Siti's second message waits for her first"
    with second.transaction() as session:
        assert inbox.due_lanes(session, NOW) == [dewi]
    assert claim(second, dewi) is not None, "Dewi's lane is free meanwhile"
    finish(first, held)
    taken = claim(second, siti)
    assert taken is not None and taken.sort_key == 1
    second.dispose()


@pytest.mark.backends
def test_a_claim_waits_for_a_claim_not_yet_committed_and_then_takes_nothing(database):
    """On PostgreSQL the second claim blocks on the first's row lock, then sees it leased."""
    siti = inbox.Lane("whatsapp", "62811")
    keep_lane(database, siti, 2)
    other = Database(database.url)
    found: list[Inbox | None] = []
    with database.transaction() as session:
        assert inbox.claim(session, siti, NOW, LEASE) is not None
        worker = threading.Thread(target=lambda: found.append(claim(other, siti)))
        worker.start()
        worker.join(0.5)
    worker.join(30)
    assert found == [None]
    other.dispose()


@pytest.mark.backends
@pytest.mark.timeout(120)
def test_workers_claiming_at_once_take_every_message_once_and_each_lane_in_order(database):
    """Four workers, each with its own connections, race over 4 lanes of 15 messages."""
    lanes = [inbox.Lane("whatsapp", f"6281{n}") for n in range(4)]
    for lane in lanes:
        keep_lane(database, lane, 15)
    taken: dict[inbox.Lane, list[int]] = {lane: [] for lane in lanes}
    holders: dict[inbox.Lane, int] = {}
    guard = threading.Lock()
    overlaps: list[inbox.Lane] = []

    def worker(number: int) -> None:
        mine = Database(database.url)
        rng = random.Random(number)
        while any(len(done) < 15 for done in taken.values()):
            lane = rng.choice(lanes)
            row = claim(mine, lane)
            if row is None:
                continue
            with guard:
                if lane in holders:
                    overlaps.append(lane)
                holders[lane] = number
                taken[lane].append(row.sort_key)
            time.sleep(0.005)  # the work, while nobody else may take the lane
            with guard:
                holders.pop(lane, None)
            finish(mine, row)
        mine.dispose()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not overlaps
    assert taken == {lane: list(range(15)) for lane in lanes}
    with database.transaction() as session:
        attempts = session.exec(select(Inbox.attempts)).all()
    assert set(attempts) == {1}


# --- long polling: one process per token --------------------------------------------------------


def telegram_env(tg: TelegramEmulator, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "WHATSAPP_ACCESS_TOKEN": "",
        "LOG_LEVEL": "WARNING",
    }


@pytest.mark.timeout(180)
async def test_a_second_poller_on_the_token_is_refused_and_the_first_keeps_polling(
    postgres, tmp_path
):
    """The second exits at once, naming webhook mode; a third takes over once the first died."""
    async with TelegramEmulator(token="7700:multi-process-poller") as tg:
        env = telegram_env(tg, postgres)
        siti = tg.user(user_id=4242, first_name="Siti")
        first = await start_bot(env, tmp_path, "first")
        try:
            await tg.wait_for_poller(timeout=60)
            second = await start_bot(env, tmp_path, "second")
            assert await asyncio.wait_for(second.popen.wait(), 60) == 3
            refusal = second.log.read_text()
            assert "already long-polling" in refusal and "TELEGRAM_WEBHOOK_URL" in refusal
            assert len(tg.calls_to("getMe")) == 1, "the second never called Telegram"
            await siti.send("bantuan")
            await siti.expect(timeout=60)  # the first still polls and answers
            assert all(call.ok for call in tg.calls), "no 409 on either side"
        finally:
            first.popen.kill()  # a crash: its lock goes with its database connection
            await first.popen.wait()
        third = await start_bot(env, tmp_path, "third")
        try:
            await siti.send("bantuan")
            await siti.expect(timeout=60)
        finally:
            assert await stop_bot(third) == 0, third.log.read_text()


@pytest.mark.backends
def test_a_process_lock_is_held_once_on_postgresql_and_always_free_on_sqlite(database):
    other = Database(database.url)
    first, second = ProcessLock(database, "poller:x:1"), ProcessLock(other, "poller:x:1")
    assert first.acquire()
    assert second.acquire() is (database.dialect == "sqlite")
    another = ProcessLock(other, "poller:x:2")
    assert another.acquire(), "another name is another lock"
    another.release()
    first.release()
    assert second.acquire()
    second.release()
    other.dispose()


@pytest.mark.timeout(180)
def test_processes_starting_at_once_on_a_new_database_migrate_it_once():
    """Each ``run`` upgrades the schema at start: one migrates, the others wait for it."""
    with fresh_postgres("base") as url:
        upgrade = f"from storage import Database; Database({url!r}).upgrade()"
        starts = [
            subprocess.Popen([sys.executable, "-c", upgrade], cwd=ROOT, stderr=subprocess.PIPE)
            for _ in range(PROCESSES)
        ]
        errors = [start.communicate(timeout=120)[1].decode() for start in starts]
        assert [start.returncode for start in starts] == [0] * PROCESSES, errors

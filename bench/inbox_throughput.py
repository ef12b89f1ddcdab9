"""Where the time of a message goes: the core, each channel's path, and PostgreSQL, in one run.

Every repetition measures, one after the other on the same machine:

* **raw sqlite3**: a loop of plain ``sqlite3`` doing the writes of a monthly
  report (below), on the migrated schema with the bot's connection settings;
* **core**: ``Service.handle`` over the same conversations on SQLite, and its
  ratio to the raw loop;
* **channels**: a real ``python -m bot run`` process on SQLite, its webhook
  fed by a fake platform in this process, for WhatsApp (signed payloads, replies
  to a fake Graph API), Telegram on python-telegram-bot and on aiogram (the Bot
  API emulator), and the console (in this process, through the same mailroom);
  messages per second from the first webhook to the last reply, and the ratio
  to the core of the same repetition;
* **PostgreSQL**: round trips per message of the core and of the whole
  mailroom path, and WhatsApp end to end with 1 and with 3 ``bot run``
  processes sharing one database, webhooks spread round-robin over them.

Each person answers a message only after its replies arrived (as a person
does); many people write at once. Figures are medians over the repetitions;
ratios are taken within a repetition, then their median. The load average is
printed with the figures: the machine may be shared.

    python -m bench.inbox_throughput --repeat 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import itertools
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from psycopg.pq import TransactionStatus
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table
from sqlalchemy import Engine, event, func
from sqlmodel import select

from bench.core_throughput import BALITA, GROUPS, drop_postgres, postgres_database
from bench.synthetic import kader_phone, load_kader_roster
from bot.channels.console import ConsoleChannel
from conversations import ALL_FORMS, Inbound
from conversations import Engine as FormEngine
from handlers import Service
from handlers.mailroom import Arrival, Lane, Mailroom
from storage import Database
from storage.models import Report
from tests import whatsapp_payloads as payloads
from tests.builders import District
from tests.telegram_emulator import TelegramEmulator
from tests.whatsapp_graph_fake import FakeGraphAPI

SCRIPT = ["lapor", "1", "bulan lalu", "ya", "12", "5", "1", *BALITA, *GROUPS, "kirim"]
"""A monthly report typed question by question: the menu, the answers, ``kirim``."""
WA_TOKEN = "bench-token"
WA_SECRET = "bench-secret"
TG_TOKEN = "123456789:bench-token"
TG_SECRET = "bench_secret"
TG_FIRST_USER = 5_000_000
UNLIMITED = "100000"
"""The platforms' send limits, raised out of the way: the bench measures our path, not pacing."""
START_TIMEOUT = 60.0
REPLY_TIMEOUT = 120.0
RAW_WRITES = (
    "one transaction per message: INSERT the inbox row, SELECT the draft, UPDATE it with a JSON "
    "state of the real size (the first message INSERTs it); the last message INSERTs the report "
    "and DELETEs the draft"
)


@dataclass
class Figures:
    """One repetition's measurements: rates by name, and other counts."""

    rates: dict[str, float] = field(default_factory=dict)
    counts: dict[str, float] = field(default_factory=dict)


# --- raw sqlite3 and the core ------------------------------------------------------------------


def fresh_sqlite(folder: Path, name: str, conversations: int) -> Database:
    database = Database(f"sqlite:///{folder / name}.db")
    database.upgrade()
    load_kader_roster(database, conversations)
    return database


def raw_sqlite(folder: Path, conversations: int, progress: Progress, task: TaskID) -> float:
    """Messages per second of plain sqlite3 doing the writes of :data:`RAW_WRITES`."""
    fresh_sqlite(folder, "raw", conversations).dispose()
    connection = sqlite3.connect(folder / "raw.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=NORMAL")
    person_ids = [row[0] for row in connection.execute("SELECT id FROM person ORDER BY id")]
    posyandu = [row[0] for row in connection.execute("SELECT code FROM posyandu ORDER BY code")]
    started = time.perf_counter()
    messages = 0
    for index, (person_id, code) in enumerate(zip(person_ids, posyandu, strict=False)):
        answers: dict[str, Any] = {}
        for step, line in enumerate(SCRIPT):
            now = datetime.now(UTC).isoformat(sep=" ")
            connection.execute("BEGIN")
            connection.execute(
                "INSERT OR IGNORE INTO inbox (channel, external_id, user_id, sort_key, payload,"
                " status, attempts, received_at, next_attempt_at, finished_at)"
                " VALUES (?, ?, ?, 0, '{}', 'done', 0, ?, ?, ?)",
                ("raw", f"{index}-{step}", kader_phone(index), now, now, now),
            )
            found = connection.execute(
                "SELECT state, version FROM conversation WHERE person_id = ? AND paused_at IS NULL",
                (person_id,),
            ).fetchone()
            answers[f"FIELD_{step}"] = line
            state = json.dumps(_state_like(answers), separators=(",", ":"))
            if found is None:
                connection.execute(
                    "INSERT INTO conversation (person_id, form, state, version, updated_at,"
                    " expires_at) VALUES (?, 'bulanan', ?, 1, ?, ?)",
                    (person_id, state, now, now),
                )
            elif step < len(SCRIPT) - 1:
                connection.execute(
                    "UPDATE conversation SET state = ?, version = ?, updated_at = ?"
                    " WHERE person_id = ? AND version = ? AND paused_at IS NULL",
                    (state, found[1] + 1, now, person_id, found[1]),
                )
            else:
                connection.execute(
                    "INSERT INTO report (kind, report_key, revision, is_latest, posyandu_code,"
                    " period, held, data, submitted_by, submitted_at, channel)"
                    " VALUES ('bulanan', ?, 1, 1, ?, '2026-11', 1, ?, ?, ?, 'raw')",
                    (f"bulanan:{code}", code, json.dumps(answers), person_id, now),
                )
                connection.execute("DELETE FROM conversation WHERE person_id = ?", (person_id,))
            connection.execute("COMMIT")
            messages += 1
        progress.advance(task, len(SCRIPT))
    seconds = time.perf_counter() - started
    connection.close()
    return messages / seconds


def _state_like(answers: dict[str, Any]) -> dict[str, Any]:
    """A dict shaped and sized like a saved monthly-report state with these answers."""
    return {
        "form": "bulanan",
        "context": {"posyandu": "B000001", "periode": "2026-11", "person": 1},
        "answers": answers,
        "skipped": [],
        "remembered": {},
        "confirmed": {},
        "pending": None,
        "current": f"FIELD_{len(answers)}",
        "edit": {},
        "turn": len(answers),
        "expires_at": "2026-12-06T03:00:00+00:00",
        "schema": 2,
        "form_version": 3,
    }


def core(
    database: Database, conversations: int, progress: Progress, task: TaskID
) -> tuple[float, list[int]]:
    """Messages per second of ``Service.handle``; the number of replies to each script line."""
    service = Service(database, FormEngine(ALL_FORMS))
    per_step: list[int] = []
    started = time.perf_counter()
    for index in range(conversations):
        user = kader_phone(index).lstrip("+")
        for step, line in enumerate(SCRIPT):
            replies = service.handle(Inbound("whatsapp", user, f"core-{index}-{step}", text=line))
            if not replies:
                raise RuntimeError(f"no reply to {line!r} in conversation {index}")
            if index == 0:
                per_step.append(len(replies))
        progress.advance(task, len(SCRIPT))
    seconds = time.perf_counter() - started
    check_reports(database, conversations, "core")
    return conversations * len(SCRIPT) / seconds, per_step


def check_reports(database: Database, expected: int, label: str) -> None:
    """Every conversation must have ended in a stored report, or the figures mean nothing."""
    with database.transaction() as session:
        stored = session.exec(select(func.count()).select_from(Report)).one()
    if stored != expected:
        raise RuntimeError(f"{label}: {stored} reports stored, {expected} expected")


def link(database: Database, channel: str, accounts: list[tuple[str, str]]) -> None:
    """Link chat accounts (phone, external id) as if each person had written before."""
    district = District()
    for phone, external_id in accounts:
        district.identity(phone, channel, external_id, last_inbound_at=datetime.now(UTC))
    district.write(database)


# --- counting PostgreSQL round trips -----------------------------------------------------------


@dataclass
class RoundTrips:
    """Client-side count of what goes over the wire to PostgreSQL.

    ``statements``: every statement SQLAlchemy executes; ``transactions``: every
    commit or rollback of a connection that was inside a transaction (each is
    a ``BEGIN``, sent by psycopg before the first statement, and a
    ``COMMIT``/``ROLLBACK``: two round trips; a rollback of an idle connection
    sends nothing); ``pings``: pool pre-pings (one ``SELECT 1`` each).
    """

    statements: int = 0
    transactions: int = 0
    pings: int = 0

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)
        ping = engine.dialect.do_ping

        def counted(connection: Any) -> bool:
            self.pings += 1
            return ping(connection)

        engine.dialect.do_ping = counted  # type: ignore[method-assign]

    @property
    def total(self) -> int:
        return self.statements + 2 * self.transactions + self.pings

    def _statement(self, *_args: Any) -> None:
        self.statements += 1

    def _end(self, connection: Any) -> None:
        raw = connection.connection.dbapi_connection
        if raw.info.transaction_status != TransactionStatus.IDLE:
            self.transactions += 1


def postgres_round_trips(
    admin_url: str, conversations: int, progress: Progress, task: TaskID
) -> dict[str, float] | None:
    """Round trips, statements and transactions per message: the core, then the mailroom path."""
    created = postgres_database(admin_url)
    if created is None:
        return None
    database, name = created
    try:
        database.upgrade()
        load_kader_roster(database, conversations * 2)
        accounts = [(kader_phone(i), kader_phone(i).lstrip("+")) for i in range(conversations * 2)]
        link(database, "whatsapp", accounts)
        service = Service(database, FormEngine(ALL_FORMS))
        counter = RoundTrips()
        counter.attach(database.engine)
        messages = conversations * len(SCRIPT)
        for index in range(conversations):
            user = kader_phone(index).lstrip("+")
            for step, line in enumerate(SCRIPT):
                service.handle(Inbound("whatsapp", user, f"rt-{index}-{step}", text=line))
            progress.advance(task, len(SCRIPT))
        figures = {
            "core round trips": counter.total / messages,
            "core statements": counter.statements / messages,
            "core transactions": counter.transactions / messages,
            "core pings": counter.pings / messages,
        }
        counter.statements = counter.transactions = counter.pings = 0
        mailroom = Mailroom(service)
        mailroom.attach(_NullSender())
        for index in range(conversations, conversations * 2):
            user = kader_phone(index).lstrip("+")
            for step, line in enumerate(SCRIPT):
                inbound = Inbound("whatsapp", user, f"rt-{index}-{step}", text=line)
                arrival = Arrival(Lane("whatsapp", user), inbound.message_id, step, inbound)
                asyncio.run(mailroom.settle([arrival]))
            progress.advance(task, len(SCRIPT))
        figures |= {
            "mailroom round trips": counter.total / messages,
            "mailroom statements": counter.statements / messages,
            "mailroom transactions": counter.transactions / messages,
            "mailroom pings": counter.pings / messages,
        }
        database.dispose()
        return figures
    finally:
        drop_postgres(admin_url, name)


class _NullSender:
    """A channel that delivers every reply at once (the mailroom's path without a platform)."""

    name = "whatsapp"

    async def send(self, user_id: str, replies: Any, outbox_id: int | None = None) -> None:
        return None


# --- channels through a real `bot run` process ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def bot_processes(
    folder: Path, database_url: str, envs: list[dict[str, str]], ready: str
) -> AsyncIterator[None]:
    """``python -m bot run`` once per environment; yields when each logged ``ready``."""
    processes: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for number, extra in enumerate(envs):
            log = folder / f"bot-{number}.log"
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "HTTP_HOST": "127.0.0.1",
                "LOG_LEVEL": "INFO",
                "TELEGRAM_RATE_PER_SECOND": UNLIMITED,
                "WHATSAPP_RATE_PER_SECOND": UNLIMITED,
                **extra,
            }
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "bot", "run"],
                    cwd=folder,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            processes.append((process, log))
        deadline = time.monotonic() + START_TIMEOUT
        for process, log in processes:
            while ready not in log.read_text(errors="replace"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"bot run did not start:\n{log.read_text()[-2000:]}")
                await asyncio.sleep(0.05)
        yield
    finally:
        for process, _log in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, _log in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class CountingGraph(FakeGraphAPI):
    """The fake Graph API, telling each waiting person when a message reached them."""

    def __init__(self) -> None:
        super().__init__(payloads.PHONE_NUMBER_ID, WA_TOKEN)
        self.counts: dict[str, int] = defaultdict(int)
        self._waiters: dict[str, asyncio.Event] = {}
        self._seen = 0

    async def _messages(self, request: Any, record: Any) -> Any:
        response = await super()._messages(request, record)
        for sent in self.sent[self._seen :]:
            self.counts[sent["to"]] += 1
            waiter = self._waiters.get(sent["to"])
            if waiter is not None:
                waiter.set()
        self._seen = len(self.sent)
        return response

    async def wait_for(self, wa_id: str, count: int) -> None:
        async with asyncio.timeout(REPLY_TIMEOUT):
            while self.counts[wa_id] < count:
                waiter = self._waiters[wa_id] = asyncio.Event()
                await waiter.wait()


def whatsapp_env(graph: FakeGraphAPI, port: int) -> dict[str, str]:
    return {
        "HTTP_PORT": str(port),
        "WHATSAPP_ACCESS_TOKEN": WA_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": payloads.PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": WA_SECRET,
        "WHATSAPP_VERIFY_TOKEN": "bench-verify",
        "WHATSAPP_API_BASE_URL": graph.base_url,
    }


async def whatsapp(
    folder: Path,
    database_url: str,
    users: int,
    per_step: list[int],
    processes: int,
    progress: Progress,
    task: TaskID,
) -> float:
    """Messages per second from each signed webhook POST to its replies at the fake Graph API.

    With several processes, each person's messages go round-robin to them.
    """
    async with CountingGraph() as graph:
        ports = [free_port() for _ in range(processes)]
        envs = [whatsapp_env(graph, port) for port in ports]
        async with (
            bot_processes(folder, database_url, envs, "whatsapp channel started"),
            httpx.AsyncClient(timeout=REPLY_TIMEOUT) as http,
        ):
            urls = itertools.cycle(f"http://127.0.0.1:{p}/whatsapp/webhook" for p in ports)

            async def person(index: int) -> None:
                wa_id = kader_phone(index).lstrip("+")
                expected = 0
                for step, line in enumerate(SCRIPT):
                    body, headers = payloads.signed_request(
                        payloads.text(line, wa_id=wa_id, timestamp=step + 1), WA_SECRET
                    )
                    response = await http.post(next(urls), content=body, headers=headers)
                    response.raise_for_status()
                    expected += per_step[step]
                    await graph.wait_for(wa_id, expected)
                    progress.advance(task)

            started = time.perf_counter()
            await asyncio.gather(*(person(i) for i in range(users)))
            seconds = time.perf_counter() - started
    return users * len(SCRIPT) / seconds


async def telegram(
    folder: Path,
    database_url: str,
    library: str,
    users: int,
    per_step: list[int],
    progress: Progress,
    task: TaskID,
) -> float:
    """Messages per second from each update the emulator POSTs to the webhook to its replies."""
    async with TelegramEmulator(token=TG_TOKEN) as tg:
        port = free_port()
        env = {
            "HTTP_PORT": str(port),
            "TELEGRAM_BOT_TOKEN": TG_TOKEN,
            "TELEGRAM_LIBRARY": library,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/webhook",
            "TELEGRAM_WEBHOOK_SECRET": TG_SECRET,
        }
        async with bot_processes(folder, database_url, [env], "telegram channel started"):
            people = [
                tg.user(TG_FIRST_USER + i, f"Kader {i}", phone=kader_phone(i)) for i in range(users)
            ]

            async def person(index: int) -> None:
                user = people[index]
                for step, line in enumerate(SCRIPT):
                    await user.send(line)
                    for _ in range(per_step[step]):
                        await user.expect(timeout=REPLY_TIMEOUT)
                    progress.advance(task)

            started = time.perf_counter()
            await asyncio.gather(*(person(i) for i in range(users)))
            seconds = time.perf_counter() - started
    return users * len(SCRIPT) / seconds


def console(database: Database, users: int, progress: Progress, task: TaskID) -> float:
    """Messages per second through the console channel (its mailroom in this process)."""
    mailroom = Mailroom(Service(database, FormEngine(ALL_FORMS)))
    started = time.perf_counter()
    for index in range(users):
        lines = io.StringIO("".join(f"{line}\n" for line in SCRIPT))
        ConsoleChannel(mailroom, kader_phone(index), lines, io.StringIO()).run()
        progress.advance(task, len(SCRIPT))
    seconds = time.perf_counter() - started
    check_reports(database, users, "console")
    return users * len(SCRIPT) / seconds


# --- one repetition and the table ---------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    conversations: int
    users: int
    postgres: str
    processes: tuple[int, ...]
    channels: tuple[str, ...]


def repetition(plan: Plan, progress: Progress) -> Figures:
    figures = Figures()
    n, users = plan.conversations, plan.users
    with tempfile.TemporaryDirectory(prefix="lapor-bench-") as tmp:
        folder = Path(tmp)
        task = progress.add_task("raw sqlite3", total=n * len(SCRIPT))
        figures.rates["raw sqlite3"] = raw_sqlite(folder, n, progress, task)
        task = progress.add_task("core (SQLite)", total=n * len(SCRIPT))
        database = fresh_sqlite(folder, "core", n)
        link(database, "whatsapp", [(kader_phone(i), kader_phone(i).lstrip("+")) for i in range(n)])
        figures.rates["core"], per_step = core(database, n, progress, task)
        database.dispose()
        for channel in plan.channels:
            task = progress.add_task(channel, total=users * len(SCRIPT))
            database = fresh_sqlite(folder, channel, users)
            url = database.url
            if channel == "whatsapp":
                accounts = [(kader_phone(i), kader_phone(i).lstrip("+")) for i in range(users)]
                link(database, "whatsapp", accounts)
                rate = asyncio.run(whatsapp(folder, url, users, per_step, 1, progress, task))
            elif channel.startswith("telegram"):
                accounts = [(kader_phone(i), str(TG_FIRST_USER + i)) for i in range(users)]
                link(database, "telegram", accounts)
                library = channel.split("/")[1]
                rate = asyncio.run(telegram(folder, url, library, users, per_step, progress, task))
            else:
                rate = console(database, users, progress, task)
            check_reports(database, users, channel)
            database.dispose()
            figures.rates[channel] = rate
        if plan.postgres:
            task = progress.add_task("PostgreSQL round trips", total=2 * n * len(SCRIPT))
            trips = postgres_round_trips(plan.postgres, n, progress, task)
            if trips is not None:
                figures.counts |= trips
                for count in plan.processes:
                    figures.rates[f"PostgreSQL WhatsApp x{count}"] = postgres_processes(
                        plan, folder, count, per_step, progress
                    )
    return figures


def postgres_processes(
    plan: Plan, folder: Path, processes: int, per_step: list[int], progress: Progress
) -> float:
    created = postgres_database(plan.postgres)
    assert created is not None
    database, name = created
    try:
        database.upgrade()
        load_kader_roster(database, plan.users)
        accounts = [(kader_phone(i), kader_phone(i).lstrip("+")) for i in range(plan.users)]
        link(database, "whatsapp", accounts)
        task = progress.add_task(f"PostgreSQL x{processes}", total=plan.users * len(SCRIPT))
        rate = asyncio.run(
            whatsapp(folder, database.url, plan.users, per_step, processes, progress, task)
        )
        check_reports(database, plan.users, f"PostgreSQL x{processes}")
        database.dispose()
        return rate
    finally:
        drop_postgres(plan.postgres, name)


def median(values: Iterator[float] | list[float]) -> float:
    return statistics.median(list(values))


def report(console_out: Console, plan: Plan, runs: list[Figures], loads: list[str]) -> None:
    def rate(name: str) -> float:
        return median(run.rates[name] for run in runs)

    def ratio(name: str, base: str) -> float:
        return median(run.rates[name] / run.rates[base] for run in runs)

    table = Table(
        title=f"Messages per second, median of {len(runs)} "
        f"({plan.conversations} reports in the core, {plan.users} people at once per channel, "
        f"{len(SCRIPT)} messages each)"
    )
    for column in ("path", "msg/s", "each run", "ratio", "goal"):
        table.add_column(column, justify="right")

    def row(name: str, base: str | None, goal: str) -> None:
        each = " ".join(f"{run.rates[name]:,.0f}" for run in runs)
        shown = f"{ratio(name, base):.2f} of {base}" if base else ""
        table.add_row(name, f"{rate(name):,.0f}", each, shown, goal)

    row("raw sqlite3", None, "")
    row("core", "raw sqlite3", ">= 0.25")
    for channel in plan.channels:
        row(channel, "core", ">= 0.5")
    for count in plan.processes:
        name = f"PostgreSQL WhatsApp x{count}"
        if all(name in run.rates for run in runs):
            base = (
                f"PostgreSQL WhatsApp x{plan.processes[0]}" if count != plan.processes[0] else None
            )
            row(name, base, "")
    console_out.print(table)
    console_out.print(f"raw sqlite3 = {RAW_WRITES}; the core also reads the profile (a join).")
    if all(run.counts for run in runs):
        trips = Table(title="PostgreSQL per message (median)")
        for column in ("path", "round trips", "statements", "transactions", "pre-pings", "goal"):
            trips.add_column(column, justify="right")
        for path in ("core", "mailroom"):
            values = [
                median(run.counts[f"{path} {what}"] for run in runs)
                for what in ("round trips", "statements", "transactions", "pings")
            ]
            goal = "<= 5" if path == "core" else ""
            trips.add_row(path, *(f"{v:.2f}" for v in values), goal)
        console_out.print(trips)
        console_out.print(
            "round trips = statements + 2 per transaction (BEGIN, COMMIT) + pre-pings, counted "
            "in the client (SQLAlchemy events); mailroom = keep, claim, answer, send, finish "
            "with a channel that delivers at once"
        )
    console_out.print("load average during the runs: " + "; ".join(loads))


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=60, help="reports through the core")
    parser.add_argument("--users", type=int, default=20, help="people writing at once per channel")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (medians are shown)")
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="admin URL (scratch databases are created and dropped); '' to skip PostgreSQL",
    )
    parser.add_argument(
        "--processes", default="1,3", help="bot run processes on PostgreSQL, comma-separated"
    )
    parser.add_argument(
        "--channels",
        default="whatsapp,telegram/ptb,telegram/aiogram,console",
        help="channel paths to measure, comma-separated",
    )
    args = parser.parse_args(argv)
    plan = Plan(
        args.conversations,
        args.users,
        args.postgres,
        tuple(int(p) for p in args.processes.split(",") if p),
        tuple(c for c in args.channels.split(",") if c),
    )
    out = Console()
    runs: list[Figures] = []
    loads = [f"before {load_average()}"]
    with Progress(console=out) as progress:
        for number in range(args.repeat):
            runs.append(repetition(plan, progress))
            loads.append(f"after run {number + 1} {load_average()}")
    report(out, plan, runs, loads)


if __name__ == "__main__":
    main()

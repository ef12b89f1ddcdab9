"""The crash matrix: real ``python -m bot run`` processes killed with SIGKILL mid-message.

Why: a kader who typed an answer must get exactly one reply, whatever
crashes. Each test starts the bot as an operator would (settings in the
environment) against a platform fake served by this test process: Telegram by
webhook and by long polling (the Bot API emulator), WhatsApp by webhook (signed
payloads in, the fake Graph API recording the sends). Siti reports a live
birth (``lapor``, ``4``, ``1``, ``hari ini``, ``1``, ``1``, ``kirim``: seven
messages, one report) and the bot is killed at one stage of a message's life:

1. acknowledged, not yet processed: PostgreSQL's ``conversation`` table is
   locked by the test, so the core cannot start, while the platform hears 200
   (or the next ``getUpdates`` confirms) for all seven;
2. mid-processing: ``outbox`` is locked against inserts, so the core's
   transaction has saved the new state and waits to write its replies;
3. after the commit, with a reply's send in flight: the platform holds the
   request, either before taking the message or after (then the person has it
   and the bot does not know: the one send a crash may double).

After a restart every acknowledged message is processed exactly once (inbox
rows done, one report), every reply is delivered, and the platform's
duplicates are counted: none, except the one send that was in flight when
the platform had already taken it.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
from sqlalchemy import create_engine, text, update
from sqlmodel import col, select

from bot.channels import words as channel_words
from handlers import words as handler_words
from handlers.clock import utc_now
from storage import Database, outbox
from storage.models import ChannelIdentity, Inbox, Outbox, Report
from tests import whatsapp_payloads as payloads
from tests.conftest import fresh_postgres
from tests.holds import Hold
from tests.processes import BotProcess, bot_environment, bot_process, free_port, run_command
from tests.roster import KADER, load_roster, uji_district
from tests.telegram_emulator import TelegramEmulator
from tests.test_whatsapp_channel import shown
from tests.whatsapp_graph_fake import FakeGraphAPI

pytestmark = pytest.mark.timeout(120)

THANKS = "Terima kasih! Laporan kejadian"
STEPS = (
    ("lapor", "Laporan apa"),
    ("4", "Kejadian apa"),
    ("1", "Tanggal berapa"),
    ("hari ini", "Di desa mana"),
    ("1", "Di mana tempat"),
    ("1", "Periksa dulu"),
    ("kirim", THANKS),
)
"""A live birth reported from the menu: seven messages, one report, no alert; each line with
(part of) the reply it gets."""
SCRIPT = tuple(line for line, _reply in STEPS)
AFTERWARDS = "status"
"""Typed after the report while its thanks is still on its way: waits in the lane."""
SETTLE_SECONDS = 45.0
TOKEN = "123456789:AACrashTestToken"
SECRET = "rahasia_crash-123"
SITI_ID = 1001
WA_TOKEN = "crash-token"
WA_SECRET = "crash-app-secret"
KADER_WA = KADER.removeprefix("+")


# --- the platforms ------------------------------------------------------------------------


class Platform(Protocol):
    """One channel as Siti and the test see it: her phone, and what reached it."""

    channel: str
    user_id: str

    def settings(self) -> dict[str, Any]:
        """The bot's settings for this platform (its environment)."""

    async def ready(self, since: float) -> None:
        """Wait until the bot that started at ``since`` receives messages."""

    async def register(self) -> None:
        """First contact, before the test proper (Telegram: share the contact)."""

    async def say(self, line: str) -> None:
        """Siti types ``line``; returns once the platform holds it acknowledged."""

    async def hears(self, fragment: str) -> None:
        """Wait until a message containing ``fragment`` reached Siti."""

    def hold(self, *, performed: bool) -> Hold: ...

    def received(self) -> list[str]:
        """Every message delivered to Siti, as she reads it, oldest first."""


@dataclass
class Telegram:
    tg: TelegramEmulator
    bot_url: str
    webhook: bool
    channel: str = "telegram"
    user_id: str = str(SITI_ID)

    def settings(self) -> dict[str, Any]:
        values = {"telegram_bot_token": self.tg.token, "telegram_api_base_url": self.tg.base_url}
        if self.webhook:
            values["telegram_webhook_url"] = f"{self.bot_url}/telegram/webhook"
            values["telegram_webhook_secret"] = SECRET
        return values

    async def ready(self, since: float) -> None:
        await self.tg.wait_for_call("setMyCommands", lambda c: c.at > since, timeout=60)

    async def register(self) -> None:
        siti = self.tg.user(SITI_ID, "Siti", phone=KADER)
        await siti.send("/start")
        await siti.expect(handler_words.ASK_CONTACT)
        await siti.tap(channel_words.BUTTON_SHARE_CONTACT)
        await siti.expect("Halo Siti")

    async def say(self, line: str) -> None:
        update = await self.tg.user(SITI_ID).send(line)
        async with asyncio.timeout(10):
            while any(u["update_id"] == update["update_id"] for u in self.tg.pending_updates):
                await asyncio.sleep(0.02)

    async def hears(self, fragment: str) -> None:
        await self.tg.user(SITI_ID).expect(fragment, timeout=SETTLE_SECONDS)

    def hold(self, *, performed: bool) -> Hold:
        return self.tg.hold("sendMessage", SITI_ID, performed=performed)

    def received(self) -> list[str]:
        return [m.text or "" for m in self.tg.chat(SITI_ID).messages]


@dataclass
class WhatsApp:
    graph: FakeGraphAPI
    bot_url: str
    channel: str = "whatsapp"
    user_id: str = KADER_WA

    def settings(self) -> dict[str, Any]:
        return {
            "whatsapp_access_token": WA_TOKEN,
            "whatsapp_phone_number_id": self.graph.phone_number_id,
            "whatsapp_app_secret": WA_SECRET,
            "whatsapp_verify_token": "verify-crash",
            "whatsapp_api_base_url": self.graph.base_url,
        }

    async def ready(self, since: float) -> None:
        """Meta retries a webhook until it gets 200: so does :meth:`say`."""

    async def register(self) -> None:
        """WhatsApp gives the number: nothing to do."""

    async def say(self, line: str) -> None:
        body, headers = payloads.signed_request(payloads.text(line, wa_id=KADER_WA), WA_SECRET)
        async with asyncio.timeout(20), httpx.AsyncClient(base_url=self.bot_url) as http:
            while (
                answer := await http.post("/whatsapp/webhook", content=body, headers=headers)
            ).status_code != 200:
                assert answer.status_code == 503, answer.text
                await asyncio.sleep(0.1)

    async def hears(self, fragment: str) -> None:
        async with asyncio.timeout(SETTLE_SECONDS):
            while not any(fragment in line for line in self.received()):
                await asyncio.sleep(0.1)

    def hold(self, *, performed: bool) -> Hold:
        return self.graph.hold(KADER_WA, performed=performed)

    def received(self) -> list[str]:
        return [shown(body) for body in self.graph.sent_to(KADER_WA)]


CHANNELS = ("telegram-webhook", "telegram-polling", "whatsapp")


@contextlib.asynccontextmanager
async def platform(kind: str, bot_url: str) -> AsyncIterator[Platform]:
    """The fake of ``kind`` (one of :data:`CHANNELS`) for a bot serving ``bot_url``."""
    if kind == "whatsapp":
        async with FakeGraphAPI(payloads.PHONE_NUMBER_ID, WA_TOKEN) as graph:
            yield WhatsApp(graph, bot_url)
        return
    async with TelegramEmulator(token=TOKEN) as tg:
        yield Telegram(tg, bot_url, webhook=kind == "telegram-webhook")


# --- the bot and its database --------------------------------------------------------------


@dataclass
class Crash:
    """One test's bot process, its platform and its database."""

    bot: BotProcess
    platform: Platform
    database: Database
    url: str

    async def start(self) -> float:
        since = time.monotonic()
        return await self.bot.start(lambda: self.platform.ready(since))

    async def idle(self) -> None:
        """Wait until every message of Siti's is answered and its replies sent."""
        async with asyncio.timeout(SETTLE_SECONDS):
            while open_rows(self.database, self.platform):
                await asyncio.sleep(0.05)

    async def settled(self) -> float:
        """Wait until Siti's lane is empty and the report's thanks reached her; seconds."""
        began = time.monotonic()
        await self.platform.hears(THANKS)
        await self.idle()
        return time.monotonic() - began


@contextlib.contextmanager
def database_for(backend: str, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A migrated database holding Kabupaten Uji (tests/roster.py): its URL."""
    if backend == "postgresql":
        with fresh_postgres() as url:
            yield url
        return
    path = tmp_path / "bot.db"
    shutil.copy(sqlite_template, path)
    yield f"sqlite:///{path}"


@contextlib.asynccontextmanager
async def crash_setup(
    kind: str, backend: str, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[Crash]:
    with database_for(backend, tmp_path, sqlite_template) as url:
        database = Database(url)
        load_roster(database)
        port = free_port()
        try:
            async with platform(kind, f"http://127.0.0.1:{port}") as chat:
                env = bot_environment(
                    tmp_path,
                    database_url=url,
                    http_port=port,
                    inbox_sweep_seconds=0.2,
                    **chat.settings(),
                )
                async with bot_process(tmp_path, env, port) as bot:
                    yield Crash(bot, chat, database, url)
        finally:
            database.dispose()


@contextlib.contextmanager
def locked(url: str, statement: str) -> Iterator[None]:
    """Hold a PostgreSQL table lock in an open transaction of the test's own."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            connection.execute(text(statement))
            try:
                yield
            finally:
                transaction.rollback()
    finally:
        engine.dispose()


async def blocked_on(url: str, fragment: str) -> None:
    """Wait until a session of the bot waits for a lock, in a statement holding ``fragment``."""
    engine = create_engine(url)
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND query ILIKE :fragment"
    )
    try:
        async with asyncio.timeout(30):
            while True:
                with engine.connect() as connection:
                    if connection.execute(query, {"fragment": f"%{fragment}%"}).scalar():
                        return
                await asyncio.sleep(0.05)
    finally:
        engine.dispose()


# --- what the database and the platform say ------------------------------------------------------


def open_rows(database: Database, chat: Platform) -> int:
    with database.transaction() as session:
        return len(
            session.exec(
                select(Inbox.id).where(
                    Inbox.channel == chat.channel,
                    Inbox.user_id == chat.user_id,
                    col(Inbox.status).in_(("pending", "answered")),
                )
            ).all()
        )


@dataclass
class Outcome:
    messages: int
    processed: Counter[str]
    reports: int
    replies: int
    unsent: int
    missing: int
    duplicates: int


def outcome(database: Database, chat: Platform) -> Outcome:
    """What became of Siti's messages, and her replies as the platform delivered them."""
    with database.transaction() as session:
        rows = session.exec(
            select(Inbox.status).where(Inbox.channel == chat.channel, Inbox.user_id == chat.user_id)
        ).all()
        reports = session.exec(select(Report.id).where(Report.kind == "kejadian")).all()
        replies = session.exec(
            select(Outbox.payload, Outbox.status).where(
                Outbox.channel == chat.channel,
                Outbox.address == chat.user_id,
                col(Outbox.inbox_id).is_not(None),
            )
        ).all()
    expected = Counter(payload["text"].strip() for payload, _status in replies)
    delivered = Counter(line.strip() for line in chat.received())
    return Outcome(
        messages=len(rows),
        processed=Counter(rows),
        reports=len(reports),
        replies=len(replies),
        unsent=sum(status != "sent" for _payload, status in replies),
        missing=sum((expected - delivered).values()),
        duplicates=sum(
            delivered[reply] - count
            for reply, count in expected.items()
            if delivered[reply] > count
        ),
    )


def report(label: str, result: Outcome, restart: float, settle: float) -> None:
    print(
        f"\nFIGURES {label}: {result.messages} messages {dict(result.processed)}, "
        f"{result.reports} report(s), {result.replies} replies, {result.missing} missing, "
        f"{result.duplicates} duplicated; restart {restart:.1f} s, then settled in {settle:.1f} s"
    )


def assert_exactly_once(result: Outcome, messages: int, duplicates: int = 0) -> None:
    assert result.messages == messages
    assert result.processed == Counter({"done": messages}), "every message processed once"
    assert result.reports == 1, "one report, not doubled"
    assert result.unsent == 0 and result.missing == 0, "every reply delivered"
    assert result.duplicates == duplicates


REGISTRATION = {"telegram-webhook": 1, "telegram-polling": 1, "whatsapp": 0}
"""Inbox rows left by first contact: Telegram's shared contact (``/start`` from someone not yet
linked is forgotten once answered)."""


# --- the matrix -----------------------------------------------------------------------------


LOCKS = {
    "acknowledged": ("LOCK TABLE conversation IN ACCESS EXCLUSIVE MODE", "conversation"),
    "mid-processing": ("LOCK TABLE outbox IN EXCLUSIVE MODE", "INSERT INTO outbox"),
}


@pytest.mark.parametrize("stage", list(LOCKS))
@pytest.mark.parametrize("kind", CHANNELS)
async def test_killed_before_the_core_commits(kind, stage, tmp_path, sqlite_template):
    """Stages 1 and 2: the core cannot finish; all seven are acknowledged; kill -9; restart."""
    statement, waits_in = LOCKS[stage]
    async with crash_setup(kind, "postgresql", tmp_path, sqlite_template) as crash:
        await crash.start()
        await crash.platform.register()
        await crash.idle()
        with locked(crash.url, statement):
            for line in SCRIPT:
                await crash.platform.say(line)
            await blocked_on(crash.url, waits_in)
            await crash.bot.kill()
        assert open_rows(crash.database, crash.platform) == len(SCRIPT)
        restart = await crash.start()
        settle = await crash.settled()
        result = outcome(crash.database, crash.platform)
    report(f"{kind} {stage}", result, restart, settle)
    assert_exactly_once(result, REGISTRATION[kind] + len(SCRIPT))


@pytest.mark.parametrize("performed", [False, True], ids=["not-taken", "taken"])
@pytest.mark.parametrize("kind", CHANNELS)
async def test_killed_with_a_reply_in_flight(kind, performed, tmp_path, sqlite_template):
    """Stage 3: the report committed, its thanks held open by the platform; kill -9.

    Siti answers each question as it comes; her ``status`` typed afterwards is
    acknowledged meanwhile and waits in the lane. Not taken by the platform:
    no duplicate; taken: exactly that one send twice.
    """
    async with crash_setup(kind, "sqlite", tmp_path, sqlite_template) as crash:
        await crash.start()
        await crash.platform.register()
        for line, expect in STEPS[:-1]:
            await crash.platform.say(line)
            await crash.platform.hears(expect)
        held = crash.platform.hold(performed=performed)
        await crash.platform.say(SCRIPT[-1])
        await crash.platform.say(AFTERWARDS)
        await held.wait_arrived()
        await crash.bot.kill()
        held.release()
        restart = await crash.start()
        settle = await crash.settled()
        result = outcome(crash.database, crash.platform)
    label = f"{kind} reply in flight ({'taken' if performed else 'not taken'})"
    report(label, result, restart, settle)
    assert_exactly_once(result, REGISTRATION[kind] + len(SCRIPT) + 1, duplicates=int(performed))


# --- stage 4: the reminder dispatcher ---------------------------------------------------------

REMINDERS = 300
KILLED_AFTER = 100
RATE = {"telegram": 30, "whatsapp": 50}
FIRST_CHAT = 5000


def queue_reminders(database: Database, channel: str) -> None:
    """Kabupaten Uji with 300 more kader, each with one reminder queued (and a chat to get it)."""
    district = uji_district()
    phones = [f"+62813{n:08d}" for n in range(REMINDERS)]
    for n, phone in enumerate(phones):
        district.person(phone, f"Kader {n}", "kader", "PY1", ["PY1"])
    ids = district.write(database)
    now = utc_now()
    with database.transaction() as session:
        outbox.enqueue_many(
            session,
            [
                outbox.Queued(f"crash:{n}", ids[phone], "test", f"pengingat {n}", None)
                for n, phone in enumerate(phones)
            ],
            now,
        )
        if channel == "telegram":
            for n, phone in enumerate(phones):
                session.add(
                    ChannelIdentity(
                        channel="telegram",
                        external_id=str(FIRST_CHAT + n),
                        person_id=ids[phone],
                        created_at=now,
                    )
                )


def reminders_delivered(chat: Telegram | WhatsApp) -> Counter[str]:
    if isinstance(chat, WhatsApp):
        lines = [shown(body) for body in (sent["json"] for sent in chat.graph.sent)]
    else:
        lines = [
            m.text or "" for n in range(REMINDERS) for m in chat.tg.chat(FIRST_CHAT + n).messages
        ]
    return Counter(line for line in lines if line.startswith("pengingat"))


def leases(database: Database) -> list[datetime]:
    """When the leases of reminders still waiting end."""
    with database.transaction() as session:
        found = session.exec(
            select(Outbox.claimed_until).where(
                col(Outbox.status).in_(("pending", "sending")),
                col(Outbox.claimed_until).is_not(None),
            )
        ).all()
    return [until for until in found if until is not None]


async def dispatch_once(folder: Path, env: dict[str, str]) -> str:
    """``jobs run … --dispatch`` to its end; what it printed."""
    process = await run_command(folder, env, "jobs", "run", "summary_snapshot", "--dispatch")
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, output.decode()
    return output.decode()


@pytest.mark.parametrize("kind", ["telegram", "whatsapp"])
async def test_dispatcher_killed_mid_dispatch(kind, tmp_path, sqlite_template):
    """Stage 4: 300 reminders at the platform's rate; kill -9 after 100; rerun; rerun later.

    Every reminder arrives; the duplicates (sends the killed dispatcher made but had not
    written down) are counted, and are at most one second of sends. The rerun right after
    the kill must say what the killed one still holds and until when.
    """
    path = tmp_path / "bot.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    channel = "telegram" if kind == "telegram" else "whatsapp"
    queue_reminders(database, channel)
    async with platform("telegram-polling" if kind == "telegram" else "whatsapp", "") as chat:
        assert isinstance(chat, Telegram | WhatsApp)
        if isinstance(chat, Telegram):
            for n in range(REMINDERS):
                chat.tg.user(FIRST_CHAT + n, f"Kader {n}")
        settings = chat.settings()
        settings[f"{channel}_rate_per_second"] = RATE[channel]
        env = bot_environment(tmp_path, database_url=f"sqlite:///{path}", **settings)
        began = time.monotonic()
        killed = await run_command(tmp_path, env, "jobs", "run", "summary_snapshot", "--dispatch")
        try:
            async with asyncio.timeout(60):
                while sum(reminders_delivered(chat).values()) < KILLED_AFTER:
                    await asyncio.sleep(0.01)
        finally:
            killed.kill()
            await killed.wait()
        at_kill = sum(reminders_delivered(chat).values())
        killed_at = time.monotonic() - began
        held = leases(database)
        rerun = await dispatch_once(tmp_path, env)
        after_rerun = sum(reminders_delivered(chat).values())
        still_held = leases(database)
        with database.transaction() as session:
            held_rows = col(Outbox.status).in_(("pending", "sending"))
            session.execute(update(Outbox).where(held_rows).values(claimed_until=None))
        await dispatch_once(tmp_path, env)
        delivered = reminders_delivered(chat)
    with database.transaction() as session:
        statuses = Counter(session.exec(select(Outbox.status)).all())
    database.dispose()
    duplicates = sum(delivered.values()) - len(delivered)
    print(
        f"\nFIGURES {kind} dispatcher killed after {at_kill} sends ({killed_at:.1f} s): "
        f"{len(held)} leased at the kill, the rerun sent {after_rerun - at_kill} and left "
        f"{len(still_held)} leased until {max(still_held, default=None)}; "
        f"after the leases ended: {len(delivered)} of {REMINDERS} delivered, "
        f"{duplicates} duplicated; rerun printed: {rerun.strip().splitlines()[-1]!r}"
    )
    assert statuses == Counter({"sent": REMINDERS})
    assert len(delivered) == REMINDERS, "every reminder arrives"
    assert duplicates <= RATE[channel], "at most one second of sends doubled"
    assert still_held, "the killed dispatcher's rows stay leased for the lease's 15 s"
    until = max(still_held).strftime("%H:%M:%S")
    assert f"leased to another dispatcher until {until}" in rerun, rerun

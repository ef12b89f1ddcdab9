"""The WhatsApp channel end to end over real HTTP on 127.0.0.1.

Meta's side is played by signed, real-shaped webhook bodies (``whatsapp_payloads``)
POSTed to our aiohttp server and by ``FakeGraphAPI``, which validates and records
every send. Behind the webhook run the real core service and a real SQLite
database; the storage functions are also run on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.channels import whatsapp_payload as wp
from bot.channels import words as channel_words
from bot.channels.whatsapp import INFO, WhatsAppChannel
from bot.channels.whatsapp_client import GraphClient
from bot.config import Settings
from bot.web import create_app, serve
from conversations import ALL_FORMS, Attachment, Engine, Inbound, Reply
from conversations import words as engine_words
from handlers import Service
from handlers import words as handler_words
from handlers.delivery import DeliveryError
from handlers.mailroom import Arrival, Mailroom
from handlers.reminders.pacing import Pace
from handlers.retry import RetryPolicy
from handlers.service import Answer
from handlers.whatsapp_records import SentRecords
from storage import Database, Transaction, inbox, people
from storage import whatsapp as store
from storage.models import ChannelIdentity, Inbox, Outbox, Person, Report
from storage.models_whatsapp import WhatsAppMessage
from tests import whatsapp_payloads as payloads
from tests.conftest import Clock
from tests.roster import BIDAN, KADER, KADER_TWO_POSYANDU, STRANGER, load_roster
from tests.test_engine import GROUPS, OCTOBER
from tests.whatsapp_graph_fake import FakeGraphAPI

pytestmark = pytest.mark.timeout(30)

TOKEN = "test-token"
SECRET = "app-secret"
VERIFY = "verify-me"
PHONE_ID = payloads.PHONE_NUMBER_ID
TEMPLATE = "pemberitahuan"
FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KADER_WA = KADER.removeprefix("+")
KADER2_WA = KADER_TWO_POSYANDU.removeprefix("+")
BIDAN_WA = BIDAN.removeprefix("+")
STRANGER_WA = STRANGER.removeprefix("+")


def settings_for(graph: FakeGraphAPI, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "whatsapp_access_token": TOKEN,
        "whatsapp_phone_number_id": PHONE_ID,
        "whatsapp_app_secret": SECRET,
        "whatsapp_verify_token": VERIFY,
        "whatsapp_api_base_url": graph.base_url,
        **overrides,
    }
    return Settings(_env_file=None, **values)


def shown(body: dict[str, Any]) -> str:
    """What the user reads of one sent message."""
    kind = body["type"]
    if kind == "text":
        return body["text"]["body"]
    if kind == "interactive":
        return body["interactive"]["body"]["text"]
    if kind == "template":
        return body["template"]["components"][0]["parameters"][0]["text"]
    return body[kind].get("caption", "")


def count(database: Database, table: type) -> int:
    with database.transaction() as session:
        return session.exec(select(func.count()).select_from(table)).one()


@dataclass
class Bot:
    """The running channel, its web server and the fake Graph API it talks to."""

    channel: WhatsAppChannel
    mailroom: Mailroom
    http: httpx.AsyncClient
    graph: FakeGraphAPI
    database: Database

    async def post(self, payload: dict[str, Any], *, wait: bool = True) -> httpx.Response:
        body, headers = payloads.signed_request(payload, SECRET)
        response = await self.http.post("/whatsapp/webhook", content=body, headers=headers)
        if wait:
            await self.mailroom.idle()
            await self.channel.idle()
        return response

    def phone(self, wa_id: str) -> Phone:
        return Phone(self, wa_id)

    def inbox(self) -> list[Inbox]:
        with self.database.transaction() as session:
            return list(session.exec(select(Inbox).order_by(Inbox.id)))


@dataclass
class Phone:
    """One person typing and tapping in WhatsApp."""

    bot: Bot
    wa_id: str

    def received(self) -> list[dict[str, Any]]:
        return self.bot.graph.sent_to(self.wa_id)

    async def say(self, text: str) -> list[str]:
        return await self._send(payloads.text(text, wa_id=self.wa_id))

    async def tap(self, value: str, *, on: dict[str, Any] | None = None) -> list[str]:
        """Tap the button or list row standing for ``value`` on the last (or given) question."""
        sent = on or self.last_question()
        interactive = sent["json"]["interactive"]
        if interactive["type"] == "button":
            options = [b["reply"] for b in interactive["action"]["buttons"]]
        else:
            options = [r for s in interactive["action"]["sections"] for r in s["rows"]]
        [option] = [o for o in options if wp.parse_choice_id(o["id"])[1] == value]
        if interactive["type"] == "button":
            payload = payloads.button_reply(
                option["id"], option["title"], context_id=sent["message_id"], wa_id=self.wa_id
            )
        else:
            payload = payloads.list_reply(
                option["id"],
                option["title"],
                option.get("description"),
                context_id=sent["message_id"],
                wa_id=self.wa_id,
            )
        return await self._send(payload)

    def last_question(self) -> dict[str, Any]:
        return [
            s
            for s in self.bot.graph.sent
            if s["to"] == self.wa_id and s["json"]["type"] == "interactive"
        ][-1]

    async def _send(self, payload: dict[str, Any]) -> list[str]:
        before = len(self.received())
        response = await self.bot.post(payload)
        assert response.status_code == 200
        return [shown(body) for body in self.received()[before:]]


@asynccontextmanager
async def running(
    graph: FakeGraphAPI,
    service: Service,
    clock: Clock,
    *,
    rate_per_second: float = 1000,
) -> AsyncIterator[Bot]:
    """A channel on a free port of 127.0.0.1, started, and stopped afterwards.

    The inbox runs on the test's clock, so a test moves time on to make a retry due.
    """
    settings = settings_for(graph)
    pace = Pace(INFO.at_rate(rate_per_second))
    client = GraphClient(graph.base_url, PHONE_ID, TOKEN, pace=pace, retry=FAST)
    mailroom = Mailroom(service, clock=clock, sweep_seconds=0.05)
    records = SentRecords(service.database, wp.CHANNEL, clock)
    channel = WhatsAppChannel(settings, mailroom, records, pace=pace, client=client)
    runner = await serve(create_app([channel.add_routes]), "127.0.0.1", 0)
    port = runner.addresses[0][1]
    await channel.start()
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5)
    try:
        async with mailroom.running():
            yield Bot(channel, mailroom, http, graph, service.database)
    finally:
        await http.aclose()
        await channel.stop()
        await runner.cleanup()


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI(PHONE_ID, TOKEN, require_uploaded_media=True) as fake:
        fake.register_template(TEMPLATE, "id", body_params=1)
        yield fake


@pytest.fixture
async def bot(graph, service, clock) -> AsyncIterator[Bot]:
    async with running(graph, service, clock) as harness:
        yield harness


# --------------------------------------------------------------------------- conversations


async def test_a_monthly_report_over_whatsapp(bot, graph, database):
    kader = bot.phone(KADER_WA)
    [menu] = await kader.say("lapor")
    assert "Laporan apa yang ingin Anda isi?" in menu
    rows = kader.last_question()["json"]["interactive"]["action"]["sections"][0]["rows"]
    assert [row["title"] for row in rows] == [
        "Laporan bulanan Posyandu",
        "Kunjungan rumah",
        "Kegiatan luar gedung",
        "Kejadian (kelahiran/kem…",
    ]
    assert rows[-1]["description"] == "Kejadian (kelahiran/kematian)"
    assert "Laporan bulan apa?" in (await kader.tap("bulanan"))[0]
    assert "Posyandu buka" in (await kader.tap("2026-10"))[0]
    await kader.tap("ya")
    for answer in [*OCTOBER[2:], *GROUPS]:
        replies = await (kader.tap("0") if answer == "0" else kader.say(answer))
    assert "Periksa dulu laporan bulanan" in "\n".join(replies)  # a long summary is cut in two
    assert "✅ Terima kasih" in (await kader.tap("kirim"))[0]

    with database.transaction() as session:
        [report] = session.exec(select(Report)).all()
    assert (report.kind, report.channel, report.period) == ("bulanan", "whatsapp", "2026-10")
    assert (report.data["BAL_S"], report.data["BAL_D"], report.data["BAL_N"]) == (80, 60, 40)
    assert all(r["status"] == 200 for r in graph.requests)
    assert all(s["headers"]["authorization"] == f"Bearer {TOKEN}" for s in graph.sent)
    assert {s["to"] for s in graph.sent} == {KADER_WA}


async def test_a_home_visit_with_lists_and_a_stale_tap(bot, graph, database):
    kader = bot.phone(KADER_WA)
    await kader.say("lapor")
    await kader.tap("kunjungan")
    [kinds] = await kader.say("kemarin")
    assert "Kunjungan ini termasuk jenis apa?" in kinds
    [targets] = await kader.tap("khusus")
    assert "Siapa sasaran kunjungan?" in targets
    target_list = kader.last_question()
    interactive = target_list["json"]["interactive"]
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert {"id": "3:balita", "title": "Bayi/balita"} in rows
    assert "Apa alasan kunjungan?" in (await kader.tap("balita"))[0]
    assert engine_words.STALE_BUTTON in (await kader.tap("bumil", on=target_list))[0]
    await kader.tap("bahaya")
    await kader.tap("ya")
    await kader.tap("tidak")
    await kader.say("1")
    rows = kader.last_question()["json"]["interactive"]["action"]["sections"][0]["rows"]
    [reminder] = [row for row in rows if row["id"].endswith(":ingatkan")]
    assert reminder["title"] == "Ingatkan datang ke…"
    assert reminder["description"] == "Ingatkan datang ke Posyandu"
    await kader.tap("rujuk")
    await kader.tap("lewati")
    assert "✅" in (await kader.tap("kirim"))[0]

    with database.transaction() as session:
        [visit] = session.exec(select(Report)).all()
        [alert] = session.exec(select(Outbox).where(Outbox.inbox_id.is_(None))).all()
    assert visit.kind == "kunjungan" and visit.data["sasaran"] == "balita"
    assert "Napas cepat" in alert.payload["text"]
    assert all(r["status"] == 200 for r in graph.requests)


async def test_unknown_number_is_refused_politely(bot, database):
    [reply] = await bot.phone(STRANGER_WA).say("halo")
    assert "belum terdaftar" in reply
    assert count(database, ChannelIdentity) == 0


@pytest.mark.parametrize(
    "payload",
    [
        payloads.voice(wa_id=KADER_WA),
        payloads.sticker(wa_id=KADER_WA),
        payloads.contacts(wa_id=KADER_WA),
        payloads.unsupported(wa_id=KADER_WA),
    ],
    ids=["voice", "sticker", "contacts", "unsupported"],
)
async def test_kinds_the_bot_cannot_read_get_a_polite_answer(bot, graph, database, payload):
    assert (await bot.post(payload)).status_code == 200
    assert graph.texts_to(KADER_WA) == [channel_words.WA_UNSUPPORTED]
    assert count(database, ChannelIdentity) == 0


async def test_a_reaction_is_ignored(bot, graph):
    assert (await bot.post(payloads.reaction(payloads.wamid(outgoing=True)))).status_code == 200
    assert graph.requests == [] and bot.inbox() == []


async def test_a_batch_from_two_senders_is_answered_in_each_ones_order(bot, graph):
    batch = payloads.batch(first=(KADER_WA, "Siti"), second=(KADER2_WA, "Dewi"))
    assert (await bot.post(batch)).status_code == 200
    first = [shown(b) for b in graph.sent_to(KADER_WA)]
    second = [shown(b) for b in graph.sent_to(KADER2_WA)]
    assert len(first) == 2 and first[0].startswith("Halo Siti") and "'12'" in first[1]
    assert len(second) == 3
    assert "Laporan apa yang ingin Anda isi?" in second[0]
    assert second[1].startswith(handler_words.PHOTO_NOT_NOW) and "Laporan apa" in second[1]
    assert second[2] == engine_words.CANCELLED
    assert [row.status for row in bot.inbox()] == ["done"] * 5


async def test_a_redelivered_message_is_processed_once(bot, graph, database):
    payload = payloads.text("halo", wa_id=KADER_WA)
    await bot.post(payload, wait=False)
    await bot.post(payload)
    await bot.post(payload)
    assert len(graph.sent_to(KADER_WA)) == 1
    assert len(bot.inbox()) == 1
    assert count(database, Inbox) == 1


# --------------------------------------------------------------------------- authentication


SIGNED_BODY = payloads.encode(payloads.text("halo", wa_id=KADER_WA))
EARLIER_BODY = payloads.encode(payloads.text("halo", wa_id=KADER_WA))


@pytest.mark.parametrize(
    "headers",
    [
        {payloads.SIGNATURE_HEADER: payloads.sign(EARLIER_BODY, SECRET)},
        {payloads.SIGNATURE_HEADER: payloads.sign(SIGNED_BODY, "old-app-secret")},
        {payloads.SIGNATURE_HEADER: "sha1=" + payloads.sign(SIGNED_BODY, SECRET)[7:]},
        {payloads.SIGNATURE_HEADER: "sha256=" + "0" * 64},
        {payloads.SIGNATURE_HEADER: "FORGED"},
        {},
    ],
    ids=["another-body", "old-secret", "sha1-prefix", "zeros", "garbage", "missing"],
)
async def test_unsigned_or_wrongly_signed_webhooks_change_nothing(bot, graph, database, headers):
    response = await bot.http.post(
        "/whatsapp/webhook",
        content=SIGNED_BODY,
        headers={"Content-Type": "application/json", **headers},
    )
    await bot.mailroom.idle()
    assert response.status_code == 403
    assert bot.inbox() == [] and graph.requests == []
    assert count(database, ChannelIdentity) == 0


@pytest.mark.parametrize(
    ("params", "status", "text"),
    [
        (
            {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"},
            200,
            "1158201444",
        ),
        ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}, 403, ""),
        ({"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"}, 403, ""),
        ({"hub.challenge": "1"}, 403, ""),
    ],
    ids=["handshake", "wrong-token", "wrong-mode", "nothing"],
)
async def test_verification_handshake(bot, params, status, text):
    response = await bot.http.get("/whatsapp/webhook", params=params)
    assert response.status_code == status
    if status == 200:
        assert response.text == text


# --------------------------------------------------------------------------- sending


async def test_inside_the_window_a_proactive_message_is_free_form(bot, graph, clock):
    await bot.phone(BIDAN_WA).say("halo")
    clock.advance(hours=23)
    await bot.channel.send(BIDAN_WA, [Reply("Pengingat: laporan Posyandu Mawar belum masuk.")])
    assert graph.sent_to(BIDAN_WA)[-1]["type"] == "text"


async def test_after_25_hours_a_proactive_message_is_a_template(bot, graph, clock):
    await bot.phone(BIDAN_WA).say("halo")
    clock.advance(hours=25)
    reminder = Reply("Pengingat: laporan Posyandu Mawar belum masuk.\nBatas waktu 5 Des 2026.")
    await bot.channel.send(BIDAN_WA, [reminder])
    last = graph.sent_to(BIDAN_WA)[-1]
    assert last["type"] == "template"
    assert last["template"]["name"] == TEMPLATE
    assert last["template"]["language"] == {"code": "id"}
    assert shown(last) == "Pengingat: laporan Posyandu Mawar belum masuk. · Batas waktu 5 Des 2026."


async def test_someone_who_never_wrote_gets_the_template(bot, graph):
    await bot.channel.send(KADER_WA, [Reply("Satu"), Reply("Dua")])
    [only] = graph.sent_to(KADER_WA)
    assert only["type"] == "template" and shown(only) == "Satu · Dua"


async def test_refused_as_outside_the_window_it_falls_back_to_the_template(bot, graph):
    await bot.phone(KADER_WA).say("halo")
    graph.outside_window(KADER_WA)
    await bot.channel.send(KADER_WA, [Reply("Pengingat")])
    assert [r["error_code"] for r in graph.requests[-2:]] == [131047, None]
    assert graph.sent_to(KADER_WA)[-1]["type"] == "template"


async def test_a_closed_window_reported_by_webhook_falls_back_once(bot, graph, database, clock):
    await bot.phone(KADER_WA).say("halo")
    outbox_id = add_outbox_row(database, KADER, clock)
    graph.outside_window(KADER_WA, via="webhook")
    await send_for_outbox(bot, KADER_WA, "Pengingat", outbox_id)
    [failure] = graph.status_webhooks
    await bot.post(failure)
    await bot.post(failure)
    templates = [m for m in graph.sent_to(KADER_WA) if m["type"] == "template"]
    assert [shown(m) for m in templates] == ["Pengingat"]
    with database.transaction() as session:
        records = session.exec(select(WhatsAppMessage).order_by(WhatsAppMessage.sent_at)).all()
        outbox = session.get(Outbox, outbox_id)
    by_kind = {r.kind: r for r in records if r.outbox_id == outbox_id}
    assert (by_kind["text"].status, by_kind["text"].error_code) == ("failed", 131047)
    assert by_kind["text"].fallback_text is None
    assert by_kind["template"].status == "accepted"
    assert outbox.status == "pending"


async def test_statuses_are_recorded_against_the_outbox_row(bot, graph, database, clock):
    await bot.phone(BIDAN_WA).say("halo")
    outbox_id = add_outbox_row(database, BIDAN, clock)
    await send_for_outbox(bot, BIDAN_WA, "Ada laporan kematian.", outbox_id)
    wamid = graph.sent[-1]["message_id"]
    for status in ("sent", "read", "delivered"):
        await bot.post(graph.status_webhook(wamid, status))
    with database.transaction() as session:
        record = session.get(WhatsAppMessage, wamid)
    assert (record.status, record.outbox_id, record.fallback_text) == ("read", outbox_id, None)

    await send_for_outbox(bot, BIDAN_WA, "Pengingat kedua", outbox_id)
    second = graph.sent[-1]["message_id"]
    await bot.post(payloads.failed(second, recipient_id=BIDAN_WA, code=131026))
    with database.transaction() as session:
        failed = session.get(WhatsAppMessage, second)
        outbox = session.get(Outbox, outbox_id)
    assert (failed.status, failed.error_code) == ("failed", 131026)
    assert (outbox.status, outbox.error) == ("failed", "whatsapp 131026")


async def send_for_outbox(bot: Bot, wa_id: str, text: str, outbox_id: int) -> None:
    """Send as the dispatcher does: naming the outbox row being delivered."""
    await bot.channel.send(wa_id, [Reply(text)], outbox_id)


def add_outbox_row(database: Database, phone: str, clock: Clock) -> int:
    """An alert waiting in the outbox for ``phone`` (what the dispatcher would send)."""
    with database.transaction() as session:
        person = session.exec(select(Person).where(Person.phone == phone)).one()
        row = Outbox(
            key=f"test:{phone}",
            person_id=person.id,
            rule="test",
            payload={"text": "x"},
            next_attempt_at=clock.now,
            created_at=clock.now,
        )
        session.add(row)
        session.flush()
        return row.id


@pytest.mark.parametrize(
    ("failures", "codes"),
    [
        ([{"status": 429}], [130429, None]),
        ([{}], [130429, None]),
        ([{"status": 429}, {}], [130429, 130429, None]),
        ([{"status": 503}], [2, None]),
        ([{"status": 502, "body": "<html>Bad Gateway</html>"}], [131000, None]),
        ([{"code": 131056}], [131056, None]),
    ],
    ids=["429", "130429", "both", "503", "html-502", "pair-rate-limit"],
)
async def test_throttling_and_server_errors_are_retried(bot, graph, failures, codes):
    for failure in failures:
        graph.fail_next(1, **failure)
    await bot.channel.send(KADER_WA, [Reply("Pengingat")])
    assert [r["error_code"] for r in graph.requests] == codes
    assert len(graph.sent) == 1


async def test_retries_end_and_the_error_says_try_later(bot, graph):
    graph.fail_next(10, status=500)
    with pytest.raises(DeliveryError) as raised:
        await bot.channel.send(KADER_WA, [Reply("Pengingat")])
    assert not raised.value.permanent
    assert len(graph.requests) == FAST.attempts


async def test_a_permanent_error_is_not_retried(bot, graph):
    graph.undeliverable(KADER_WA)
    with pytest.raises(DeliveryError) as raised:
        await bot.channel.send(KADER_WA, [Reply("Pengingat")])
    assert raised.value.permanent and "131026" in str(raised.value)
    assert len(graph.requests) == 1


async def test_an_undeliverable_reply_is_parked_for_an_operator(bot, graph, database):
    graph.undeliverable(KADER_WA)
    await bot.phone(KADER_WA).say("halo")
    [row] = bot.inbox()
    assert row.status == "done" and "131026" in row.error
    with database.transaction() as session:
        [parked] = inbox.parked(session)
    assert (parked.kind, parked.user_id) == (inbox.PARKED_REPLY, KADER_WA)
    assert "131026" in (parked.error or "")
    assert len(graph.requests) == 1, "a number WhatsApp cannot reach gets no apology either"


async def test_a_reply_that_could_not_be_sent_is_sent_later_without_asking_the_core_again(
    bot, graph, database, clock
):
    graph.fail_next(FAST.attempts, status=500)
    await bot.phone(KADER_WA).say("halo")
    [row] = bot.inbox()
    assert (row.status, row.attempts) == ("answered", 1)
    clock.advance(minutes=1)
    [greeting] = await bot.graph.wait_for_sent(1, to=KADER_WA)
    assert shown(greeting).startswith("Halo Siti")
    await bot.mailroom.idle()
    assert [(row.status, row.attempts) for row in bot.inbox()] == [("done", 2)]
    with database.transaction() as session:
        linked = session.exec(select(func.count()).select_from(ChannelIdentity)).one()
    assert linked == 1, "the core ran once: the second try only sent its reply"


async def test_files_are_uploaded_then_sent_as_documents(bot, graph):
    await bot.phone(KADER_WA).say("halo")
    export = Attachment("rekap-2026-10.xlsx", b"PK\x03\x04 rekap", XLSX)
    await bot.channel.send(KADER_WA, [Reply("Rekap Oktober 2026", attachment=export)])
    [upload] = graph.uploads
    assert (upload["filename"], upload["type"], upload["data"]) == (
        "rekap-2026-10.xlsx",
        XLSX,
        b"PK\x03\x04 rekap",
    )
    assert graph.sent_to(KADER_WA)[-1]["document"] == {
        "id": upload["media_id"],
        "filename": "rekap-2026-10.xlsx",
        "caption": "Rekap Oktober 2026",
    }


async def test_sends_never_exceed_the_rate_in_any_one_second_window(graph, service, clock):
    """The platform counts arrivals: never 21 within 1.0 s (closed or open) at a limit of 20."""
    async with running(graph, service, clock, rate_per_second=20) as harness:
        recipients = [f"6281100009{n:03d}" for n in range(30)]
        await asyncio.gather(*(harness.channel.send(to, [Reply("Halo")]) for to in recipients))
    times = graph.request_times()
    assert len(times) == 30
    assert max(times) - min(times) >= 0.5
    graph.assert_rate_at_most(20, 1.0)


# --------------------------------------------------------------------------- recovery


async def test_a_message_stored_but_never_processed_is_processed_on_start(
    graph, service, database, clock
):
    [message] = wp.parse_webhook(payloads.text("halo", wa_id=KADER_WA), PHONE_ID).messages
    arrival = Arrival(
        inbox.Lane(wp.CHANNEL, KADER_WA), message.inbound.message_id, 1, message.inbound
    )
    Mailroom(service, clock=clock).keep([arrival])  # stored, then the process died
    async with running(graph, service, clock) as harness:
        [greeting] = await graph.wait_for_sent(1, to=KADER_WA)
        await harness.mailroom.idle()
    assert shown(greeting).startswith("Halo Siti")
    async with running(graph, service, clock) as harness:
        await asyncio.sleep(0.1)
        await harness.mailroom.idle()
    assert len(graph.sent) == 1
    assert [row.status for row in harness.inbox()] == ["done"]


class BrokenService(Service):
    """A core that fails: the process had a bug or lost its database mid-message."""

    def answer(self, session: Transaction, inbound: Inbound, now: datetime) -> Answer:
        raise RuntimeError("database went away")


async def test_a_message_whose_processing_failed_is_retried_by_the_next_process(
    graph, service, database, clock
):
    broken_core = BrokenService(database, Engine(ALL_FORMS), clock)
    async with running(graph, broken_core, clock) as broken:
        response = await broken.post(payloads.text("halo", wa_id=KADER_WA))
    assert response.status_code == 200
    [row] = broken.inbox()
    assert (row.status, row.attempts) == ("pending", 1)
    assert graph.sent == []
    clock.advance(minutes=1)
    async with running(graph, service, clock) as fixed:
        [greeting] = await graph.wait_for_sent(1, to=KADER_WA)
        await fixed.mailroom.idle()
    assert shown(greeting).startswith("Halo Siti")
    assert [row.status for row in fixed.inbox()] == ["done"]


async def test_webhooks_before_start_are_refused_for_redelivery(graph, service, database):
    records = SentRecords(database, wp.CHANNEL)
    channel = WhatsAppChannel(settings_for(graph), Mailroom(service), records)
    runner = await serve(create_app([channel.add_routes]), "127.0.0.1", 0)
    body, headers = payloads.signed_request(payloads.text("halo", wa_id=KADER_WA), SECRET)
    try:
        async with httpx.AsyncClient() as http:
            url = f"http://127.0.0.1:{runner.addresses[0][1]}/whatsapp/webhook"
            response = await http.post(url, content=body, headers=headers)
    finally:
        await runner.cleanup()
    assert response.status_code == 503
    assert count(database, Inbox) == 0


def test_the_channel_refuses_to_run_without_its_secrets(service):
    settings = Settings(_env_file=None, whatsapp_access_token=TOKEN, whatsapp_phone_number_id="1")
    with pytest.raises(ValueError, match="WHATSAPP_APP_SECRET"):
        WhatsAppChannel(settings, Mailroom(service), SentRecords(service.database, wp.CHANNEL))


# --------------------------------------------------------------------------- storage


@pytest.mark.backends
def test_sent_message_storage(database, clock):
    """The queries behind delivery statuses and the template fallback, on SQLite and PostgreSQL."""
    load_roster(database)
    now, sender = clock.now, KADER_WA
    with database.transaction() as session:
        person = session.exec(select(Person).where(Person.phone == KADER)).one()
        people.link_identity(session, person.id, "whatsapp", sender, now)
    with database.transaction() as session:
        alert = Outbox(
            key="k", person_id=person.id, rule="r", payload={}, next_attempt_at=now, created_at=now
        )
        session.add(alert)
        session.flush()
        oid = alert.id
        store.record_sent(
            session, "wamid.out1", sender, "text", now, outbox_id=oid, fallback_text="Pengingat"
        )
        store.record_sent(session, "wamid.out2", sender, "text", now, outbox_id=oid)
    with database.transaction() as session:
        assert store.record_status(session, "wamid.unknown", "read", None, now) is None
        assert store.record_status(session, "wamid.out1", "sent", None, now) is None
        closed = {"window_closed": True}
        fallback = store.record_status(session, "wamid.out1", "failed", 131047, now, **closed)
        assert store.record_status(session, "wamid.out1", "failed", 131047, now, **closed) is None
        assert store.record_status(session, "wamid.out2", "failed", 131026, now) is None
    assert fallback == store.Fallback(sender, "Pengingat", oid)
    with database.transaction() as session:
        outbox = session.get(Outbox, oid)
        first_sent = session.get(WhatsAppMessage, "wamid.out1")
    assert (outbox.status, outbox.error) == ("failed", "whatsapp 131026")
    assert (first_sent.status, first_sent.error_code, first_sent.fallback_text) == (
        "failed",
        131047,
        None,
    )


async def test_a_photo_or_a_pin_outside_a_form_is_explained(bot, graph):
    await bot.phone(KADER_WA).say("halo")
    for payload, answer in (
        (payloads.image(wa_id=KADER_WA), handler_words.PHOTO_NOT_NOW),
        (payloads.location(wa_id=KADER_WA), handler_words.LOCATION_NOT_NOW),
    ):
        before = len(graph.texts_to(KADER_WA))
        assert (await bot.post(payload)).status_code == 200
        assert graph.texts_to(KADER_WA)[before:] == [answer]

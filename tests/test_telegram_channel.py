"""The Telegram channel end to end, on python-telegram-bot and on aiogram.

Each test runs the real library against the Bot API emulator over HTTP on 127.0.0.1, with
the real core service on a SQLite database holding the small test roster. Tests read like a
chat: Siti (a kader of Posyandu Melati) types, taps buttons and reads what the bot says.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.channels import words as channel_words
from bot.channels.telegram import TelegramChannel, build_telegram
from bot.config import Settings
from bot.web import create_app, serve
from conversations import ALL_FORMS, Attachment, Engine, Inbound, Reply
from conversations import words as engine_words
from handlers import Service
from handlers import words as handler_words
from handlers.delivery import DeliveryError
from handlers.mailroom import Mailroom
from handlers.service import Answer
from storage import Database, Transaction
from storage.models import ChannelIdentity, Conversation, Inbox, Outbox, Report
from storage.rekap import export
from tests.roster import KADER, KADER_TWO_POSYANDU
from tests.telegram_emulator import TINY_PNG, BotMessage, SimulatedUser, TelegramEmulator
from tests.test_engine import BALITA as BALITA_COUNTS
from tests.test_engine import GROUPS, HEADER

# PTB 22 warns inside its own RetryAfter constructor that retry_after will become a timedelta.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456789:AAChannelTestToken"
SECRET = "rahasia_webhook-123"
SITI_ID = 1001

# The monthly report of October 2026, after "buka: ya": S K D N T O B 2T BGM, then the groups.
# held on the 12th, 5 kader, 1 health worker, then the balita counts
BALITA = [*HEADER[2:], *BALITA_COUNTS]


# --- the kader on her phone -------------------------------------------------------------------


class Kader:
    """A person chatting with the bot; waits for each answer like a person would."""

    def __init__(self, user: SimulatedUser) -> None:
        self.user = user
        self.last_update: dict[str, Any] = {}

    async def says(self, text: str, expect: str | None = None) -> BotMessage:
        self.last_update = await self.user.send(text)
        return await self.hears(expect)

    async def taps(self, message: BotMessage, label: str, expect: str | None = None) -> BotMessage:
        query = await self.user.press(message, label)
        self.last_update = self.user.emulator.updates[-1]
        await query.wait_answered()
        return await self.hears(expect)

    async def hears(self, expect: str | None = None) -> BotMessage:
        """The next new message from the bot (keyboard removals are edits, not messages)."""
        return await self.user.expect(
            lambda m: not m.edited and (expect is None or expect in (m.text or m.caption or "")),
            timeout=3,
        )

    async def answers(self, *lines: str) -> BotMessage:
        """Type several answers one after the other; returns the bot's last message."""
        reply = None
        for line in lines:
            reply = await self.says(line)
        assert reply is not None
        return reply


async def register(kader: Kader) -> None:
    """First contact: /start, tap "share my number", greeted by name."""
    await kader.says("/start", expect=handler_words.ASK_CONTACT)
    await kader.user.tap(channel_words.BUTTON_SHARE_CONTACT)
    await kader.hears("Halo Siti, kader Posyandu Melati")


async def open_monthly_report(kader: Kader) -> BotMessage:
    """lapor -> monthly -> October -> "is the Posyandu open?" (returned, buttons and all)."""
    menu = await kader.says("lapor", expect="Laporan apa yang ingin Anda isi?")
    period = await kader.taps(menu, "Laporan bulanan Posyandu", expect="Laporan bulan apa?")
    return await kader.taps(period, "Oktober 2026", expect="Apakah Posyandu buka")


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN) as emulator:
        yield emulator
    current = asyncio.current_task()
    leftovers = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    assert not leftovers, f"leaked tasks: {leftovers}"


def make_settings(tg: TelegramEmulator, library: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": tg.token,
        "telegram_library": library,
        "telegram_api_base_url": tg.base_url,
        "telegram_webhook_url": None,
        "telegram_webhook_secret": None,
    }
    return Settings(_env_file=None, **{**values, **overrides})


@contextlib.asynccontextmanager
async def polling_bot(
    tg: TelegramEmulator, library: str, service: Service
) -> AsyncIterator[TelegramChannel]:
    mailroom = Mailroom(service, sweep_seconds=0.2)
    channel = build_telegram(make_settings(tg, library), mailroom)
    await channel.start()
    try:
        async with mailroom.running():
            yield channel
    finally:
        await channel.stop()
    assert not tg.unanswered_callback_queries()


@contextlib.asynccontextmanager
async def webhook_bot(
    tg: TelegramEmulator, library: str, service: Service
) -> AsyncIterator[TelegramChannel]:
    """The channel behind the shared web server of bot/web.py, on a free port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = make_settings(
        tg,
        library,
        telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/webhook",
        telegram_webhook_secret=SECRET,
    )
    mailroom = Mailroom(service, sweep_seconds=0.2)
    channel = build_telegram(settings, mailroom)
    runner = await serve(create_app([channel.add_routes]), "127.0.0.1", port)
    try:
        await channel.start()
        try:
            async with mailroom.running():
                yield channel
        finally:
            await channel.stop()
    finally:
        await runner.cleanup()
    assert not tg.unanswered_callback_queries()


@pytest.fixture
async def bot(
    tg: TelegramEmulator, library: str, service: Service
) -> AsyncIterator[TelegramChannel]:
    async with polling_bot(tg, library, service) as channel:
        yield channel


@pytest.fixture
async def siti(bot: TelegramChannel, tg: TelegramEmulator) -> Kader:
    """Siti, already registered through the contact button."""
    kader = Kader(tg.user(SITI_ID, "Siti", phone=KADER))
    await register(kader)
    return kader


def count(database: Database, table: type) -> int:
    with database.transaction() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def draft_answers(database: Database) -> dict[str, Any]:
    """What the open report holds so far."""
    [(state, _version)] = draft(database)
    return json.loads(state)["answers"]


def draft(database: Database) -> tuple[Any, ...]:
    with database.transaction() as session:
        return tuple(session.exec(select(Conversation.state, Conversation.version)).all())


# --- registration -----------------------------------------------------------------------------


async def test_registration_by_sharing_own_contact(bot, tg, database):
    siti = Kader(tg.user(SITI_ID, "Siti", phone=KADER))
    ask = await siti.says("/start", expect=handler_words.ASK_CONTACT)
    [[button]] = ask.reply_markup["keyboard"]
    assert button == {"text": channel_words.BUTTON_SHARE_CONTACT, "request_contact": True}
    assert count(database, ChannelIdentity) == 0

    await siti.user.tap(channel_words.BUTTON_SHARE_CONTACT)
    greeting = await siti.hears("Halo Siti, kader Posyandu Melati")
    assert greeting.reply_markup == {"remove_keyboard": True}
    assert siti.user.reply_keyboard is None
    assert count(database, ChannelIdentity) == 1
    assert [c["command"] for c in tg.commands()] == list(channel_words.TELEGRAM_COMMANDS)
    assert {"mulai", "lapor", "status", "jadwal", "rekap", "bantuan", "batal"} <= set(
        channel_words.TELEGRAM_COMMANDS
    )
    assert tg.commands()[1]["description"] == channel_words.TELEGRAM_COMMANDS["lapor"]


async def test_someone_elses_contact_or_a_typed_number_does_not_register(bot, tg, database):
    siti = Kader(tg.user(SITI_ID, "Siti", phone="+6281999999999"))
    await siti.user.share_contact(phone=KADER, user_id=2002, first_name="Budi")
    refused = await siti.hears(channel_words.CONTACT_NOT_OWN)
    assert refused.button_texts == [channel_words.BUTTON_SHARE_CONTACT]
    await siti.user.share_contact(phone=KADER, user_id=None, first_name="Bidan")
    await siti.hears(channel_words.CONTACT_NOT_OWN)
    await siti.says("081100000001", expect=handler_words.ASK_CONTACT)
    assert count(database, ChannelIdentity) == 0


# --- conversations ----------------------------------------------------------------------------


async def test_monthly_report_with_a_typo_and_a_correction(siti, database):
    opened = await open_monthly_report(siti)
    await siti.taps(opened, "Ya", expect="Tanggal berapa Posyandu buka")
    await siti.answers(*BALITA)

    oops = await siti.says("enam")
    assert oops.text.startswith("Maaf, 'enam' bukan angka.")
    assert "Berapa ibu hamil sasaran" in oops.text

    summary = await siti.answers(*GROUPS)
    assert "Periksa dulu laporan bulanan Posyandu Melati Oktober 2026" in summary.text
    assert "(6) S 80" in summary.text

    await siti.says("ubah 6", expect="Jawaban sebelumnya: 80.")
    summary = await siti.says("85", expect="Periksa dulu laporan")
    assert "(6) S 85" in summary.text
    assert summary.button_texts == ["Kirim", "Batal"]

    await siti.taps(summary, "Kirim", expect="✅ Terima kasih! Laporan bulanan Posyandu Melati")
    with database.transaction() as session:
        [row] = list(export.monthly_rows(session, "2026-10", "posyandu", "PY1"))
    assert (row["S"], row["K"], row["D"], row["N"], row["reported"]) == (85, "", 60, 40, 1)
    assert not siti.user.emulator.chat(SITI_ID).message(summary.message_id).inline_keyboard


async def test_home_visit_answered_with_buttons(siti, tg, database):
    menu = await siti.says("lapor", expect="Laporan apa")
    when = await siti.taps(menu, "Kunjungan rumah", expect="Tanggal berapa kunjungan")
    kind = await siti.taps(when, "Minggu, 22 Nov 2026", expect="Kunjungan ini termasuk jenis")
    who = await siti.taps(kind, "Khusus (ada masalah)", expect="Siapa sasaran kunjungan?")
    assert len(who.inline_keyboard) == 7  # long labels: one button per row
    why = await siti.taps(who, "Bayi/balita", expect="Apa alasan kunjungan?")
    fever = await siti.taps(why, "Tanda bahaya", expect="Apakah ada demam")
    assert fever.button_texts == ["Ya", "Tidak"] and len(fever.inline_keyboard) == 1
    tb = await siti.taps(fever, "Ya", expect="Apakah ada gejala TBC")
    await siti.taps(tb, "Tidak", expect="Tanda bahaya apa")
    follow_up = await siti.says("1", expect="Apa tindak lanjutnya?")
    note = await siti.taps(follow_up, "Rujuk ke Pustu/Puskesmas", expect="Catatan singkat")
    summary = await siti.taps(note, "Lewati", expect="Periksa dulu laporan kunjungan rumah")
    assert "7. Tanda bahaya balita: Napas cepat" in summary.text
    await siti.taps(summary, "Kirim", expect="✅ Terima kasih! Laporan kunjungan rumah")

    with database.transaction() as session:
        [visit] = session.exec(select(Report)).all()
        [alert] = session.exec(select(Outbox).where(Outbox.inbox_id.is_(None))).all()
    assert visit.kind == "kunjungan" and visit.data["tanggal"] == "2026-11-22"
    assert "Napas cepat" in alert.payload["text"]
    pressed = {q.message_id for q in tg.callback_queries}
    assert all(not tg.chat(SITI_ID).message(m).inline_keyboard for m in pressed)
    assert not tg.unanswered_callback_queries()


async def test_a_death_from_the_menu_alerts_the_bidan_and_the_puskesmas(siti, database):
    menu = await siti.says("lapor", expect="Laporan apa")
    assert menu.button_texts[-1] == "Kejadian (kelahiran/kematian)"
    kinds = await siti.taps(menu, "Kejadian (kelahiran/kematian)", expect="Kejadian apa")
    assert len(kinds.inline_keyboard) == 5
    when = await siti.taps(kinds, "Kematian balita (1-4 tahun)", expect="Tanggal berapa")
    where = await siti.taps(when, "Minggu, 22 Nov 2026", expect="Di desa mana")
    assert where.button_texts == ["Desa Satu", "Desa Dua"]
    place = await siti.taps(where, "Desa Satu", expect="Di mana tempat")
    summary = await siti.taps(place, "Dalam perjalanan", expect="Periksa dulu laporan kejadian")
    assert "4. Tempat: Dalam perjalanan" in summary.text
    await siti.taps(summary, "Kirim", expect="✅ Terima kasih! Laporan kejadian")
    told = await siti.hears("sudah diberi tahu")
    assert "Petugas Puskesmas juga sudah diberi tahu." in told.text

    with database.transaction() as session:
        [event] = session.exec(select(Report)).all()
        rules = session.exec(select(Outbox.rule).where(Outbox.inbox_id.is_(None))).all()
    assert event.kind == "kejadian" and event.data["jenis"] == "MATI_BALITA"
    assert rules == ["alert_kejadian_kematian"] * 2


async def test_cancel_with_batal(siti, database):
    await open_monthly_report(siti)
    assert draft(database)
    await siti.says("batal", expect=engine_words.CANCELLED)
    assert draft(database) == ()
    await siti.says("batal", expect=handler_words.NOTHING_TO_CANCEL)


async def test_press_on_an_old_question_is_stale_and_changes_nothing(siti, tg, database):
    opened = await open_monthly_report(siti)
    await siti.says("ya", expect="Tanggal berapa")  # typed, so the Ya/Tidak buttons stay
    await siti.says("12", expect="Berapa kader")
    before = draft_answers(database)
    assert (before["POSY_BUKA"], before["POSY_TANGGAL"]) == (True, "2026-10-12")

    stale = await siti.taps(opened, "Tidak", expect=engine_words.STALE_BUTTON)
    assert "Berapa kader yang bertugas" in stale.text
    assert draft_answers(database) == before
    await tg.wait_for_call("editMessageReplyMarkup", lambda c: c.ok)
    assert not tg.chat(SITI_ID).message(opened.message_id).inline_keyboard

    await siti.says("5", expect="Berapa tenaga kesehatan")


async def test_every_button_press_is_answered_and_spent(siti, tg):
    menu = await siti.says("lapor", expect="Laporan apa")
    await siti.taps(menu, "Kunjungan rumah", expect="Tanggal berapa")
    await tg.wait_for_call("editMessageReplyMarkup", lambda c: c.ok)
    spent = tg.chat(SITI_ID).message(menu.message_id)
    assert spent.inline_keyboard == [] and spent.edited
    assert [q.answered for q in tg.callback_queries] == [True]


async def test_a_sticker_and_edits_get_a_polite_note_photos_and_pins_outside_a_form_too(
    siti, database
):
    seen = count(database, Inbox)
    await siti.user.send_photo(TINY_PNG, caption="foto posyandu")
    await siti.hears(handler_words.PHOTO_NOT_NOW)
    await siti.user.send_sticker("🙏")
    await siti.hears(channel_words.TELEGRAM_NOT_TEXT)
    await siti.user.send_location(-6.9, 107.6)
    await siti.hears(handler_words.LOCATION_NOT_NOW)
    sent = await siti.user.send("bantuan")
    await siti.hears("Petunjuk Lapor Posyandu")
    await siti.user.edit(sent, "status")
    await siti.hears(channel_words.TELEGRAM_EDITED)
    assert count(database, Inbox) == seen + 5, "every update is stored, notices too"


async def test_group_messages_are_ignored(siti, tg, database):
    seen = count(database, Inbox)
    await siti.user.send_to_group(-1001234567890, "lapor")
    await siti.user.send_to_group(-42, "/status")
    await tg.chat(-1001234567890).expect_silence(0.3)
    await tg.chat(-42).expect_silence(0.05)
    await siti.user.expect_silence(0.05)
    assert count(database, Inbox) == seen


async def test_replies_are_plain_text(siti):
    reply = await siti.says("<b>&amp; *x*", expect="Maaf, saya tidak mengerti")
    assert reply.text == "Maaf, saya tidak mengerti '<b>&amp; *x*'. " + (
        "Ketik lapor untuk mengisi laporan atau bantuan."
    )
    assert reply.entities == []  # and no parse_mode: the emulator refuses one


# --- ordering and flood control ---------------------------------------------------------------


class SlowService(Service):
    """The real service behind a slow database: updates must queue up, never vanish."""

    def answer(self, session: Transaction, inbound: Inbound, now: datetime) -> Answer:
        time.sleep(0.05)
        return super().answer(session, inbound, now)


async def test_a_slow_core_keeps_every_message_in_order(tg, library, service):
    scripts = {
        Kader(tg.user(SITI_ID, "Siti", phone=KADER)): {
            "lapor": "Laporan apa yang ingin Anda isi?",
            "1": "Laporan bulan apa?",
            "2026-10": "Apakah Posyandu buka",
            "ya": "Tanggal berapa",
            "12": "Berapa kader",
        },
        Kader(tg.user(1002, "Dewi", phone=KADER_TWO_POSYANDU)): {
            "lapor": "Laporan apa yang ingin Anda isi?",
            "1": "Untuk Posyandu yang mana?",
            "2": "Laporan bulan apa?",
            "2026-10": "Apakah Posyandu buka",
            "ya": "Tanggal berapa",
        },
    }
    slow = SlowService(service.database, Engine(ALL_FORMS))
    async with polling_bot(tg, library, slow):
        for kader in scripts:
            await kader.user.share_contact()
        for lines in zip(*scripts.values(), strict=True):
            for kader, line in zip(scripts, lines, strict=True):
                await kader.user.send(line)  # without waiting for the answer
        for kader, script in scripts.items():
            await kader.hears(list(script.values())[-1])
            expected = ["Halo", *script.values()]
            texts = [m.text for m in kader.user.messages]
            assert len(texts) == len(expected)
            assert all(e in text for text, e in zip(texts, expected, strict=True))


async def test_flood_control_in_a_conversation_waits_and_retries(siti, tg):
    tg.rate_limit(SITI_ID, times=1, retry_after=1)
    started = time.monotonic()
    await siti.says("status", expect="Status laporan bulanan")
    assert time.monotonic() - started >= 1
    flooded, delivered = tg.calls_to("sendMessage")[-2:]
    assert (flooded.status, delivered.status) == (429, 200)


# --- proactive messages -----------------------------------------------------------------------


async def test_send_splits_a_long_message_at_line_ends(bot, siti):
    lines = [f"{n}. Posyandu nomor {n} belum melapor" for n in range(1, 301)]
    await bot.send(str(SITI_ID), [Reply("\n".join(lines))])
    parts = [await siti.hears("1. Posyandu nomor 1 belum melapor")]
    while not parts[-1].text.endswith("300. Posyandu nomor 300 belum melapor"):
        parts.append(await siti.hears())
    assert len(parts) == 3 and all(len(part.text) <= 4096 for part in parts)
    assert "\n".join(part.text for part in parts) == "\n".join(lines)


async def test_send_document_and_photo(bot, siti):
    workbook = Attachment("rekap-2026-10.xlsx", b"PK\x03\x04 rekap", "application/vnd.ms-excel")
    chart = Attachment("grafik.png", TINY_PNG, "image/png", kind="photo")
    await bot.send(str(SITI_ID), [Reply("Rekap Oktober 2026", attachment=workbook)])
    document = await siti.hears("Rekap Oktober 2026")
    assert document.document.filename == "rekap-2026-10.xlsx"
    assert document.document.content == workbook.content
    await bot.send(str(SITI_ID), [Reply("Grafik D/S", attachment=chart)])
    photo = await siti.hears("Grafik D/S")
    assert photo.photo.content == TINY_PNG


async def test_send_maps_flood_control_and_blocked_bot(bot, tg):
    tg.user(SITI_ID, "Siti")
    tg.rate_limit(SITI_ID, times=1, retry_after=5)
    with pytest.raises(DeliveryError) as flood:
        await bot.send(str(SITI_ID), [Reply("Pengingat")])
    assert (flood.value.permanent, flood.value.retry_after) == (False, 5)

    tg.block(SITI_ID)
    with pytest.raises(DeliveryError) as blocked:
        await bot.send(str(SITI_ID), [Reply("Pengingat")])
    assert blocked.value.permanent


# --- webhook mode -----------------------------------------------------------------------------


async def test_webhook_conversation(tg, library, service):
    async with webhook_bot(tg, library, service):
        assert tg.webhook.url.endswith("/telegram/webhook") and tg.webhook.secret_token == SECRET
        siti = Kader(tg.user(SITI_ID, "Siti", phone=KADER))
        await register(siti)
        opened = await open_monthly_report(siti)
        await siti.taps(opened, "Ya", expect="Tanggal berapa")
    assert all(delivery.status == 200 for delivery in tg.deliveries)
    assert not tg.calls_to("getUpdates")


def forged(update: dict[str, Any], text: str) -> dict[str, Any]:
    """A new update from the same chat that Telegram never sent."""
    message = {**update["message"], "message_id": 999, "text": text}
    message.pop("entities", None)
    return {"update_id": 777_000_001, "message": message}


async def test_webhook_without_the_right_secret_is_refused(tg, library, service, database):
    async with webhook_bot(tg, library, service):
        siti = Kader(tg.user(SITI_ID, "Siti", phone=KADER))
        await register(siti)
        before = (count(database, Inbox), draft(database))
        update = forged(siti.last_update, "lapor")

        assert (await tg.deliver(update, secret_token=None)).status == 403
        assert (await tg.deliver(update, secret_token="salah")).status == 403
        assert (await tg.deliver(update, secret_token=SECRET + "x")).status == 403
        await siti.user.expect_silence(0.3)
        assert (count(database, Inbox), draft(database)) == before

        assert (await tg.deliver(update, secret_token=SECRET)).status == 200
        await siti.hears("Laporan apa yang ingin Anda isi?")


async def test_redelivered_webhook_update_is_processed_once(tg, library, service, database):
    async with webhook_bot(tg, library, service):
        siti = Kader(tg.user(SITI_ID, "Siti", phone=KADER))
        await register(siti)
        menu = await siti.says("lapor", expect="Laporan apa")
        typed = siti.last_update["update_id"]
        await siti.taps(menu, "Laporan bulanan Posyandu", expect="Laporan bulan apa?")
        pressed = siti.last_update["update_id"]
        state = draft(database)

        for update_id in (typed, pressed):
            assert (await tg.redeliver(update_id)).status == 200
        await siti.user.expect_silence(0.3)
        assert draft(database) == state

    # After a restart the in-memory list is gone; the core's message ids still match.
    async with webhook_bot(tg, library, service):
        for update_id in (typed, pressed):
            assert (await tg.redeliver(update_id)).status == 200
        await siti.user.expect_silence(0.3)
        assert draft(database) == state


def test_webhook_mode_needs_a_secret(service):
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_webhook_url="https://lapor.example.id/telegram/webhook",
    )
    with pytest.raises(ValueError, match="TELEGRAM_WEBHOOK_SECRET is required"):
        build_telegram(settings, Mailroom(service))

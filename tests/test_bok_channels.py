"""An outreach activity with two photos and a location pin, filed over Telegram (both
libraries, against the Bot API emulator) and WhatsApp (signed webhooks, the fake Graph API
serving the media download): each photo is downloaded once, stored once by content, and the
BOK workbook lists the activity with its evidence."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.channels import words as channel_words
from bot.media import fetchers
from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers import words as handler_words
from handlers.bok import export
from handlers.media import inbox
from storage import Database
from tests import whatsapp_payloads as payloads
from tests.roster import KADER, load_roster
from tests.telegram_emulator import TINY_PNG, TelegramEmulator
from tests.test_telegram_channel import SITI_ID, TOKEN, Kader, make_settings, polling_bot, register
from tests.test_whatsapp_channel import KADER_WA, PHONE_ID, TEMPLATE, running, settings_for
from tests.test_whatsapp_channel import TOKEN as WA_TOKEN
from tests.whatsapp_graph_fake import FakeGraphAPI

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
PDF = b"%PDF-1.4 daftar hadir"
LIMIT = 64 * 1024
BEFORE_EVIDENCE = ["hari ini", "08.00", "10.00", "Desa Satu", "umum", "germas", "5", "10"]
AFTER_PEOPLE = ["15", "0", "2", "BOK", "Posbindu keliling"]


def stored(media_dir: Path) -> list[Path]:
    return sorted(path for path in media_dir.rglob("*") if path.is_file())


def evidence_row(database: Database, media_dir: Path) -> dict[str, object]:
    book, _photos = export(database, media_dir, period="2026-11", area="PKM1")
    sheet = load_workbook(io.BytesIO(book.content)).active
    header = [c.value for c in sheet[2]]
    [row] = [
        dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=3)
    ]
    return row


# --- Telegram -----------------------------------------------------------------------------------


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN) as emulator:
        yield emulator


async def test_telegram_photos_and_a_location_pin(tg, library, database, clock, tmp_path):
    load_roster(database)
    media_dir = tmp_path / "media"
    settings = make_settings(tg, library)
    service = Service(
        database, Engine(ALL_FORMS), clock=clock, media=inbox(media_dir, fetchers(settings), LIMIT)
    )
    async with polling_bot(tg, library, service):
        siti = Kader(tg.user(SITI_ID, "Siti", phone=KADER))
        await register(siti)
        await siti.says("lapor")
        await siti.says("luar gedung")
        await siti.answers("penyuluhan", *BEFORE_EVIDENCE, *AFTER_PEOPLE)
        assert siti.user.chat.reply_keyboard is not None
        await siti.user.tap(channel_words.BUTTON_SHARE_LOCATION)
        await siti.hears("Kirim foto kegiatan")
        await siti.user.send_document(PDF, filename="hadir.pdf", mime_type="application/pdf")
        await siti.hears(handler_words.PHOTO_REFUSED["not_image"])
        await siti.user.send_photo(TINY_PNG)
        await siti.hears("Foto ke-1 diterima.")
        await siti.user.send_photo(TINY_PNG)
        await siti.hears("Foto ini sudah diterima sebelumnya.")
        await siti.user.send_document(JPEG, filename="hadir.jpg", mime_type="image/jpeg")
        photos = await siti.hears("Foto ke-2 diterima.")
        await siti.taps(photos, "Selesai", expect="Siapa saja kader atau petugas")
        summary = await siti.says("tidak ada", expect="Foto bukti: 2 foto")
        assert "Lokasi: -6.91750, 107.61910" in summary.text
        await siti.taps(summary, "Kirim", expect="Terima kasih")
    assert len(stored(media_dir)) == 2
    row = evidence_row(database, media_dir)
    assert (row["Jumlah bukti"], row["Bukti lengkap"]) == (2, "ya")


# --- WhatsApp -----------------------------------------------------------------------------------


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI(PHONE_ID, WA_TOKEN, require_uploaded_media=True) as fake:
        fake.register_template(TEMPLATE, "id", body_params=1)
        yield fake


async def test_whatsapp_photos_and_a_location_pin(graph, database, clock, tmp_path):
    load_roster(database)
    media_dir = tmp_path / "media"
    settings = settings_for(graph)
    service = Service(
        database, Engine(ALL_FORMS), clock=clock, media=inbox(media_dir, fetchers(settings), LIMIT)
    )
    graph.user_media("m-kegiatan", TINY_PNG, "image/png")
    graph.user_media("m-hadir", JPEG, "image/jpeg")
    graph.user_media("m-besar", JPEG * 40, "image/jpeg")
    async with running(graph, service, clock) as bot:
        kader = bot.phone(KADER_WA)
        await kader.say("lapor")
        await kader.tap("luar_gedung")
        for answer in ["penyuluhan", *BEFORE_EVIDENCE, *AFTER_PEOPLE]:
            await kader.say(answer)
        asked = graph.sent_to(KADER_WA)[-1]["interactive"]
        assert asked["type"] == "location_request_message"
        [photo_question] = await kader._send(payloads.location(wa_id=KADER_WA))
        assert "Kirim foto kegiatan" in photo_question

        first = payloads.messages_payload(
            payloads.image_message(media="m-kegiatan", wa_id=KADER_WA)
        )
        assert "Foto ke-1 diterima." in (await kader._send(first))[0]
        assert await kader._send(first) == []  # the webhook delivered again
        big = payloads.messages_payload(payloads.image_message(media="m-besar", wa_id=KADER_WA))
        assert "foto terlalu besar" in (await kader._send(big))[0]
        pdf = payloads.messages_payload(payloads.document_message(wa_id=KADER_WA))
        assert handler_words.PHOTO_REFUSED["not_image"] in (await kader._send(pdf))[0]
        second = payloads.messages_payload(payloads.image_message(media="m-hadir", wa_id=KADER_WA))
        assert "Foto ke-2 diterima." in (await kader._send(second))[0]
        await kader.tap("selesai")
        summary = (await kader.say("tidak ada"))[0]
        assert "Foto bukti: 2 foto" in summary and "Lokasi: -6.20010, 106.81670" in summary
        assert "Terima kasih" in (await kader.tap("kirim"))[0]
    assert graph.media_downloads == ["m-kegiatan", "m-hadir"]
    assert len(stored(media_dir)) == 2
    row = evidence_row(database, media_dir)
    assert (row["Jumlah bukti"], row["Bukti lengkap"]) == (2, "ya")

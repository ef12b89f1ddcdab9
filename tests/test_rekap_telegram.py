"""The rekap over Telegram: the real libraries against the Bot API emulator, the real core.

A district officer registers, asks for the rekap, drills down with a button,
and gets the Excel workbook as a document and the chart as a photo.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from bot.channels import words as channel_words
from bot.channels.telegram import TelegramChannel
from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers import words as handler_words
from handlers.rekap import words as W
from storage import Database
from tests.rekap_district import DINKES, load_district
from tests.telegram_emulator import TelegramEmulator
from tests.test_telegram_channel import Kader, polling_bot

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456789:AARekapTestToken"
AGUS_ID = 3001
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
async def bot(
    tg: TelegramEmulator, library: str, database: Database
) -> AsyncIterator[TelegramChannel]:
    load_district(database)
    service = Service(database, Engine(ALL_FORMS), clock=lambda: NOW)
    async with polling_bot(tg, library, service) as channel:
        yield channel


async def test_rekap_drill_down_excel_and_chart_arrive(bot, tg):
    agus = Kader(tg.user(AGUS_ID, "Agus", phone=DINKES))
    await agus.says("/start", expect=handler_words.ASK_CONTACT)
    await agus.user.tap(channel_words.BUTTON_SHARE_CONTACT)
    await agus.hears("Halo Agus, Dinas Kesehatan Kabupaten Uji Rekap")

    rekap = await agus.says("/rekap", expect="📊 Rekap Oktober 2026")
    assert "Laporan masuk: 4/5 Posyandu (80%) ▼20 dari Sep" in rekap.text
    assert "Anggrek     3/3 83% +12" in rekap.text
    assert rekap.button_texts == ["Puskesmas Anggrek", "Puskesmas Bakung"]
    assert [entity["type"] for entity in rekap.entities] == ["pre"], "the table is monospace"
    actions = await agus.hears(W.REKAP_ACTIONS)
    assert actions.button_texts == [W.BUTTON_EXCEL, W.BUTTON_CHART]

    bakung = await agus.taps(rekap, "Puskesmas Bakung", expect="Puskesmas Bakung")
    assert "Karanganyar   1/2 50% -11" in bakung.text
    await agus.hears(W.REKAP_ACTIONS)

    workbook = await agus.taps(actions, W.BUTTON_EXCEL, expect="(Excel)")
    assert workbook.document is not None
    assert workbook.document.filename == "rekap-35.90-2026-10.xlsx"
    book = load_workbook(io.BytesIO(workbook.document.content))
    assert book["Puskesmas"]["B2"].value == "Puskesmas Anggrek"

    await agus.says("rekap", expect="📊 Rekap Oktober 2026")
    fresh = await agus.hears(W.REKAP_ACTIONS)
    chart = await agus.taps(fresh, W.BUTTON_CHART, expect="📈 D/S dan kelengkapan laporan")
    assert chart.photo is not None
    assert chart.photo.content.startswith(b"\x89PNG")

"""Supervision buttons over the real channels: a forged or stale press changes nothing.

Why: a button is data the phone sends back; anyone can send any data. Each
press is read as the typed command it stands for and checked again against
the presser's area and the report as it stands now, so a bidan who edits a
button to point at another desa's Posyandu, or taps an old "Sesuai" after the
kader corrected the report, moves nothing. Telegram runs the real libraries
against the Bot API emulator; WhatsApp receives signed webhooks and answers
through the fake Graph API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.channels import words as channel_words
from conversations import Inbound
from handlers import Service
from storage import Database
from storage.models import Outbox, Person, Report
from storage.review.models import MonthApproval, ReportReview, ReviewEvent
from tests import whatsapp_payloads as payloads
from tests.builders import file_reports, held_month, monthly_report
from tests.roster import BIDAN, KADER, KADER_TWO_POSYANDU
from tests.telegram_emulator import TelegramEmulator
from tests.test_telegram_channel import Kader, polling_bot
from tests.test_whatsapp_channel import BIDAN_WA, running

FILED = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)
CORRECTED = datetime(2026, 11, 4, 3, 0, tzinfo=UTC)
NUR_TG = 2001
FORGED_ACROSS = "sesuai PY3 2026-10 #1"
"""Posyandu Kenanga lies in Desa Dua: not Bidan Nur's."""


def file_october(database: Database, posyandu: str, phone: str, at: datetime, s: int) -> None:
    with database.transaction() as session:
        person = session.exec(select(Person.id).where(Person.phone == phone)).one()
    report = monthly_report(person, posyandu, "2026-10", held_month("2026-10", s))
    file_reports(database, (report, at))


def actions_taken(database: Database) -> tuple[int, ...]:
    """Rows of every table an action writes (the outbox's notices; replies are not actions)."""
    with database.transaction() as session:
        counts = tuple(
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Report, ReviewEvent, ReportReview, MonthApproval)
        )
        notices = select(func.count()).select_from(Outbox).where(Outbox.inbox_id.is_(None))
        return (*counts, session.exec(notices).one())


@pytest.fixture
def filed(service: Service, database: Database) -> Database:
    """Melati (Nur's desa) and Kenanga (another desa) filed October."""
    file_october(database, "PY1", KADER, FILED, 80)
    file_october(database, "PY3", KADER_TWO_POSYANDU, FILED, 60)
    return database


# --- Telegram -------------------------------------------------------------------------------


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token="123456789:AAReviewTestToken") as emulator:
        yield emulator


async def test_telegram_forged_and_stale_presses_change_nothing(tg, library, service, filed):
    async with polling_bot(tg, library, service):
        user = tg.user(NUR_TG, "Nur", phone=BIDAN)
        nur = Kader(user)
        await nur.says("/start")
        await user.tap(channel_words.BUTTON_SHARE_CONTACT)
        await nur.hears("Nur")
        report = await nur.says("lihat melati", expect="Laporan bulanan Posyandu Melati")
        assert set(report.button_texts) >= {"✅ Sesuai", "↩️ Kembalikan"}
        before = actions_taken(filed)

        chat = tg.chat(NUR_TG)
        forged = await tg._press(user, chat, chat.message(report.message_id), f":{FORGED_ACROSS}")
        await forged.wait_answered()
        assert "tidak ada di wilayah Anda" in (await nur.hears()).text
        assert actions_taken(filed) == before, "0 actions across areas"

        earlier = await nur.says("lihat melati", expect="revisi ke-1")
        file_october(filed, "PY1", KADER, CORRECTED, 82)
        before = actions_taken(filed)
        stale = await nur.taps(earlier, "✅ Sesuai")
        assert "sudah diperbaiki. Tidak ada yang diubah" in stale.text
        assert actions_taken(filed) == before

        fresh = await nur.says("lihat melati", expect="revisi ke-2")
        done = await nur.taps(fresh, "✅ Sesuai")
        assert "ditandai sesuai" in done.text


# --- WhatsApp -------------------------------------------------------------------------------


@pytest.fixture
async def graph():
    from tests.test_whatsapp_channel import PHONE_ID, TEMPLATE, TOKEN
    from tests.whatsapp_graph_fake import FakeGraphAPI

    async with FakeGraphAPI(PHONE_ID, TOKEN, require_uploaded_media=True) as fake:
        fake.register_template(TEMPLATE, "id", body_params=1)
        yield fake


async def test_whatsapp_forged_and_stale_taps_change_nothing(graph, service, filed, clock):
    async with running(graph, service, clock) as bot:
        nur = bot.phone(BIDAN_WA)
        await nur.say("mulai")
        view = await nur.say("lihat melati")
        assert "Laporan bulanan Posyandu Melati" in view[0], view
        question = nur.last_question()
        buttons = question["json"]["interactive"]["action"]["buttons"]
        assert [b["reply"]["id"] for b in buttons][:2] == [
            ":sesuai PY1 2026-10 #1",
            ":kembalikan PY1 2026-10 #1",
        ]
        before = actions_taken(filed)

        forged = payloads.button_reply(
            f":{FORGED_ACROSS}", "✅ Sesuai", context_id=question["message_id"], wa_id=BIDAN_WA
        )
        answer = await nur._send(forged)
        assert "tidak ada di wilayah Anda" in answer[0]
        assert actions_taken(filed) == before, "0 actions across areas"

        file_october(filed, "PY1", KADER, CORRECTED, 82)
        before = actions_taken(filed)
        [stale] = await nur.tap("sesuai PY1 2026-10 #1", on=question)
        assert "sudah diperbaiki. Tidak ada yang diubah" in stale
        assert actions_taken(filed) == before
        [returned] = await nur.tap("kembalikan PY1 2026-10 #1", on=question)
        assert "sudah diperbaiki" in returned and actions_taken(filed) == before


def test_a_press_without_a_question_is_the_command_it_carries(service, filed):
    """What both channels hand the core: the value, no question id (a typed twin)."""
    inbound = Inbound("console", BIDAN, "p1", choice=FORGED_ACROSS, phone=BIDAN)
    before = actions_taken(filed)
    [reply] = service.handle(inbound)
    assert "tidak ada di wilayah Anda" in reply.text and actions_taken(filed) == before

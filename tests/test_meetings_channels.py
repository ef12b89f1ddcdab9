"""The meeting flow over the real channels: Telegram (both libraries) and WhatsApp.

The Puskesmas officer creates a meeting with buttons, the invitation reaches
the bidan through the outbox dispatcher with its three answer buttons, and a
tap on one of them (an outbox message has no question behind it) answers
the invitation; Diwakilkan asks for the name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from bot.channels import words as channel_words
from handlers import Service
from handlers import words as handler_words
from handlers.delivery import Sender
from handlers.reminders.dispatcher import Dispatcher
from storage import Database
from storage.meetings.models import MeetingInvitee
from tests.conftest import Clock
from tests.roster import BIDAN, PUSKESMAS
from tests.telegram_emulator import TelegramEmulator
from tests.test_telegram_channel import Kader, polling_bot
from tests.test_whatsapp_channel import running
from tests.whatsapp_graph_fake import FakeGraphAPI

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123456789:AAMeetingTestToken"
HENDRA_ID = 2001
NUR_ID = 2002
# Hendra's answers after choosing the kind and the suggested title (22 Nov 2026 is a Sunday).
TYPED = ["25/11", "09.00", "12.00", "Aula Puskesmas"]


def rsvp(database: Database) -> list[tuple[str | None, str | None]]:
    with database.transaction() as session:
        return [
            tuple(row) for row in session.exec(select(MeetingInvitee.rsvp, MeetingInvitee.delegate))
        ]


async def dispatch(database: Database, channel: Sender, clock: Clock) -> None:
    await Dispatcher(database, [channel], clock=clock, concurrency=1).drain()


@pytest.fixture(params=["ptb", "aiogram"])
def library(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN) as emulator:
        yield emulator


async def registered(tg: TelegramEmulator, user_id: int, name: str, phone: str) -> Kader:
    person = Kader(tg.user(user_id, name, phone=phone))
    await person.says("/start", expect=handler_words.ASK_CONTACT)
    await person.user.tap(channel_words.BUTTON_SHARE_CONTACT)
    await person.hears("Halo")
    return person


async def test_a_meeting_over_telegram_with_buttons(tg, library, service: Service, database, clock):
    async with polling_bot(tg, library, service) as channel:
        nur = await registered(tg, NUR_ID, "Nur", BIDAN)
        hendra = await registered(tg, HENDRA_ID, "Hendra", PUSKESMAS)
        kinds = await hendra.says("rapat baru", expect="Rapat apa yang akan diadakan?")
        title = await hendra.taps(kinds, "Rapat koordinasi", expect="Apa judul rapatnya?")
        await hendra.taps(title, "Rapat koordinasi Puskesmas Uji", expect="Tanggal berapa")
        names = await hendra.answers(*TYPED)
        assert "Ada orang tertentu" in names.text
        groups = await hendra.taps(names, "Lewati", expect="Siapa yang diundang?")
        assert "1. Semua bidan Puskesmas Uji (1)" in groups.text
        agenda = await hendra.says("1", expect="Agendanya apa?")
        summary = await hendra.taps(agenda, "Lewati", expect="Periksa dulu undangan rapat ini:")
        assert "Diundang: 1 orang." in summary.text
        await hendra.taps(summary, "Kirim", expect="Undangan rapat #1 dikirim ke 1 orang.")

        await dispatch(database, channel, clock)
        invitation = await nur.hears("📅 Undangan rapat koordinasi #1")
        assert invitation.button_texts == ["Hadir", "Tidak bisa", "Diwakilkan"]
        await nur.taps(invitation, "Diwakilkan", expect="Siapa yang mewakili Anda di rapat #1?")
        await nur.says("diwakilkan 1 Bd. Ani", expect="diwakili oleh Bd. Ani")
        assert rsvp(database) == [("wakil", "Bd. Ani")]
        # The invitation's buttons are spent by the first tap; the typed twin still answers.
        await nur.says("hadir", expect="Anda tercatat akan hadir di rapat #1")
        assert rsvp(database) == [("hadir", None)]
        listed = await hendra.says("rapat", expect="Rapat yang akan datang:")
        assert "1 hadir, 0 tidak bisa" in listed.text


async def test_a_meeting_over_whatsapp_with_buttons(service: Service, database, clock):
    from tests.test_whatsapp_channel import PHONE_ID, TEMPLATE
    from tests.test_whatsapp_channel import TOKEN as WA_TOKEN

    async with FakeGraphAPI(PHONE_ID, WA_TOKEN, require_uploaded_media=True) as graph:
        graph.register_template(TEMPLATE, "id", body_params=1)
        async with running(graph, service, clock) as bot:
            nur = bot.phone(BIDAN.removeprefix("+"))
            hendra = bot.phone(PUSKESMAS.removeprefix("+"))
            await nur.say("mulai")
            assert "Rapat apa" in (await hendra.say("rapat baru"))[-1]
            assert "judul" in (await hendra.tap("koordinasi"))[0]
            assert "Tanggal" in (await hendra.tap("Rapat koordinasi Puskesmas Uji"))[0]
            for answer in TYPED:
                await hendra.say(answer)
            await hendra.tap("lewati")
            await hendra.say("1")
            summary = (await hendra.tap("lewati"))[0]
            assert "Diundang: 1 orang." in summary
            assert "Undangan rapat #1 dikirim ke 1 orang." in (await hendra.tap("kirim"))[0]

            await dispatch(database, bot.channel, clock)
            invitation = nur.last_question()
            interactive = invitation["json"]["interactive"]
            assert interactive["body"]["text"].startswith("📅 Undangan rapat koordinasi #1")
            titles = [b["reply"]["title"] for b in interactive["action"]["buttons"]]
            assert titles == ["Hadir", "Tidak bisa", "Diwakilkan"]
            replies = await nur.tap("tidak bisa 1", on=invitation)
            assert "tidak bisa hadir di rapat #1" in replies[0]
            assert rsvp(database) == [("tidak", None)]

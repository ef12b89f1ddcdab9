"""Replies that meet server errors, on the Telegram channel against the Bot API emulator.

Why: a kader with patchy signal who gets no answer types hers again. When the
question she was waiting for finally arrives, what she typed again answered
the question before it: taken as the answer to the new question, a ``4``
retyped after choosing "Kejadian" from the menu would report a child's death
(and alert the bidan and the Puskesmas). The mailroom sends a question that
failed before reading anything typed after it, and reads what was typed
before the question reached her as an answer to no question: the bot asks
again instead.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import col, select

from conversations import words as engine_words
from handlers import Service
from storage import Database
from storage.models import Conversation, Outbox, Report
from tests.roster import KADER
from tests.telegram_emulator import TelegramEmulator
from tests.test_telegram_channel import SITI_ID, TOKEN, Kader, polling_bot, register

pytestmark = [
    pytest.mark.timeout(60),
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

RETRIES_SECONDS = 15.0
"""Three failed sends back off about 1 + 2 + 4 seconds (jittered) before the fourth try."""


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
async def siti(tg: TelegramEmulator, service: Service) -> AsyncIterator[Kader]:
    """Siti, registered, on the python-telegram-bot backend (the default library)."""
    async with polling_bot(tg, "ptb", service):
        kader = Kader(tg.user(SITI_ID, "Siti", phone=KADER))
        await register(kader)
        yield kader


def sends(tg: TelegramEmulator, after: int) -> list[tuple[int, str]]:
    """Status and text of each sendMessage to Siti after the first ``after`` calls."""
    return [
        (call.status, str(call.params.get("text", "")))
        for call in tg.calls[after:]
        if call.method == "sendMessage" and call.params.get("chat_id") == SITI_ID
    ]


def last_reply(database: Database) -> Outbox:
    with database.transaction() as session:
        reply = session.exec(select(Outbox).order_by(col(Outbox.id).desc())).first()
    assert reply is not None
    return reply


def open_answers(database: Database) -> dict[str, Any]:
    with database.transaction() as session:
        [state] = session.exec(
            select(Conversation.state).where(col(Conversation.paused_at).is_(None))
        ).all()
    answers: dict[str, Any] = json.loads(state)["answers"]
    return answers


async def test_a_reply_failing_three_times_with_5xx_arrives_on_the_fourth_try(siti, tg, database):
    before = len(tg.calls)
    tg.inject_error("sendMessage", 500, "Internal Server Error", chat_id=SITI_ID, times=3)
    await siti.user.send("status")
    await siti.user.expect("Status laporan bulanan", timeout=RETRIES_SECONDS)
    assert [status for status, _text in sends(tg, before)] == [500, 500, 500, 200]
    async with asyncio.timeout(5):
        while (reply := last_reply(database)).status != "sent":
            await asyncio.sleep(0.02)
    assert reply.attempts == 4


async def test_an_answer_typed_again_after_a_lost_question_does_not_answer_the_next(
    siti, tg, database
):
    await siti.says("lapor", expect="Laporan apa")
    before = len(tg.calls)
    tg.inject_error("sendMessage", 502, "Bad Gateway", chat_id=SITI_ID, times=3)
    await siti.user.send("4")  # Kejadian (kelahiran/kematian)
    await tg.wait_for_call("sendMessage", lambda call: call.status == 502)
    await siti.user.send("4")  # no answer came: she types it again

    await siti.user.expect("Kejadian apa", timeout=RETRIES_SECONDS)
    asked_again = await siti.hears(engine_words.STALE_BUTTON)
    assert "Kejadian apa" in (asked_again.text or "")
    assert "jenis" not in open_answers(database), "the retyped 4 reported no death"
    with database.transaction() as session:
        assert not session.exec(select(Report)).all()
        assert not session.exec(select(Outbox).where(col(Outbox.inbox_id).is_(None))).all()
    statuses = [status for status, text in sends(tg, before) if "Kejadian apa" in text]
    assert statuses[:4] == [502, 502, 502, 200]

    await siti.says("1", expect="Tanggal berapa")
    assert open_answers(database)["jenis"] == "LAHIR_HIDUP"


async def test_an_answer_typed_twice_more_after_a_lost_question_does_not_answer_the_next(
    siti, tg, database
):
    """The question asked again after the first retyped 4 arrives at once, but behind the
    failing one: the second retyped 4 was typed before either and is asked again too."""
    await siti.says("lapor", expect="Laporan apa")
    tg.inject_error("sendMessage", 502, "Bad Gateway", chat_id=SITI_ID, times=3)
    await siti.user.send("4")
    await tg.wait_for_call("sendMessage", lambda call: call.status == 502)
    await siti.user.send("4")
    await siti.user.send("4")

    await siti.user.expect("Kejadian apa", timeout=RETRIES_SECONDS)
    await siti.hears(engine_words.STALE_BUTTON)
    await siti.hears(engine_words.STALE_BUTTON)
    await siti.user.expect_silence(0.5)
    assert "jenis" not in open_answers(database), "neither retyped 4 reported a death"

"""``python -m bot inbox failed|retry`` against a running WhatsApp channel on a SQLite file.

Why: a reply the platform refuses for good must not vanish nor be retried
forever. It is parked, listed for the operator with its error, and delivered
once the operator puts it back after fixing the cause. A message the core
cannot handle ends the same way, after one apology to the person.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import app
from conversations import ALL_FORMS, Engine, Inbound
from handlers import Service
from handlers import words as handler_words
from handlers.service import Answer
from storage import Database, Transaction
from tests.test_whatsapp_channel import KADER_WA, graph, running, shown

__all__ = ["graph"]


@pytest.fixture
def cli(database: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name, value in {"DATABASE_URL": database.url, "LOG_LEVEL": "WARNING"}.items():
        monkeypatch.setenv(name, value)
    return CliRunner()


def listed(cli: CliRunner) -> str:
    result = cli.invoke(app, ["inbox", "failed"])
    assert result.exit_code == 0, result.output
    return result.output


async def test_an_undeliverable_reply_is_listed_and_delivered_after_a_retry(
    graph, service, clock, cli
):
    assert "Nothing failed" in listed(cli)
    graph.undeliverable(KADER_WA)
    async with running(graph, service, clock) as bot:
        await bot.phone(KADER_WA).say("halo")
        assert graph.sent_to(KADER_WA) == []
        shown_list = listed(cli)
        [line] = [row for row in shown_list.splitlines() if "131026" in row]
        reply_id = line.split("\t")[0]
        assert reply_id.startswith("r") and "reply" in line and "whatsapp" in line
        assert KADER_WA not in shown_list, "the list shows no full phone number"

        graph.clear_recipient(KADER_WA)
        result = cli.invoke(app, ["inbox", "retry", reply_id])
        assert result.exit_code == 0 and f"{reply_id}: queued again" in result.output
        [greeting] = await graph.wait_for_sent(1, to=KADER_WA)
        await bot.mailroom.idle()
    assert shown(greeting).startswith("Halo Siti")
    assert "Nothing failed" in listed(cli)
    again = cli.invoke(app, ["inbox", "retry", reply_id])
    assert again.exit_code == 1 and "nothing parked" in again.output


class BrokenService(Service):
    def answer(self, session: Transaction, inbound: Inbound, now: object) -> Answer:
        raise RuntimeError("a bug")


async def test_a_message_the_core_fails_on_is_apologised_for_once_then_parked_and_retried(
    graph, service, database, clock, cli
):
    broken = BrokenService(database, Engine(ALL_FORMS), clock)
    async with running(graph, broken, clock) as bot:
        await bot.phone(KADER_WA).say("halo")
        for _ in range(3):  # three tries, a backoff between them
            clock.advance(minutes=1)
            await bot.mailroom.sweep()
            await bot.mailroom.idle()
    assert [shown(body) for body in graph.sent_to(KADER_WA)] == [handler_words.UNEXPECTED_ERROR]
    [line] = [row for row in listed(cli).splitlines() if "\tmessage\t" in row]
    message_id = line.split("\t")[0]
    assert message_id.startswith("m")

    assert cli.invoke(app, ["inbox", "retry", message_id]).exit_code == 0
    async with running(graph, service, clock) as bot:
        [_, greeting] = await graph.wait_for_sent(2, to=KADER_WA)
        await bot.mailroom.idle()
    assert shown(greeting).startswith("Halo Siti")
    assert "Nothing failed" in listed(cli)


def test_retry_refuses_what_is_not_an_id(cli, database):
    result = cli.invoke(app, ["inbox", "retry", "x1", "m", "r99"])
    assert result.exit_code == 1
    assert result.output.count("nothing parked") == 3

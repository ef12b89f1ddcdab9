"""``python -m bot jobs …`` and ``schedule …`` in-process against a SQLite file.

Why: operators re-run jobs by hand when something looks wrong; a second run
must not message anyone twice, and the output must say who cannot be reached.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from bot.config import Settings
from bot.scheduling import scheduling
from storage import Database
from storage.models import Outbox
from tests.fake_channel import WHATSAPP, FakeChannel
from tests.scheduler_roster import load_two_zone_roster

RUN = ["jobs", "run", "report_due", "--now", "2026-11-02T09:00+07:00"]


@pytest.fixture
def cli(database: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    load_two_zone_roster(database)
    for name, value in {
        "DATABASE_URL": database.url,
        "WHATSAPP_ACCESS_TOKEN": "test-token",
        "WHATSAPP_PHONE_NUMBER_ID": "100",
        "TELEGRAM_BOT_TOKEN": "",
        "LOG_LEVEL": "WARNING",
        "HOLIDAYS": "2026-11-03",
        "COLUMNS": "200",
    }.items():
        monkeypatch.setenv(name, value)
    return CliRunner()


def outbox_keys(database: Database) -> list[str]:
    with database.transaction() as session:
        return sorted(session.exec(select(Outbox.key)).all())


def test_jobs_run_twice_queues_one_message_per_recipient(cli, database):
    first = cli.invoke(app, RUN)
    assert first.exit_code == 0, first.output
    assert "kader 2 (2 new)" in first.output
    assert "messages per recipient kind: kader: 4 (4 new)" in first.output
    assert "1 cannot be reached on any channel" in first.output
    assert "kader Budi +62811****0004" in first.output
    keys = outbox_keys(database)
    assert len(keys) == 4 and all(key.startswith("report_due:2026-10:d1:") for key in keys)

    second = cli.invoke(app, RUN)
    assert second.exit_code == 0, second.output
    assert "messages per recipient kind: kader: 4 (0 new)" in second.output
    assert outbox_keys(database) == keys


def test_jobs_run_outside_its_time_queues_nothing(cli, database):
    night = cli.invoke(app, ["jobs", "run", "report_due", "--now", "2026-11-02T22:30+07:00"])
    assert "report_due: nothing due at 2026-11-02T22:30:00+07:00" in night.output
    holiday = cli.invoke(app, ["jobs", "run", "report_due", "--now", "2026-11-03T09:00"])
    assert "nothing due" in holiday.output
    assert outbox_keys(database) == []


def test_jobs_list_shows_the_next_run_in_each_zone(cli):
    result = cli.invoke(app, ["jobs", "list", "--now", "2026-11-01T12:00+07:00"])
    assert result.exit_code == 0, result.output
    assert "Asia/Jakarta (WIB)" in result.output and "Asia/Makassar (WITA)" in result.output
    [line] = [line for line in result.output.splitlines() if line.startswith("│ report_due")]
    assert line.count("Mon 02 Nov 2026 08:00") == 2


def test_schedule_set_show_reset(cli):
    bad = cli.invoke(app, ["schedule", "set", "32.98", "report_due", "--hour", "22"])
    assert bad.exit_code == 2 and "hour must be between 6 and 20" in bad.output
    unknown = cli.invoke(app, ["schedule", "set", "99.99", "report_due", "--days", "2"])
    assert unknown.exit_code == 1 and "No kabupaten" in unknown.output
    ok = cli.invoke(
        app, ["schedule", "set", "32.98", "report_due", "--days", "2, 4", "--hour", "9"]
    )
    assert ok.exit_code == 0, ok.output
    shown = cli.invoke(app, ["schedule", "show", "32.98"])
    assert "report_due *" in shown.output and "2,4" in shown.output and "09:00" in shown.output
    off = cli.invoke(app, ["schedule", "set", "32.98", "report_due", "--disable"])
    assert off.exit_code == 0
    assert "nothing due" in cli.invoke(app, RUN).output
    reset = cli.invoke(app, ["schedule", "reset", "32.98", "report_due"])
    assert "defaults restored" in reset.output
    assert "4 new" in cli.invoke(app, RUN).output


def test_run_wiring_ticks_at_start_up_and_dispatches(database):
    load_two_zone_roster(database)
    settings = Settings(_env_file=None, holidays="2026-11-03")
    whatsapp = FakeChannel(WHATSAPP)
    at = datetime(2026, 11, 2, 2, tzinfo=UTC)

    async def main() -> None:
        async with scheduling(database, [whatsapp], settings, clock=lambda: at):
            for _ in range(200):
                if len(whatsapp.sent) == 3:
                    break
                await asyncio.sleep(0.05)

    asyncio.run(main())
    assert sorted(s.text.split(" untuk ")[1].split(" belum")[0] for s in whatsapp.sent) == [
        "Posyandu Anggrek",
        "Posyandu Kenanga, Posyandu Mawar",
        "Posyandu Melati",
    ]

"""Meeting and follow-up reminders, hour by hour, across WIB and WITA (scheduler-month style).

Why: a reminder the day before at 16:00 and another two hours before the start
are only useful on the invitee's own clock, never at night, never to someone
who declined, and never twice. Kabupaten Uji (WIB) has Puskesmas Timur on
WITA (``tests.scheduler_roster``); the Puskesmas Uji officer invites Nur (WIB)
and Rina and Joko (WITA) to a meeting at 09:00 WIB, and Joko declines.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers.reminders.holidays import parse_holidays
from handlers.reminders.tick import TickConfig, tick
from handlers.reminders.timing import Calendar, zone
from storage import Database
from storage.models import Outbox, Person
from tests.chat import ServiceChat
from tests.conftest import Clock
from tests.fake_channel import TELEGRAM, WHATSAPP
from tests.scheduler_roster import MAKASSAR, PHONES, load_two_zone_roster

CONFIG = TickConfig(Calendar(parse_holidays("", frozenset())), (TELEGRAM, WHATSAPP))
CREATED = datetime(2026, 11, 30, 2, tzinfo=UTC)  # Monday 09:00 WIB
WITA = {"Rina", "Joko"}


def local(name: str, at: datetime) -> str:
    here = zone(MAKASSAR if name in WITA else "Asia/Jakarta")
    return at.astimezone(here).strftime("%Y-%m-%d %H:%M")


def reminders(database: Database) -> list[tuple[str, str, str]]:
    with database.transaction() as session:
        names = dict(session.exec(select(Person.id, Person.name)).all())
        rows = session.exec(
            select(Outbox).where(Outbox.rule == "rapat_pengingat").order_by(Outbox.id)
        ).all()
        return [
            (
                names[row.person_id],
                row.key.split(":")[1] + ":" + row.key.split(":")[2],
                local(names[row.person_id], row.created_at),
            )
            for row in rows
        ]


@pytest.mark.backends
def test_meeting_and_follow_up_reminders_at_each_invitees_local_time(database):
    load_two_zone_roster(database)
    clock = Clock(CREATED)
    bot = Service(database, Engine(ALL_FORMS), clock=clock)
    hendra = ServiceChat(bot, PHONES["Hendra"])
    hendra.send("mulai")
    hendra.send_all(
        "rapat baru",
        "3",
        "Rapat ILP",
        "3/12",
        "09.00",
        "12.00",
        "Aula",
        "Nur, Rina, Joko",
        "tidak ada",
        "lewati",
        "kirim",
    )
    # A second meeting at 07:00 WIB: two hours before is 05:00, outside working hours.
    hendra.send_all(
        "rapat baru",
        "3",
        "Rapat pagi",
        "4/12",
        "07.00",
        "08.00",
        "Aula",
        "Nur, Rina",
        "tidak ada",
        "lewati",
        "kirim",
    )
    assert "tidak bisa hadir di rapat #1" in ServiceChat(bot, PHONES["Joko"]).send("tidak bisa 1")
    hendra.send("tindak lanjut 1; kunjungan balita gizi kurang; Nur; 10/12")

    at = datetime(2026, 12, 1, tzinfo=UTC)
    while at < datetime(2026, 12, 11, tzinfo=UTC):
        tick(database, at, CONFIG, only="rapat_pengingat")
        tick(database, at, CONFIG, only="rapat_pengingat")  # twice: nothing doubles
        at += timedelta(hours=1)

    assert reminders(database) == [
        ("Rina", "rapat1:h-1", "2026-12-02 16:00"),
        ("Nur", "rapat1:h-1", "2026-12-02 16:00"),
        ("Nur", "rapat1:2jam", "2026-12-03 07:00"),
        ("Rina", "rapat1:2jam", "2026-12-03 08:00"),
        ("Rina", "rapat2:h-1", "2026-12-03 16:00"),  # 15:00 WIB
        ("Nur", "rapat2:h-1", "2026-12-03 16:00"),
        ("Rina", "rapat2:2jam", "2026-12-04 06:00"),  # 05:00 WIB, two hours before
        ("Nur", "rapat2:2jam", "2026-12-04 06:00"),  # not at 05:00: the window opens at 06:00
        ("Nur", "rtl1:h-3", "2026-12-07 08:00"),
        ("Nur", "rtl1:h0", "2026-12-10 08:00"),
    ]
    with database.transaction() as session:
        texts = {row.key: row.payload["text"] for row in session.exec(select(Outbox))}
    nur = session_id(database, "Nur")
    rina = session_id(database, "Rina")
    assert texts[f"rapat_pengingat:rapat1:h-1:20261203T0200:person{nur}"] == (
        "⏰ Pengingat: besok rapat #1 Rapat ILP, Kamis, 3 Des 2026, 09.00–12.00 WIB, di Aula."
    )
    assert texts[f"rapat_pengingat:rapat1:2jam:20261203T0200:person{rina}"] == (
        "⏰ Rapat #1 Rapat ILP mulai pukul 10.00 (WITA), di Aula."
    )


def session_id(database: Database, name: str) -> int:
    with database.transaction() as session:
        return session.exec(select(Person.id).where(Person.name == name)).one()


def test_jobs_list_shows_the_meeting_reminders(database):
    from typer.testing import CliRunner

    from bot.cli import app

    load_two_zone_roster(database)
    result = CliRunner().invoke(app, ["jobs", "list"], env={"DATABASE_URL": database.url})
    assert result.exit_code == 0, result.output
    assert "rapat_pengingat" in result.output


def test_a_moved_meeting_is_reminded_of_again_and_a_cancelled_one_not(database):
    load_two_zone_roster(database)
    clock = Clock(CREATED)
    bot = Service(database, Engine(ALL_FORMS), clock=clock)
    hendra = ServiceChat(bot, PHONES["Hendra"])
    hendra.send_all(
        "rapat baru",
        "3",
        "Rapat ILP",
        "3/12",
        "09.00",
        "12.00",
        "Aula",
        "Nur",
        "tidak ada",
        "lewati",
        "kirim",
    )
    day_before = datetime(2026, 12, 2, 9, tzinfo=UTC)  # 16:00 WIB
    tick(database, day_before, CONFIG, only="rapat_pengingat")
    clock.now = day_before
    assert "dikabarkan ke 1 orang" in hendra.send("rapat pindah 1 10/12 09.00")
    tick(database, datetime(2026, 12, 9, 9, tzinfo=UTC), CONFIG, only="rapat_pengingat")
    assert [step for _, step, _ in reminders(database)] == ["rapat1:h-1", "rapat1:h-1"]
    hendra.send("rapat batal 1")
    tick(database, datetime(2026, 12, 10, 0, tzinfo=UTC), CONFIG, only="rapat_pengingat")
    assert len(reminders(database)) == 2, "no reminder for a cancelled meeting"

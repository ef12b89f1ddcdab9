"""A whole month of the scheduler against a controlled clock, on SQLite and PostgreSQL.

Why: reminders are only useful when they reach the right people at their own
local time, on working days, once, and never at night; and a Posyandu that
has reported must not be nagged. This drives the real tick and dispatcher
hour by hour through November 2026 for a kabupaten spanning WIB and WITA,
with a holiday on 3 November, and checks who received what, when.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from handlers.reminders.dispatcher import Dispatcher
from handlers.reminders.holidays import parse_holidays
from handlers.reminders.tick import TickConfig, tick
from handlers.reminders.timing import Calendar, zone
from storage import Database, drafts
from storage.models import Outbox
from storage.reminders import schedule
from storage.reminders.models import SummaryRun
from tests.builders import file_reports, monthly_report
from tests.conftest import Clock
from tests.fake_channel import TELEGRAM, WHATSAPP, FakeChannel
from tests.scheduler_roster import MAKASSAR, NUR_TELEGRAM, PHONES, load_two_zone_roster

START = datetime(2026, 11, 1, tzinfo=UTC)
HOURS = 30 * 24
CALENDAR = Calendar(parse_holidays("2026-11-03", frozenset()))
CONFIG = TickConfig(CALENDAR, (TELEGRAM, WHATSAPP))
MAWAR_FILED = datetime(2026, 11, 2, 5, tzinfo=UTC)  # 12:00 WIB
WITA = {"Rina", "Ayu", "Budi", "Joko"}

EXPECTED = [
    ("Ayu", "report_due", "2026-11-02 08:00"),
    ("Dewi", "report_due", "2026-11-02 08:00"),
    ("Ayu", "report_due", "2026-11-04 08:00"),
    ("Dewi", "report_due", "2026-11-04 08:00"),
    ("Rina", "report_overdue", "2026-11-05 08:00"),
    ("Hendra", "report_overdue", "2026-11-06 08:00"),
    ("Joko", "report_overdue", "2026-11-06 08:00"),
    ("Joko", "lokmin_bulanan", "2026-11-10 08:00"),
    ("Joko", "lokmin_tribulanan", "2026-11-10 08:00"),
    ("Rina", "lokmin_bulanan", "2026-11-10 08:00"),
    ("Dewi", "posyandu_day", "2026-11-11 16:00"),
    ("Nur", "posyandu_day", "2026-11-11 16:00"),
    ("Siti", "posyandu_day", "2026-11-11 16:00"),
    ("Dewi", "posyandu_day", "2026-11-14 16:00"),
    ("Nur", "posyandu_day", "2026-11-14 16:00"),
    ("Siti", "draft_expiring", "2026-11-19 06:00"),
    ("Ayu", "posyandu_day", "2026-11-19 16:00"),
    ("Rina", "posyandu_day", "2026-11-19 16:00"),
    ("Hendra", "lokmin_bulanan", "2026-11-23 08:00"),
    ("Hendra", "lokmin_tribulanan", "2026-11-23 08:00"),
    ("Nur", "lokmin_bulanan", "2026-11-23 08:00"),
]


def file_monthly(database: Database, posyandu: str, by: int, at: datetime) -> None:
    report = monthly_report(
        by, posyandu, "2026-10", {"POSY_BUKA": True, "BAL_S": 50}, channel="whatsapp"
    )
    file_reports(database, (report, at))


def local(name: str, at: datetime) -> datetime:
    return at.astimezone(zone(MAKASSAR if name in WITA else "Asia/Jakarta"))


@pytest.mark.backends
def test_a_month_of_reminders_reaches_the_right_people_at_their_local_time(database):
    ids = load_two_zone_roster(database)
    names = {person_id: name for name, person_id in ids.items()}
    file_monthly(database, "PY1", ids["Siti"], datetime(2026, 10, 30, 3, tzinfo=UTC))
    with database.transaction() as session:
        schedule.save_override(session, "32.98", "lokmin_tribulanan", START, months="11")
        # The lokmin as meetings (invitations, data pack) have their own month test:
        # tests/test_meetings_lokmin.py.
        for rule in ("lokmin_rapat", "lokmin_data"):
            schedule.save_override(session, "32.98", rule, START, enabled=False)
        expires = datetime(2026, 11, 19, 19, tzinfo=UTC)  # 20 Nov 02:00 WIB
        drafts.save(session, ids["Siti"], "bulanan", "{}", expires, START, None)
    clock = Clock(START)
    telegram = FakeChannel(TELEGRAM, clock=clock)
    whatsapp = FakeChannel(WHATSAPP, clock=clock)
    dispatcher = Dispatcher(database, [telegram, whatsapp], clock=clock, concurrency=4)

    for hour in range(HOURS):
        clock.now = START + timedelta(hours=hour)
        if clock.now == MAWAR_FILED:
            file_monthly(database, "PY2", ids["Dewi"], clock.now)
        tick(database, clock.now, CONFIG)
        asyncio.run(dispatcher.drain())

    with database.transaction() as session:
        rows = {row.id: row for row in session.exec(select(Outbox))}
    sent = telegram.sent + whatsapp.sent
    received = sorted(
        (names[rows[s.outbox_id].person_id], rows[s.outbox_id].rule, s.at)
        for s in sent
        if s.outbox_id is not None
    )
    as_local = sorted(
        ((name, rule, f"{local(name, at):%Y-%m-%d %H:%M}") for name, rule, at in received),
        key=lambda item: (item[2], item[0], item[1]),
    )
    assert as_local == sorted(EXPECTED, key=lambda item: (item[2], item[0], item[1]))
    assert all(6 <= local(name, at).hour < 21 for name, _, at in received)
    assert len({s.outbox_id for s in sent}) == len(sent)

    by_key = {row.key: row.payload["text"] for row in rows.values()}
    dewi = ids["Dewi"]
    assert "Posyandu Kenanga, Posyandu Mawar" in by_key[f"report_due:2026-10:d1:person{dewi}"]
    third = by_key[f"report_due:2026-10:d3:person{dewi}"]
    assert "Posyandu Kenanga" in third and "Mawar" not in third
    rina = by_key[f"report_overdue:2026-10:bidan:person{ids['Rina']}"]
    assert "Posyandu Anggrek — kader: Ayu (081100000003)" in rina
    assert "Belum bisa dihubungi bot: Budi (081100000004)" in rina
    hendra = by_key[f"report_overdue:2026-10:puskesmas:person{ids['Hendra']}"]
    assert "Desa Dua: Posyandu Kenanga — bidan: belum terdaftar" in hendra
    joko = by_key[f"report_overdue:2026-10:puskesmas:person{ids['Joko']}"]
    assert "Posyandu Anggrek, Posyandu Dahlia — bidan: Rina (081100000102)" in joko
    lokmin = by_key[f"lokmin_bulanan:2026-11-25:d-2:person{ids['Nur']}"]
    assert "Oktober 2026: 2 dari 3 Posyandu (67%)" in lokmin
    assert "besok" in by_key[f"posyandu_day:2026-11-12:d-1:person{ids['Siti']}"]
    moved = by_key[f"posyandu_day:2026-11-16:d-1:person{dewi}"]
    assert "Senin, 16 Nov 2026" in moved and "besok" not in moved, "sent Saturday for Monday"

    siti = [row.rule for row in rows.values() if names[row.person_id] == "Siti"]
    assert not [rule for rule in siti if rule.startswith("report")], "Melati reported in October"
    budi = [row for row in rows.values() if names[row.person_id] == "Budi"]
    assert sorted(row.rule for row in budi) == ["posyandu_day", "report_due", "report_due"]
    assert {(row.status, row.error[:11]) for row in budi} == {("failed", "unreachable")}
    assert {s.user_id for s in telegram.sent} == {NUR_TELEGRAM}, "Nur wrote last on Telegram"
    assert {rows[s.outbox_id].channel for s in telegram.sent} == {"telegram"}
    assert PHONES["Ayu"][1:] in {s.user_id for s in whatsapp.sent}, "WhatsApp by roster phone"

    with database.transaction() as session:
        snapshots = {row.period: row.ran_at for row in session.exec(select(SummaryRun))}
    assert f"{local('Hendra', snapshots['2026-10']):%Y-%m-%d %H:%M}" == "2026-11-06 01:00"
    assert snapshots["2026-09"] == START, "the September snapshot is caught up at start-up"

    for _, _, at in received:
        assert all(not report.new for report in tick(database, at, CONFIG, force=True))

"""The Monday home-visit digest to the bidan, over two scheduled weeks (SQLite and PostgreSQL).

Why: under ILP the bidan reviews her kader's home visits every week in four
categories. The digest must come on Monday at her own local time, cover the
seven days before, count each category, reach only a bidan whose Posyandu
had visits (a week without visits sends nothing), and never twice.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from conversations.forms.home_visit import HOME_VISIT
from handlers.reminders.holidays import parse_holidays
from handlers.reminders.tick import TickConfig, tick
from handlers.reminders.timing import Calendar, zone
from storage import Database
from storage.models import Conversation, Outbox, Report
from tests.builders import event_report, file_reports
from tests.chat import ServiceChat
from tests.fake_channel import TELEGRAM, WHATSAPP
from tests.roster import KADER
from tests.scheduler_roster import MAKASSAR, load_two_zone_roster

RULE = "home_visit_weekly"
START = datetime(2026, 11, 8, 17, tzinfo=UTC)  # Monday 9 Nov 00:00 WIB
HOURS = 16 * 24
CONFIG = TickConfig(Calendar(parse_holidays("", frozenset())), (TELEGRAM, WHATSAPP))
# (Posyandu, day, answers): the week reviewed on Monday 23 Nov is 16-22 Nov.
VISITS = [
    ("PY1", "2026-11-16", {"alasan": "absen", "demam": False, "tanda_bahaya": False}),
    ("PY1", "2026-11-18", {"alasan": "obat", "demam": True, "gejala_tbc": True}),
    ("PY2", "2026-11-22", {"alasan": "tbc", "demam": False, "tanda_bahaya": False}),
    ("PY4", "2026-11-20", {"alasan": "layanan", "demam": False, "gejala_tbc": False}),
    ("PY1", "2026-11-23", {"alasan": "absen", "demam": False}),  # next week
    ("PY3", "2026-11-06", {"alasan": "absen", "demam": False}),  # before the first Monday
]


def file_visits(database: Database, ids: dict[str, int]) -> None:
    filed = [
        (
            event_report(ids["Siti"], HOME_VISIT.id, f"v{n}", code, day, {"tanggal": day, **data}),
            datetime.fromisoformat(f"{day}T12:00+07:00"),
        )
        for n, (code, day, data) in enumerate(VISITS)
    ]
    file_reports(database, *filed)


def digests(database: Database) -> list[Outbox]:
    with database.transaction() as session:
        statement = select(Outbox).where(Outbox.rule == RULE).order_by(Outbox.key)
        return list(session.exec(statement))


@pytest.mark.backends
def test_the_weekly_digest_reaches_each_bidan_on_monday_at_her_local_time(database):
    ids = load_two_zone_roster(database)
    file_visits(database, ids)
    queued_at: dict[str, datetime] = {}
    for hour in range(HOURS):
        now = START + timedelta(hours=hour)
        tick(database, now, CONFIG, only=RULE)
        for row in digests(database):
            queued_at.setdefault(row.key, now)

    nur, rina = ids["Nur"], ids["Rina"]
    assert sorted(queued_at) == [
        f"{RULE}:2026-11-23:person{nur}",
        f"{RULE}:2026-11-23:person{rina}",
    ], "Monday 16 Nov reviewed a week without visits: nothing was sent"
    nur_at = queued_at[f"{RULE}:2026-11-23:person{nur}"].astimezone(zone("Asia/Jakarta"))
    rina_at = queued_at[f"{RULE}:2026-11-23:person{rina}"].astimezone(zone(MAKASSAR))
    assert f"{nur_at:%a %d %H:%M}" == f"{rina_at:%a %d %H:%M}" == "Mon 23 08:00"

    texts = {row.person_id: row.payload["text"] for row in digests(database)}
    assert texts[nur].splitlines() == [
        "🏠 Kunjungan rumah minggu lalu (16 Nov 2026 – 22 Nov 2026): 3 kunjungan. "
        "Menurut kategori kajian mingguan:",
        "• Tidak mengakses layanan: 1",
        "• Tidak patuh pengobatan: 1",
        "• Tanda bahaya: 1",
        "• Gejala TBC: 2",
        "Per Posyandu: Posyandu Mawar 1, Posyandu Melati 2.",
        "Mohon tindak lanjuti bersama kader. Ketik rekap untuk rinciannya.",
    ]
    assert "1 kunjungan" in texts[rina] and "• Tidak mengakses layanan: 1" in texts[rina]
    assert all(row.send_before is not None for row in digests(database))


def test_running_the_job_twice_queues_each_digest_once(database):
    ids = load_two_zone_roster(database)
    file_visits(database, ids)
    monday = datetime(2026, 11, 23, 2, tzinfo=UTC)  # 09:00 WIB, 10:00 WITA
    first = tick(database, monday, CONFIG, only=RULE, force=True)
    again = tick(database, monday, CONFIG, only=RULE, force=True)
    assert sum(sum(report.new.values()) for report in first) == 2
    assert sum(sum(report.new.values()) for report in again) == 0
    assert len(digests(database)) == 2


def test_a_holiday_monday_moves_the_digest_to_tuesday_for_the_same_week(database):
    ids = load_two_zone_roster(database)
    file_visits(database, ids)
    config = TickConfig(Calendar(parse_holidays("2026-11-23", frozenset())), CONFIG.channels)
    assert tick(database, datetime(2026, 11, 23, 2, tzinfo=UTC), config, only=RULE) == []
    tick(database, datetime(2026, 11, 24, 2, tzinfo=UTC), config, only=RULE)
    texts = [row.payload["text"] for row in digests(database)]
    assert len(texts) == 2 and all("16 Nov 2026 – 22 Nov 2026" in text for text in texts)


def test_jobs_list_shows_the_weekly_digest(database, monkeypatch):
    load_two_zone_roster(database)
    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    result = CliRunner().invoke(app, ["jobs", "list", "--now", "2026-11-18T12:00+07:00"])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.startswith(f"│ {RULE}")]
    assert line.count("Mon 23 Nov 2026 08:00") == 2


# A home visit draft saved by version 1 of the form (before the visit type and the TB flag),
# waiting at its summary.
VISIT_V1_DRAFT = {
    "form": HOME_VISIT.id,
    "context": {"posyandu_code": "PY1", "posyandu_name": "Posyandu Melati", "today": "2026-11-21"},
    "answers": {
        "tanggal": "2026-11-21",
        "sasaran": "lansia",
        "alasan": "absen",
        "demam": False,
        "tanda_bahaya": False,
        "tindak_lanjut": "ingatkan",
    },
    "skipped": ["catatan"],
    "current": "@summary",
    "turn": 8,
    "expires_at": "2026-11-28T10:00:00+07:00",
    "schema": 2,
}


def test_a_version_1_visit_draft_keeps_its_answers_and_asks_the_two_new_questions(
    service, database
):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "2")
    with database.transaction() as session:
        row = session.exec(select(Conversation)).one()
        row.state = json.dumps(VISIT_V1_DRAFT)
        session.add(row)
    reply = chat.send("kirim")
    assert "Formulir ini sudah diperbarui" in reply and "Kunjungan ini termasuk jenis apa?" in reply
    assert "Apakah ada gejala TBC" in chat.send("rutin")
    summary = chat.send("ya")
    assert "Jenis kunjungan: Rutin (semua rumah)" in summary and "Gejala TBC: Ya" in summary
    assert "Sasaran: Lansia" in summary and "Tindak lanjut: Ingatkan" in summary
    assert "✅" in chat.send("kirim")
    with database.transaction() as session:
        [visit] = session.exec(select(Report)).all()
    assert visit.data["jenis_kunjungan"] == "rutin" and visit.data["gejala_tbc"] is True
    assert visit.data["alasan"] == "absen"

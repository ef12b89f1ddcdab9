"""The lokakarya mini from the schedule, on the demo district (issue 14, item 7).

Why: a Puskesmas holds its lokmin every month and the cross-sector one every
quarter; the bot should put them in everyone's chat without anyone typing
them in, invite the right people (the quarterly one also the camat, the TP
PKK and a kader per Posyandu), and send the figures the day before, so the
meeting discusses data rather than waiting for it.
"""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime, timedelta

import openpyxl
from sqlmodel import select

from handlers.reminders.holidays import parse_holidays
from handlers.reminders.tick import TickConfig, tick
from handlers.reminders.timing import Calendar
from handlers.roster.demo import seed_demo
from storage import Database
from storage.meetings.models import Meeting, MeetingInvitee
from storage.models import Outbox, Person
from storage.reminders import schedule
from tests.fake_channel import TELEGRAM, WHATSAPP

CONFIG = TickConfig(Calendar(parse_holidays("", frozenset())), (TELEGRAM, WHATSAPP))
SEEDED = datetime(2026, 11, 30, 2, tzinfo=UTC)
RULES = ("lokmin_rapat", "lokmin_data")


def run_hourly(database: Database, first: datetime, last: datetime) -> None:
    at = first
    while at < last:
        for rule in RULES:
            tick(database, at, CONFIG, only=rule)
        at += timedelta(hours=1)


def meetings(database: Database) -> list[tuple[int, str, str, datetime, set[str]]]:
    with database.transaction() as session:
        found = []
        for meeting in session.exec(select(Meeting).order_by(Meeting.id)):
            invited = session.exec(
                select(Person.role)
                .join(MeetingInvitee, MeetingInvitee.person_id == Person.id)
                .where(MeetingInvitee.meeting_id == meeting.id)
            ).all()
            found.append(
                (meeting.id, meeting.kind, meeting.title, meeting.starts_at, sorted(invited))
            )
        return found


def test_quarterly_lokmin_in_november_invites_mitra_and_a_kader_per_posyandu(database):
    seed_demo(database, SEEDED)
    run_hourly(database, datetime(2026, 10, 25, tzinfo=UTC), datetime(2026, 10, 27, tzinfo=UTC))
    assert meetings(database) == []  # nothing before a week ahead
    run_hourly(database, datetime(2026, 10, 27, tzinfo=UTC), datetime(2026, 10, 28, tzinfo=UTC))
    found = meetings(database)
    assert [(m[1], m[2], m[3]) for m in found] == [
        (
            "lokmin_tribulanan",
            "Lokakarya mini tribulanan lintas sektor Puskesmas Sukamaju November 2026",
            datetime(2026, 11, 3, 2, tzinfo=UTC),  # 09:00 WIB
        ),
        (
            "lokmin_tribulanan",
            "Lokakarya mini tribulanan lintas sektor Puskesmas Cibening November 2026",
            datetime(2026, 11, 3, 2, tzinfo=UTC),
        ),
    ]
    # Sukamaju: 2 bidan, its staff, the camat and the TP PKK, and a kader for each of its
    # 4 Posyandu: 3 people, since Dewi is the first kader of both Melati 2 and Mawar.
    assert found[0][4] == ["bidan"] * 2 + ["kader"] * 3 + ["mitra"] * 2 + ["puskesmas"]
    assert "mitra" not in found[1][4]  # Cibening has no mitra on the roster
    with database.transaction() as session:
        created = session.exec(
            select(Outbox.created_at).where(Outbox.rule == "rapat").order_by(Outbox.id)
        ).first()
        assert created == datetime(2026, 10, 27, 1, tzinfo=UTC)  # 08:00 WIB, a week ahead
        camat = session.exec(select(Person.id).where(Person.phone == "+6281200000501")).one()
        invitation = session.exec(select(Outbox).where(Outbox.person_id == camat)).one()
    assert (
        "Lokakarya mini tribulanan lintas sektor Puskesmas Sukamaju" in invitation.payload["text"]
    )
    assert invitation.payload["choices"][0] == ["hadir 1", "Hadir"]


def test_monthly_lokmin_and_its_data_pack_the_day_before(database):
    seed_demo(database, SEEDED)
    run_hourly(database, datetime(2026, 11, 25, tzinfo=UTC), datetime(2026, 12, 3, tzinfo=UTC))
    found = meetings(database)
    assert [m[1] for m in found] == ["lokmin_bulanan", "lokmin_bulanan"]
    assert found[0][4] == ["bidan", "bidan", "puskesmas"]  # December: bidan and staff only
    with database.transaction() as session:
        nur = session.exec(select(Person.id).where(Person.phone == "+6281200000101")).one()
        rows = session.exec(
            select(Outbox).where(Outbox.person_id == nur, Outbox.rule == "lokmin_data")
        ).all()
    pack = {row.key.split(":")[2]: row for row in rows}
    assert sorted(pack) == ["excel", "grafik", "teks"]
    assert pack["teks"].created_at == datetime(2026, 12, 2, 1, tzinfo=UTC)  # the day before
    text = pack["teks"].payload["text"]
    assert text.startswith("📊 Bahan lokakarya mini #1 besok")
    assert "rekap November 2026" in text
    assert "Belum lapor (4):\n• Anggrek — Mekarsari" in text
    chart = pack["grafik"].payload["attachment"]
    assert chart["kind"] == "photo"
    assert base64.b64decode(chart["content"]).startswith(b"\x89PNG")
    workbook = openpyxl.load_workbook(
        io.BytesIO(base64.b64decode(pack["excel"].payload["attachment"]["content"]))
    )
    assert workbook.sheetnames


def test_quarterly_months_follow_the_kabupaten_setting(database):
    seed_demo(database, SEEDED)
    with database.transaction() as session:
        schedule.save_override(session, "32.99", "lokmin_tribulanan", SEEDED, months="12")
    run_hourly(database, datetime(2026, 11, 26, tzinfo=UTC), datetime(2026, 11, 27, tzinfo=UTC))
    assert [m[1] for m in meetings(database)] == ["lokmin_tribulanan", "lokmin_tribulanan"]

"""Meetings on the demo district, as the people in it would use them (issue 14).

The Puskesmas Sukamaju officer invites the bidan of his area to a lokmin-style
meeting in chat; the bidan get the invitation with buttons through the
outbox, answer it (one declines, one delegates), check in with the code read
out in the room, and the attendance list lists exactly the invitees. Every
bad input is answered in Indonesian and stores nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers.roster.demo import seed_demo
from storage import Database
from storage.meetings.models import ActionItem, Meeting, MeetingInvitee
from storage.models import Outbox, Person
from tests.chat import ServiceChat
from tests.conftest import Clock

HENDRA = "+6281200000201"  # Puskesmas Sukamaju
NURHAYATI = "+6281200000101"  # bidan, desa Sukamaju
SRI = "+6281200000102"  # bidan, desa Mekarsari
YULIANI = "+6281200000103"  # bidan of Puskesmas Cibening: never invited here
CAMAT = "+6281200000501"  # mitra, Camat Sukamaju
AGUS = "+6281200000301"  # dinkes
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 30 Nov 2026, 09:00 WIB

# rapat baru, lokmin bulanan, the suggested title, 3/12 (Thursday) 09.00-12.00, no names,
# the group "all bidan of Puskesmas Sukamaju", no agenda.
NEW_LOKMIN = [
    "rapat baru",
    "1",
    "Lokmin Desember",
    "3/12",
    "09.00",
    "12.00",
    "Aula Puskesmas Sukamaju",
    "lewati",
    "1",
    "lewati",
]


@pytest.fixture
def demo(database: Database) -> Database:
    seed_demo(database, NOW)
    return database


@pytest.fixture
def now() -> Clock:
    return Clock(NOW)


@pytest.fixture
def bot(demo: Database, now: Clock) -> Service:
    return Service(demo, Engine(ALL_FORMS), clock=now)


def chat(bot: Service, phone: str) -> ServiceChat:
    person = ServiceChat(bot, phone)
    person.send("mulai")
    return person


def count(database: Database, table: type) -> int:
    with database.transaction() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def outbox_for(database: Database, phone: str) -> list[Outbox]:
    with database.transaction() as session:
        person = session.exec(select(Person.id).where(Person.phone == phone)).one()
        statement = select(Outbox).where(Outbox.person_id == person).order_by(Outbox.id)
        return list(session.exec(statement))


def create_lokmin(bot: Service) -> ServiceChat:
    organiser = chat(bot, HENDRA)
    organiser.send_all(*NEW_LOKMIN)
    return organiser


def test_the_puskesmas_invites_its_bidan_and_sees_the_invitation_first(bot, demo):
    chat(bot, NURHAYATI)
    organiser = chat(bot, HENDRA)
    summary = organiser.send_all(*NEW_LOKMIN)
    assert "Periksa dulu undangan rapat ini:" in summary
    assert "Waktu: Kamis, 3 Des 2026, 09.00–12.00 WIB" in summary
    assert "Diundang: 2 orang." in summary
    assert count(demo, Meeting) == 0
    sent = organiser.send("kirim")
    assert "Undangan rapat #1 dikirim ke 2 orang." in sent
    # Sri never wrote to the bot: the organiser is told to invite her directly.
    assert "1 orang belum bisa dihubungi" in sent and "Bd. Sri Mulyani" in sent
    (invitation,) = outbox_for(demo, NURHAYATI)
    assert invitation.payload["text"].startswith("📅 Undangan lokakarya mini bulanan #1")
    assert [value for value, _ in invitation.payload["choices"]] == [
        "hadir 1",
        "tidak bisa 1",
        "diwakilkan 1",
    ]
    assert [label for _, label in invitation.payload["choices"]] == [
        "Hadir",
        "Tidak bisa",
        "Diwakilkan",
    ]
    assert outbox_for(demo, YULIANI) == []


def test_answers_by_button_and_by_word_and_the_counts(bot, demo):
    organiser = create_lokmin(bot)
    organiser.send("kirim")
    nur = chat(bot, NURHAYATI)
    sri = chat(bot, SRI)
    assert "tidak bisa hadir di rapat #1" in sri.send("tidak bisa 1", choice="tidak bisa 1")
    assert "Siapa yang mewakili" in nur.send("diwakilkan 1", choice="diwakilkan 1")
    assert "diwakili oleh Bd. Ani" in nur.send("diwakilkan 1 Bd. Ani")
    listed = organiser.send("rapat")
    assert "0 hadir, 1 tidak bisa, 1 diwakilkan, 0 belum menjawab" in listed
    detail = organiser.send("rapat 1")
    assert "• Bd. Nurhayati: diwakilkan (Bd. Ani)" in detail
    assert "• Bd. Sri Mulyani: tidak bisa" in detail
    assert "Kode hadir" not in detail  # only during the meeting
    assert "Anda tercatat akan hadir" in sri.send("hadir")  # a change of mind, typed


def test_check_in_with_the_code_during_the_meeting_and_the_attendance_csv(bot, demo, now, tmp_path):
    organiser = create_lokmin(bot)
    organiser.send("kirim")
    nur = chat(bot, NURHAYATI)
    sri = chat(bot, SRI)
    nur.send("hadir 1")
    with demo.transaction() as session:
        code = session.exec(select(Meeting.code)).one()
    assert "hanya bisa saat rapat berlangsung" in nur.send(f"hadir {code}")
    with demo.transaction() as session:
        assert session.exec(select(MeetingInvitee.checked_in_at)).all() == [None, None]
    now.now = datetime(2026, 12, 3, 2, 30, tzinfo=UTC)  # 09:30 WIB, during the meeting
    assert f"Kode hadir: {code}" in organiser.send("rapat 1")
    wrong = "1000" if code != "1000" else "1001"
    assert f"Kode {wrong} tidak cocok" in nur.send(f"hadir {wrong}")
    assert "Tercatat hadir di rapat #1 pukul 09.30" in nur.send(f"hadir {code}")
    assert "sudah tercatat hadir" in nur.send(f"hadir {code}")
    assert "tidak diundang ke rapat #1" in chat(bot, YULIANI).send(f"hadir {code}")
    assert "Sri Mulyani tercatat hadir" in organiser.send("hadir 1 sri")
    assert sri.send("rapat 1").endswith("Jawaban Anda: belum.")

    result = CliRunner().invoke(
        app,
        ["meetings", "attendance", "1", "--format", "csv", "--out", str(tmp_path / "a.csv")],
        env={"DATABASE_URL": demo.url},
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "a.csv").read_text("utf-8-sig"))))
    assert rows[0] == [
        "No",
        "Nama",
        "Peran/Jabatan",
        "Wilayah",
        "Jawaban",
        "Jam hadir",
        "Tanda tangan",
    ]
    assert rows[1:] == [
        ["1", "Bd. Nurhayati", "Bidan desa", "Sukamaju", "hadir", "03/12/2026 09.30", ""],
        ["2", "Bd. Sri Mulyani", "Bidan desa", "Mekarsari", "belum", "03/12/2026 09.30", ""],
    ]
    reply = organiser.send("daftar hadir 1")
    assert "2 orang diundang, 2 hadir" in reply
    attachment = organiser.replies[0].attachment
    assert attachment is not None and attachment.filename == "daftar-hadir-rapat-1.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(attachment.content)).active
    assert sheet["B4"].value == "Nama" and sheet["B5"].value == "Bd. Nurhayati"
    assert sheet["G5"].value is None  # the signature is left for the pen


def test_cancelling_and_moving_tell_everyone_and_a_cancelled_meeting_takes_no_answers(bot, demo):
    organiser = create_lokmin(bot)
    organiser.send("kirim")
    nur = chat(bot, NURHAYATI)
    assert "dikabarkan ke 2 orang" in organiser.send("rapat pindah 1 4/12 13.00 15.00")
    assert (
        "pindah waktu: sekarang Jumat, 4 Des 2026, 13.00–15.00 WIB"
        in outbox_for(demo, NURHAYATI)[-1].payload["text"]
    )
    assert "dikabarkan ke 2 orang" in organiser.send("rapat batal 1")
    assert "DIBATALKAN" in outbox_for(demo, SRI)[-1].payload["text"]
    before = count(demo, MeetingInvitee)
    assert "sudah dibatalkan" in nur.send("hadir 1", choice="hadir 1")
    with demo.transaction() as session:
        assert session.exec(select(MeetingInvitee.rsvp)).all() == [None, None]
    assert count(demo, MeetingInvitee) == before


def test_a_mitra_answers_invitations_and_nothing_else(bot, demo):
    organiser = chat(bot, HENDRA)
    organiser.send_all(*NEW_LOKMIN[:8], "3", "lewati", "kirim")
    camat = chat(bot, CAMAT)
    assert "mitra lintas sektor" in camat.replies[0].text
    assert "Anda tercatat akan hadir di rapat #1" in camat.send("hadir")
    assert "Anda menerima undangan rapat" in camat.send("rekap")
    assert "Anda menerima undangan rapat" in camat.send("lapor")


def test_invite_by_name_and_only_organisers_create(bot, demo):
    assert "hanya bisa dibuat oleh petugas" in chat(bot, NURHAYATI).send("rapat baru")
    organiser = chat(bot, AGUS)
    organiser.send_all("rapat baru", "3", "Rapat koordinasi ILP", "3/12", "09.00", "11.00")
    reply = organiser.send_all("Dinkes", "dr. hendra, bambang", "tidak ada", "lewati")
    assert "Diundang: 2 orang." in reply
    assert "Undangan rapat #1 dikirim ke 2 orang." in organiser.send("kirim")


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["rapat baru", "1", "x", "25/11"], "sudah lewat"),  # a meeting in the past
        (["rapat baru", "1", "x", "30/11", "08.00"], "Jam mulai itu sudah lewat"),
        (["rapat baru", "1", "x", "3/12", "jam sembilan"], "Jam belum terbaca"),
        (["rapat baru", "1", "x", "3/12", "09.00", "08.00"], "harus sesudah jam mulai"),
        (
            ["rapat baru", "1", "x", "3/12", "09.00", "12.00", "Aula", "lewati", "tidak ada"],
            "Belum ada yang diundang",
        ),
        (
            ["rapat baru", "1", "x", "3/12", "09.00", "12.00", "Aula", "lewati", "3"],
            "Belum ada yang diundang",
        ),  # a group with nobody in it (Cibening has no mitra)
        (
            ["rapat baru", "1", "x", "3/12", "09.00", "12.00", "Aula", "Budi Santoso"],
            "tidak ada di daftar petugas",
        ),
    ],
)
def test_bad_meeting_answers_are_refused_and_nothing_is_stored(bot, demo, answers, expected):
    organiser = chat(bot, "+6281200000202")  # Bambang, Puskesmas Cibening
    reply = organiser.send_all(*answers)
    assert expected in reply
    assert count(demo, Meeting) == 0 and count(demo, Outbox) == 0


def test_answers_and_check_ins_without_an_invitation_store_nothing(bot, demo):
    organiser = create_lokmin(bot)
    organiser.send("kirim")
    yuliani = chat(bot, YULIANI)
    assert "tidak diundang ke rapat #1" in yuliani.send("hadir 1")
    assert "tidak punya undangan rapat" in yuliani.send("tidak bisa")
    assert "Tidak ada rapat Anda yang sedang berlangsung" in yuliani.send("hadir 4821")
    assert "Rapat #7 tidak ditemukan" in yuliani.send("hadir 7")
    with demo.transaction() as session:
        assert session.exec(select(MeetingInvitee.rsvp)).all() == [None, None]


def test_follow_up_item_reaches_its_owner_and_shows_in_the_next_invitation(bot, demo, now):
    organiser = create_lokmin(bot)
    organiser.send("kirim")
    added = organiser.send("tindak lanjut 1; sweeping balita absen; Nurhayati; 20/12")
    assert "Tindak lanjut #1 dicatat untuk Bd. Nurhayati, batas 20 Des 2026" in added
    assert "sweeping balita absen" in outbox_for(demo, NURHAYATI)[-1].payload["text"]
    assert "belum terbaca atau sudah lewat" in organiser.send("tindak lanjut 1; x; Nurhayati; 1/11")
    assert "tidak ada di daftar undangan" in organiser.send("tindak lanjut 1; x; Yuliani; 20/12")
    assert count(demo, ActionItem) == 1
    now.now = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    organiser.send_all(*NEW_LOKMIN[:3], "7/1/2027", *NEW_LOKMIN[4:], "kirim")
    nur = chat(bot, NURHAYATI)
    invitation = outbox_for(demo, NURHAYATI)[-1].payload["text"]
    assert "Undangan lokakarya mini bulanan #2" in invitation
    assert "• sweeping balita absen — Bd. Nurhayati, batas 20 Des 2026" in invitation
    assert "sweeping balita absen" in nur.send("tindak lanjut")
    assert "bukan tugas Anda" in chat(bot, SRI).send("selesai 1 sudah")
    assert "ditandai selesai" in nur.send("selesai 1 sudah dilakukan 12 Des")
    assert "selesai oleh Bd. Nurhayati" in outbox_for(demo, HENDRA)[-1].payload["text"]
    assert "Tidak ada tindak lanjut" in nur.send("tindak lanjut")


def test_cli_creates_lists_and_shows_and_refuses_bad_meetings(demo, tmp_path: Path):
    runner = CliRunner()
    env = {"DATABASE_URL": demo.url}
    base = [
        "meetings",
        "create",
        "--organiser",
        AGUS,
        "--title",
        "Evaluasi ILP",
        "--place",
        "Dinkes",
    ]
    past = runner.invoke(
        app,
        [
            *base,
            "--start",
            "2020-01-01T09:00",
            "--end",
            "2020-01-01T10:00",
            "--invite",
            "puskesmas",
        ],
        env=env,
    )
    assert past.exit_code == 1 and "in the past" in past.output
    backwards = runner.invoke(
        app,
        [
            *base,
            "--start",
            "2030-01-01T09:00",
            "--end",
            "2030-01-01T08:00",
            "--invite",
            "puskesmas",
        ],
        env=env,
    )
    assert backwards.exit_code == 1 and "ends before it starts" in backwards.output
    nobody = runner.invoke(
        app, [*base, "--start", "2030-01-01T09:00", "--end", "2030-01-01T12:00"], env=env
    )
    assert nobody.exit_code == 1 and "nobody is invited" in nobody.output
    assert count(demo, Meeting) == 0
    made = runner.invoke(
        app,
        [
            *base,
            "--kind",
            "evaluasi",
            "--start",
            "2030-01-01T09:00",
            "--end",
            "2030-01-04T12:00",
            "--invite",
            "puskesmas",
            "--person",
            CAMAT,
        ],
        env=env,
    )
    assert made.exit_code == 0, made.output
    assert "Meeting 1 created; 3 invitation(s) queued." in made.output
    listed = runner.invoke(app, ["meetings", "list"], env=env)
    assert "Selasa, 1 Jan 2030 09.00 – Jumat, 4 Jan 2030 12.00 WIB" in listed.output
    shown = runner.invoke(app, ["meetings", "show", "1"], env=env)
    assert "Drs. Ahmad Fauzi\tmitra" in shown.output


def test_mentoring_visits_after_a_workshop_and_the_organisers_table(bot, demo, now):
    agus = chat(bot, AGUS)
    agus.send_all(
        "rapat baru",
        "4",
        "Workshop manajemen ILP",
        "3/12",
        "08.00",
        "2",
        "16.00",
        "Hotel",
        "dr. Hendra, Bambang",
        "tidak ada",
        "lewati",
    )
    assert "Waktu: Kamis, 3 Des 2026 08.00 – Jumat, 4 Des 2026 16.00 WIB" in agus.replies[0].text
    agus.send("kirim")
    lokmin = create_lokmin(bot)
    lokmin.send("kirim")
    assert "Rapat #2 bukan workshop" in lokmin.send("pendampingan 2 4")
    assert "Hanya pembuat rapat #1" in lokmin.send("pendampingan 1 4")
    scheduled = agus.send("pendampingan 1 4")
    assert "2 kunjungan pendampingan dijadwalkan, Kamis, 31 Des 2026, 08.00–11.00 WIB" in scheduled
    assert "#3 Puskesmas Sukamaju" in scheduled and "#4 Puskesmas Cibening" in scheduled
    assert "sudah dijadwalkan" in agus.send("pendampingan 1 4")
    hendra = chat(bot, HENDRA)
    assert "bisa diisi mulai saat kunjungan" in hendra.send("pantau 3")
    with demo.transaction() as session:
        code = session.exec(select(Meeting.code).where(Meeting.id == 3)).one()
    now.now = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)  # 09:00 WIB, during the visit
    assert "ketik pantau 3" in hendra.send(f"hadir {code}")
    assert "tidak diundang ke rapat #4" in hendra.send("pantau 4")
    hendra.send_all("pantau 3", "sebagian", "kader kurang", "pelatihan ulang kader")
    assert "Hasil pemantauan pendampingan sudah tersimpan" in hendra.send("kirim")
    table = agus.send("pendampingan 1")
    assert "• Puskesmas Sukamaju — dr. Hendra: Sebagian | kader kurang | pelatihan ulang kader" in (
        table
    )
    assert "• Puskesmas Cibening: belum diisi (kunjungan #4)" in table

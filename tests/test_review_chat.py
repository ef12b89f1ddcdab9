"""Supervision in chat on the demo district: kader, bidan, Puskesmas and Dinkes, end to end.

Why: the loop only helps if every step happens where people already are —
the kader's report reaches the bidan with buttons, she can read it whole and
send it back with a reason, the kader fixes one number in a few messages,
the Puskesmas closes the month, and the audit tells the story afterwards.
Every button is a typed command (checked again when pressed), so a forged or
stale one changes nothing, and each role acts only inside its own area.
"""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import re
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner

from bot.channels import console
from bot.cli import app
from conversations import ALL_FORMS, Engine, Inbound, Reply
from conversations.forms import MONTHLY
from handlers import Service
from handlers.reminders.dispatcher import Dispatcher
from handlers.reminders.pacing import Pace
from handlers.review import hooks
from handlers.roster.demo import seed_demo
from storage import Database, people
from storage.models import Outbox, Report
from storage.review.models import STATUSES, MonthApproval, ReportReview, ReviewEvent
from tests.chat import ServiceChat
from tests.conftest import Clock
from tests.test_correction import summary_number
from tests.test_fast_fill import answer_with_group_lines, last_month

SEEDED = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
DEC_1 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB, before November's deadline
DEC_7 = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # after the deadline (5 Dec)

SITI = "+6281200000001"  # kader, Melati 1 (PY-001), desa Sukamaju
ANI = "+6281200000003"  # kader, Kenanga (PY-005), Puskesmas Cibening
NUR = "+6281200000101"  # bidan, desa Sukamaju (PY-001, PY-002)
YULIANI = "+6281200000103"  # bidan, desa Cibening
HENDRA = "+6281200000201"  # puskesmas Sukamaju
BAMBANG = "+6281200000202"  # puskesmas Cibening
AGUS = "+6281200000301"  # dinkes

S, D = (MONTHLY.field(code) for code in (MONTHLY.columns[0], MONTHLY.columns[2]))
_presses = itertools.count(1)


class Person(ServiceChat):
    """Someone on the demo roster chatting on the console; counts what they send."""

    def __init__(self, service: Service, phone: str) -> None:
        super().__init__(service, phone)
        self.sent = 0

    def send(self, text: str, *, message_id: str | None = None, choice: str | None = None) -> str:
        self.sent += 1
        return super().send(text, message_id=message_id, choice=choice)

    def tap(self, label: str, replies: Sequence[Reply] | None = None) -> str:
        """Press the button labelled ``label`` on the last replies (or on ``replies``)."""
        shown = list(replies if replies is not None else self.replies)
        for reply in reversed(shown):
            for choice in reply.choices:
                if choice.label == label:
                    return self.press(choice.value, reply.question_id)
        raise AssertionError(f"no button {label!r} in {[r.text[:40] for r in shown]}")

    def press(self, value: str, question_id: str | None = None) -> str:
        """A button press as a channel hands it over: the value and the question it belonged to."""
        self.sent += 1
        inbound = Inbound(
            "console",
            self.user_id,
            f"press-{next(_presses)}",
            choice=value,
            question_id=question_id,
            phone=self.phone,
        )
        self.replies = self.service.handle(inbound)
        return "\n---\n".join(reply.text for reply in self.replies)


class Inbox:
    """What the dispatcher delivers to one person: the replies, with their buttons."""

    name = "console"

    def __init__(self) -> None:
        self.pace = Pace(console.INFO)
        self.replies: list[Reply] = []

    async def send(
        self, user_id: str, replies: Sequence[Reply], outbox_id: int | None = None
    ) -> None:
        self.replies.extend(replies)


@pytest.fixture
def demo(database: Database) -> Database:
    seed_demo(database, SEEDED)
    return database


@pytest.fixture
def world(demo: Database) -> tuple[Service, Clock]:
    clock = Clock(DEC_1)
    return Service(demo, Engine(ALL_FORMS), clock=clock), clock


def delivered(database: Database, service: Service, phone: str, clock: Clock) -> list[Reply]:
    """Run the real dispatcher for one person, on the service's clock; what reached them."""
    service.link("console", phone, phone)
    with database.transaction() as session:
        person = people.by_phone(session, phone)
    assert person is not None
    inbox = Inbox()
    dispatcher = Dispatcher(
        database,
        [inbox],
        clock=clock,
        person_id=person.person_id,
        keep_unreachable=True,
        concurrency=1,
    )
    asyncio.run(dispatcher.drain())
    return inbox.replies


def file_november(
    kader: Person, database: Database, posyandu: str = "PY-001", *, lines: bool = True
) -> str:
    """The kader files November with October's numbers, a section per message (group lines)."""
    kader.send_all("lapor", "1")
    answer_with_group_lines(kader, database, last_month(database, posyandu), lines=lines)
    return "\n---\n".join(reply.text for reply in kader.replies)


def counts(database: Database) -> tuple[int, int, int, int, int]:
    with database.transaction() as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Report, ReviewEvent, ReportReview, MonthApproval, Outbox)
        )


# --- must show 1: the transcript across roles -------------------------------------------------


def test_the_whole_loop_from_report_to_locked_month(world, demo):
    service, clock = world
    siti, nur, hendra = Person(service, SITI), Person(service, NUR), Person(service, HENDRA)

    # The kader reports; the bidan hears of it at once, with three buttons.
    october = last_month(demo, "PY-001")
    assert "✅" in file_november(siti, demo)
    filed_by_kader = siti.sent
    [notice] = delivered(demo, service, NUR, clock)
    assert "Laporan bulanan Melati 1, November 2026 masuk dari Siti Aminah" in notice.text
    assert [c.label for c in notice.choices] == ["✅ Sesuai", "↩️ Kembalikan", "📄 Lihat"]
    assert "sesuai Melati 1 november 2026" in notice.text, "the typed twin is shown"

    # She opens it: every field of the form, and returns it with a one-tap reason.
    report = nur.tap("📄 Lihat", [notice])
    assert "Status: masuk, belum diperiksa" in report and "✏️" not in report
    numbers = [f for f in MONTHLY.fields if type(october.get(f.name)) is int]
    assert all(f"{f.label}: {october[f.name]}" in report for f in numbers), "every field"
    asked = nur.tap("↩️ Kembalikan", [notice])
    assert "Mengapa laporan Melati 1 November 2026 dikembalikan?" in asked
    done = nur.tap("N+T+O+B salah hitung")
    assert "dikembalikan ke Siti Aminah dengan alasan: N+T+O+B salah hitung" in done
    assert nur.sent == 3

    # The kader fixes one number from the Perbaiki button: at most four messages.
    [returned] = delivered(demo, service, SITI, clock)
    assert "Alasan: N+T+O+B salah hitung" in returned.text
    clock.advance(hours=2)
    before = siti.sent
    summary = siti.tap("✏️ Perbaiki", [returned])
    siti.send(f"ubah {summary_number(summary, S)}")
    siti.send(str(october[S.name] - 2))
    assert "✅" in siti.send("kirim")
    assert siti.sent - before <= 4

    # The bidan sees the change marked and verifies; the old buttons are stale by now.
    [fixed] = delivered(demo, service, NUR, clock)
    assert "diperbaiki (kiriman ke-2)" in fixed.text
    assert "sudah diperbaiki. Tidak ada yang diubah" in nur.tap("✅ Sesuai", [notice])
    shown = nur.tap("📄 Lihat", [fixed])
    assert f"{S.label}: {october[S.name] - 2} ✏️ (sebelumnya {october[S.name]})" in shown
    assert "ditandai sesuai" in nur.tap("✅ Sesuai", [fixed])
    [verified] = delivered(demo, service, SITI, clock)
    assert "sudah diperiksa Bd. Nurhayati: sesuai" in verified.text

    # After the deadline the Puskesmas sees what is open and approves.
    clock.now = DEC_7
    ask = hendra.send("setujui november")
    assert "1 sudah diperiksa" in ask and "belum lapor" in ask
    assert "🔒 November 2026 disetujui untuk Puskesmas Sukamaju" in hendra.tap("✅ Ya, setujui")

    # A later correction is refused, naming who can reopen it; nothing typed is lost.
    summary = siti.send("ubah laporan november")
    siti.send(f"ubah {summary_number(summary, S)}")
    siti.send(str(october[S.name] - 1))
    refused = siti.send("kirim")
    assert "sudah disetujui Puskesmas dan dikunci" in refused and "dr. Hendra" in refused
    assert "🔓" in hendra.send(f"buka kunci november Melati 1 salah hitung {S.short}")
    [reopened] = delivered(demo, service, SITI, clock)
    assert "dibuka kembali oleh dr. Hendra" in reopened.text
    assert "✅" in siti.send("kirim"), "the draft kept at the summary goes in once reopened"

    trail = nur.send("riwayat melati 1 november")
    steps = re.findall(r"^\d+\. \d+ \w+ \d+ [\d.]+ (.+?): ", trail, re.MULTILINE)
    assert steps == [
        "dikirim",
        "dikembalikan",
        "diperbaiki",
        "diperiksa, sesuai",
        "disetujui",
        "perbaikan ditolak (terkunci)",
        "kunci dibuka",
        "diperbaiki",
    ]
    assert f"alasan: salah hitung {S.short}" in trail and "alasan: N+T+O+B salah hitung" in trail
    sent = (siti.sent, nur.sent, hendra.sent)
    print("supervision loop, messages sent by kader, bidan, puskesmas:", sent, filed_by_kader)
    assert sent == (filed_by_kader + 9, 7, 3), "besides the report: 4 + 4 + 1 for the kader"


def test_several_reports_within_the_hour_reach_the_bidan_as_one_digest(world, demo):
    service, clock = world
    siti, dewi = Person(service, SITI), Person(service, "+6281200000002")
    file_november(siti, demo)
    assert len(delivered(demo, service, NUR, clock)) == 1
    clock.advance(minutes=10)
    dewi.send_all("lapor", "1")
    dewi.tap("Melati 2")
    answer_with_group_lines(dewi, demo, last_month(demo, "PY-002"))
    assert "✅" in dewi.replies[-1].text
    assert delivered(demo, service, NUR, clock) == [], "the next notice waits for the hour"
    with demo.transaction() as session:
        waiting = session.exec(select(Outbox).where(Outbox.rule == "review_notice")).all()
    assert len(waiting) == 2 and waiting[-1].next_attempt_at == DEC_1.replace(hour=4)
    clock.advance(hours=1)
    [digest] = delivered(demo, service, NUR, clock)
    assert "Melati 2, November 2026 masuk dari Dewi Lestari" in digest.text


def test_a_digest_lists_every_report_with_a_button_each():
    items = [
        {
            "code": f"PY-{n:03d}",
            "posyandu": f"Pos {n}",
            "period": "2026-11",
            "revision": n % 2 + 1,
            "kader": "Siti",
        }
        for n in range(1, 13)
    ]
    payload = hooks.notice(items)
    assert payload["text"].startswith("📥 12 laporan bulanan menunggu pemeriksaan Anda:")
    assert "• Pos 2, November 2026 (masuk, Siti)" in payload["text"]
    assert "• Pos 1, November 2026 (diperbaiki, Siti)" in payload["text"]
    assert len(payload["choices"]) == 10, "nine Posyandu and periksa: one WhatsApp list"
    assert payload["choices"][-1] == ["periksa", "📋 Semua laporan"]
    assert payload["items"] == items


# --- permissions: every role, every command, forged buttons -----------------------------------


@pytest.fixture
def filed(world, demo) -> tuple[Service, Clock]:
    """Melati 1 and Kenanga filed November (one in each Puskesmas)."""
    service, _ = world
    file_november(Person(service, SITI), demo)
    file_november(Person(service, ANI), demo, "PY-005", lines=False)  # one answer a message
    return world


@pytest.mark.parametrize(
    ("phone", "command", "answer"),
    [
        (SITI, "sesuai melati 1 november", "Hanya bidan desa dan Puskesmas"),
        (SITI, "kembalikan melati 1 november salah", "Hanya bidan desa dan Puskesmas"),
        (SITI, "setujui november ya", "hanya untuk petugas Puskesmas"),
        (SITI, "buka kunci november melati 1 alasan", "hanya untuk petugas Puskesmas"),
        (SITI, "periksa", "hanya untuk bidan desa, Puskesmas dan Dinkes"),
        (SITI, "kinerja", "hanya untuk bidan desa, Puskesmas dan Dinkes"),
        (SITI, "lihat kenanga", "tidak ada di wilayah Anda"),
        (NUR, "setujui november ya", "hanya untuk petugas Puskesmas"),
        (NUR, "buka kunci november melati 1 alasan", "hanya untuk petugas Puskesmas"),
        (NUR, "sesuai kenanga november", "tidak ada di wilayah Anda"),
        (NUR, "sesuai PY-005 2026-11 #1", "tidak ada di wilayah Anda"),
        (NUR, "kembalikan PY-005 2026-11 #1 register", "tidak ada di wilayah Anda"),
        (NUR, "lihat PY-005 2026-11", "tidak ada di wilayah Anda"),
        (NUR, "riwayat PY-005 2026-11", "tidak ada di wilayah Anda"),
        (YULIANI, "sesuai PY-001 2026-11 #1", "tidak ada di wilayah Anda"),
        (BAMBANG, "sesuai PY-001 2026-11 #1", "tidak ada di wilayah Anda"),
        (BAMBANG, "buka kunci 2026-11 PY-001 iseng", "tidak ada di wilayah Anda"),
        (HENDRA, "lihat kenanga", "tidak ada di wilayah Anda"),
        (AGUS, "sesuai PY-001 2026-11 #1", "Hanya bidan desa dan Puskesmas"),
        (AGUS, "kembalikan PY-001 2026-11 #1", "Hanya bidan desa dan Puskesmas"),
        (AGUS, "setujui november ya", "hanya untuk petugas Puskesmas"),
        (AGUS, "buka kunci november PY-001 alasan", "hanya untuk petugas Puskesmas"),
        (AGUS, "perbaiki", "Perbaikan laporan hanya untuk kader dan bidan"),
    ],
)
def test_nobody_acts_outside_their_role_or_area(filed, demo, phone, command, answer):
    service, clock = filed
    clock.now = DEC_7
    before = counts(demo)
    person = Person(service, phone)
    assert answer in person.press(command), "a forged button is checked like a typed command"
    assert answer in person.send(command)
    assert counts(demo) == before, "nothing changed"


@pytest.mark.parametrize(
    ("phone", "command", "answer"),
    [
        (SITI, "lihat", "Laporan bulanan Melati 1 November 2026"),
        (SITI, "riwayat", "dikirim: Siti Aminah"),
        (NUR, "periksa", "Melati 1, November 2026: dari Siti Aminah"),
        (NUR, "lihat melati 1", "Status: masuk, belum diperiksa"),
        (NUR, "kinerja november", "Melati 1: tepat waktu"),
        (HENDRA, "lihat PY-001 2026-11", f"{D.label}: "),
        (HENDRA, "kinerja", "Kinerja kader"),
        (BAMBANG, "periksa", "Kenanga, November 2026: dari Ani Suryani"),
        (AGUS, "lihat kenanga november", "Laporan bulanan Kenanga November 2026"),
        (AGUS, "riwayat melati 1 november", "dikirim: Siti Aminah"),
        (AGUS, "periksa", "Kenanga, November 2026"),
        (AGUS, "kinerja", "Kenanga"),
    ],
)
def test_everyone_sees_their_own_area(filed, phone, command, answer):
    service, clock = filed
    clock.now = DEC_7
    assert answer in Person(service, phone).send(command)


def test_a_puskesmas_approves_only_its_own_area(filed, demo):
    service, clock = filed
    clock.now = DEC_7
    Person(service, BAMBANG).send("setujui november ya")
    with demo.transaction() as session:
        locked = session.exec(select(ReportReview.posyandu_code).where(ReportReview.locked)).all()
    assert sorted(locked) == ["PY-005", "PY-006", "PY-007", "PY-008", "PY-009", "PY-010"]


def test_approval_waits_for_the_deadline_and_dinkes_sees_it_in_the_rekap(filed, demo):
    service, clock = filed
    hendra = Person(service, HENDRA)
    assert "belum bisa disetujui: batas laporan kader 5 Des 2026" in hendra.send("setujui november")
    clock.now = DEC_7
    hendra.send("setujui november ya")
    again = hendra.send("setujui november")
    assert "sudah disetujui untuk Puskesmas Sukamaju (dr. Hendra, 7 Des 2026)" in again
    rekap = Person(service, AGUS).send("rekap november")
    assert "Status: 8 belum · 1 masuk · 0 diperiksa · 0 dikembalikan · 1 disetujui" in rekap
    assert "Puskesmas Sukamaju: disetujui dr. Hendra, 7 Des 2026" in rekap
    assert "Puskesmas Cibening: belum disetujui" in rekap


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "command", "answer"),
    [
        (NUR, "lihat", "Posyandu yang mana?"),
        (NUR, "lihat melati", "Ada beberapa Posyandu 'melati': Melati 1, Melati 2"),
        (NUR, "lihat anggrek", "tidak ada di wilayah Anda. Posyandu Anda: Melati 1, Melati 2"),
        (NUR, "lihat melati 2 november", "Belum ada laporan bulanan Melati 2 untuk November 2026"),
        (HENDRA, "setujui kemarin", "tidak saya kenali"),
        (HENDRA, "setujui januari 2027", "belum berjalan"),
        (HENDRA, "buka kunci", "Cara membuka kunci"),
        (HENDRA, "buka kunci november melati 1", "Tulis juga alasannya"),
        (HENDRA, "buka kunci november melati 1 salah", "tidak terkunci"),
        (HENDRA, "kinerja besok", "tidak saya kenali"),
        (NUR, "sesuai PY-001 2026-11 #7", "sudah diperbaiki. Tidak ada yang diubah"),
    ],
)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(filed, demo, phone, command, answer):
    service, clock = filed
    clock.now = DEC_7
    before = counts(demo)
    assert answer in Person(service, phone).send(command)
    assert counts(demo) == before


def test_sesuai_and_buka_inside_a_form_stay_answers(world):
    service, _ = world
    siti = Person(service, SITI)
    assert "Laporan bulan November 2026" in siti.send_all("lapor", "1")
    asked = siti.send("buka")
    assert "Cara membuka kunci" not in asked and "(3/" in asked, "read as the form's answer"
    siti.send("12")
    warned = siti.send("sesuai")
    assert "Posyandu yang mana" not in warned


def test_dispatcher_is_not_needed_to_read_a_notice_on_the_console(world, demo):
    """The console shows proactive messages as text: the typed twins are in the text."""
    service, clock = world
    file_november(Person(service, SITI), demo)
    [notice] = delivered(demo, service, NUR, clock)
    nur = Person(service, NUR)
    typed = re.search(r"Ketik: (sesuai [^·]+?) ·", notice.text)
    assert typed and "ditandai sesuai" in nur.send(typed[1].strip())


# --- the rekap: status column, Kinerja kader sheet -----------------------------------------


def test_rekap_csv_has_the_status_of_every_posyandu(filed, demo, monkeypatch, tmp_path):
    service, clock = filed
    clock.now = DEC_7
    Person(service, NUR).send("kembalikan melati 1 november register")
    Person(service, BAMBANG).send("setujui november ya")
    monkeypatch.setenv("DATABASE_URL", demo.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    args = ["rekap", "--period", "2026-11", "--area", "32.99", "--format", "csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    status = {row["posyandu_code"]: row["status"] for row in rows}
    assert status["PY-001"] == "dikembalikan" and status["PY-005"] == "disetujui"
    assert status["PY-002"] == "belum" and set(status.values()) <= set(STATUSES)

    out = tmp_path / "rekap.xlsx"
    excel = ["rekap", "--period", "2026-11", "--area", "P3299010", "--format", "xlsx"]
    result = CliRunner().invoke(app, [*excel, "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Kinerja kader"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Kode Posyandu", "Posyandu", "Kader"]
    siti = next(row for row in rows if row[2] == "Siti Aminah")
    melati = next(row for row in rows if row[1] == "Melati 1" and row[2] == "(Posyandu)")
    assert siti[4] == 1 and melati[4] == 1, "the returned report is counted"
    assert melati[3] == siti[3] >= 1 and siti[5] >= 0


@pytest.mark.parametrize(
    ("phone", "word"),
    [(SITI, "perbaiki"), (NUR, "periksa"), (HENDRA, "setujui"), (AGUS, "kinerja")],
)
def test_bantuan_names_the_supervision_commands_of_each_role(world, phone, word):
    service, _ = world
    assert word in Person(service, phone).send("bantuan")


def test_a_supervision_word_typed_by_a_kader_inside_a_form_is_her_answer(world, demo):
    service, _ = world
    siti = Person(service, SITI)
    siti.send_all("lapor", "2", "kemarin", "1", "3", "4", "tidak", "tidak", "1", "3")
    before = counts(demo)
    reply = siti.send("sesuai jadwal posyandu")
    assert "Catatan: sesuai jadwal posyandu" in reply and "Hanya bidan desa" not in reply
    assert counts(demo) == before

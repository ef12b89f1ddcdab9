"""The core service end to end on a real database (the ``backends`` tests on PostgreSQL too)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func
from sqlmodel import select

from conversations import ALL_FORMS, Engine
from handlers import Service
from storage import Database, reports
from storage.models import (
    ChannelIdentity,
    Conversation,
    Inbox,
    Outbox,
    Report,
)
from storage.rekap import export
from tests.chat import ServiceChat
from tests.roster import BIDAN, DINKES, KADER, KADER_TWO_POSYANDU, PUSKESMAS, STRANGER, load_roster
from tests.test_engine import GROUPS, HEADER, OCTOBER


def count(database: Database, table: type) -> int:
    with database.transaction() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def file_october(chat: ServiceChat) -> str:
    chat.send_all("lapor", "1")
    return chat.send_all(*OCTOBER, *GROUPS, "kirim")


@pytest.mark.backends
def test_registered_number_is_linked_and_greeted_by_role(service, database):
    assert "Halo Siti, kader Posyandu Melati" in ServiceChat(service, KADER).send("halo")
    assert "Halo Bu Nur, bidan desa Desa Satu" in ServiceChat(service, BIDAN).send("mulai")
    assert "Dinas Kesehatan Kabupaten Uji" in ServiceChat(service, DINKES).send("/start")
    assert count(database, ChannelIdentity) == 3


@pytest.mark.parametrize("typed", ["081100000001", "6281100000001", "+62 811-0000-0001"])
def test_phone_number_in_any_indonesian_form_links(service, typed):
    chat = ServiceChat(service, typed, channel="whatsapp", user_id="wa-1")
    assert "Halo Siti" in chat.send("halo")


@pytest.mark.backends
def test_unknown_number_is_refused_and_nothing_is_stored(service, database):
    reply = ServiceChat(service, STRANGER).send("halo")
    assert "belum terdaftar" in reply and "hubungi bidan desa" in reply
    for table in (ChannelIdentity, Inbox, Conversation, Report, Outbox):
        assert count(database, table) == 0


def test_garbage_number_is_refused(service, database):
    assert "belum terdaftar" in ServiceChat(service, "not a number'; --").send("halo")
    assert count(database, ChannelIdentity) == 0


def test_sender_without_a_vouched_number_is_asked_to_share_it(service):
    chat = ServiceChat(service, None, channel="telegram", user_id="777")
    assert "Bagikan nomor HP" in chat.send("/start")
    assert chat.replies[0].request_contact


@pytest.mark.backends
def test_monthly_report_is_stored_and_shows_in_the_export(service, database):
    chat = ServiceChat(service, KADER)
    assert "Laporan apa yang ingin Anda isi?" in chat.send("lapor")
    assert "(1/44) Umum" in chat.send("1")
    assert "✅ Terima kasih" in file_october(chat)
    with database.transaction() as session:
        [row] = [r for r in export.monthly_rows(session, "2026-10", "posyandu", "PY1")]
    assert (row["S"], row["K"], row["D"], row["N"], row["reported"]) == (80, "", 60, 40, 1)
    assert (row["POSY_KADER_HADIR"], row["TBC_TERDUGA"], row["BAL_DS"]) == (5, 1, 0.75)
    assert count(database, Conversation) == 0


@pytest.mark.backends
def test_same_message_id_twice_changes_nothing(service, database):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", *HEADER)
    assert "D: berapa" in chat.send("80", message_id="dup-1")
    with database.transaction() as session:
        state = session.exec(select(Conversation.state, Conversation.version)).one()
    assert chat.send("80", message_id="dup-1") == ""
    assert chat.replies == []
    with database.transaction() as session:
        assert session.exec(select(Conversation.state, Conversation.version)).one() == state


@pytest.mark.backends
def test_correction_creates_a_revision_and_keeps_the_old_one(service, database):
    chat = ServiceChat(service, KADER)
    file_october(chat)
    chat.send_all("lapor", "1", "kembali")  # November, due and clear, is answered: back to it
    assert "sudah pernah dikirim (dikirim 22 Nov 2026 oleh Siti)" in chat.send("2026-10")
    summary = chat.send("ya")  # what was sent, ready to change
    number = re.search(r"\((\d+)\) S 80", summary)
    assert number, summary
    assert "✅" in chat.send_all(f"ubah {number.group(1)}", "85", "kirim")
    with database.transaction() as session:
        history = reports.revisions(session, reports.monthly_key("PY1", "2026-10"))
    assert [(r.revision, r.is_latest, r.data["BAL_S"]) for r in history] == [
        (1, False, 80),
        (2, True, 85),
    ]


@pytest.mark.backends
def test_declining_to_replace_keeps_the_existing_report(service, database):
    chat = ServiceChat(service, KADER)
    file_october(chat)
    chat.send_all("lapor", "1", "kembali", "2026-10")
    assert "dibatalkan" in chat.send("tidak")
    assert count(database, Report) == 1


@pytest.mark.backends
def test_conversation_survives_a_restart(database, clock):
    load_roster(database)
    first = Service(database, Engine(ALL_FORMS), clock=clock)
    ServiceChat(first, KADER).send_all("lapor", "1", *HEADER, "80")
    restarted = Service(Database(database.url), Engine(ALL_FORMS), clock=clock)
    reply = ServiceChat(restarted, KADER).send("70")
    assert "N: dari yang ditimbang" in reply


def test_a_home_visit_with_a_danger_sign_alerts_the_bidan(service, database):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "2", "kemarin", "2", "3", "4", "ya", "tidak", "1")
    assert "✅" in chat.send_all("3", "lewati", "kirim")
    with database.transaction() as session:
        [alert] = session.exec(select(Outbox)).all()
        [visit] = session.exec(select(Report)).all()
    assert visit.kind == "kunjungan" and visit.period == "2026-11"
    assert "Napas cepat" in alert.payload["text"]


@pytest.mark.parametrize(
    "command", ["lapor", "LAPOR", "/lapor", "/Lapor@LaporPosyanduBot", " lapor "]
)
def test_commands_work_with_or_without_slash_in_any_case(service, command):
    assert "Laporan apa yang ingin Anda isi?" in ServiceChat(service, KADER).send(command)


def test_kader_with_two_posyandu_chooses_one(service, database):
    chat = ServiceChat(service, KADER_TWO_POSYANDU)
    chat.send("lapor")
    reply = chat.send("1")
    assert "Untuk Posyandu yang mana?" in reply
    assert "1. Posyandu Kenanga" in reply and "2. Posyandu Mawar" in reply
    assert "Laporan bulan apa?" in chat.send("2")
    chat.send_all(*OCTOBER, *GROUPS, "kirim")
    with database.transaction() as session:
        [report] = session.exec(select(Report)).all()
    assert report.posyandu_code == "PY2"


def test_bidan_reports_for_a_posyandu_of_her_desa(service, database):
    chat = ServiceChat(service, BIDAN)
    chat.send("lapor")
    reply = chat.send("1")
    assert "Untuk Posyandu yang mana?" in reply
    assert "Posyandu Mawar" in reply and "Posyandu Melati" in reply
    assert "Kenanga" not in reply
    chat.send("Posyandu Mawar")
    chat.send_all(*OCTOBER, *GROUPS, "kirim")
    with database.transaction() as session:
        [report] = session.exec(select(Report)).all()
    assert report.posyandu_code == "PY2"


def test_roles_that_do_not_report_are_told_so(service):
    assert "tidak mengirim laporan" in ServiceChat(service, PUSKESMAS).send("lapor")


@pytest.mark.backends
def test_status_lists_what_is_still_owed(service):
    chat = ServiceChat(service, PUSKESMAS)
    reply = chat.send("status")
    assert "Status laporan bulanan November 2026" in reply
    assert reply.count("belum dilaporkan") == 3
    assert "Batas waktu laporan: 5 Des 2026" in reply
    kader = ServiceChat(service, KADER)
    kader.send_all("lapor", "1", "2026-11", "tidak", "1", "kirim")
    reply = chat.send("status")
    assert reply.count("belum dilaporkan") == 2
    assert "Posyandu Melati: dilaporkan tidak buka (22 Nov 2026)" in reply


def test_command_in_the_middle_of_a_form_keeps_the_draft(service):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", *HEADER, "80")
    reply = chat.send("status")
    assert "Status laporan bulanan" in reply
    assert "Anda sedang mengisi laporan bulanan" in reply and "D: berapa" in reply
    assert "N: dari yang ditimbang" in chat.send("70")


def test_cancel_outside_a_form_and_unknown_text(service):
    chat = ServiceChat(service, KADER)
    assert "Tidak ada laporan yang sedang diisi" in chat.send("batal")
    assert "tidak mengerti 'apa kabar'" in chat.send("apa kabar")
    assert "bantuan" in chat.send("x" * 5000)[:200]


def test_a_button_from_a_finished_form_is_closed(service):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", "2026-10")
    old = chat.replies[-1]
    chat.send("batal")
    chat.replies = [old]
    assert "sudah ditutup" in chat.send("ya", choice="ya")


def test_a_button_without_a_question_runs_its_command(service):
    chat = ServiceChat(service, KADER)
    chat.send("halo")
    chat.replies = []
    assert "Status laporan bulanan" in chat.send("", choice="status")

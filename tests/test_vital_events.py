"""Births and deaths (the kejadian form) through the core service, as a kader and a bidan.

Why: a death cannot wait for the monthly report. It must reach the desa's
bidan and the Puskesmas staff at once (outbox rows written with the report),
a birth must bother no one, and a re-delivered message must not store a
second event.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func
from sqlmodel import select

from conversations.forms.vital_events import EVENT_KINDS, VITAL_EVENT
from storage import Database
from storage.models import Conversation, Outbox, Person, Report
from storage.rekap import export
from tests.chat import ServiceChat
from tests.roster import BIDAN, KADER, PUSKESMAS

MENU_ITEM = "4"
KINDS = list(EVENT_KINDS)
DEATHS = KINDS[1:]


def events(database: Database) -> list[Report]:
    with database.transaction() as session:
        statement = select(Report).where(Report.kind == VITAL_EVENT.id).order_by(Report.id)
        return list(session.exec(statement))


def alerts(database: Database) -> list[tuple[str, str]]:
    """(recipient's phone, text) of every queued alert, by phone."""
    with database.transaction() as session:
        rows = session.exec(select(Person.phone, Outbox.payload, Outbox.rule).join(Outbox)).all()
    assert all(rule == "alert_kejadian_kematian" for _, _, rule in rows)
    return sorted((phone, payload["text"]) for phone, payload, _ in rows)


def report(chat: ServiceChat, kind: str, *, day: str = "kemarin", desa: str = "1") -> str:
    """File one event from the menu; returns the last replies."""
    chat.send_all("lapor", MENU_ITEM)
    return chat.send_all(str(KINDS.index(kind) + 1), day, desa, "1", "kirim")


def test_a_birth_is_stored_as_an_event_and_alerts_no_one(service, database):
    chat = ServiceChat(service, KADER)
    menu = chat.send("lapor")
    assert "4. Kejadian (kelahiran/kematian)" in menu
    question = chat.send(MENU_ITEM)
    assert "Kejadian apa yang ingin Anda laporkan?" in question
    assert "1. Kelahiran hidup" in question and "5. Kematian ibu" in question
    assert "Tanggal berapa kejadiannya?" in chat.send("1")
    desa = chat.send("kemarin")
    assert "Sabtu, 21 Nov 2026" in desa and "1. Desa Satu\n2. Desa Dua" in desa
    assert "1. Rumah" in chat.send("Desa Satu")
    summary = chat.send("fasilitas kesehatan")
    assert "Jenis kejadian: Kelahiran hidup" in summary and "Tempat: Fasilitas kesehatan" in summary
    done = chat.send("kirim")
    assert "✅" in done and "diberi tahu" not in done
    [event] = events(database)
    assert (event.period, event.event_date, event.posyandu_code) == (
        "2026-11",
        date(2026, 11, 21),
        "PY1",
    )
    assert event.data == {
        "jenis": "LAHIR_HIDUP",
        "tanggal": "2026-11-21",
        "desa": "32.98.01.2001",
        "tempat": "fasyankes",
    }
    assert alerts(database) == []


@pytest.mark.parametrize("kind", DEATHS)
def test_every_death_alerts_the_bidan_and_the_puskesmas_staff_at_once(service, database, kind):
    done = report(ServiceChat(service, KADER), kind)
    assert "Bidan Nur sudah diberi tahu. Petugas Puskesmas juga sudah diberi tahu." in done
    [event] = events(database)
    assert event.data["jenis"] == kind
    [(bidan, text), (staff, same)] = alerts(database)
    assert (bidan, staff) == (BIDAN, PUSKESMAS) and text == same
    assert text.startswith("🚨 Laporan kematian dari Posyandu Melati")
    assert f"Jenis kejadian: {EVENT_KINDS[kind]}" in text
    assert "Sabtu, 21 Nov 2026" in text and "Desa: Desa Satu" in text and "Tempat: Rumah" in text
    assert "Siti (0811-0000-0001)" in text


def test_a_death_in_a_desa_without_a_bidan_reaches_the_puskesmas(service, database):
    done = report(ServiceChat(service, KADER), "MATI_IBU", desa="Desa Dua")
    assert "Belum ada bidan desa yang terdaftar untuk Desa Dua" in done
    assert "petugas Puskesmas sudah diberi tahu" in done
    [(staff, text)] = alerts(database)
    assert staff == PUSKESMAS and "Desa: Desa Dua" in text


def test_a_bidan_reporting_a_death_alerts_the_puskesmas_but_not_herself(service, database):
    chat = ServiceChat(service, BIDAN)
    chat.send_all("lapor", MENU_ITEM)
    assert "Kejadian apa" in chat.send("Posyandu Mawar")
    done = chat.send_all("3", "hari ini", "1", "2", "kirim")
    assert done.endswith("\n---\nPetugas Puskesmas sudah diberi tahu.")
    [event] = events(database)
    assert event.posyandu_code == "PY2"
    assert [phone for phone, _ in alerts(database)] == [PUSKESMAS]


def test_several_events_of_one_posyandu_in_a_month_are_all_kept(service, database):
    chat = ServiceChat(service, KADER)
    report(chat, "LAHIR_HIDUP")
    report(chat, "LAHIR_HIDUP", day="20")
    report(chat, "MATI_BAYI", day="19/11")
    stored = events(database)
    assert [e.event_date.day for e in stored] == [21, 20, 19]
    assert all(e.is_latest and e.revision == 1 for e in stored)
    assert len({e.report_key for e in stored}) == 3


def test_a_redelivered_kirim_stores_nothing_twice(service, database):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", MENU_ITEM, "3", "kemarin", "1", "1")
    first = chat.send("kirim", message_id="tg-77")
    again = chat.send("kirim", message_id="tg-77")
    assert "✅" in first and again == ""
    assert len(events(database)) == 1 and len(alerts(database)) == 2


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("besok", "Senin, 23 Nov 2026 belum lewat"),
        ("kapan ya", "kapan ya"),
        ("31/13", "31/13"),
        ("20/11/2025", "sudah lebih dari setahun yang lalu"),
    ],
)
def test_a_bad_date_is_explained_and_nothing_is_lost(service, database, typed, expected):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", MENU_ITEM, "3")
    refused = chat.send(typed)
    assert expected in refused and "Tanggal berapa kejadiannya?" in refused
    assert "Desa Satu" in chat.send("1/12/2025")
    summary = chat.send_all("1", "1")
    assert "Kematian bayi" in summary and "Senin, 1 Des 2025" in summary
    chat.send("kirim")
    [event] = events(database)
    assert (event.period, event.data["tanggal"]) == ("2025-12", "2025-12-01")


def test_cancel_stores_nothing_and_alerts_no_one(service, database):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", MENU_ITEM, "5", "kemarin", "1")
    assert "dibatalkan" in chat.send("batal").casefold()
    assert events(database) == [] and alerts(database) == []
    with database.transaction() as session:
        assert session.exec(select(func.count()).select_from(Conversation)).one() == 0


def test_the_rekap_counts_births_and_deaths_from_the_events(service, database):
    kader = ServiceChat(service, KADER)
    report(kader, "LAHIR_HIDUP")
    report(kader, "LAHIR_HIDUP", day="2")
    report(kader, "MATI_BAYI")
    report(kader, "MATI_IBU", day="31/10")  # an October event
    chat = ServiceChat(service, PUSKESMAS)
    text = chat.send("rekap november")
    assert "Kejadian dilaporkan: Kelahiran hidup 2 · Kematian bayi (0-11 bulan) 1\n" in text
    assert "Kematian ibu (hamil/bersalin/nifas) 1" in chat.send("rekap oktober")

    chat.send("rekap november csv")
    header, *lines = chat.replies[0].attachment.content.decode().splitlines()
    assert header.endswith(",".join(EVENT_KINDS.values()))
    [melati] = [line for line in lines if ",PY1," in line]
    assert melati.endswith(",2,0,1,0,0")
    with database.transaction() as session:
        rows = export.monthly_rows(session, "2026-11", "puskesmas", "PKM1")
    [row] = [row for row in rows if row["posyandu_code"] == "PY1"]
    assert [row[code] for code in KINDS] == [2, 0, 1, 0, 0]

    chat.send("rekap november excel")
    sheet = load_workbook(io.BytesIO(chat.replies[0].attachment.content))["Posyandu"]
    header_row, *rows_in_sheet = sheet.iter_rows(values_only=True)
    columns = [header_row.index(label) for label in EVENT_KINDS.values()]
    [melati_row] = [r for r in rows_in_sheet if r[0] == "PY1"]
    assert [melati_row[column] for column in columns] == [2, 0, 1, 0, 0]

"""BOK evidence: the Puskesmas' plan, an outreach activity filed in chat with its times, menu
item and staff, the workbook and ``rekap bok`` that check its evidence."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from handlers.bok import words as W
from storage import Database
from storage.models import Report
from tests.chat import ServiceChat
from tests.roster import DINKES, KADER, PUSKESMAS

PLAN = "puskesmas,kode,menu\nPKM1,1.1,Penyuluhan di Posyandu\nPKM1,1.2,Kelas ibu hamil\n"


@pytest.fixture
def cli(database: Database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def _plan(cli, tmp_path, text: str = PLAN):
    path = tmp_path / "plan.csv"
    path.write_text(text, encoding="utf-8")
    return cli("bok", "import", str(path))


def test_a_plan_is_imported_whole_and_replaced_by_the_next(service, cli, tmp_path):
    result = _plan(cli, tmp_path)
    assert result.exit_code == 0 and "2 menu BOK untuk 1 Puskesmas disimpan" in result.stdout
    bad = _plan(cli, tmp_path, "puskesmas,kode,menu\nPKM1,1.1,A\nPKM1,1.1,B\nPKX,2,C\nPKM1,,D\n")
    assert bad.exit_code == 1
    assert bad.stderr.splitlines() == [
        "Baris 3: kode '1.1' sudah ada di baris sebelumnya untuk Puskesmas ini.",
        "Baris 4: Puskesmas 'PKX' tidak ada di daftar wilayah.",
        "Baris 5: kode dan menu wajib diisi.",
    ]
    headless = _plan(cli, tmp_path, "kode,menu\n1,A\n")
    assert headless.exit_code == 1 and "puskesmas,kode,menu" in headless.stderr
    again = _plan(cli, tmp_path, "puskesmas,kode,menu\nPKM1,9,Satu-satunya\n")
    assert again.exit_code == 0 and "1 menu BOK" in again.stdout
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "luar gedung", "penyuluhan", "hari ini", "08.00", "10.00")
    chat.send_all("Desa Satu", "umum", "germas", "5", "10", "15", "0", "2", "BOK")
    assert [c.label for c in chat.replies[-1].choices] == ["Satu-satunya"]


def _file_activity(service, clock) -> ServiceChat:
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "luar gedung", "penyuluhan", "hari ini")
    now = chat.replies[-1].choices[0]
    assert now.label == "Sekarang (10.00)" and now.value == "10:00"
    assert "jam '25.00' tidak dikenali" in chat.send("25.00")
    chat.send("Sekarang", choice=now.value)
    clock.advance(hours=2)
    assert "harus sesudah jam mulai (10.00)" in chat.send("09.30")
    finished = chat.replies[-1].choices[0]
    assert finished.label == "Sekarang (12.00)"
    chat.send("Sekarang", choice=finished.value)
    chat.send_all("Desa Satu", "umum", "germas", "5", "10", "15", "0")
    hours = chat.replies[-1].choices[0]
    assert hours.value == "2" and "Berapa jam" in chat.replies[-1].text
    chat.send("2", choice=hours.value)
    chat.send("BOK")
    assert [c.label for c in chat.replies[-1].choices] == [
        "Penyuluhan di Posyandu",
        "Kelas ibu hamil",
    ]
    chat.send("1")
    assert chat.replies[-1].request_location
    chat.send_all("lewati", "selesai")
    staff = chat.replies[-1].text
    assert "Siapa saja kader atau petugas" in staff
    assert "1. Hendra" in staff and "2. Nur" in staff and "3. Siti" in staff
    summary = chat.send("1,3")
    assert "Kader/petugas terlibat: Hendra, Siti" in summary
    assert "Jam mulai: 10.00" in summary and "Jam selesai: 12.00" in summary
    assert "Menu BOK: Penyuluhan di Posyandu" in summary
    chat.send("kirim")
    return chat


def test_an_activity_filed_in_chat_keeps_its_times_menu_and_staff(service, cli, tmp_path, clock):
    _plan(cli, tmp_path)
    _file_activity(service, clock)
    with service._db.transaction() as session:
        (report,) = session.exec(select(Report).where(Report.kind == "luar_gedung")).all()
    data = report.data
    assert (data["mulai"], data["selesai"], data["durasi"]) == ("10:00", "12:00", 2)
    assert data["menu_bok"] == "1.1" and len(data["petugas"]) == 2


def test_the_workbook_and_rekap_bok_check_the_evidence(service, cli, tmp_path, clock):
    _plan(cli, tmp_path)
    _file_activity(service, clock)
    out = tmp_path / "bok.xlsx"
    result = cli("export", "bok", "--period", "2026-11", "--area", "PKM1", "--out", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[2]]
    (row,) = [
        dict(zip(header, (c.value for c in line), strict=True))
        for line in sheet.iter_rows(min_row=3)
    ]
    assert row["Posyandu"] == "Posyandu Melati" and row["Jam mulai"] == "10.00"
    assert row["Peserta perempuan"] == 10 and row["Sumber dana"] == "BOK"
    assert row["Menu BOK"] == "Penyuluhan di Posyandu"
    assert row["Jumlah bukti"] == 0 and row["Dilaporkan oleh"] == "Siti"
    assert (row["Bukti lengkap"], row["Kekurangan"]) == ("tidak", "Lokasi, Foto bukti")

    for phone in (PUSKESMAS, DINKES):
        chat = ServiceChat(service, phone)
        text = chat.send("rekap bok")
        assert text.startswith("💰 Kegiatan BOK") and "❌ Minggu, 22 Nov" not in text
        assert "Penyuluhan — Posyandu Melati" in text and "kurang: Lokasi, Foto bukti" in text
        assert "0 dari 1 kegiatan buktinya lengkap." in text
        chat.send("rekap bok november excel")
        attachment = chat.replies[0].attachment
        assert attachment is not None and attachment.filename.endswith(".xlsx")
        assert load_workbook(io.BytesIO(attachment.content)).active.max_row == 3
    assert ServiceChat(service, KADER).send("rekap bok") == W.REKAP_NOT_ALLOWED
    assert "tidak dikenal" in ServiceChat(service, PUSKESMAS).send("rekap bok kapan-kapan")

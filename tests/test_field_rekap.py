"""Field-test defects of the rekap (issue 9): the Excel file, missing numbers, files, privacy.

Everything runs on the hand-counted district of tests/rekap_district.py
(October 2026 closed on 5 Nov; "now" is 22 Nov 2026 unless a test says
otherwise), through the real core service, the command line and the console.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session
from typer.testing import CliRunner

from bot.channels.console import ConsoleChannel
from bot.cli import app
from conversations import ALL_FORMS, Engine
from conversations.forms import MONTHLY
from conversations.forms.vital_events import EVENT_KINDS
from handlers import Service
from handlers.mailroom import Mailroom
from handlers.rekap import chart as rekap_chart
from handlers.rekap import files as rekap_files
from handlers.rekap import words as W
from storage import Database, reports
from storage.models import Posyandu
from storage.rekap import Area, build, by_code, columns, take_snapshot, trend
from tests.builders import event_report, file_reports, monthly_report
from tests.chat import ServiceChat
from tests.rekap_district import (
    BIDAN_SUKARAME,
    DINKES,
    KABUPATEN,
    KADER_MELATI,
    PERIOD,
    PUSKESMAS_A,
)

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 22)
RATIOS = {"Kelengkapan", "Ketepatan"} | {
    indicator.label for indicator in MONTHLY.indicators if indicator.denominator is not None
}
COUNT_FORMATS = ("0", "#,##0")
PERCENT_FORMATS = ("0%", "0.0%")
BREAKDOWN_SHEETS = ("Kunjungan rumah", "Luar gedung - jenis", "Luar gedung - dana")


def service(database: Database, now: datetime = NOW) -> Service:
    return Service(database, Engine(ALL_FORMS), clock=lambda: now)


def area(session: Session, code: str = KABUPATEN) -> Area:
    found = by_code(session, code)
    assert found is not None
    return found


def workbook(database: Database, code: str = KABUPATEN) -> Any:
    with database.transaction() as session:
        made = rekap_files.attachment(session, area(session, code), PERIOD, "xlsx", TODAY)
    return load_workbook(io.BytesIO(made.content))


def shown(value: Any, number_format: str) -> str:
    """What Excel displays for a number in one of the formats the workbook may use."""
    if not isinstance(value, int | float):
        return str(value)
    if number_format in PERCENT_FORMATS:
        decimals = number_format.count("0") - 1
        return f"{100 * value:.{decimals}f}%"
    assert number_format in COUNT_FORMATS, number_format
    return f"{value:,.0f}"


def add_event(database: Database, kind: str, key: str, code: str, day: str, data: dict) -> None:
    """A home visit or outreach activity sent at 09:00 UTC on the day it was held."""
    sent = datetime.fromisoformat(f"{day}T09:00:00+00:00")
    file_reports(database, (event_report(1, kind, key, code, day, data), sent))


# --- item 4: the Excel workbook ---------------------------------------------------------------


def test_summary_sheet_formats_each_row_by_its_kind(fresh_district):
    with fresh_district.transaction() as session:
        take_snapshot(session, KABUPATEN, PERIOD, NOW)
    sheet = workbook(fresh_district)["Ringkasan"]
    assert [cell.value for cell in sheet[4]] == list(W.XLSX_SUMMARY_HEADERS)
    displayed: dict[str, list[str]] = {}
    for row in sheet.iter_rows(min_row=5):
        label, cells = row[0].value, row[1:4]
        ratio = label in RATIOS
        for cell in cells:
            assert cell.number_format in (PERCENT_FORMATS if ratio else COUNT_FORMATS), (
                label,
                cell.coordinate,
                cell.number_format,
            )
            if ratio and isinstance(cell.value, float):
                assert 0 <= cell.value <= 1, (label, cell.value)
        displayed[label] = [shown(cell.value, cell.number_format) for cell in cells]
    # now, at the deadline (snapshot), last month: see the hand count in tests/test_rekap.py
    assert displayed["S: balita sasaran"] == ["210", "150", "280"]
    assert displayed["D/S"] == ["73.3%", "80.0%", "67.9%"]
    assert displayed["K/S"][0] == "92.9%" and displayed["N/D"][0] == "71.4%"
    assert displayed["Kelengkapan"] == ["80.0%", "60.0%", "100.0%"]
    assert displayed["Lapor"] == ["4", "3", "5"]


def test_visit_and_outreach_totals_stand_apart_from_the_area_rows(district):
    book = workbook(district)
    for name in BREAKDOWN_SHEETS:
        lines = [[cell.value for cell in row] for row in book[name].iter_rows(min_row=2)]
        blank = lines.index([None] * 5)
        areas, totals = lines[:blank], lines[blank + 1 :]
        assert areas and totals, name
        assert all(line[0] != W.XLSX_TOTAL and line[0] != KABUPATEN for line in areas), name
        assert {line[0] for line in totals} == {W.XLSX_TOTAL}, name
        assert {line[1] for line in totals} == {"Kabupaten Uji Rekap"}, name
        for category, first, second in ((t[2], t[3], t[4]) for t in totals):
            rows = [line for line in areas if line[2] == category]
            assert (sum(r[3] for r in rows), sum(r[4] for r in rows)) == (first, second), name
        bold = [cell.font.bold for row in book[name].iter_rows(min_row=blank + 3) for cell in row]
        assert all(bold), name


@pytest.mark.backends
def test_summary_compares_visits_and_outreach_with_last_month(fresh_district):
    add_event(
        fresh_district,
        "kunjungan",
        "sep",
        "PA1",
        "2026-09-14",
        {"sasaran": "lansia", "alasan": "absen", "demam": False, "tanda_bahaya": True},
    )
    outreach = {"jenis": "penyuluhan", "dana": "bok", "peserta_l": 4, "peserta_p": 6}
    add_event(fresh_district, "luar_gedung", "sep", "PB1", "2026-09-20", outreach)
    summary = {
        row[0].value: [cell.value for cell in row[1:4]]
        for row in workbook(fresh_district)["Ringkasan"].iter_rows(min_row=5)
    }
    assert summary["Kunjungan rumah"] == [5, None, 1]
    assert summary["Kunjungan tanda bahaya"] == [3, None, 1]
    assert summary["Kegiatan luar gedung"] == [3, None, 1]
    assert summary["Peserta luar gedung"] == [62, None, 10]


# --- item 15: nothing reported is "-", not 0; months before the system; a month in progress ------


@pytest.mark.parametrize("posyandu", ["PB2", "PA3"])  # Teratai: no report; Kenanga: not held
def test_posyandu_without_numbers_shows_dashes_in_chat(district, posyandu):
    text = ServiceChat(service(district), DINKES).send(f"rekap oktober {posyandu}")
    assert "S - · K - · D - · N - · T - · O - · B - · 2T - · BGM -" in text
    assert "Ibu hamil: SASARAN - · DATANG - · KEK -" in text
    assert "Hipertensi - · Dirujuk -" in text
    assert "TBC: SKRINING - · TERDUGA -" in text
    assert " 0 ·" not in text


def test_posyandu_without_numbers_shows_dashes_in_excel_and_nothing_in_csv(district):
    sheet = workbook(district)["Posyandu"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    teratai = {name: cell.value for name, cell in rows["PB2"].items()}
    s, d = MONTHLY.field("BAL_S").label, MONTHLY.field("BAL_D").label
    for name in (s, d, "D/S", "BGM: di bawah garis merah", "Hipertensi", "Terduga TBC"):
        assert teratai[name] == W.REKAP_NO_VALUE, name
    assert rows["PB2"][s].alignment.horizontal == "right"
    assert (teratai["Lapor"], teratai["Kunjungan rumah"]) == (0, 0)  # counts, not report answers
    assert rows["PA1"][s].value == 100

    with district.transaction() as session:
        contract = rekap_files.file_bytes(session, area(session), PERIOD, "csv", TODAY)
    [row] = [
        r for r in csv.DictReader(io.StringIO(contract.decode())) if r["posyandu"] == "Teratai"
    ]
    assert [row[key] for key in ("S", "K", "D", "N", "held")] == ["", "", "", "", ""]


@pytest.mark.backends
def test_trend_has_no_figures_before_a_posyandu_joined(fresh_district):
    # Posyandu Baru joins in October: its first report is October's.
    with fresh_district.transaction() as session:
        session.add(
            Posyandu(
                code="PZ1",
                name="Baru",
                desa_code="35.90.02.2001",
                puskesmas_code="PKB",
                kecamatan_code="35.90.02",
                kabupaten_code=KABUPATEN,
                provinsi_code="35",
            )
        )
        session.flush()
        numbers = {"BAL_S": 20, "BAL_K": 20, "BAL_D": 10, "BAL_N": 5, "BAL_T": 5}
        data = {"periode": PERIOD, "POSY_BUKA": True, **numbers, "BAL_O": 0, "BAL_B": 0}
        report = monthly_report(1, "PZ1", PERIOD, data)
        reports.add_revision(session, report, datetime(2026, 11, 2, tzinfo=UTC))
    with fresh_district.transaction() as session:
        baru = trend(session, build(session, area(session, "PZ1"), PERIOD))
        whole = trend(session, build(session, area(session), PERIOD))
    assert [figures for _, figures in baru[:5]] == [None] * 5
    assert baru[5][1] is not None and baru[5][1].completeness == 1.0
    # The fresh_district's first reports are September's; Baru counts from October only.
    assert [figures for _, figures in whole[:3]] == [None] * 3
    september, october = whole[4][1], whole[5][1]
    assert september is not None and october is not None
    assert (september.expected, september.completeness) == (5, 1.0)
    assert (october.expected, october.reported) == (6, 5)


def test_chart_leaves_a_gap_before_the_area_joined(district):
    with district.transaction() as session:
        rekap = build(session, area(session), PERIOD)
        months = trend(session, rekap)
    drawing = rekap_chart.figure(rekap, months, TODAY)
    ds, completeness = (line.get_ydata() for line in drawing.axes[1].lines)
    assert all(math.isnan(value) for value in [*ds[:4], *completeness[:4]])
    assert list(completeness[4:]) == [100.0, 80.0]


@pytest.mark.parametrize(
    ("now", "typed", "deadline"),
    [
        (NOW, "rekap bulan ini", "5 Des 2026"),
        (datetime(2026, 11, 3, 3, 0, tzinfo=UTC), "rekap oktober", "5 Nov 2026"),
    ],
)
def test_month_before_its_deadline_is_in_progress_and_compared_with_nothing(
    district, now, typed, deadline
):
    text = ServiceChat(service(district, now), DINKES).send(typed)
    lines = text.split("\n")
    assert lines[2] == f"⏳ Sedang berjalan, batas laporan {deadline}: angka belum lengkap."
    assert lines[3].startswith("Laporan masuk: ")
    for word in ("▼", "▲", " dari ", "Tepat waktu", "Belum ditinjau", "±"):
        assert word not in text, word
    assert "Puskesmas Lapor D/S" in lines


def test_kader_month_in_progress_is_not_an_alarm(district):
    text = ServiceChat(service(district), KADER_MELATI).send("rekap bulan ini")
    assert "Laporan masuk: 0/1 Posyandu (0%)\n" in text
    assert "▼100" not in text and "⏳ Sedang berjalan, batas laporan 5 Des 2026" in text


# --- item 16: the CSV's header ------------------------------------------------------------------

INDONESIAN_HEADER = [
    "Bulan",
    "Kabupaten",
    "Puskesmas",
    "Desa",
    "Kode Posyandu",
    "Posyandu",
    "Lapor (1=ya)",
    "Tepat waktu (1=ya)",
    "Buka (1=ya)",
    "S",
    "K",
    "D",
    "N",
    "Kunjungan rumah",
    "Kegiatan luar gedung",
    "Peserta luar gedung",
    "Status",
]


def test_chat_csv_has_indonesian_headers_in_the_contract_order(district):
    chat = ServiceChat(service(district), DINKES)
    chat.send("rekap oktober csv")
    [reply] = chat.replies
    assert reply.attachment is not None
    header, *rows = csv.reader(io.StringIO(reply.attachment.content.decode()))
    assert header[: len(INDONESIAN_HEADER)] == INDONESIAN_HEADER
    assert header[len(INDONESIAN_HEADER)] == "Kader bertugas"  # then the form's other counts
    assert header[-len(EVENT_KINDS) :] == list(EVENT_KINDS.values())  # and the events' kinds
    assert len(rows) == 5 and all(len(row) == len(columns()) for row in rows)


def test_cli_csv_keeps_the_contract_header_and_offers_indonesian(district, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", district.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    runner = CliRunner()
    base = ["rekap", "--period", PERIOD, "--area", KABUPATEN, "--format", "csv"]
    contract = runner.invoke(app, base)
    assert contract.exit_code == 0, contract.output
    assert contract.output.split("\n")[0] == ",".join(columns())
    indonesian = runner.invoke(app, [*base, "--headers", "id"])
    assert indonesian.exit_code == 0, indonesian.output
    header = next(csv.reader(io.StringIO(indonesian.output)))
    assert header[: len(INDONESIAN_HEADER)] == INDONESIAN_HEADER
    assert indonesian.output.split("\n")[1:] == contract.output.split("\n")[1:]
    unknown = runner.invoke(app, [*base, "--headers", "fr"])
    assert unknown.exit_code == 2 and "en, id" in unknown.output


# --- item 17: files are written to files, never to a terminal ---------------------------------


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK\x03\x04"), ("png", b"\x89PNG")])
def test_cli_writes_a_binary_rekap_to_a_default_file(district, monkeypatch, tmp_path, fmt, magic):
    monkeypatch.setenv("DATABASE_URL", district.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(
        app, ["rekap", "--period", PERIOD, "--area", KABUPATEN, "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    saved = folder / f"rekap-35.90-2026-10.{fmt}"
    assert saved.read_bytes().startswith(magic)
    assert result.output == f"Saved {saved.resolve()}\n"


def test_console_saves_the_files_offered_in_chat_and_prints_where(district, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    lines = io.StringIO("rekap oktober excel\nrekap oktober grafik\n")
    assert ConsoleChannel(Mailroom(service(district)), DINKES, lines, out).run() == 0
    printed = out.getvalue()
    for name, magic in (
        ("rekap-35.90-2026-10.xlsx", b"PK"),
        ("rekap-35.90-2026-10.png", b"\x89PNG"),
    ):
        path = tmp_path / "data" / "berkas" / name
        assert path.read_bytes().startswith(magic)
        assert f"📎 Berkas disimpan: data/berkas/{name}" in printed


# --- security: the refusal must not tell which areas exist ------------------------------------


@pytest.mark.parametrize(
    ("phone", "existing", "missing"),
    [
        (KADER_MELATI, "rekap mawar", "rekap mawarku"),
        (KADER_MELATI, "rekap PA2", "rekap PA9"),
        (KADER_MELATI, "rekap seberang", "rekap seberangan"),
        (KADER_MELATI, "rekap 2026-10 PKA excel", "rekap 2026-10 PKZ excel"),
        (BIDAN_SUKARAME, "rekap sukadana", "rekap sukadanu"),
        (BIDAN_SUKARAME, "rekap PKB", "rekap PKZ"),
        (PUSKESMAS_A, "rekap puskesmas bakung", "rekap puskesmas bakunk"),
        (PUSKESMAS_A, "rekap 35.91", "rekap 35.99"),
        (DINKES, "rekap seberang", "rekap atlantis"),
        (DINKES, "rekap 35.91.01.2001", "rekap 35.91.01.2009"),
    ],
)
def test_foreign_and_missing_areas_get_the_same_answer(district, phone, existing, missing):
    chat = ServiceChat(service(district), phone)
    foreign = chat.send(existing)
    foreign_replies = chat.replies
    assert chat.send(missing) == foreign
    assert [(r.choices, r.attachment) for r in chat.replies] == [
        (r.choices, r.attachment) for r in foreign_replies
    ]
    assert foreign.startswith("Maaf, ") and "tidak ditemukan" not in foreign

"""The rekap's numbers, worked out by hand for tests/rekap_district.py, in every output format.

October 2026, Kabupaten Uji Rekap (5 active Posyandu), live (latest revisions):

    reported 4 (Melati, Mawar corrected, Kenanga not held, Dahlia late), missing Teratai
    on time 3 (Melati at 23:59 WIB on the deadline day, Mawar's first revision, Kenanga)
    S = 100 + 50 + 60 = 210     K = 90 + 45 + 60 = 195
    D = 80 + 44 + 30 = 154      N = 60 + 30 + 20 = 110
    D/S = 154/210 = 73%   K/S = 93%   N/D = 110/154 = 71%
    September D/S = (70+35+30+40+15)/(100+50+40+60+30) = 190/280 = 68%: +5 points
    completeness 4/5 = 80%, September 5/5: -20 points; timeliness 3/5 = 60%
    T 10+4+5 = 19, O 5+5+3 = 13, B 5+5+2 = 12,
    BGM 2+1+3 = 6, 2T 3+1+0 = 4, bumil KEK 1+1+2 = 4, high blood pressure
    (4+6)+(2+3)+(5+1) = 21, TB suspects 1+2+0 = 3, balita referred 5+3+4 = 12; births 3,
    infant deaths 1, maternal deaths 1 are stored under version 1's codes: no field of the
    form sums them, the long table still shows them
    home visits 5: balita 2 (1 with danger signs), bumil 2 (1 with fever), lansia 1 (1)
    outreach 3, participants 30+12+20 = 62: BOK 2 (42), Dana Desa 1 (20);
    penyuluhan 2 (50), kelas ibu hamil 1 (12)

Per Puskesmas: Anggrek 3/3, D/S 124/150 = 83% (Sep 135/190 = 71%: +12);
Bakung 1/2, D/S 30/60 = 50% (Sep 55/90 = 61%: -11).

At the deadline (snapshot): reported 3, on time 3, S 150, K 135, D 120 (Mawar's first
40), N 80, D/S 80%; 4 home visits (the one filed on 8 Nov is not known yet).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from conversations import ALL_FORMS, Engine
from conversations.forms import MONTHLY
from handlers import Service
from handlers.rekap import files as rekap_files
from storage.models import Person
from storage.rekap import (
    Area,
    SummarySnapshot,
    build,
    by_code,
    by_name,
    last_closed_period,
    reviews,
    snapshots,
    take_snapshot,
    trend,
)
from storage.reminders.summaries import store_monthly_summaries
from tests.chat import ServiceChat
from tests.rekap_district import ADMIN, DINKES, KABUPATEN, PERIOD

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
LIVE_SUMS = {
    "BAL_S": 210,
    "BAL_K": 195,
    "BAL_D": 154,
    "BAL_N": 110,
    "BAL_T": 19,
    "BAL_O": 13,
    "BAL_B": 12,
    "BAL_2T": 4,
    "BAL_BGM": 6,
    "BAL_RUJUK": 12,
    "BUMIL_KEK": 4,
    "DEWASA_HT": 11,
    "LANSIA_HT": 10,
    "TBC_TERDUGA": 3,
}
HEADLINE = [
    "📊 Rekap Oktober 2026",
    "Kabupaten Uji Rekap",
    "Laporan masuk: 4/5 Posyandu (80%) ▼20 dari Sep",
    "Tepat waktu: 3 (60%)",
    "Tidak buka: 1 Posyandu",
    "D/S 73% ▲5 dari Sep · K/S 93% · N/D 71%",
    "Cakupan bumil - · Cakupan remaja - · Cakupan dewasa -",
    "Cakupan lansia - · Hipertensi 21 · Dirujuk 12",
    "Umum: KADER - · NAKES -",
    "Balita 0-59 bulan: S 210 · K 195 · D 154 · N 110 · T 19 · O 13 · B 12 · 2T 4 · BGM 6 · "
    "UKUR - · GIZI - · RUJUK 12",
    "Vitamin A dan obat cacing: BIRU - · MERAH - · CACING -",
    "Ibu hamil: SASARAN - · DATANG - · KEK 4 · MT - · TTD - · HT - · RUJUK -",
    "Ibu nifas/menyusui: DATANG - · MASALAH - · RUJUK -",
    "Usia sekolah dan remaja (6-18 th): SASARAN - · DATANG - · MASALAH - · TTD - · RUJUK -",
    "Usia dewasa (19-59 th): SASARAN - · DATANG - · HT 11 · GDS - · RUJUK -",
    "Lansia (60 th ke atas): SASARAN - · DATANG - · HT 10 · GDS - · AKS - · RUJUK -",
    "TBC: SKRINING - · TERDUGA 3",
    "🏠 Kunjungan rumah 5 (tanda bahaya 3)",
    "  Bayi/balita 2 (1 bahaya), Ibu hamil 2 (1 bahaya), Lansia 1 (1 bahaya)",
    "📣 Kegiatan luar gedung 3, peserta 62",
    "  Penyuluhan 2 (50 org), Kelas ibu hamil 1 (12 org)",
    "  BOK 2 (42 org), Dana Desa/APBDes 1 (20 org)",
]
TABLE = [
    "Puskesmas Lapor D/S   ±",
    "Anggrek     3/3 83% +12",
    "Bakung      1/2 50% -11",
]
MISSING = ["Belum lapor (1):", "• Teratai — Karanganyar"]
CSV_ROWS = [
    # posyandu_code, posyandu, desa, reported, on_time, held, S, K, D, N, visits, outreach, people
    ("PA3", "Kenanga", "Sukadana", "1", "1", "0", "", "", "", "", "0", "0", "0"),
    ("PA2", "Mawar", "Sukarame", "1", "1", "1", "50", "45", "44", "30", "1", "1", "12"),
    ("PA1", "Melati", "Sukarame", "1", "1", "1", "100", "90", "80", "60", "2", "1", "30"),
    ("PB1", "Dahlia", "Karanganyar", "1", "0", "1", "60", "60", "30", "20", "2", "1", "20"),
    ("PB2", "Teratai", "Karanganyar", "0", "0", "", "", "", "", "", "0", "0", "0"),
]


def kabupaten(session) -> Area:
    area = by_code(session, KABUPATEN)
    assert area is not None
    return area


# --- storage: live figures, snapshot, review (SQLite and PostgreSQL) --------------------------


@pytest.mark.backends
def test_live_figures_match_the_hand_count(district):
    with district.transaction() as session:
        rekap = build(session, kabupaten(session), PERIOD)
    total = rekap.total
    assert (total.expected, total.reported, total.on_time, total.not_held) == (5, 4, 3, 1)
    assert total.sums == LIVE_SUMS and total.value(MONTHLY.indicator("HIPERTENSI")) == 21
    assert round(total.ds, 4) == round(154 / 210, 4) and total.completeness == 0.8
    assert total.visits == {"balita": [2, 1], "bumil": [2, 1], "lansia": [1, 1]}
    assert total.outreach_by_fund == {"bok": [2, 42], "dana_desa": [1, 20]}
    assert total.outreach_by_type == {"penyuluhan": [2, 50], "kelas_bumil": [1, 12]}
    assert (rekap.previous.reported, rekap.previous.get("BAL_S"), rekap.previous.get("BAL_D")) == (
        5,
        280,
        190,
    )
    rows = {row.name: row for row in rekap.rows}
    assert list(rows) == ["Puskesmas Anggrek", "Puskesmas Bakung"]
    anggrek, bakung = rows["Puskesmas Anggrek"].figures, rows["Puskesmas Bakung"].figures
    assert (anggrek.expected, anggrek.reported, anggrek.get("BAL_S"), anggrek.get("BAL_D")) == (
        3,
        3,
        150,
        124,
    )
    assert (bakung.expected, bakung.reported, bakung.on_time, bakung.get("BAL_D")) == (2, 1, 0, 30)
    assert [place.name for place in rekap.missing] == ["Teratai"]


@pytest.mark.backends
def test_inactive_posyandu_and_other_districts_never_count(district):
    with district.transaction() as session:
        country = build(session, Area(None, None, ""), PERIOD)
    [province] = country.rows
    assert (province.code, province.figures.expected, province.figures.reported) == ("35", 6, 5)
    assert province.figures.get("BAL_S") == 210 + 70


@pytest.mark.backends
def test_trend_covers_six_months_against_todays_posyandu(district):
    with district.transaction() as session:
        rekap = build(session, kabupaten(session), PERIOD)
        months = trend(session, rekap)
    assert [period for period, _ in months] == [
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    ]
    september, october = months[-2][1], months[-1][1]
    assert (september.completeness, round(september.ds, 4)) == (1.0, round(190 / 280, 4))
    assert (october.completeness, october.get("BAL_D")) == (0.8, 154)
    # Before the district's first report (September) there is nothing to show, not 0%.
    assert [figures for _, figures in months[:3]] == [None, None, None]


@pytest.mark.backends
def test_areas_are_found_by_name_ignoring_case_inside_the_asking_area(district):
    """The search behind ``rekap <name>`` (lower() and LIKE, on both databases)."""
    with district.transaction() as session:
        own = kabupaten(session)

        def found(name: str, within: Area | None = own) -> list[tuple[str | None, str | None]]:
            return [(area.level, area.code) for area in by_name(session, [name], within)]

        assert found("MeLaTi") == [("posyandu", "PA1")]
        assert found("bakung") == [("puskesmas", "PKB")]  # no exact name: a part of one
        assert found("suka") == [("desa", "35.90.01.2002"), ("desa", "35.90.01.2001")]
        assert found("lain") == []  # Desa Lain and Kota Lain lie in another kabupaten
        assert found("lain", None) == [("desa", "35.91.01.2001")]  # an exact name wins
        assert found("%") == found("_") == []  # wildcards are typed text, not patterns


@pytest.mark.backends
def test_snapshot_keeps_what_was_known_at_the_deadline(fresh_district):
    with fresh_district.transaction() as session:
        assert take_snapshot(session, KABUPATEN, PERIOD, NOW) == 1 + 2 + 3 + 5
        stored = snapshots.stored(session, PERIOD, "kabupaten", [KABUPATEN])[KABUPATEN]
        posyandu = snapshots.stored(session, PERIOD, "posyandu", ["PA2", "PB1", "PA1"])
    then = stored.figures
    assert stored.as_of == datetime(2026, 11, 5, 17, 0, tzinfo=UTC)
    assert (then.expected, then.reported, then.on_time, then.not_held) == (5, 3, 3, 1)
    skdn = ("BAL_S", "BAL_K", "BAL_D", "BAL_N")
    assert tuple(then.get(code) for code in skdn) == (150, 135, 120, 80)
    assert then.ds == 0.8 and then.get("TBC_TERDUGA") == 1 and "mati_ibu" not in then.sums
    assert (then.visit_count, then.visit_danger) == (4, 3)
    assert posyandu["PA2"].figures.get("BAL_D") == 40  # the correction came after the deadline
    assert posyandu["PB1"].figures.reported == 0  # late: unknown at the deadline
    assert posyandu["PA1"].figures.on_time == 1  # 23:59 WIB on the deadline day


@pytest.mark.backends
def test_scheduler_hook_stores_the_snapshot_once(fresh_district):
    with fresh_district.transaction() as session:
        assert store_monthly_summaries(session, KABUPATEN, PERIOD, NOW)
    with fresh_district.transaction() as session:
        assert not store_monthly_summaries(session, KABUPATEN, PERIOD, NOW)
        count = session.exec(select(func.count()).select_from(SummarySnapshot)).one()
        levels = session.exec(
            select(SummarySnapshot.level, func.count()).group_by(SummarySnapshot.level)
        ).all()
    assert count == 11
    assert dict(levels) == {"kabupaten": 1, "puskesmas": 2, "desa": 3, "posyandu": 5}


@pytest.mark.backends
def test_review_is_recorded_once_with_who_and_when(fresh_district):
    with fresh_district.transaction() as session:
        dinkes = session.exec(select(Person.id).where(Person.phone == DINKES)).one()
        admin = session.exec(select(Person.id).where(Person.phone == ADMIN)).one()
        assert reviews.mark_reviewed(session, KABUPATEN, PERIOD, dinkes, NOW)
        assert not reviews.mark_reviewed(session, KABUPATEN, PERIOD, admin, NOW)
        review = reviews.review_of(session, KABUPATEN, PERIOD)
    assert review == reviews.Review("Agus", NOW)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-03T03:00:00+00:00", "2026-09"),
        ("2026-11-05T16:59:00+00:00", "2026-09"),
        ("2026-11-05T17:00:00+00:00", "2026-10"),
        ("2027-01-10T00:00:00+00:00", "2026-12"),
    ],
)
def test_default_month_is_the_last_one_whose_deadline_passed(now, expected):
    assert last_closed_period(datetime.fromisoformat(now), 5, "Asia/Jakarta") == expected


# --- every output format shows the same numbers ----------------------------------------------


def test_chat_text_shows_the_hand_count(district):
    service = Service(district, Engine(ALL_FORMS), clock=lambda: NOW)
    text = ServiceChat(service, DINKES).send("rekap")
    lines = text.split("\n")
    assert lines[: len(HEADLINE)] == HEADLINE
    assert "Belum ditinjau. Ketik tinjau 2026-10 setelah memeriksa." in lines
    start = lines.index(TABLE[0])
    assert lines[start : start + 3] == TABLE
    assert lines[start + 4 : start + 6] == MISSING
    assert all(len(line) <= 32 for line in TABLE)


def test_snapshot_and_live_figures_show_side_by_side(fresh_district):
    with fresh_district.transaction() as session:
        take_snapshot(session, KABUPATEN, PERIOD, NOW)
    service = Service(fresh_district, Engine(ALL_FORMS), clock=lambda: NOW)
    text = ServiceChat(service, DINKES).send("rekap oktober")
    assert "Saat batas waktu (5 Nov 2026): lapor 3/5, D/S 80%\nSekarang: lapor 4/5, D/S 73%" in text
    with fresh_district.transaction() as session:
        made = rekap_files.attachment(
            session, kabupaten(session), PERIOD, "xlsx", date(2026, 11, 22)
        )
    summary = _rows(load_workbook(io.BytesIO(made.content))["Ringkasan"])
    assert summary["Lapor"] == (4, 3, 5)
    assert summary["D/S"][1] == 0.8 and summary["D: ditimbang"] == (154, 120, 190)


def test_csv_has_the_contract_columns_and_the_hand_count(district):
    with district.transaction() as session:
        made = rekap_files.attachment(
            session, kabupaten(session), PERIOD, "csv", date(2026, 11, 22)
        )
        contract = rekap_files.file_bytes(
            session, kabupaten(session), PERIOD, "csv", date(2026, 11, 22)
        )
    assert made.filename == "rekap-35.90-2026-10.csv" and made.kind == "document"
    # The file sent in chat has Indonesian headers over the same rows as the contract's CSV.
    assert made.content.split(b"\n")[1:] == contract.split(b"\n")[1:]
    rows = list(csv.DictReader(io.StringIO(contract.decode("utf-8"))))
    keys = ("posyandu_code", "posyandu", "desa", "reported", "on_time", "held", "S", "K", "D")
    keys += ("N", "home_visits", "outreach_sessions", "outreach_participants")
    assert [tuple(row[key] for key in keys) for row in rows] == CSV_ROWS
    assert {row["period"] for row in rows} == {PERIOD}
    assert {row["kabupaten"] for row in rows} == {"Kabupaten Uji Rekap"}


def test_workbook_holds_every_level_with_formats(district):
    with district.transaction() as session:
        made = rekap_files.attachment(
            session, kabupaten(session), PERIOD, "xlsx", date(2026, 11, 22)
        )
    assert made.filename == "rekap-35.90-2026-10.xlsx" and made.kind == "document"
    book = load_workbook(io.BytesIO(made.content))
    assert book.sheetnames == [
        "Ringkasan",
        "Puskesmas",
        "Desa",
        "Posyandu",
        "Kunjungan rumah",
        "Luar gedung - jenis",
        "Luar gedung - dana",
        "Tren 6 bulan",
        "Belum lapor",
    ]
    summary = _rows(book["Ringkasan"])
    assert summary["Posyandu aktif"][0] == 5 and summary["Lapor"] == (4, None, 5)
    assert summary["Kelengkapan"][0] == 0.8 and summary["Ketepatan"][0] == 0.6
    assert summary["Tidak buka"][0] == 1 and summary["Hipertensi"][0] == 21
    for code, value in LIVE_SUMS.items():
        assert summary[MONTHLY.field(code).label][0] == value
    assert summary["Ibu hamil sasaran"][0] == "-" and summary["Cakupan bumil"][0] == "-"
    assert summary["Kunjungan tanda bahaya"][0] == 3 and summary["Peserta luar gedung"][0] == 62

    puskesmas = book["Puskesmas"]
    assert puskesmas.freeze_panes == "C2"
    header = [cell.value for cell in puskesmas[1]]
    anggrek = dict(zip(header, [cell.value for cell in puskesmas[2]], strict=True))
    assert anggrek["Nama"] == "Puskesmas Anggrek" and anggrek["Induk"] == "Kabupaten Uji Rekap"
    assert (anggrek["Lapor"], anggrek["S: balita sasaran"], anggrek["D: ditimbang"]) == (
        3,
        150,
        124,
    )
    assert round(anggrek["D/S bulan lalu"], 4) == round(135 / 190, 4)
    ds_cell = puskesmas.cell(row=2, column=header.index("D/S") + 1)
    assert ds_cell.number_format == "0.0%" and round(ds_cell.value, 4) == round(124 / 150, 4)
    assert puskesmas.column_dimensions["B"].width >= len("Puskesmas Anggrek")

    posyandu = {row[0].value: row for row in book["Posyandu"].iter_rows(min_row=2)}
    assert set(posyandu) == {"PA1", "PA2", "PA3", "PB1", "PB2"}
    assert posyandu["PA2"][1].value == "Mawar" and posyandu["PA2"][2].value == "Sukarame"
    desa = [row[1].value for row in book["Desa"].iter_rows(min_row=2)]
    assert desa == ["Karanganyar", "Sukadana", "Sukarame"]

    funds = [[c.value for c in row] for row in book["Luar gedung - dana"].iter_rows(min_row=2)]
    assert funds == [
        ["PKA", "Puskesmas Anggrek", "BOK", 2, 42],
        ["PKB", "Puskesmas Bakung", "Dana Desa/APBDes", 1, 20],
        [None] * 5,
        ["Total", "Kabupaten Uji Rekap", "BOK", 2, 42],
        ["Total", "Kabupaten Uji Rekap", "Dana Desa/APBDes", 1, 20],
    ]
    visits = [[c.value for c in row] for row in book["Kunjungan rumah"].iter_rows(min_row=2)]
    assert ["Total", "Kabupaten Uji Rekap", "Bayi/balita", 2, 1] in visits
    assert ["Total", "Kabupaten Uji Rekap", "Lansia", 1, 1] in visits
    types = [[c.value for c in row] for row in book["Luar gedung - jenis"].iter_rows(min_row=2)]
    assert ["Total", "Kabupaten Uji Rekap", "Penyuluhan", 2, 50] in types
    missing = [[c.value for c in row] for row in book["Belum lapor"].iter_rows(min_row=2)]
    assert missing == [["Kabupaten Uji Rekap", "Puskesmas Bakung", "Karanganyar", "PB2", "Teratai"]]
    assert book["Belum lapor"].freeze_panes == "A2"


def test_chart_is_a_png_of_sensible_size(district):
    with district.transaction() as session:
        made = rekap_files.attachment(
            session, kabupaten(session), PERIOD, "png", date(2026, 11, 22)
        )
    assert made.filename == "rekap-35.90-2026-10.png"
    assert (made.kind, made.mime_type) == ("photo", "image/png")
    assert made.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(made.content))
    image.verify()
    width, height = image.size
    assert width == 800 and 500 <= height <= 2000
    assert 10_000 < len(made.content) < 1_000_000


def test_command_line_prints_the_same_rekap_in_every_format(district, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", district.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    runner = CliRunner()
    base = ["rekap", "--period", PERIOD, "--area", KABUPATEN]

    text = runner.invoke(app, [*base, "--format", "text"])
    assert text.exit_code == 0, text.output
    lines = text.output.split("\n")
    assert lines[:3] == HEADLINE[:3] and TABLE[1] in lines and MISSING[1] in lines

    table = runner.invoke(app, [*base, "--format", "csv"])
    assert table.exit_code == 0, table.output
    rows = list(csv.DictReader(io.StringIO(table.output)))
    assert [(row["posyandu_code"], row["D"]) for row in rows] == [
        (row[0], row[8]) for row in CSV_ROWS
    ]

    for fmt, magic in (("xlsx", b"PK\x03\x04"), ("png", b"\x89PNG")):
        out = tmp_path / f"rekap.{fmt}"
        result = runner.invoke(app, [*base, "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(magic)

    unknown = runner.invoke(app, [*base, "--format", "pdf"])
    assert unknown.exit_code == 2 and "text, csv, xlsx, png" in unknown.output
    nowhere = runner.invoke(app, ["rekap", "--area", "99.99", "--format", "text"])
    assert nowhere.exit_code == 1
    undated = runner.invoke(app, ["rekap", "--period", "kapan-kapan", "--area", KABUPATEN])
    assert undated.exit_code == 2 and "Unknown month 'kapan-kapan'" in undated.output


def _rows(sheet) -> dict[str, tuple]:
    """The summary sheet as indicator -> (now, at the deadline, last month)."""
    return {row[0].value: tuple(c.value for c in row[1:4]) for row in sheet.iter_rows(min_row=5)}


def test_long_table_keeps_answers_to_fields_the_form_no_longer_has(district):
    with district.transaction() as session:
        long = rekap_files.file_bytes(
            session, kabupaten(session), PERIOD, "long", date(2026, 11, 22), headers="id"
        )
    rows = list(csv.DictReader(io.StringIO(long.decode("utf-8"))))
    births = [row for row in rows if row["Kode isian"] == "lahir"]
    assert sum(int(row["Nilai"]) for row in births) == 3
    assert {row["Isian"] for row in births} == {"Kelahiran"}
    weighed = {row["Kode Posyandu"]: row["Nilai"] for row in rows if row["Kode isian"] == "BAL_D"}
    assert weighed == {"PA1": "80", "PA2": "44", "PB1": "30"}

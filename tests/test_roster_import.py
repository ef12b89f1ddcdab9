"""Roster import: CSV and XLSX files, validation with line numbers, idempotent upserts.

Why: the roster decides who may report for which Posyandu and when reminders
fire. A file with one bad line must import nothing (no half roster), and the
admin re-imports the whole district after every change, so the same file must
change nothing the second time.
"""

from __future__ import annotations

import csv
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func
from sqlmodel import select

from conversations.zones import province_timezone
from handlers.roster.file import import_file, read_roster_file
from storage import Database, people
from storage.models import Kabupaten, Person, PersonPosyandu, Posyandu, Puskesmas
from storage.roster import apply_roster, derive_code
from tests.builders import ROSTER_TABLES

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3)

HEADER = (
    "phone",
    "name",
    "role",
    "posyandu_code",
    "posyandu_name",
    "desa",
    "desa_code",
    "kecamatan",
    "kecamatan_code",
    "puskesmas",
    "puskesmas_code",
    "kabupaten",
    "kabupaten_code",
    "provinsi",
    "provinsi_code",
    "timezone",
    "posyandu_day",
    "target_balita",
)
REGION = {
    "desa": "Sukamaju",
    "desa_code": "32.99.01.2001",
    "kecamatan": "Sukamaju",
    "kecamatan_code": "32.99.01",
    "puskesmas": "Puskesmas Sukamaju",
    "puskesmas_code": "P3299010",
    "kabupaten": "Kabupaten Sukamaju",
    "kabupaten_code": "32.99",
    "provinsi": "Jawa Barat",
    "provinsi_code": "32",
}
# Line 2..7 of the file; the phones are in the three accepted forms.
ROWS: list[dict[str, Any]] = [
    {
        "phone": "0812 0000 0001",
        "name": "Siti Aminah",
        "role": "kader",
        "posyandu_code": "PY-1",
        "posyandu_name": "Melati 1",
        "posyandu_day": "8",
        "target_balita": "90",
        **REGION,
    },
    {
        "phone": "6281200000002",
        "name": "Dewi Lestari",
        "role": "Kader",
        "posyandu_code": "PY-2",
        "posyandu_name": "Melati 2",
        "posyandu_day": "10",
        **REGION,
    },
    {
        "phone": "+62 812-0000-0002",
        "name": "Dewi Lestari",
        "role": "kader",
        "posyandu_code": "PY-3",
        "posyandu_name": "Mawar",
        **REGION,
    },
    {"phone": "081200000101", "name": "Bd. Nurhayati", "role": "bidan", **REGION},
    {
        "phone": "081200000201",
        "name": "dr. Hendra",
        "role": "puskesmas",
        **{k: v for k, v in REGION.items() if not k.startswith("desa")},
    },
    {
        "phone": "081200000301",
        "name": "Agus Santoso",
        "role": "dinkes",
        "kabupaten": "Kabupaten Sukamaju",
        "kabupaten_code": "32.99",
        "provinsi": "Jawa Barat",
        "provinsi_code": "32",
    },
]


def write_csv(
    path: Path,
    rows: list[dict[str, Any]],
    header: tuple[str, ...] = HEADER,
    delimiter: str = ",",
    bom: bool = False,
) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path


def write_xlsx(path: Path, rows: list[dict[str, Any]], header: tuple[str, ...] = HEADER) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([column.upper() for column in header])  # header case does not matter
    for row in rows:
        sheet.append([row.get(column) for column in header])
    workbook.save(path)
    return path


def counts(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        return {
            table.__tablename__: session.exec(select(func.count()).select_from(table)).one()
            for table in ROSTER_TABLES
        }


def person(database: Database, phone: str) -> Person:
    with database.transaction() as session:
        return session.exec(select(Person).where(Person.phone == phone)).one()


def links(database: Database, phone: str) -> list[str]:
    with database.transaction() as session:
        statement = (
            select(PersonPosyandu.posyandu_code)
            .join(Person, Person.id == PersonPosyandu.person_id)
            .where(Person.phone == phone)
            .order_by(PersonPosyandu.posyandu_code)
        )
        return list(session.exec(statement))


def import_ok(database: Database, path: Path, now: datetime = NOW, **kwargs: Any) -> str:
    errors, summary = import_file(database, path, now, **kwargs)
    assert errors == []
    return summary


# --- reading files -------------------------------------------------------------------


@pytest.mark.backends
def test_csv_with_semicolons_and_bom_imports_the_hierarchy_and_people(database, tmp_path):
    path = write_csv(tmp_path / "roster.csv", ROWS, delimiter=";", bom=True)

    summary = import_ok(database, path)

    assert summary.startswith("roster.csv: 6 rows read.")
    assert "people: 5 new" in summary
    assert counts(database) == {
        "provinsi": 1,
        "kabupaten": 1,
        "kecamatan": 1,
        "puskesmas": 1,
        "desa": 1,
        "posyandu": 3,
        "person": 5,
        "person_posyandu": 3,
    }
    siti = person(database, "+6281200000001")
    assert (siti.name, siti.role, siti.area_code, siti.kabupaten_code) == (
        "Siti Aminah",
        "kader",
        "PY-1",
        "32.99",
    )
    assert siti.created_at == siti.updated_at == NOW
    assert links(database, "+6281200000002") == ["PY-2", "PY-3"]
    assert person(database, "+6281200000002").area_code == "PY-2"
    assert person(database, "+6281200000101").area_code == "32.99.01.2001"
    assert person(database, "+6281200000201").area_code == "P3299010"
    assert person(database, "+6281200000301").area_code == "32.99"
    with database.transaction() as session:
        melati = session.get(Posyandu, "PY-1")
        kabupaten = session.get(Kabupaten, "32.99")
        puskesmas = session.get(Puskesmas, "P3299010")
    assert (melati.desa_code, melati.puskesmas_code, melati.kecamatan_code) == (
        "32.99.01.2001",
        "P3299010",
        "32.99.01",
    )
    assert (melati.provinsi_code, melati.posyandu_day, melati.target_balita) == ("32", 8, 90)
    assert (kabupaten.timezone, kabupaten.deadline_day) == ("Asia/Jakarta", 5)
    assert (puskesmas.kecamatan_code, puskesmas.lokmin_day) == ("32.99.01", 3)


def test_xlsx_reads_the_same_as_csv(database, tmp_path):
    spreadsheet_rows = [dict(row) for row in ROWS]
    spreadsheet_rows[0] |= {"phone": 6281200000001, "posyandu_day": 8, "target_balita": 90.0}
    spreadsheet_rows[3]["phone"] = 81200000101  # Excel dropped the leading zero

    summary = import_ok(database, write_xlsx(tmp_path / "roster.xlsx", spreadsheet_rows))

    assert "people: 5 new" in summary
    assert person(database, "+6281200000001").area_code == "PY-1"
    assert person(database, "+6281200000101").role == "bidan"
    again = import_ok(database, write_csv(tmp_path / "roster.csv", ROWS))
    assert "nothing changed" in again


def test_phone_numbers_are_stored_in_e164(tmp_path):
    read = read_roster_file(write_csv(tmp_path / "r.csv", ROWS))
    rows, errors = read.rows, read.errors

    assert errors == []
    assert [row.phone for row in rows] == [
        "+6281200000001",
        "+6281200000002",
        "+6281200000002",
        "+6281200000101",
        "+6281200000201",
        "+6281200000301",
    ]


def test_header_names_are_trimmed_and_case_insensitive_and_unknown_columns_reported(
    database, tmp_path
):
    header = (*(f"  {column.replace('_', ' ').title()} " for column in HEADER), "No")
    rows = [{f"  {k.replace('_', ' ').title()} ": v for k, v in row.items()} for row in ROWS]
    for number, row in enumerate(rows, start=1):
        row["No"] = str(number)

    summary = import_ok(database, write_csv(tmp_path / "r.csv", rows, header=header))

    assert "people: 5 new" in summary
    assert summary.endswith("Columns not used: no.")


# --- validation ----------------------------------------------------------------------


def _with(line: int, **changes: Any) -> list[dict[str, Any]]:
    """ROWS with file line ``line`` (2 = first data row) changed."""
    rows = [dict(row) for row in ROWS]
    rows[line - 2] |= changes
    return rows


DUPLICATE_POSYANDU = {**ROWS[0], "phone": "081200000009", "name": "Rina", "desa": "Mekarsari"}
DUPLICATE_POSYANDU["desa_code"] = "32.99.01.2002"

INVALID = {
    "short phone": (
        _with(2, phone="0812"),
        "baris 2: phone '0812' bukan nomor HP Indonesia yang benar",
    ),
    "foreign phone": (
        _with(3, phone="+1 202 555 0100"),
        "baris 3: phone '+1 202 555 0100' bukan nomor HP Indonesia yang benar",
    ),
    "empty phone": (_with(4, phone=""), "baris 4: kolom phone kosong"),
    "empty name": (_with(5, name=" "), "baris 5: kolom name kosong"),
    "unknown role": (
        _with(7, role="kadr"),
        "baris 7: role 'kadr' harus salah satu dari kader, bidan, puskesmas, dinkes, admin",
    ),
    "kader without posyandu": (
        _with(2, posyandu_name="", posyandu_code=""),
        "baris 2: posyandu_name belum diisi (wajib untuk baris kader)",
    ),
    "bidan without desa": (
        _with(5, desa="", desa_code=""),
        "baris 5: desa belum diisi (wajib untuk baris bidan)",
    ),
    "puskesmas without puskesmas": (
        _with(6, puskesmas="", puskesmas_code=""),
        "baris 6: puskesmas belum diisi (wajib untuk baris puskesmas)",
    ),
    "dinkes without kabupaten": (
        _with(7, kabupaten="", kabupaten_code=""),
        "baris 7: kabupaten belum diisi (wajib untuk baris dinkes)",
    ),
    "same phone, other name": (
        _with(4, name="Dewi Sartika"),
        "baris 4: phone +6281200000002 sudah ada di baris 3 atas nama Dewi Lestari (kader); "
        "satu nomor HP untuk satu orang dengan satu nama dan satu role",
    ),
    "same phone, other role": (
        _with(6, phone="081200000101", name="Bd. Nurhayati"),
        "baris 6: phone +6281200000101 sudah ada di baris 5 atas nama Bd. Nurhayati (bidan)",
    ),
    "dinkes twice": (
        [*ROWS, ROWS[-1]],
        "baris 8: phone +6281200000301 sudah ada di baris 7; hanya kader dan bidan yang boleh "
        "punya beberapa baris",
    ),
    "unknown timezone": (
        _with(2, timezone="Asia/Jakrta"),
        "baris 2: timezone 'Asia/Jakrta' tidak dikenal",
    ),
    "posyandu_day not a number": (
        _with(3, posyandu_day="tgl 10"),
        "baris 3: posyandu_day 'tgl 10' harus bilangan bulat dari 1 sampai 31",
    ),
    "posyandu_day in superscript digits": (
        _with(3, posyandu_day="²"),
        "baris 3: posyandu_day '²' harus bilangan bulat dari 1 sampai 31",
    ),
    "posyandu_day in Arabic-Indic digits": (
        _with(3, posyandu_day="١٠"),
        "baris 3: posyandu_day '١٠' harus bilangan bulat dari 1 sampai 31",
    ),
    "posyandu_day out of range": (
        _with(3, posyandu_day="32"),
        "baris 3: posyandu_day '32' harus bilangan bulat dari 1 sampai 31",
    ),
    "posyandu code in two desa": (
        [*ROWS, DUPLICATE_POSYANDU],
        "baris 8: kode Posyandu PY-1 punya desa_code '32.99.01.2002' di sini, tetapi "
        "'32.99.01.2001' di baris 2",
    ),
    "posyandu code with two names": (
        _with(4, posyandu_code="PY-2"),
        "baris 4: kode Posyandu PY-2 punya posyandu_name 'Mawar' di sini, tetapi 'Melati 2' di "
        "baris 3",
    ),
    "code too long": (
        _with(2, posyandu_code="P" * 41),
        "baris 2: posyandu_code 'PPPPPPPPPP",
    ),
}


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_each_error_names_its_line_and_nothing_is_imported(database, tmp_path, case):
    rows, expected = INVALID[case]
    path = write_csv(tmp_path / "roster.csv", rows)

    errors, summary = import_file(database, path, NOW)

    assert summary == ""
    assert any(error.startswith(expected) for error in errors), errors
    assert set(counts(database).values()) == {0}


def test_missing_required_column_is_reported_on_the_header_line(database, tmp_path):
    header = tuple(column for column in HEADER if column != "role")
    errors, _ = import_file(database, write_csv(tmp_path / "r.csv", ROWS, header=header), NOW)

    assert errors == [
        "baris 1: kolom wajib role tidak ada (baris judul harus memuat phone, name, role)"
    ]


def test_all_errors_are_reported_in_line_order(database, tmp_path):
    rows = _with(6, role="boss")
    rows[0]["phone"] = "12"
    rows[1]["posyandu_day"] = "0"

    errors, _ = import_file(database, write_csv(tmp_path / "r.csv", rows), NOW)

    assert [error.split(":")[0] for error in errors] == ["baris 2", "baris 3", "baris 6"]


def test_spreadsheet_number_in_a_code_column_is_refused(database, tmp_path):
    rows = [dict(row) for row in ROWS]
    rows[0]["kabupaten_code"] = 32.1  # typed 32.10, stored by Excel as a number

    errors, _ = import_file(database, write_xlsx(tmp_path / "r.xlsx", rows), NOW)

    assert errors[0].startswith("baris 2: kabupaten_code 32.1 tersimpan sebagai angka")


def test_unreadable_files_get_one_clear_error(database, tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("phone,name,role\n081200000001,Ren\u00e9,kader\n".encode("cp1252"))
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    header_only = write_csv(tmp_path / "header.csv", [])

    assert "bukan teks UTF-8" in import_file(database, latin1, NOW)[0][0]
    assert import_file(database, empty, NOW)[0] == [
        "baris 1: berkas kosong; baris pertama harus berisi nama kolom"
    ]
    assert import_file(database, header_only, NOW)[0] == [
        "baris 1: tidak ada data petugas di bawah baris judul"
    ]


def test_blank_lines_are_skipped_but_counted(database, tmp_path):
    path = tmp_path / "r.csv"
    write_csv(path, ROWS[:1])
    path.write_text(path.read_text() + ",,,\n\n" + "0812,X,kader\n")

    errors, _ = import_file(database, path, NOW)

    assert errors[0].startswith("baris 5: phone '0812'")


# --- idempotency and codes -----------------------------------------------------------


@pytest.mark.backends
def test_reimporting_the_same_file_changes_nothing(database, tmp_path):
    path = write_csv(tmp_path / "roster.csv", ROWS)
    import_ok(database, path)
    before = counts(database)

    again = import_ok(database, path, LATER)

    assert again == "roster.csv: 6 rows read; the roster was already up to date, nothing changed."
    assert counts(database) == before
    assert person(database, "+6281200000001").updated_at == NOW


@pytest.mark.backends
def test_a_changed_line_updates_only_that_record(database, tmp_path):
    import_ok(database, write_csv(tmp_path / "roster.csv", ROWS))
    changed = _with(2, name="Siti Aminah Z", posyandu_day="9")

    summary = import_ok(database, write_csv(tmp_path / "roster2.csv", changed), LATER)

    assert "Posyandu: 1 updated" in summary and "people: 1 updated" in summary
    assert person(database, "+6281200000001").updated_at == LATER
    assert person(database, "+6281200000002").updated_at == NOW
    with database.transaction() as session:
        melati = session.get(Posyandu, "PY-1")
        assert (melati.posyandu_day, melati.target_balita) == (9, 90)


@pytest.mark.backends
def test_leaving_an_optional_column_empty_keeps_the_stored_value(database, tmp_path):
    import_ok(database, write_csv(tmp_path / "roster.csv", ROWS))

    summary = import_ok(
        database, write_csv(tmp_path / "r2.csv", _with(2, posyandu_day="", target_balita=""))
    )

    assert "nothing changed" in summary


def test_codes_made_from_names_are_stable(database, tmp_path):
    header = tuple(column for column in HEADER if not column.endswith("_code"))
    path = write_csv(tmp_path / "roster.csv", ROWS, header=header)

    import_ok(database, path)
    again = import_ok(database, path, LATER)

    assert "nothing changed" in again
    kabupaten = derive_code("JAWA-BARAT", "Kabupaten Sukamaju")
    kecamatan = derive_code(kabupaten, "Sukamaju")
    desa = derive_code(kecamatan, "Sukamaju")
    assert kabupaten == "JAWA-BARAT-KABUPATEN-SUKAMAJU"
    assert person(database, "+6281200000001").area_code == derive_code(desa, "Melati 1")
    assert links(database, "+6281200000002") == sorted(
        [derive_code(desa, "Melati 2"), derive_code(desa, "Mawar")]
    )
    assert counts(database)["desa"] == 1


def test_derived_codes_fit_the_column_and_stay_distinct():
    parent = "JAWA-BARAT-KABUPATEN-SUKAMAJU-CIBENING"
    first = derive_code(parent, "Posyandu Melati Indah 1")
    second = derive_code(parent, "Posyandu Melati Indah 2")

    assert len(first) <= 40 and len(second) <= 40
    assert first != second
    assert first == derive_code(parent, "Posyandu Melati Indah 1")
    assert derive_code(None, "Nusa Tenggara Barat") == "NUSA-TENGGARA-BARAT"
    assert derive_code("32.99", "Désa  Sukamaju (Lama)") == "32.99-DESA-SUKAMAJU-LAMA"


# --- bidan and kader with several Posyandu -------------------------------------------


@pytest.mark.backends
def test_bidan_with_several_posyandu_rows_is_one_person_linked_to_each(database, tmp_path):
    bidan = {"phone": "081200000101", "name": "Bd. Nurhayati", "role": "bidan", **REGION}
    rows = [
        *ROWS[:3],
        {**bidan, "posyandu_code": "PY-1", "posyandu_name": "Melati 1"},
        {**bidan, "posyandu_code": "PY-2", "posyandu_name": "Melati 2"},
    ]

    import_ok(database, write_csv(tmp_path / "r.csv", rows))

    assert links(database, "+6281200000101") == ["PY-1", "PY-2"]
    nur = person(database, "+6281200000101")
    assert (nur.role, nur.area_code) == ("bidan", "32.99.01.2001")
    assert counts(database)["person"] == 3

    summary = import_ok(database, write_csv(tmp_path / "r2.csv", rows[:4]), LATER)

    assert "Posyandu links removed: 1" in summary
    assert links(database, "+6281200000101") == ["PY-1"]
    assert person(database, "+6281200000101").updated_at == NOW


@pytest.mark.backends
def test_a_kader_moved_to_another_posyandu_loses_the_old_link(database, tmp_path):
    import_ok(database, write_csv(tmp_path / "r.csv", ROWS))

    moved = [row for row in ROWS if row.get("posyandu_code") != "PY-2"]
    import_ok(database, write_csv(tmp_path / "r2.csv", moved), LATER)

    assert links(database, "+6281200000002") == ["PY-3"]
    dewi = person(database, "+6281200000002")
    assert (dewi.area_code, dewi.updated_at) == ("PY-3", LATER)


# --- time zones ----------------------------------------------------------------------


def _dinkes(number: int, provinsi_code: str, kabupaten_code: str, **extra: Any) -> dict:
    return {
        "phone": f"08120000{number:04d}",
        "name": f"Petugas {number}",
        "role": "dinkes",
        "provinsi": f"Provinsi {provinsi_code}",
        "provinsi_code": provinsi_code,
        "kabupaten": f"Kabupaten {kabupaten_code}",
        "kabupaten_code": kabupaten_code,
        **extra,
    }


def zone_of(database: Database, kabupaten_code: str) -> str:
    with database.transaction() as session:
        return session.get(Kabupaten, kabupaten_code).timezone


def test_kabupaten_zone_follows_the_province_code(database, tmp_path):
    rows = [
        _dinkes(1, "61", "61.01"),  # Kalimantan Barat
        _dinkes(2, "62", "62.01"),  # Kalimantan Tengah
        _dinkes(3, "51", "51.01"),  # Bali
        _dinkes(4, "64", "64.01"),  # Kalimantan Timur
        _dinkes(5, "73", "73.01"),  # Sulawesi Selatan
        _dinkes(6, "81", "81.01"),  # Maluku
        _dinkes(7, "94", "94.01"),  # Papua
        _dinkes(8, "32", "32.01"),  # Jawa Barat
        _dinkes(9, "", "", provinsi="Provinsi Tanpa Kode", kabupaten="Kabupaten Tanpa Kode"),
    ]

    import_ok(database, write_csv(tmp_path / "r.csv", rows), default_timezone="Asia/Makassar")

    assert [zone_of(database, code) for code in ("61.01", "62.01")] == ["Asia/Pontianak"] * 2
    assert [zone_of(database, code) for code in ("51.01", "64.01", "73.01")] == [
        "Asia/Makassar"
    ] * 3
    assert [zone_of(database, code) for code in ("81.01", "94.01")] == ["Asia/Jayapura"] * 2
    assert zone_of(database, "32.01") == "Asia/Jakarta"
    no_code = derive_code("PROVINSI-TANPA-KODE", "Kabupaten Tanpa Kode")
    assert zone_of(database, no_code) == "Asia/Makassar"  # the default passed in


@pytest.mark.backends
def test_timezone_column_sets_the_kabupaten_and_overrides_per_person(database, tmp_path):
    rows = [
        _dinkes(1, "32", "32.01", timezone="Asia/Jayapura"),
        _dinkes(2, "32", "32.01", timezone="WIT"),
        _dinkes(3, "32", "32.01", timezone="asia/makassar"),
        _dinkes(4, "32", "32.02"),
        _dinkes(5, "32", "32.02", timezone="WITA"),
        _dinkes(6, "32", "32.02"),
    ]

    import_ok(database, write_csv(tmp_path / "r.csv", rows))

    assert zone_of(database, "32.01") == "Asia/Jayapura"  # most rows say so
    assert zone_of(database, "32.02") == "Asia/Jakarta"  # from the province code
    stored = {n: person(database, f"+628120000{n:04d}").timezone for n in range(1, 7)}
    assert stored == {1: None, 2: None, 3: "Asia/Makassar", 4: None, 5: "Asia/Makassar", 6: None}
    with database.transaction() as session:
        assert people.by_phone(session, "+6281200000005").timezone == "Asia/Makassar"
        assert people.by_phone(session, "+6281200000004").timezone == "Asia/Jakarta"
        assert people.by_phone(session, "+6281200000001").timezone == "Asia/Jayapura"


@pytest.mark.backends
def test_a_later_file_without_timezone_keeps_the_stored_zone(database, tmp_path):
    rows = [_dinkes(1, "32", "32.01", timezone="Asia/Makassar")]
    import_ok(database, write_csv(tmp_path / "r.csv", rows))

    summary = import_ok(database, write_csv(tmp_path / "r2.csv", [_dinkes(1, "32", "32.01")]))

    assert "nothing changed" in summary
    assert zone_of(database, "32.01") == "Asia/Makassar"


# --- size ----------------------------------------------------------------------------


def large_roster(people_count: int) -> list[dict[str, Any]]:
    """One kabupaten: 10 kecamatan x 10 desa x 5 Posyandu, kader spread over them."""
    rows = []
    for number in range(people_count):
        posyandu = number % 500
        kecamatan, desa = posyandu // 50, posyandu // 5
        rows.append(
            {
                "phone": f"0813{number:08d}",
                "name": f"Kader {number}",
                "role": "kader",
                "posyandu_code": f"PY-{posyandu:04d}",
                "posyandu_name": f"Posyandu {posyandu}",
                "desa": f"Desa {desa}",
                "kecamatan": f"Kecamatan {kecamatan}",
                "puskesmas": f"Puskesmas {kecamatan}",
                "kabupaten": "Kabupaten Besar",
                "kabupaten_code": "33.01",
                "provinsi": "Jawa Tengah",
                "provinsi_code": "33",
                "posyandu_day": str(8 + posyandu % 12),
            }
        )
    return rows


@pytest.mark.backends
def test_a_5000_row_roster_imports_in_seconds_and_reimports_as_no_change(database, tmp_path):
    path = write_csv(tmp_path / "big.csv", large_roster(5000))

    started = time.perf_counter()
    summary = import_ok(database, path)
    elapsed = time.perf_counter() - started

    assert "people: 5,000 new" in summary
    assert counts(database) == {
        "provinsi": 1,
        "kabupaten": 1,
        "kecamatan": 10,
        "puskesmas": 10,
        "desa": 100,
        "posyandu": 500,
        "person": 5000,
        "person_posyandu": 5000,
    }
    assert elapsed < 20, f"import took {elapsed:.1f}s"
    assert "nothing changed" in import_ok(database, path, LATER)


def test_progress_adds_up_to_the_row_count(database, tmp_path):
    read = read_roster_file(write_csv(tmp_path / "big.csv", large_roster(1200)))
    rows, errors = read.rows, read.errors
    assert errors == []
    done: list[int] = []

    with database.transaction() as session:
        summary = apply_roster(session, rows, NOW, done.append)

    assert sum(done) == 1200 and len(done) > 1
    assert summary.created["person"] == 1200


def test_a_region_code_with_odd_digits_falls_back_to_the_default_zone():
    assert province_timezone("²1.01", "Asia/Jakarta") == "Asia/Jakarta"
    assert province_timezone("91.01", "Asia/Jakarta") == "Asia/Jayapura"

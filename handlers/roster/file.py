"""Roster files (CSV or XLSX) as a Dinkes admin prepares them, read and imported all or nothing.

The admin works in a spreadsheet, so the reader is forgiving about form
(UTF-8 with or without BOM, comma or semicolon, any column order and case,
phone numbers as ``08…``, ``628…`` or ``+62 8…``, numbers stored as numbers)
and strict about content: every phone must be a real Indonesian mobile number,
every problem is reported with its line number in one pass, and a file with
any problem imports nothing, so the database never holds half a roster. The
admin reads the errors in Indonesian (the admin guide is Indonesian); column
names stay as the header row spells them, so the admin can find them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from conversations import zones
from conversations.phone import is_indonesian_mobile, normalize_phone
from handlers.roster.conflicts import RosterError, find_conflicts
from storage import Database
from storage.models import ROLES
from storage.roster import CODE_LENGTH, RosterRow, apply_roster, derive_code

REQUIRED_COLUMNS = ("phone", "name", "role")
# Region levels from the top down: (name column, code column).
LEVELS = (
    ("provinsi", "provinsi_code"),
    ("kabupaten", "kabupaten_code"),
    ("kecamatan", "kecamatan_code"),
    ("puskesmas", "puskesmas_code"),
    ("desa", "desa_code"),
    ("posyandu_name", "posyandu_code"),
)
# How many levels of LEVELS each role's row must fill: a kader needs the whole chain
# down to the Posyandu, a dinkes officer only provinsi and kabupaten.
DEPTH = {"admin": 2, "dinkes": 2, "puskesmas": 4, "mitra": 4, "bidan": 5, "kader": 6}
# A cross-sector partner (camat, kepala desa, ketua TP PKK) is placed in the Puskesmas area
# whose meetings invite them, and says which office they hold.
JABATAN_LENGTH = 60
# Whole-number columns and their allowed range. Deadline and meeting days stop at 28 so
# that every month has them.
NUMBERS = {
    "posyandu_day": (1, 31),
    "target_balita": (0, 1000),
    "target_bumil": (0, 500),
    "deadline_day": (1, 28),
    "lokmin_day": (1, 28),
}
KNOWN_COLUMNS = frozenset(
    (
        *REQUIRED_COLUMNS,
        *(column for level in LEVELS for column in level),
        "timezone",
        "jabatan",
        *NUMBERS,
    )
)
ALIASES = {"posyandu": "posyandu_name"}
_ZONE_NAMES = list(zones.ABBREVIATIONS)
_KNOWN_ZONES = (
    f"{', '.join(_ZONE_NAMES[:-1])} atau {_ZONE_NAMES[-1]} "
    f"(atau {', '.join(alias.upper() for alias in zones.ALIASES)})"
)
"""The zones a roster may name, for the message refusing one that is unknown."""
_SPACES = re.compile(r"\s+")
_HEADER_SEPARATORS = re.compile(r"[\s\-]+")

_WHOLE = re.compile(r"-?[0-9]{1,9}")
"""A whole number as a cell holds one: ASCII digits only (``²`` is no number)."""


ProgressBar = Callable[[int], AbstractContextManager[Callable[[int], None] | None]]
"""Given the rows to import, a context around the import yielding what to call with the
number of rows just imported (the command line's progress bar)."""


class RosterFileError(Exception):
    """The file cannot be read as a roster at all (not one line's problem)."""


@dataclass(frozen=True, slots=True)
class RosterRead:
    """What a file yielded: valid rows, line-numbered errors, and columns that were ignored."""

    rows: list[RosterRow]
    errors: list[str]
    ignored_columns: list[str]


def read_roster_file(path: Path) -> RosterRead:
    """Read and validate a roster, also naming the columns the importer does not know.

    The rows are only to be imported when there are no errors.

    Unknown columns (a row number, remarks) are common in spreadsheets and are
    skipped, but a misspelt ``posyandu_kode`` would silently make codes from
    names, so the admin is told which columns were not used.
    """
    try:
        header_line, header, records = _records(path)
    except RosterFileError as error:
        return RosterRead([], [str(error)], [])
    columns = [_column_name(cell) for cell in header]
    errors = _header_errors(header_line, columns)
    if errors:
        return RosterRead([], [str(error) for error in errors], [])
    ignored = [column for column in columns if column and column not in KNOWN_COLUMNS]
    rows: list[RosterRow] = []
    problems: list[RosterError] = []
    for line, values in records:
        cells = {
            column: value
            for column, value in zip(columns, values, strict=False)
            if column in KNOWN_COLUMNS
        }
        if all(_text(value) == "" for value in cells.values()):
            continue
        row, row_errors = _row(line, cells)
        problems.extend(row_errors)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(RosterError(header_line, "tidak ada data petugas di bawah baris judul"))
    problems.extend(find_conflicts(rows))
    problems.sort(key=lambda error: error.line)
    return RosterRead(rows, [str(error) for error in problems], ignored)


def import_file(
    database: Database,
    path: Path,
    now: datetime,
    *,
    default_timezone: str = zones.DEFAULT_TIMEZONE,
    progress: ProgressBar | None = None,
) -> tuple[list[str], str]:
    """Validate, then import the whole file in one transaction (or nothing).

    Returns the errors (then nothing was imported) or a one-paragraph summary.
    ``default_timezone`` is the zone of a kabupaten that neither the file nor
    its province code places. ``progress`` shows the writing of a valid file,
    which takes seconds for a large district.
    """
    result = read_roster_file(path)
    if result.errors:
        return result.errors, ""
    bar = nullcontext(None) if progress is None else progress(len(result.rows))
    with bar as advance, database.transaction() as session:
        summary = apply_roster(
            session, result.rows, now, advance, default_timezone=default_timezone
        )
    text = f"{path.name}: {summary.describe()}"
    if result.ignored_columns:
        text += f" Columns not used: {', '.join(result.ignored_columns)}."
    return [], text


# --- reading the file -------------------------------------------------------------


def _records(path: Path) -> tuple[int, list[Any], Iterator[tuple[int, list[Any]]]]:
    """The header row's line and cells, then (line, cells) of each later row."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise RosterFileError(
            "baris 1: berkas Excel lama (.xls) tidak bisa dibaca; simpan sebagai XLSX atau "
            "CSV UTF-8"
        )
    with path.open("rb") as handle:
        is_zip = handle.read(4) == b"PK\x03\x04"
    lines = _xlsx_lines(path) if suffix in (".xlsx", ".xlsm") or is_zip else _csv_lines(path)
    for line, cells in lines:
        if any(_text(cell) for cell in cells):
            return line, cells, lines
    raise RosterFileError("baris 1: berkas kosong; baris pertama harus berisi nama kolom")


def _csv_lines(path: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError(
            "baris 1: berkas bukan teks UTF-8; di Excel pilih 'CSV UTF-8' saat menyimpan, "
            "atau simpan sebagai XLSX"
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise RosterFileError("baris 1: berkas XLSX ini tidak bisa dibaca") from None
    try:
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, list(cells)
    finally:
        workbook.close()


def _column_name(cell: Any) -> str:
    """``" Posyandu Code "`` -> ``posyandu_code``; a few natural aliases are accepted."""
    name = _HEADER_SEPARATORS.sub("_", _text(cell).lower()).strip("_")
    return ALIASES.get(name, name)


def _header_errors(line: int, columns: list[str]) -> list[RosterError]:
    errors = []
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        errors.append(
            RosterError(
                line,
                f"kolom wajib {', '.join(missing)} tidak ada "
                f"(baris judul harus memuat {', '.join(REQUIRED_COLUMNS)})",
            )
        )
    for column in sorted({c for c in columns if c in KNOWN_COLUMNS and columns.count(c) > 1}):
        errors.append(RosterError(line, f"kolom {column} muncul lebih dari sekali"))
    return errors


def _text(value: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``, spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


# --- one row ----------------------------------------------------------------------


def _row(line: int, cells: dict[str, Any]) -> tuple[RosterRow | None, list[RosterError]]:
    """Validate one data row; a row with any error yields no RosterRow."""
    errors: list[str] = []
    text = {column: _text(value) for column, value in cells.items()}

    phone = normalize_phone(text.get("phone", ""))
    if not text.get("phone"):
        errors.append("kolom phone kosong")
    elif phone is None or not is_indonesian_mobile(phone):
        errors.append(
            f"phone '{text['phone']}' bukan nomor HP Indonesia yang benar "
            "(contoh 081234567890; nomor telepon rumah atau kantor tidak bisa)"
        )
    name = text.get("name", "")
    if not name:
        errors.append("kolom name kosong")
    role = text.get("role", "").lower()
    if role not in ROLES:
        errors.append(f"role '{text.get('role', '')}' harus salah satu dari {', '.join(ROLES)}")

    jabatan = text.get("jabatan", "")
    if role == "mitra" and not jabatan:
        errors.append("jabatan belum diisi (wajib untuk baris mitra, misalnya camat)")
    elif len(jabatan) > JABATAN_LENGTH:
        errors.append(f"jabatan lebih dari {JABATAN_LENGTH} huruf")

    depth = DEPTH.get(role, 0)
    if role == "bidan" and (text.get("posyandu_name") or text.get("posyandu_code")):
        depth += 1  # a bidan row may name one of her Posyandu
    levels = LEVELS[:depth]
    missing = [name_column for name_column, _ in levels if not text.get(name_column)]
    if missing:
        errors.append(f"{', '.join(missing)} belum diisi (wajib untuk baris {role})")
    for _, code_column in levels:
        errors.extend(_code_error(code_column, cells.get(code_column), text.get(code_column, "")))

    numbers: dict[str, int | None] = {}
    for column, (low, high) in NUMBERS.items():
        numbers[column], error = _whole_number(column, cells.get(column), low, high)
        if error:
            errors.append(error)
    zone = None
    if text.get("timezone"):
        zone = _zones().get(text["timezone"].lower())
        if zone is None:
            errors.append(f"timezone '{text['timezone']}' tidak dikenal; pakai {_KNOWN_ZONES}")
    if errors or phone is None:
        return None, [RosterError(line, error) for error in errors]

    codes: dict[str, str | None] = {}
    names: dict[str, str | None] = {}
    parent: str | None = None
    for index, (name_column, code_column) in enumerate(LEVELS):
        if index >= len(levels):
            codes[code_column] = names[name_column] = None
            continue
        names[name_column] = text[name_column]
        code = text.get(code_column) or derive_code(
            # A desa belongs under its kecamatan, not under its Puskesmas.
            codes["kecamatan_code"] if name_column == "desa" else parent,
            text[name_column],
        )
        codes[code_column] = parent = code
    has_puskesmas = len(levels) >= 4
    has_posyandu = len(levels) == len(LEVELS)
    row = RosterRow(
        line=line,
        phone=phone,
        name=name,
        role=role,
        timezone=zone,
        provinsi=names["provinsi"] or "",
        provinsi_code=codes["provinsi_code"] or "",
        kabupaten=names["kabupaten"] or "",
        kabupaten_code=codes["kabupaten_code"] or "",
        kecamatan=names["kecamatan"],
        kecamatan_code=codes["kecamatan_code"],
        puskesmas=names["puskesmas"],
        puskesmas_code=codes["puskesmas_code"],
        desa=names["desa"],
        desa_code=codes["desa_code"],
        posyandu_name=names["posyandu_name"],
        posyandu_code=codes["posyandu_code"],
        posyandu_day=numbers["posyandu_day"] if has_posyandu else None,
        target_balita=numbers["target_balita"] if has_posyandu else None,
        target_bumil=numbers["target_bumil"] if has_posyandu else None,
        deadline_day=numbers["deadline_day"],
        lokmin_day=numbers["lokmin_day"] if has_puskesmas else None,
        jabatan=jabatan or None,
    )
    return row, []


def _code_error(column: str, value: Any, text: str) -> list[str]:
    if isinstance(value, float) and not value.is_integer():
        return [
            f"{column} {value} tersimpan sebagai angka; ubah format kolom menjadi teks agar "
            "kode tetap utuh (32.10, bukan 32.1)"
        ]
    if len(text) > CODE_LENGTH:
        return [f"{column} '{text}' lebih dari {CODE_LENGTH} karakter"]
    return []


def _whole_number(column: str, value: Any, low: int, high: int) -> tuple[int | None, str]:
    """An optional whole-number cell: (None, "") when empty, else the number or an error."""
    text = _text(value)
    if not text:
        return None, ""
    number = int(text) if _WHOLE.fullmatch(text) else None
    if number is None or not low <= number <= high:
        return None, f"{column} '{text}' harus bilangan bulat dari {low} sampai {high}"
    return number, ""


@cache
def _zones() -> dict[str, str]:
    """Every IANA zone by its lower-case name, plus the Indonesian abbreviations."""
    return {name.lower(): name for name in available_timezones()} | zones.ALIASES

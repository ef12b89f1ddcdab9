"""Field-test defects of the rekap (issue 9): the Excel file, missing numbers, files, privacy.

Everything runs on the hand-counted district of tests/rekap_district.py
(October 2026 closed on 5 Nov; "now" is 22 Nov 2026 unless a test says
otherwise), through the real core service, the command line and the console.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from conversations import ALL_FORMS, Engine
from handlers import Service, rekap_files
from storage import Database, reports
from storage.rekap_areas import Area, by_code
from tests.chat import ServiceChat
from tests.rekap_district import (
    BIDAN_SUKARAME,
    DINKES,
    KABUPATEN,
    KADER_MELATI,
    PERIOD,
    PUSKESMAS_A,
    load_district,
)

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 22)
RATIOS = {"Kelengkapan", "Ketepatan", "D/S", "K/S", "N/D"}
COUNT_FORMATS = ("0", "#,##0")
PERCENT_FORMATS = ("0%", "0.0%")
BREAKDOWN_SHEETS = ("Kunjungan rumah", "Luar gedung - jenis", "Luar gedung - dana")


@pytest.fixture
def district(sqlite_database: Database) -> Database:
    load_district(sqlite_database)
    return sqlite_database


@pytest.fixture
def both_district(database: Database) -> Database:
    """The district on SQLite and PostgreSQL, for the tests of new queries."""
    load_district(database)
    return database


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
    new = reports.NewReport(
        kind=kind,
        report_key=f"{kind}:{key}",
        posyandu_code=code,
        period=day[:7],
        data=data,
        submitted_by=1,
        channel="telegram",
        message_id=None,
        event_date=date.fromisoformat(day),
    )
    with database.transaction() as session:
        reports.add_revision(session, new, datetime.fromisoformat(f"{day}T09:00:00+00:00"))


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

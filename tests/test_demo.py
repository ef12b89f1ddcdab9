"""The demo district: loaded through the roster importer, idempotent, and data the bot
itself would have accepted.

Why: the demo is what a new user, a reviewer and the console mode see first. If its
history broke a rule of the monthly form (N+T+O+B = D, K <= S, …) the summaries would
show numbers the bot refuses from a real kader, and a second ``seed-demo`` must not
double the reports.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func
from sqlmodel import select

from conversations.form import Form, Kind
from conversations.forms import HOME_VISIT, MONTHLY, OUTREACH
from conversations.forms.monthly import HISTORY
from handlers.roster.demo import roster_is_empty, roster_rows, seed_demo
from storage import Database, people
from storage.models import (
    Person,
    Posyandu,
    Report,
)
from storage.rekap import export
from tests.builders import ROSTER_TABLES

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 22 Nov 2026, 10:00 in Jakarta
TABLES = (*ROSTER_TABLES, Report)
FORMS = {form.id: form for form in (MONTHLY, HOME_VISIT, OUTREACH)}


@pytest.fixture(scope="module")
def demo(module_database: Database) -> Database:
    """The demo district seeded once, for the tests that only read it."""
    seed_demo(module_database, NOW)
    return module_database


def counts(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        return {
            table.__tablename__: session.exec(select(func.count()).select_from(table)).one()
            for table in TABLES
        }


def all_reports(database: Database) -> list[Report]:
    with database.transaction() as session:
        return list(session.exec(select(Report).order_by(Report.id)))


def test_seeding_twice_changes_nothing(database):
    assert roster_is_empty(database)

    first = seed_demo(database, NOW)
    loaded = counts(database)
    second = seed_demo(database, NOW)

    assert not roster_is_empty(database)
    assert first.startswith("Loaded the demo district Kabupaten Sukamaju (32.99)")
    assert "29 monthly" in first and "Seruni not yet filed for 2026-10" in first
    assert second == "The demo district is already loaded; nothing changed."
    assert counts(database) == loaded
    assert loaded == {
        "provinsi": 1,
        "kabupaten": 1,
        "kecamatan": 2,
        "puskesmas": 2,
        "desa": 4,
        "posyandu": 10,
        "person": 18,
        "person_posyandu": 11,
        # 29 monthly reports + 1 correction + 18 home visits + 9 outreach activities
        "report": 57,
    }


def test_documented_people_and_areas(demo):
    with demo.transaction() as session:
        expected = {
            "+6281200000001": ("Siti Aminah", "kader", "PY-001"),
            "+6281200000002": ("Dewi Lestari", "kader", "PY-002"),
            "+6281200000003": ("Ani Suryani", "kader", "PY-005"),
            "+6281200000004": ("Rina Wati", "kader", "PY-008"),
            "+6281200000101": ("Bd. Nurhayati", "bidan", "32.99.01.2001"),
            "+6281200000102": ("Bd. Sri Mulyani", "bidan", "32.99.01.2002"),
            "+6281200000103": ("Bd. Yuliani", "bidan", "32.99.02.2001"),
            "+6281200000104": ("Bd. Wulan", "bidan", "32.99.02.2002"),
            "+6281200000201": ("dr. Hendra", "puskesmas", "P3299010"),
            "+6281200000202": ("Bambang", "puskesmas", "P3299020"),
            "+6281200000301": ("Agus Santoso", "dinkes", "32.99"),
            "+6281200000401": ("Dinkes IT", "admin", "32.99"),
        }
        for phone, (name, role, area) in expected.items():
            profile = people.by_phone(session, phone)
            assert profile is not None, phone
            assert (profile.name, profile.role, profile.area_code) == (name, role, area)
            assert (profile.timezone, profile.deadline_day) == ("Asia/Jakarta", 5)
        for number in range(5, 11):
            assert people.by_phone(session, f"+62812000000{number:02d}").role == "kader"
        dewi = people.by_phone(session, "+6281200000002")
        assert [name for _, name in people.posyandu_of(session, dewi)] == ["Mawar", "Melati 2"]
        nur = people.by_phone(session, "+6281200000101")
        assert [code for code, _ in people.posyandu_of(session, nur)] == ["PY-001", "PY-002"]
        days = session.exec(select(Posyandu.posyandu_day, Posyandu.target_balita)).all()
        assert all(8 <= day <= 20 and 40 <= target <= 120 for day, target in days)


@pytest.mark.parametrize(
    "now",
    [
        NOW,
        datetime(2026, 3, 10, 5, 0, tzinfo=UTC),  # history includes February: vitamin A
        datetime(2026, 12, 31, 17, 30, tzinfo=UTC),  # 1 Jan 00:30 in Jakarta: a new year
    ],
    ids=["november", "march", "new-year"],
)
def test_history_is_what_the_forms_accept(database, now):
    seed_demo(database, now)
    reports = all_reports(database)

    history: dict[str, dict[str, dict[str, Any]]] = {}
    for report in sorted(reports, key=lambda r: r.period):
        assert report.submitted_at <= now
        form = FORMS[report.kind]
        assert_valid_answers(form, report.data)
        context: dict[str, Any] = {}
        if report.kind == MONTHLY.id and report.held:
            earlier = history.setdefault(report.posyandu_code, {})
            context = {HISTORY: dict(earlier)}
            earlier[report.period] = report.data
        failed = [
            check.name
            for check in form.checks
            if check.name != "visit_old"  # depends on the day the form was filled in
            and all(report.data.get(name) is not None for name in check.fields)
            and not check.holds(report.data, context)
        ]
        assert failed == [], (report.report_key, report.data)
        if report.kind == MONTHLY.id and report.held:
            assert 0.6 <= report.data["BAL_D"] / report.data["BAL_S"] <= 0.9
        else:
            assert (
                report.event_date is None
                or report.event_date.isoformat() == (report.data["tanggal"])
            )


def assert_valid_answers(form: Form, data: dict[str, Any]) -> None:
    """Every answer is a field of the form, of the type and range the engine would store."""
    for name, value in data.items():
        field = form.field(name)
        options = {choice.value for choice in field.options}
        if field.kind is Kind.COUNT:
            assert type(value) is int, (name, value)
            assert field.minimum is None or value >= field.minimum, (name, value)
            assert field.maximum is None or value <= field.maximum, (name, value)
        elif field.kind is Kind.DECIMAL:
            assert type(value) is float and field.minimum <= Decimal(str(value)) <= field.maximum
        elif field.kind is Kind.YES_NO:
            assert type(value) is bool, (name, value)
        elif field.kind is Kind.CHOICE:
            assert value in options, (name, value)
        elif field.kind is Kind.MULTI:
            assert isinstance(value, list) and set(value) <= options, (name, value)
        elif field.kind is Kind.DATE:
            assert date.fromisoformat(value).isoformat() == value
        elif field.kind is Kind.MONTH:
            assert len(value) == 7 and value[4] == "-"
        else:
            assert isinstance(value, str) and 0 < len(value) <= (field.maximum or 1000)
    for field in form.fields:
        section = form.section(field.section)
        may_be_absent = field.optional or (section is not None and section.skippable)
        if field.name != "ganti" and not may_be_absent and field.applies(data, {}):
            assert field.name in data, (form.id, field.name, data)


def test_history_has_one_not_held_one_correction_one_gap(demo):
    reports = all_reports(demo)
    monthly = [r for r in reports if r.kind == MONTHLY.id]
    months = ["2026-08", "2026-09", "2026-10"]

    assert sorted({r.period for r in reports}) == months  # before November only
    not_held = [r for r in monthly if r.held is False]
    assert len(not_held) == 1
    assert not_held[0].data == {
        "periode": not_held[0].period,
        "POSY_BUKA": False,
        "POSY_ALASAN": "bencana",
    }
    revisions = Counter(r.report_key for r in monthly)
    assert sorted(revisions.values()) == [1] * 28 + [2]
    corrected = [r for r in monthly if revisions[r.report_key] == 2]
    assert [(r.revision, r.is_latest) for r in corrected] == [(1, False), (2, True)]
    assert corrected[0].data != corrected[1].data
    assert corrected[1].data["ganti"] is True
    assert corrected[1].submitted_at > corrected[0].submitted_at
    assert Counter(r.period for r in monthly if r.is_latest) == dict.fromkeys(months[:2], 10) | {
        "2026-10": 9
    }
    visits = Counter(r.period for r in reports if r.kind == HOME_VISIT.id)
    outreach = Counter(r.period for r in reports if r.kind == OUTREACH.id)
    assert all(visits[month] >= 3 and outreach[month] >= 2 for month in months)


def test_rekap_shows_the_history_with_one_late_report(demo):
    with demo.transaction() as session:
        rows = {
            month: export.monthly_rows(session, month, "kabupaten", "32.99")
            for month in ("2026-08", "2026-09", "2026-10")
        }

    assert [sum(r["reported"] for r in month) for month in rows.values()] == [10, 10, 9]
    on_time = [r["on_time"] for month in rows.values() for r in month if r["reported"]]
    assert len(on_time) == 29 and on_time.count(0) == 1
    assert all(isinstance(r["S"], int) for month in rows.values() for r in month if r["held"])
    assert sum(r["home_visits"] for month in rows.values() for r in month) == 18
    assert sum(r["outreach_sessions"] for month in rows.values() for r in month) == 9


def test_same_history_every_time(database):
    seed_demo(database, NOW)
    first = [(r.report_key, r.revision, r.data, r.submitted_at) for r in all_reports(database)]
    with database.transaction() as session:
        session.exec(delete(Report))

    seed_demo(database, NOW)

    again = [(r.report_key, r.revision, r.data, r.submitted_at) for r in all_reports(database)]
    assert again == first


def test_seeding_again_restores_an_edited_demo_roster_without_new_reports(database):
    seed_demo(database, NOW)
    with database.transaction() as session:
        siti = session.exec(select(Person).where(Person.phone == "+6281200000001")).one()
        siti.name = "Siti A."
    reports = counts(database)["report"]

    summary = seed_demo(database, NOW)

    assert summary == "Demo roster refreshed: 19 rows read. people: 1 updated."
    assert counts(database)["report"] == reports


def test_the_readme_table_is_the_demo_roster_file():
    """The README promises these numbers to whoever tries the bot: they must be the file's."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(\+62\d+)` \| ([^|]+?) \| (\w+) \|", readme, re.MULTILINE)
    [(first, last)] = re.findall(r"^\| `(\+62\d+)` … `(\+62\d+)` \|", readme, re.MULTILINE)
    people = {(row.phone, row.name, row.role) for row in roster_rows()}

    assert listed and set(listed) <= people
    unnamed = sorted({phone for phone, _, _ in people} - {phone for phone, _, _ in listed})
    assert (unnamed[0], unnamed[-1], len(unnamed)) == (first, last, 5)

"""What a kader types, understood: counts, yes/no, dates, months, phone numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations.parsing import parse_count, parse_date, parse_decimal, parse_month, parse_yes_no
from conversations.periods import deadline_of
from conversations.phone import mask_phone, normalize_phone

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("0", 0),
        ("nol", 0),
        ("Tidak Ada", 0),
        ("1.234", 1234),
        ("1,234", 1234),
        ("1 234", 1234),
        ("12.345.678", 12345678),
        ("1.23", None),
        ("12a", None),
        ("-3", None),
        ("", None),
        ("😀", None),
        ("1; DROP TABLE report", None),
    ],
)
def test_counts(typed, value):
    assert parse_count(typed) == value


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([".", ",", " "]))
def test_any_count_with_thousands_separators_round_trips(number, separator):
    grouped = f"{number:,}".replace(",", separator)
    assert parse_count(grouped) == number


@given(st.text(max_size=50))
def test_count_parser_never_crashes_and_never_goes_negative(text):
    value = parse_count(text)
    assert value is None or value >= 0


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1,5", Decimal("1.5")), ("2", Decimal(2)), ("0.5", Decimal("0.5")), ("satu", None)],
)
def test_decimals(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("ya", True),
        ("Y", True),
        ("iya", True),
        ("tidak", False),
        ("t", False),
        ("belum", False),
        ("mungkin", None),
        ("", None),
    ],
)
def test_yes_no(typed, value):
    assert parse_yes_no(typed) is value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12", date(2026, 11, 12)),
        ("25", date(2026, 10, 25)),
        ("12/11", date(2026, 11, 12)),
        ("12-11-2026", date(2026, 11, 12)),
        ("hari ini", TODAY),
        ("kemarin", date(2026, 11, 21)),
        ("12 Nov", date(2026, 11, 12)),
        ("12 november 2026", date(2026, 11, 12)),
        ("32", None),
        ("November", None),
        ("besok lusa kapan", None),
    ],
)
def test_dates(typed, value):
    assert parse_date(typed, TODAY) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2026-11", "2026-11"),
        ("11/2026", "2026-11"),
        ("November", "2026-11"),
        ("Desember", "2025-12"),
        ("bulan lalu", "2026-10"),
        ("bulan ini", "2026-11"),
        ("okt 2026", "2026-10"),
        ("2026-13", None),
        ("12", None),
        ("abc", None),
    ],
)
def test_months(typed, value):
    assert parse_month(typed, TODAY) == value


def test_bare_month_name_in_january_means_last_december():
    assert parse_month("Desember", date(2027, 1, 5)) == "2026-12"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("081234567001", "+6281234567001"),
        ("6281234567001", "+6281234567001"),
        ("+62 812-3456-7001", "+6281234567001"),
        ("0062 812 3456 7001", "+6281234567001"),
        ("0812", None),
        ("+1 202 555 0100", None),
        ("hello", None),
    ],
)
def test_phone_numbers_become_e164(typed, value):
    assert normalize_phone(typed) == value


@pytest.mark.parametrize(
    ("period", "day", "due"),
    [
        ("2026-10", 5, date(2026, 11, 5)),
        ("2027-01", 30, date(2027, 2, 28)),
        ("2026-12", 10, date(2027, 1, 10)),
    ],
)
def test_deadline_is_in_the_following_month_and_never_past_its_end(period, day, due):
    assert deadline_of(period, day) == due


def test_masked_phone_hides_the_middle():
    assert mask_phone("+6281234567001") == "+62812****7001"

"""Understanding what a kader types: counts, yes/no, dates and months in Indonesian.

Each parser returns ``None`` when it cannot make sense of the text; the engine
then answers with the field's "what is expected" message. Counts and yes/no are
small closed grammars parsed here; dates and months go through ``dateparser``,
whose Indonesian support covers ``hari ini``, ``kemarin``, ``12 Nov``,
``bulan lalu`` and friends.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import dateparser

MAX_INPUT_LENGTH = 1000
"""Longer messages are refused before any parsing (a cheap phone never types more)."""

_ZERO_WORDS = frozenset({"nol", "tidak ada", "tdk ada", "gak ada", "ga ada", "kosong", "-"})
_YES = frozenset({"ya", "y", "iya", "yes", "yo", "benar", "betul", "ok", "oke", "sudah", "ada"})
_NO = frozenset({"tidak", "t", "tdk", "no", "n", "enggak", "nggak", "gak", "ga", "bukan", "belum"})
_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")
_PLAIN = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^\d+([.,]\d+)?$")
_MONTH_NUMERIC = (
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    re.compile(r"^(?P<m>\d{1,2})[-/.](?P<y>\d{4})$"),
)
_DATE_SETTINGS_BASE = {
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def normalize(text: str) -> str:
    """Lower-case, trim and collapse whitespace, so ``"  Tidak   Ada "`` == ``"tidak ada"``."""
    return " ".join(text.split()).casefold()


def parse_count(text: str) -> int | None:
    """A non-negative whole number: ``12``, ``1.234``, ``1,234``, ``1 234``, ``0``, ``nol``."""
    cleaned = normalize(text)
    if cleaned in _ZERO_WORDS:
        return 0
    if _PLAIN.match(cleaned):
        return int(cleaned)
    if _GROUPED.match(cleaned):
        return int(re.sub(r"[.,\s]", "", cleaned))
    return None


def parse_decimal(text: str) -> Decimal | None:
    """A non-negative number that may have a fraction, with comma or dot: ``1,5``, ``2``."""
    cleaned = normalize(text)
    if cleaned in _ZERO_WORDS:
        return Decimal(0)
    if not _DECIMAL.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        return None


def parse_yes_no(text: str) -> bool | None:
    """``ya``/``y``/``iya`` -> True, ``tidak``/``t``/``belum`` -> False, else None."""
    cleaned = normalize(text).rstrip(".!")
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    return None


def parse_date(text: str, today: date) -> date | None:
    """A calendar day: ``12``, ``12/11``, ``12-11-2026``, ``hari ini``, ``kemarin``, ``12 Nov``.

    A bare day or day and month mean the most recent such day, so ``25`` typed
    on 22 November is 25 October. Text without a day (``November``) is refused.
    """
    cleaned = normalize(text)
    if not cleaned or len(cleaned) > 40:
        return None
    settings = {
        **_DATE_SETTINGS_BASE,
        "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
        "REQUIRE_PARTS": ["day"],
    }
    if _PLAIN.match(cleaned):
        return _most_recent_day(int(cleaned), today)
    parsed = dateparser.parse(cleaned, languages=["id"], settings=settings)
    return parsed.date() if parsed else None


def _most_recent_day(day: int, today: date) -> date | None:
    year, month = today.year, today.month
    for _ in range(2):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate <= today:
            return candidate
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def parse_month(text: str, today: date) -> str | None:
    """A reporting month as ``YYYY-MM``: ``2026-11``, ``11/2026``, ``November``, ``bulan lalu``.

    A month name alone means the most recent such month (``Desember`` typed in
    January is last December).
    """
    cleaned = normalize(text)
    if not cleaned or len(cleaned) > 40:
        return None
    for pattern in _MONTH_NUMERIC:
        match = pattern.match(cleaned)
        if match:
            year, month = int(match["y"]), int(match["m"])
            return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    if any(ch.isdigit() for ch in cleaned) and not re.search(r"[a-z]", cleaned):
        return None
    settings = {
        **_DATE_SETTINGS_BASE,
        "RELATIVE_BASE": datetime(today.year, today.month, min(today.day, 28), 12),
        "REQUIRE_PARTS": ["month"],
    }
    parsed = dateparser.parse(cleaned, languages=["id"], settings=settings)
    return f"{parsed.year:04d}-{parsed.month:02d}" if parsed else None

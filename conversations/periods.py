"""Reporting months and the days in them: the one module that counts months.

A reporting month (a *period*) is written ``YYYY-MM`` everywhere: in stored
reports, the rekap, buttons and the engine's answers. Stepping between months,
a report's deadline, a day of a month, and how months and days are written for
people to read are all here, so no other module does month arithmetic. Pure:
it reads no clock, and ``today`` is always given.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DEADLINE_DAY = 5
"""The day of the following month a report is due, where a kabupaten sets none (common practice)."""

MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTH_SHORT = tuple(name[:3] for name in MONTH_NAMES)
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
"""Monday first, as :meth:`date.weekday` counts."""


def month_of(day: date) -> str:
    """``2026-11-12`` -> ``2026-11``."""
    return f"{day.year:04d}-{day.month:02d}"


def year_month(period: str) -> tuple[int, int]:
    """``2026-11`` -> ``(2026, 11)``."""
    return int(period[:4]), int(period[5:])


def shift_month(period: str, months: int) -> str:
    """``2026-01`` shifted by -1 is ``2025-12``."""
    year, month = year_month(period)
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def recent_months(today: date, count: int) -> list[str]:
    """This month and the ``count - 1`` before it, newest first."""
    current = month_of(today)
    return [shift_month(current, -offset) for offset in range(count)]


def due_period(today: date, deadline_day: int) -> str:
    """The month whose report is being collected now.

    Until the deadline (day 5 by default) it is last month's report; after it,
    the current month's, due by the deadline of the next month.
    """
    current = month_of(today)
    return shift_month(current, -1) if today.day <= deadline_day else current


def day_in_month(period: str, day: int) -> date:
    """Day ``day`` of a month, or its last day when the month is shorter (31 in November is 30).

    Posyandu days and lokakarya mini days are stored as a day of the month;
    every month must still have exactly one of them.
    """
    year, month = year_month(period)
    return date(year, month, min(day, monthrange(year, month)[1]))


def deadline_of(period: str, deadline_day: int) -> date:
    """The day a month's report is due: ``deadline_day`` of the following month.

    A day past the month's end (30 in February) means its last day.
    """
    return day_in_month(shift_month(period, 1), deadline_day)


def deadline_end(period: str, deadline_day: int, timezone: str) -> datetime:
    """The last instant a month's report counts as on time: the deadline day's end, local time."""
    day = deadline_of(period, deadline_day)
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(timezone))


def next_day_of_month(today: date, day: int) -> date:
    """The first date on or after ``today`` that is day ``day`` of its month (clamped)."""
    this_month = day_in_month(month_of(today), day)
    return this_month if this_month >= today else day_in_month(shift_month(month_of(today), 1), day)


def format_month(period: str) -> str:
    """``2026-10`` -> ``Oktober 2026``."""
    year, month = year_month(period)
    return f"{MONTH_NAMES[month - 1]} {year}"


def short_month(period: str) -> str:
    """``2026-09`` -> ``Sep``: enough to name last month next to a change."""
    return MONTH_SHORT[year_month(period)[1] - 1]


def format_date(day: date) -> str:
    """``2026-11-12`` -> ``12 Nov 2026``."""
    return f"{day.day} {MONTH_SHORT[day.month - 1]} {day.year}"


def format_day(day: date) -> str:
    """``Kamis, 12 Nov 2026``: a day read back with its weekday, which people check it by."""
    return f"{DAY_NAMES[day.weekday()]}, {format_date(day)}"

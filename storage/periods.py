"""Reporting months and deadlines, in the reporter's local calendar."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def shift_month(period: str, months: int) -> str:
    """``2026-01`` shifted by -1 is ``2025-12``."""
    year, month = int(period[:4]), int(period[5:])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def due_period(today: date, deadline_day: int) -> str:
    """The month whose report is being collected now.

    Until the deadline (day 5 by default) it is last month's report; after it,
    the current month's, due by the deadline of the next month.
    """
    current = month_of(today)
    return shift_month(current, -1) if today.day <= deadline_day else current


def deadline_of(period: str, deadline_day: int) -> date:
    """The day a month's report is due: ``deadline_day`` of the following month.

    A day past the month's end (30 in February) means its last day.
    """
    following = shift_month(period, 1)
    year, month = int(following[:4]), int(following[5:])
    return date(year, month, min(deadline_day, monthrange(year, month)[1]))


def deadline_end(period: str, deadline_day: int, timezone: str) -> datetime:
    """The last instant a month's report counts as on time: the deadline day's end, local time."""
    day = deadline_of(period, deadline_day)
    return datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(timezone))


def day_in_month(period: str, day: int) -> date:
    """Day ``day`` of a month, or its last day when the month is shorter (31 in November is 30).

    Posyandu days and lokakarya mini days are stored as a day of the month;
    every month must still have exactly one of them.
    """
    year, month = int(period[:4]), int(period[5:])
    return date(year, month, min(day, monthrange(year, month)[1]))


def next_day_of_month(today: date, day: int) -> date:
    """The first date on or after ``today`` that is day ``day`` of its month (clamped)."""
    this_month = day_in_month(month_of(today), day)
    return this_month if this_month >= today else day_in_month(shift_month(month_of(today), 1), day)

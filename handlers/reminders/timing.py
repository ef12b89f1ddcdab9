"""Local time, working hours and working days: when a reminder may reach a person.

Nobody gets a message between 21:00 and 06:00 on their own clock. Sundays
and public holidays are not working days: Puskesmas and Dinkes offices are
closed, and a reminder about office work is better read on the next working
day. Saturdays are working days (many Puskesmas work six days, and kader
often hold Posyandu on Saturdays).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WORK_START = time(6)
WORK_END = time(21)
SUNDAY = 6
MAX_SHIFT_DAYS = 31

Shift = Literal["next", "previous", "none"]
"""Where a reminder that falls on a rest day goes: the next or the previous working day."""


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def is_zone(name: str) -> bool:
    """Whether ``name`` is a time zone this machine knows (roster data may hold typos)."""
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def in_working_hours(local: datetime) -> bool:
    """06:00 <= local time < 21:00."""
    return WORK_START <= local.time() < WORK_END


def end_of_working_day(day: date, timezone: str) -> datetime:
    """21:00 of ``day`` in ``timezone``: after it a reminder for that day is not worth sending."""
    return datetime.combine(day, WORK_END, zone(timezone))


@dataclass(frozen=True, slots=True)
class Calendar:
    """Working days: every day but Sundays and the configured holidays."""

    holidays: Container[date]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() != SUNDAY and day not in self.holidays

    def shift(self, day: date, direction: Shift) -> date:
        """``day`` itself if it is a working day, else the nearest one in ``direction``."""
        if direction == "none":
            return day
        step = timedelta(days=1 if direction == "next" else -1)
        moved = day
        for _ in range(MAX_SHIFT_DAYS):
            if self.is_working_day(moved):
                return moved
            moved += step
        return day

    def working_day_after(self, day: date) -> date:
        return self.shift(day + timedelta(days=1), "next")

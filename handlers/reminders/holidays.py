"""Indonesian public holidays on which reminders are not sent (they move to a working day).

The dates come from the ``holidays`` package: Indonesia's public holidays plus
its ``government`` category, the *cuti bersama* of the SKB 3 Menteri, because
Puskesmas and Dinkes offices are closed on them. The package computes any year
on demand, so the calendar never runs out; moveable dates of years whose SKB is
not yet published are the package's estimates.

``HOLIDAYS`` (comma-separated ISO dates) corrects it where a district or a new
decree differs: a date is added, a date prefixed with ``-`` is removed, e.g.
``HOLIDAYS=2027-03-10,-2027-03-09``.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date

import holidays

COUNTRY = "ID"
CATEGORIES = (holidays.PUBLIC, holidays.GOVERNMENT)


def official_holidays() -> Container[date]:
    """Indonesia's national holidays and cuti bersama, for any year asked about."""
    return holidays.country_holidays(COUNTRY, categories=CATEGORIES)


@dataclass(frozen=True, slots=True)
class Holidays:
    """The official calendar with the operator's additions and removals applied."""

    official: Container[date]
    added: frozenset[date] = frozenset()
    removed: frozenset[date] = frozenset()

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        if day in self.added:
            return True
        return day not in self.removed and day in self.official


def parse_holidays(text: str, official: Container[date] | None = None) -> Holidays:
    """The holiday calendar: ``official`` plus the dates in ``text``, minus those prefixed ``-``.

    ``official`` defaults to :func:`official_holidays`. Raises ValueError naming
    the entry that is not an ISO date, so a typo in ``HOLIDAYS`` stops the
    service at start-up instead of being ignored.
    """
    added: set[date] = set()
    removed: set[date] = set()
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        target = removed if entry.startswith("-") else added
        try:
            target.add(date.fromisoformat(entry.removeprefix("-")))
        except ValueError:
            raise ValueError(f"HOLIDAYS: {entry!r} is not a date like 2026-12-25") from None
    calendar = official_holidays() if official is None else official
    return Holidays(calendar, frozenset(added), frozenset(removed))

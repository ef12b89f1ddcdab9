"""What every export is about: an area (by code) and reporting months."""

from __future__ import annotations

import re
from dataclasses import dataclass

from conversations.periods import shift_month
from storage import Transaction
from storage.rekap import Area, by_code

_PERIOD = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True, slots=True)
class Made:
    """An export for the command line: its bytes, the file name to save it under, its count."""

    content: bytes
    name: str
    count: int


class UnknownAreaError(LookupError):
    """No region or Posyandu has the code asked for."""


class BadPeriodError(ValueError):
    """A month not written ``YYYY-MM``."""


def area_of(session: Transaction, code: str | None) -> Area:
    """The area with this code, or the whole country for None."""
    if code is None:
        return Area(None, None, "")
    found = by_code(session, code)
    if found is None:
        raise UnknownAreaError(code)
    return found


def months_ending(period: str, count: int = 1) -> list[str]:
    """``count`` months up to and including ``period``, oldest first; checks ``YYYY-MM``."""
    if not _PERIOD.fullmatch(period) or count < 1:
        raise BadPeriodError(period)
    return [shift_month(period, offset) for offset in range(1 - count, 1)]

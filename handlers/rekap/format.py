"""Small formatting helpers shared by the rekap's text, workbook and chart.

Indonesian conventions: thousands with a dot (``1.234``), whole percentages.
"""

from __future__ import annotations

from handlers.rekap import words as W
from storage.rekap import Area


def count(value: int | None) -> str:
    """``1234`` -> ``1.234``; None (not reported) -> ``-``."""
    return W.REKAP_NO_VALUE if value is None else f"{value:,}".replace(",", ".")


def percent(value: float | None) -> str:
    """``0.738`` -> ``74%``; None (nothing to divide by) -> ``-``."""
    return W.REKAP_NO_VALUE if value is None else f"{round(100 * value)}%"


def points(current: float | None, previous: float | None) -> int | None:
    """The change between two ratios in whole percentage points (None if either is unknown)."""
    if current is None or previous is None:
        return None
    return round(100 * current) - round(100 * previous)


def signed(value: int | None) -> str:
    """``3`` -> ``+3``, ``-2`` -> ``-2``, ``0`` -> ``0``, None -> ``""``."""
    return "" if value is None else f"{value:+d}" if value else "0"


def area_label(area: Area) -> str:
    """The area as people say it: ``Desa Mekarsari``, ``Puskesmas Cibening`` (no doubled word)."""
    if area.level is None:
        return W.REKAP_NATIONAL
    return with_level(area.level, area.name)


def with_level(level: str, name: str) -> str:
    """Put the level's word before a name unless the name already starts with a level word."""
    first = name.split(" ", 1)[0].casefold()
    if first in W.REKAP_WORD_LEVELS:
        return name
    return f"{W.REKAP_LEVELS[level]} {name}"


def without_level(level: str, name: str) -> str:
    """``Puskesmas Cibening`` under a "Puskesmas" header is just ``Cibening``."""
    prefix = W.REKAP_LEVELS[level] + " "
    return name[len(prefix) :] if name.casefold().startswith(prefix.casefold()) else name


def slug(area: Area, period: str) -> str:
    """A file name stem: ``rekap-32.99-2026-10``."""
    code = "".join(c if c.isalnum() or c in ".-" else "-" for c in (area.code or "id"))
    return f"{W.REKAP_COMMAND}-{code}-{period}"

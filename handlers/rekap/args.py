"""Reading what follows ``rekap``: month, area, page and file format, as people type them.

``rekap``, ``rekap oktober``, ``rekap bulan lalu Cibening``, ``rekap Mawar 10/2026``
and the buttons' own ``rekap 2026-10 P3299010 hal 2`` all work. The month may
stand first or last; ``hal N`` and a format word (``excel``, ``csv``,
``grafik``) come at the end; what is left names the area.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from conversations.parsing import parse_choice_number, parse_month
from handlers.rekap import words as W

MAX_MONTH_WORDS = 2
"""``bulan lalu``, ``oktober 2026``: a month is at most two words."""
MAX_VALUE_BYTES = 60
"""A button value must fit Telegram's 64-byte callback data with its prefix."""


@dataclass(frozen=True, slots=True)
class Request:
    """What was asked: month (None: the default), area text ("" for one's own), page, format."""

    period: str | None = None
    area: str = ""
    page: int = 1
    output: str = "text"


def parse(args: list[str], today: date) -> Request:
    """Split the words after ``rekap`` into a :class:`Request`; unknown words name the area."""
    words = list(args)
    output = "text"
    if words and words[-1].casefold() in W.REKAP_WORD_FORMATS:
        output = W.REKAP_WORD_FORMATS[words.pop().casefold()]
    page = 1
    number = parse_choice_number(words[-1]) if len(words) >= 2 else None
    if number is not None and words[-2].casefold() in W.REKAP_WORD_PAGE:
        page = number
        words = words[:-2]
    period, words = _month(words, today)
    return Request(period, " ".join(words), page, output)


def split_level(text: str) -> tuple[str | None, str]:
    """``puskesmas cibening`` -> ("puskesmas", "cibening"); a name without a level word as is."""
    first, _, rest = text.partition(" ")
    level = W.REKAP_WORD_LEVELS.get(first.casefold())
    return (level, rest.strip()) if level and rest.strip() else (None, text)


def command(period: str, code: str | None = None, *extra: str) -> str | None:
    """The text a button sends back (``rekap 2026-10 P3299010 hal 2``); None when too long."""
    words = [W.REKAP_COMMAND, period, *([code] if code else []), *extra]
    value = " ".join(words)
    return value if len(value.encode("utf-8")) <= MAX_VALUE_BYTES else None


def _month(words: list[str], today: date) -> tuple[str | None, list[str]]:
    """The month at the start or the end of ``words``, and the words left over."""
    for size in range(min(MAX_MONTH_WORDS, len(words)), 0, -1):
        for start in (0, len(words) - size):
            period = parse_month(" ".join(words[start : start + size]), today)
            if period is not None:
                return period, words[:start] + words[start + size :]
    return None, words

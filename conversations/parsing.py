"""Understanding what a kader types: numbers, choices, yes/no, dates and months in Indonesian.

Each parser returns ``None`` when it cannot make sense of the text; the engine
then answers with the field's "what is expected" message. Each is a small
closed grammar, and none may raise, whatever arrives: ``str.isdigit()`` is
true for ``²``, ``①`` and ``٢``, which ``int()`` refuses or reads in
surprising ways, and ``int()`` refuses more than 4,300 digits, so numbers are
matched with ``[0-9]`` only and their length is bounded before converting.

Dates and months are read here rather than by a general date library because
the year must follow the kader's meaning, not the library's preference: a
day and month without a year that are still ahead this year are "not yet"
(the engine refuses them), and an impossible date (``13/13``) is no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from conversations.periods import (
    DAY_NAMES,
    MONTH_NAMES,
    MONTH_SHORT,
    month_of,
    recent_months,
    shift_month,
    year_month,
)

MAX_INPUT_LENGTH = 1000
"""Longer messages are refused before any parsing (a cheap phone never types more)."""
MAX_CHOICE_DIGITS = 4
"""A numbered choice (an option, a rekap page, a button position) has at most this many digits."""

_ZERO_WORDS = frozenset(
    {
        "nol",
        "kosong",
        "-",
        "tidak ada",
        "tdk ada",
        "gak ada",
        "ga ada",
        "nggak ada",
        "ngga ada",
        "enggak ada",
        "tak ada",
        "belum ada",
    }
)
_YES = frozenset(
    {
        *("ya", "y", "iya", "iye", "yes", "yo", "yup", "ok", "oke", "okay", "okey", "sip", "siap"),
        *("benar", "betul", "bener", "sudah", "udah", "sdh", "ada", "buka"),
        *("👍", "✅", "✔", "☑"),
    }
)
_NEGATIONS = frozenset(
    {
        *("tidak", "tdk", "tak", "gak", "ga", "gk", "nggak", "ngga", "enggak", "engga"),
        *("ndak", "nda", "bukan", "belum", "blm", "blum"),
    }
)
_NO = frozenset(
    {
        *_NEGATIONS,
        *("t", "no", "n", "tutup", "👎", "❌", "✖"),
        *(f"{word} ada" for word in _NEGATIONS),
        *(f"{word} buka" for word in _NEGATIONS),
    }
)
_NONE = frozenset(
    {*_ZERO_WORDS, *_NO, "0", "normal", "sehat", "aman", "baik", "semua sehat", "semua normal"}
)
_PARTICLES = frozenset(
    {"dong", "deh", "kok", "sih", "lah", "kak", "bu", "pak", "mas", "mbak", "bang", "nih", "kan"}
)
_SKIN_TONES_AND_VARIANTS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f]")
_REPEATED_END = re.compile(r"(.)\1+$")

_CHOICE = re.compile(rf"[0-9]{{1,{MAX_CHOICE_DIGITS}}}")
_WHOLE = re.compile(r"[0-9]+|[0-9]{1,3}(?:([.,\s])[0-9]{3})(?:\1[0-9]{3})*")
_FRACTION = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_APPROXIMATE_BEFORE = re.compile(
    r"^(?:sekitar|skitar|sktr|kira-kira|kira kira|kira2|kurang lebih|lebih kurang|kurleb"
    r"|hampir|±|\+-|\+/-|~)\s*"
)
_APPROXIMATE_AFTER = re.compile(r"(?:\s*-?an|\s+(?:lebih|lebih sedikit|an))$")
_NEGATIVE = re.compile(r"^(?:-|minus\s)\s*")
_UNITS = frozenset(
    {
        *("orang", "org", "balita", "bayi", "anak", "ibu", "bumil", "lansia", "remaja"),
        *("kader", "jiwa", "peserta", "pasien", "kk", "kapsul", "tablet", "jam"),
    }
)

_MONTHS = {
    **{name.casefold(): n for n, name in enumerate(MONTH_NAMES, 1)},
    **{short.casefold(): n for n, short in enumerate(MONTH_SHORT, 1)},
    # Other spellings seen in the field.
    **dict.fromkeys(("pebruari", "peb"), 2),
    **dict.fromkeys(("agt", "ags", "agus", "agust"), 8),
    "sept": 9,
    "oct": 10,
    "nop": 11,
    "dec": 12,
}
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAYS_AGO = {
    **dict.fromkeys(("hari ini", "hr ini", "sekarang", "tadi"), 0),
    **dict.fromkeys(("kemarin", "kemaren", "kmrn", "kmrin", "kmarin", "kmren", "kemarin ini"), 1),
    **dict.fromkeys(("kemarin lusa", "kmrn lusa"), 2),
    **dict.fromkeys(("besok", "bsk", "besuk"), -1),
    "lusa": -2,
}
_WEEKDAYS = {name.casefold(): n for n, name in enumerate(DAY_NAMES)} | {"jum'at": 4, "ahad": 6}
_DATE_PREFIX = re.compile(r"^(?:tanggal|tgl\.?|tg\.?)\s*")
_WEEKDAY_PREFIX = re.compile(r"^hari\s+")
_FULL_YEAR = r"(?P<y>(?:19|20)[0-9]{2})"
"""Years a report or a visit can be in; other numbers are not read as a year."""
_YEAR = r"(?P<y>(?:19|20)?[0-9]{2})"
"""A full year or its last two digits (``26`` is 2026)."""
_DATE_NUMERIC = (
    re.compile(r"(?P<d>[0-9]{1,2})"),
    re.compile(rf"(?P<d>[0-9]{{1,2}})([/.\- ])(?P<m>[0-9]{{1,2}})(?:\2{_YEAR})?"),
    re.compile(rf"{_FULL_YEAR}-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}})"),
    re.compile(rf"(?P<d>[0-9]{{1,2}})[\s/.\-]*(?P<name>{_MONTH_NAME})\.?(?:[\s/.\-]*{_YEAR})?"),
)
_MONTH_NUMERIC = (
    re.compile(rf"{_FULL_YEAR}[-/.](?P<m>[0-9]{{1,2}})"),
    re.compile(rf"(?P<m>[0-9]{{1,2}})[-/.]{_FULL_YEAR}"),
    re.compile(rf"(?:bulan\s+|bln\s+)?(?P<name>{_MONTH_NAME})\.?(?:\s*{_FULL_YEAR})?"),
)
_MONTHS_AGO = {
    **dict.fromkeys(("bulan ini", "bln ini", "bulan sekarang"), 0),
    **dict.fromkeys(
        ("bulan lalu", "bln lalu", "bulan kemarin", "bulan kmrn", "bulan sebelumnya"), 1
    ),
}
_AGO = re.compile(r"(?P<n>[0-9]{1,2}|se)\s*(?P<unit>hari|minggu|bulan)\s+(?:yang\s+)?lalu")
_DAYS_PER_UNIT = {"hari": 1, "minggu": 7}


def normalize(text: str) -> str:
    """Lower-case, trim and collapse whitespace, so ``"  Tidak   Ada "`` == ``"tidak ada"``."""
    return " ".join(text.split()).casefold()


def parse_choice_number(text: str, count: int | None = None) -> int | None:
    """The number typed to pick one of ``count`` numbered choices (1 is the first), or None.

    The one reader of "the n-th option" for the engine, the console, Telegram's
    button data and the rekap's pages: only ASCII digits, at most
    :data:`MAX_CHOICE_DIGITS` of them, so ``²``, ``①`` or 5,000 digits are
    simply not a choice. Without ``count``, any number a list can have.
    """
    cleaned = text.strip().removesuffix(".")
    if not _CHOICE.fullmatch(cleaned):
        return None
    number = int(cleaned)
    return number if 1 <= number <= (count or 10**MAX_CHOICE_DIGITS) else None


@dataclass(frozen=True, slots=True)
class Number:
    """A number as typed: ``value`` may be negative; ``approximate`` after "sekitar 30"."""

    value: int | Decimal
    approximate: bool = False


def read_number(text: str, *, whole: bool) -> Number | None:
    """A count (``whole``) or a decimal, with what a kader adds around it.

    ``25 orang`` and ``1,5 jam`` are the number; ``sekitar 30``, ``30-an``,
    ``kurang lebih 30`` are the number marked approximate (a report needs the
    exact one, the engine asks); ``-5`` is a negative number, so the engine
    can say negatives are not allowed rather than "not a number".
    """
    cleaned = normalize(text).rstrip(".!")
    if len(cleaned) > MAX_INPUT_LENGTH:
        return None
    if cleaned in _ZERO_WORDS:
        return Number(0)
    words = cleaned.split()
    if len(words) > 1 and words[-1] in _UNITS:
        cleaned = " ".join(words[:-1])
    approximate = False
    for pattern in (_APPROXIMATE_BEFORE, _APPROXIMATE_AFTER):
        shorter = pattern.sub("", cleaned)
        approximate = approximate or shorter != cleaned
        cleaned = shorter
    sign = -1 if _NEGATIVE.match(cleaned) else 1
    cleaned = _NEGATIVE.sub("", cleaned)
    value: int | Decimal
    if not whole and _FRACTION.fullmatch(cleaned):
        value = Decimal(cleaned.replace(",", "."))
    elif _WHOLE.fullmatch(cleaned):
        value = int(re.sub(r"[.,\s]", "", cleaned))
    else:
        return None
    return Number(sign * value, approximate)


def parse_count(text: str) -> int | None:
    """A non-negative whole number: ``12``, ``1.234``, ``1,234``, ``1 234``, ``0``, ``nol``."""
    number = read_number(text, whole=True)
    return int(number.value) if number is not None and number.value >= 0 else None


def parse_decimal(text: str) -> Decimal | None:
    """A non-negative number that may have a fraction, with comma or dot: ``1,5``, ``2``."""
    number = read_number(text, whole=False)
    return Decimal(number.value) if number is not None and number.value >= 0 else None


def parse_yes_no(text: str) -> bool | None:
    """``ya``, ``iyaa``, ``ya dong``, ``buka``, ``👍`` -> True; ``tidak``, ``ngga`` -> False.

    Trailing particles (``dong``, ``kok``, ``bu``) and drawn-out letters
    (``iyaaa``) are let go; anything else is None.
    """
    phrase = _plain_words(text)
    if phrase in _YES or phrase in _NO:
        return phrase in _YES
    first, _, rest = phrase.partition(" ")
    return True if first in ("ya", "iya", "y") and rest in _YES else None


def is_none(text: str) -> bool:
    """Whether the answer to "which of these did you find?" is "none".

    ``tidak``, ``tdk``, ``nggak``, ``ga ada``, ``tidak ada``, ``0``, ``normal``,
    ``sehat``: each means nothing was found, never the option that happens to
    start with "Tidak".
    """
    return _plain_words(text) in _NONE


def is_negation(word: str) -> bool:
    """Whether ``word`` negates (``tidak``, ``belum``, ``nggak``...)."""
    return _plain_words(word) in _NEGATIONS


def _plain_words(text: str) -> str:
    """The words of a short answer without punctuation, trailing particles or drawn-out ends."""
    if len(text) > MAX_INPUT_LENGTH:
        return ""
    cleaned = _SKIN_TONES_AND_VARIANTS.sub("", normalize(text))
    words = re.sub(r"[,.!?]+", " ", cleaned).split()
    while len(words) > 1 and words[-1] in _PARTICLES:
        words.pop()
    return " ".join(_squeezed(word) for word in words)


def _squeezed(word: str) -> str:
    """``iyaa`` -> ``iya``, ``👍👍`` -> ``👍``: a word whose last letter was held down."""
    if word in _YES or word in _NO or word in _NONE:
        return word
    return _REPEATED_END.sub(r"\1", word)


def parse_date(text: str, today: date, month: str | None = None) -> date | None:
    """A calendar day: ``12``, ``12/11``, ``12-11-2026``, ``12 Nov``, ``kemarin``, ``tgl 12``.

    A bare day means the most recent such day, so ``25`` typed on 22 November
    is 25 October; with ``month`` (``2026-10``: the question is about that
    month) it is that day of that month. A day and month without a year mean the nearer of this
    year's and last year's: ``30/11`` typed on 29 November is tomorrow (the
    engine says "not yet"), ``30/12`` typed on 2 January is three days ago.
    An impossible date (``13/13``, ``31/11``) and text without a day
    (``November``) are None.
    """
    cleaned = normalize(text).rstrip(".!")
    if not cleaned or len(cleaned) > 40:
        return None
    if cleaned in _DAYS_AGO:
        return today - timedelta(days=_DAYS_AGO[cleaned])
    weekday = _WEEKDAY_PREFIX.sub("", cleaned)
    if weekday in _WEEKDAYS:
        return today - timedelta(days=(today.weekday() - _WEEKDAYS[weekday]) % 7)
    ago = _AGO.fullmatch(cleaned)
    if ago and ago["unit"] in _DAYS_PER_UNIT:
        return today - timedelta(days=_count_of(ago["n"]) * _DAYS_PER_UNIT[ago["unit"]])
    cleaned = _DATE_PREFIX.sub("", cleaned)
    for pattern in _DATE_NUMERIC:
        match = pattern.fullmatch(cleaned)
        if match:
            return _date_from(match.groupdict(), today, month)
    return None


def _date_from(parts: dict[str, str | None], today: date, asked: str | None) -> date | None:
    day = int(parts["d"] or 0)
    name, typed_month = parts.get("name"), parts.get("m")
    if name is None and typed_month is None:
        if asked is not None:
            return _valid_date(int(asked[:4]), int(asked[5:7]), day)
        return _most_recent_day(day, today)
    month = _MONTHS[name] if name else int(typed_month or 0)
    if parts.get("y"):
        return _valid_date(_full_year(parts["y"] or ""), month, day)
    return _nearer_of_this_and_last_year(day, month, today)


def _full_year(typed: str) -> int:
    return int(typed) + 2000 if len(typed) == 2 else int(typed)


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _most_recent_day(day: int, today: date) -> date | None:
    for period in recent_months(today, 2):
        candidate = _valid_date(*year_month(period), day)
        if candidate is not None and candidate <= today:
            return candidate
    return None


def _nearer_of_this_and_last_year(day: int, month: int, today: date) -> date | None:
    this_year = _valid_date(today.year, month, day)
    last_year = _valid_date(today.year - 1, month, day)
    if this_year is None or last_year is None:
        return this_year or last_year
    if this_year <= today or this_year - today < today - last_year:
        return this_year
    return last_year


def _count_of(typed: str) -> int:
    """The N of ``N hari lalu``; ``se`` (``seminggu``) is one."""
    return 1 if typed == "se" else int(typed)


def parse_month(text: str, today: date) -> str | None:
    """A reporting month as ``YYYY-MM``: ``2026-11``, ``11/2026``, ``November``, ``bulan lalu``.

    A month name alone means the most recent such month that is not in the
    future (``Desember`` typed in November 2026 is December 2025).
    """
    cleaned = normalize(text).rstrip(".!")
    if not cleaned or len(cleaned) > 40:
        return None
    if cleaned in _MONTHS_AGO:
        return shift_month(month_of(today), -_MONTHS_AGO[cleaned])
    ago = _AGO.fullmatch(cleaned)
    if ago and ago["unit"] == "bulan":
        return shift_month(month_of(today), -_count_of(ago["n"]))
    for pattern in _MONTH_NUMERIC:
        match = pattern.fullmatch(cleaned)
        if match:
            return _month_from(match.groupdict(), today)
    return None


def _month_from(parts: dict[str, str | None], today: date) -> str | None:
    name = parts.get("name")
    month = _MONTHS[name] if name else int(parts["m"] or 0)
    if not 1 <= month <= 12:
        return None
    if parts.get("y"):
        year = int(parts["y"] or 0)
    else:
        year = today.year if month <= today.month else today.year - 1
    return f"{year:04d}-{month:02d}"

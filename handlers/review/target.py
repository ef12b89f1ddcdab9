"""Which Posyandu and month a supervision command is about, read from what was typed or tapped.

``lihat Melati 1 november``, ``kembalikan PY-001 2026-11 #2 hitung``,
``buka kunci oktober Melati 1 salah ketik``: a Posyandu is named by code or
name (names have spaces, so the longest name that matches wins) among the
Posyandu the person may act on, a month as people write it, and a button
adds the revision it was made for (``#2``) so a press after a correction is
recognised as stale. A Posyandu outside the person's area is answered as one
that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conversations import Reply
from conversations.parsing import parse_month
from handlers.review import words as W
from handlers.turn import TurnContext
from storage import people, regions

MONTH_WORDS = 2
_REVISION = re.compile(r"#(\d{1,4})")
BUTTON_LIMIT = 64
"""Telegram's callback data limit, in bytes: a longer command is shown as text only."""


@dataclass(frozen=True, slots=True)
class Target:
    """A Posyandu (code, name), the month if one was given, the button's revision, the rest."""

    code: str
    name: str
    period: str | None
    revision: int | None
    rest: list[str]


def scope(turn: TurnContext) -> list[tuple[str, str]]:
    """(code, name) of the Posyandu this person supervises, sees, or (kader) reports for."""
    profile = turn.profile
    if profile.role in ("kader", "bidan"):
        return people.posyandu_of(turn.session, profile)
    level = regions.ROLE_LEVEL[profile.role]
    return regions.posyandu_in(turn.session, level, profile.area_code or "")


def find(
    turn: TurnContext, words: list[str], command: str, *, month_first: bool = False
) -> Target | list[Reply]:
    """The Posyandu (and month) named by ``words``, or a reply saying what is wrong.

    ``month_first`` reads ``BULAN POSYANDU …`` (``buka kunci``); otherwise
    ``POSYANDU [BULAN] …``. With a single Posyandu in scope, the name may be
    left out.
    """
    options = scope(turn)
    words, revision = _revision(words)
    period = None
    if month_first:
        period, words = month(words, turn)
    found = _match(options, words)
    if isinstance(found, str):
        if len(options) == 1 and not words:
            code, name = options[0]
            return Target(code, name, period, revision, [])
        return [Reply(_problem(found, words, options, command))]
    (code, name), rest = found
    if not month_first:
        period, rest = month(rest, turn)
    return Target(code, name, period, revision, rest)


def month(words: list[str], turn: TurnContext) -> tuple[str | None, list[str]]:
    """A month at the start of ``words`` (``november 2026``, ``2026-11``) and the words after it."""
    today = turn.now.date()
    for size in range(min(MONTH_WORDS, len(words)), 0, -1):
        period = parse_month(" ".join(words[:size]), today)
        if period is not None:
            return period, words[size:]
    return None, words


def button(*parts: str) -> str | None:
    """A command as a button's value; None when it would not fit Telegram's limit."""
    value = " ".join(part for part in parts if part)
    return value if len(value.encode("utf-8")) <= BUTTON_LIMIT else None


def _revision(words: list[str]) -> tuple[list[str], int | None]:
    for index, word in enumerate(words):
        match = _REVISION.fullmatch(word)
        if match:
            return words[:index] + words[index + 1 :], int(match[1])
    return words, None


def _match(
    options: list[tuple[str, str]], words: list[str]
) -> tuple[tuple[str, str], list[str]] | str:
    """The longest run of leading words naming one Posyandu; else why not (``none``, ``many``)."""
    by_code = {code.casefold(): (code, name) for code, name in options}
    by_name: dict[str, list[tuple[str, str]]] = {}
    for code, name in options:
        by_name.setdefault(name.casefold(), []).append((code, name))
    if words and words[0].casefold() in by_code:
        return by_code[words[0].casefold()], words[1:]
    start = 1 if words and words[0].casefold() == W.WORD_POSYANDU else 0
    for end in range(len(words), start, -1):
        typed = " ".join(words[start:end]).casefold()
        exact = by_name.get(typed) or by_name.get(f"{W.WORD_POSYANDU} {typed}")
        if exact and len(exact) == 1:
            return exact[0], words[end:]
    for end in range(len(words), start, -1):
        typed = " ".join(words[start:end]).casefold()
        partial = [option for option in options if typed in option[1].casefold()]
        if len(partial) == 1:
            return partial[0], words[end:]
        if partial:
            return "many"
    return "none"


def _problem(why: str, words: list[str], options: list[tuple[str, str]], command: str) -> str:
    typed = " ".join(words)
    example = options[0][1] if options else W.EXAMPLE_POSYANDU
    if not words:
        return W.WHICH_POSYANDU.format(command=command, example=example)
    if why == "many":
        start = 1 if words[0].casefold() == W.WORD_POSYANDU else 0
        first = " ".join(words[start : start + 1]).casefold()
        names = [name for _, name in options if first in name.casefold()]
        return W.AMBIGUOUS.format(text=typed, names=", ".join(names))
    if len(options) <= 10:
        return W.NOT_FOUND.format(text=typed, names=", ".join(name for _, name in options))
    return W.NOT_FOUND_MANY.format(text=typed, area=f"{len(options)} Posyandu")

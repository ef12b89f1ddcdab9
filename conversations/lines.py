"""Group lines: a whole section, or a whole report, in one message.

A kader who has the Posyandu book open types a section as one line instead of
answering one question per message: the numbers in the section's order
(``60 48 40 5 2 1``), or labelled (``S 60 D 48 N 40``), or behind the
section's label (``BUMIL 14 12 2 1 0 0 1``). Several such lines in one message
fill several sections (the forgiving answer to DHIS2's SMS commands). A
label is a field's code (``POSY_KADER_HADIR``), its short label (``KADER``),
or a section's code or short label; case, ``=``, ``:``, commas and the ``·``
of the bot's own read-back do not matter, so a read-back can be copied,
changed and sent again.

This module only reads and renders; the engine checks the values and the
form's rules (``engine.py``). Nothing here raises on any input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conversations import words as T
from conversations.form import Field, Form, Kind, Section
from conversations.parsing import MAX_INPUT_LENGTH, read_number

LINE_KINDS = frozenset({Kind.COUNT, Kind.DECIMAL})
"""Kinds that may be given by position in a line (one number each)."""
MIN_PASTED_VALUES = 2
"""A message names at least this many fields to be read as a report pasted at the menu."""
_AGE_RANGE = re.compile(r"\s+\(?[0-9].*$")
_SEPARATORS = re.compile(r"[=:;,·|]+")
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_LABEL_EDGES = " .!?()[]*"
Display = Callable[[Field, Any], str]
Asked = Callable[[Field, Mapping[str, Any]], bool]
"""Whether a field is asked, given answers (the engine's applicability and turn)."""


@dataclass(slots=True)
class Lines:
    """What a message said, before any checking.

    ``values`` are (field name, text of its answer) in the order typed;
    ``skipped`` the sections said to be left out (``REMAJA lewati``);
    ``unknown`` the labels nobody has; ``problems`` the lines that could not
    be read (too many numbers, numbers without a label), already in words.
    """

    values: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def is_line_field(item: Field) -> bool:
    """Whether ``item`` can be given by position in a line."""
    return item.kind in LINE_KINDS and item.stop_when is None


def short_of(item: Field) -> str:
    """The label a line uses for ``item``: its short label, else its code in capitals."""
    return item.short or item.name.upper()


def section_label(section: Section) -> str:
    """The label a line uses for a section: its short label, else its code in capitals."""
    return section.short or section.name.upper()


def short_title(section: Section) -> str:
    """A section's title without its age range: ``Balita 0-59 bulan`` reads back as ``Balita``."""
    return _AGE_RANGE.sub("", section.title) or section.title


def section_fields(
    form: Form, section: str | None, answers: Mapping[str, Any], asked: Asked
) -> list[Field]:
    """The fields of ``section`` a line gives by position, as things stand, in order."""
    return [
        f for f in form.fields if f.section == section and is_line_field(f) and asked(f, answers)
    ]


def looks_like_lines(form: Form, text: str, current: Field | None) -> bool:
    """Whether ``text``, not an answer to ``current`` alone, is meant as lines.

    Several lines are; so is a line that starts with a known label and says
    more after it, and, for a number question, a line of two numbers or more.
    """
    if "\n" in text.strip():
        return current is None or current.kind is not Kind.TEXT
    tokens = _tokens(text)
    if len(tokens) < 2:
        return False
    fields, sections = _labels(form)
    first = _label_key(tokens[0])
    if first in fields or first in sections:
        return True
    if current is None or current.kind not in LINE_KINDS:
        return False
    if current.kind is Kind.DECIMAL and read_number(text, whole=False) is not None:
        return False  # ``0,25`` is one number with a decimal comma
    return sum(1 for token in tokens if _NUMBER.fullmatch(token)) >= 2


def read(
    form: Form,
    text: str,
    current: Field | None,
    answers: Mapping[str, Any],
    asked: Asked,
) -> Lines:
    """Read every line of ``text`` into field values; never raises.

    Numbers without a label belong to the section of ``current``, from
    ``current`` on (or from the section's first question when they do not fit
    from ``current`` but fit the whole section). Numbers go to the questions
    that are asked, in order, given the numbers before them (``D 0`` leaves
    out N, T, O and B). A short label several sections share (``DATANG``) is
    read in the line's section, else in the section of ``current``.
    """
    result = Lines()
    fields, sections = _labels(form)
    unlabelled_used = False
    for raw_line in text.splitlines():
        tokens = _tokens(raw_line)
        if not tokens:
            continue
        section: str | None = None
        first = _label_key(tokens[0])
        if first in sections and first not in fields:
            section = sections[first]
            tokens = tokens[1:]
            if tokens and tokens[0].casefold() in T.WORD_SKIP:
                result.skipped.append(section)
                tokens = tokens[1:]
        numbers: list[str] = []
        while tokens and _NUMBER.fullmatch(tokens[0]):
            numbers.append(tokens.pop(0))
        if numbers and section is None and (unlabelled_used or not _is_line(current)):
            result.problems.append(T.LINE_NO_LABEL.format(line=_clip(raw_line)))
        elif numbers:
            unlabelled_used = unlabelled_used or section is None
            placed = _by_position(form, numbers, section, current, answers, asked)
            if isinstance(placed, str):
                result.problems.append(placed)
            else:
                result.values.extend(placed)
        _labelled(form, tokens, section, current, fields, result)
    return result


def _is_line(item: Field | None) -> bool:
    return item is not None and is_line_field(item)


def _by_position(
    form: Form,
    numbers: list[str],
    section: str | None,
    current: Field | None,
    answers: Mapping[str, Any],
    asked: Asked,
) -> list[tuple[str, str]] | str:
    """Where numbers without labels go, or why they cannot go anywhere."""
    if section is None:
        assert current is not None
        section = current.section
    members = [f for f in form.fields if f.section == section and is_line_field(f)]
    starts = [0]
    if section == (current.section if current else None) and current in members:
        starts.insert(0, members.index(current))
    for start in dict.fromkeys(starts):
        placed, left = _place(members[start:], numbers, answers, asked)
        if not left:
            return placed
    shown = form.section(section)
    return T.LINE_TOO_MANY.format(
        section=shown.title if shown else "",
        count=len(numbers),
        expected=len(placed),
        order=" ".join(short_of(form.field(name)) for name, _ in placed) or "-",
    )


def _place(
    members: Sequence[Field], numbers: list[str], answers: Mapping[str, Any], asked: Asked
) -> tuple[list[tuple[str, str]], int]:
    """Numbers given to the questions asked in turn, and how many numbers are left over."""
    names = {f.name for f in members}
    simulated = {k: v for k, v in answers.items() if k not in names}
    queue = list(numbers)
    placed: list[tuple[str, str]] = []
    for item in members:
        if not queue:
            break
        if not asked(item, simulated):
            continue
        raw = queue.pop(0)
        placed.append((item.name, raw))
        number = read_number(raw, whole=item.kind is Kind.COUNT)
        simulated[item.name] = number.value if number is not None else None
    return placed, len(queue)


def _labelled(
    form: Form,
    tokens: list[str],
    section: str | None,
    current: Field | None,
    fields: Mapping[str, list[str]],
    result: Lines,
) -> None:
    """``S 60 D 48``, ``TANGGAL 12 nov``: each label and the words up to the next label."""
    index = 0
    while index < len(tokens):
        label = tokens[index]
        key = _label_key(label)
        end = index + 1
        while end < len(tokens) and _label_key(tokens[end]) not in fields:
            end += 1
        value = tokens[index + 1 : end]
        index = end
        if key not in fields:
            result.unknown.append(label)
            continue
        name = _resolve(form, fields[key], section, current)
        if name is None:
            result.problems.append(T.LINE_AMBIGUOUS.format(label=label))
            continue
        if not value:
            result.problems.append(T.LINE_NO_VALUE.format(label=label))
            continue
        item = form.field(name)
        if item.kind in LINE_KINDS and len(value) > 1 and not _one_number(value):
            words = [n for n, token in enumerate(value) if not _NUMBER.fullmatch(token)]
            if (words[0] if words else len(value)) > 1:
                result.problems.append(T.LINE_TOO_MANY_FOR.format(label=label))
                continue
            # A word after the number is a label nobody has (with the numbers after it).
            result.unknown.extend(value[n] for n in words if n > 0)
            value = value[:1]
        result.values.append((name, " ".join(value)))


def _one_number(value: list[str]) -> bool:
    """``30 orang``, ``sekitar 30``: one number with the words a kader adds around it."""
    numbers = sum(1 for token in value if _NUMBER.fullmatch(token))
    return numbers == 1 and read_number(" ".join(value), whole=False) is not None


def _resolve(
    form: Form, names: list[str], section: str | None, current: Field | None
) -> str | None:
    """The one field a label names, looking in the line's section, then the current one."""
    if len(names) == 1:
        return names[0]
    for where in (section, current.section if current else None):
        inside = [name for name in names if form.field(name).section == where]
        if where is not None and len(inside) == 1:
            return inside[0]
    return None


def _labels(form: Form) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Label -> field names (a short label may be shared), and label -> section name."""
    fields: dict[str, list[str]] = {}
    for item in form.fields:
        if item.stop_when is not None:
            continue
        for label in {item.name, short_of(item)}:
            names = fields.setdefault(_label_key(label), [])
            if item.name not in names:
                names.append(item.name)
    sections = {}
    for section in form.sections:
        for label in (section.name, section_label(section)):
            sections[_label_key(label)] = section.name
    return fields, sections


def _label_key(token: str) -> str:
    return token.strip(_LABEL_EDGES).casefold()


def _tokens(text: str) -> list[str]:
    """Words and numbers; ``=``, ``:``, commas and ``·`` only separate."""
    return _SEPARATORS.sub(" ", text).split()


def _clip(raw: str, limit: int = 30) -> str:
    flat = " ".join(raw.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- rendering ----------------------------------------------------------------------


def read_back(
    form: Form,
    answers: Mapping[str, Any],
    names: Collection[str],
    display: Display,
    named: Callable[[Field], str] = short_of,
) -> list[str]:
    """``Balita (SKDN): S 60 · D 48 · N 40``: one line per section of the fields ``names``.

    ``named`` gives each field's label (by default the one a line can type).
    """
    lines: list[str] = []
    order: dict[str | None, list[str]] = {}
    for item in form.fields:
        if item.name in names and item.name in answers:
            shown = display(item, answers[item.name])
            order.setdefault(item.section, []).append(f"{named(item)} {shown}")
    for section_name, parts in order.items():
        section = form.section(section_name)
        title = short_title(section) if section else form.title
        lines.append(T.LINE_READ_BACK.format(section=title, values=" · ".join(parts)))
    return lines


def example(form: Form, targets: Sequence[Field], last: Mapping[str, Any]) -> str:
    """The line format of a section (``targets``), with last month's numbers if there are some.

    The section's label and the numbers in the order of its questions
    (``BAL 98 76 58``): the shortest line to type, and the read-back names
    each number.
    """
    section = form.section(targets[0].section) if targets else None
    if len(targets) < 2 or section is None:
        return ""
    numbers = [last.get(f.name) for f in targets]
    if all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        line = " ".join([section_label(section), *(f"{n:g}" for n in numbers)])
        return T.LINE_EXAMPLE_LAST.format(line=line)
    order = " ".join(short_of(f) for f in targets)
    return T.LINE_EXAMPLE.format(order=order, label=section_label(section))


def report_form(forms: Sequence[Form], text: str) -> Form | None:
    """The form a report pasted outside any form (at the menu) is written in, if any.

    The one whose labels it uses most, with at least :data:`MIN_PASTED_VALUES`
    values; the menu's own answers (``1``, ``bulanan``) name no field.
    """
    if len(text) > MAX_INPUT_LENGTH:
        return None
    best: tuple[int, Form | None] = (MIN_PASTED_VALUES - 1, None)
    for form in forms:
        if not looks_like_lines(form, text, None):
            continue
        count = len(read(form, text, None, {}, lambda f, a: True).values)
        if count > best[0]:
            best = (count, form)
    return best[1]

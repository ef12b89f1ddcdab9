"""The vocabulary forms are written in: fields, sections, checks, indicators, versions.

A form is plain data and the one owner of its report's vocabulary: each
field's ``name`` is its stable code (the key of stored answers, exports and
DHIS2 mappings), next to its Indonesian words. The engine (``engine.py``)
walks any form; storage and the rekap read the codes, the indicators and the
contract columns from the :class:`Form` object, so adding an indicator to a
report is one :class:`Field` (and one :class:`Indicator`) in one module.
A form has a ``version``; each :class:`Migration` says how answers of the
version before it are carried over (renamed, removed, added fields), so a
draft started on an older version still resumes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from conversations.messages import Choice

Answers = Mapping[str, Any]
Context = Mapping[str, Any]
Predicate = Callable[[Answers, Context], bool]
PROFILE = "profile"
"""The context key holding a kabupaten's profile: field code -> switched on."""


class Words(NamedTuple):
    """A field's short label (summary) and its question."""

    label: str
    prompt: str


class Kind(StrEnum):
    """How an answer is typed and parsed."""

    COUNT = "count"
    DECIMAL = "decimal"
    CHOICE = "choice"
    MULTI = "multi"
    YES_NO = "yes_no"
    DATE = "date"
    MONTH = "month"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Field:
    """One question.

    ``label`` is the short name shown in the summary, ``prompt`` the question;
    it may name earlier answers as the user reads them (``{periode}`` becomes
    "Oktober 2026"). ``ask_if`` decides whether the question applies given
    earlier answers; ``suggest`` offers a one-tap default (last month's S).
    ``stop_when`` is the answer that declines to go on (not replacing an
    existing report): on a fresh start it ends the conversation without saving
    (``stop_text``); once later answers exist (an edit from the summary) it asks
    the question before it again after ``stop_back_text``, so no answer is lost.
    ``earliest_from`` names the context value holding the earliest accepted
    month (a report older than that is refused). ``name`` is the field's
    stable code; ``short`` the short label shown in example lines and typed
    in labelled lines (``S``, ``KADER``). ``switch`` makes the field one a
    per-kabupaten profile turns on or off (its value is the default: ``False``
    is off unless the profile in the context says otherwise). ``month_from``
    names the month answer a bare day number of a date belongs to (``12`` is
    the 12th of the month being reported). ``asked_if`` decides whether an
    applicable question is put in turn: when it is False the field is only
    offered (its summary line can be filled with ``ubah``, or a labelled line).
    """

    name: str
    kind: Kind
    label: str
    prompt: str
    section: str | None = None
    minimum: int | Decimal | None = None
    maximum: int | Decimal | None = None
    options: tuple[Choice, ...] = ()
    options_from: str | None = None
    optional: bool = False
    ask_if: Predicate | None = None
    suggest: Callable[[Answers, Context], Any] | None = None
    not_future: bool = False
    earliest_from: str | None = None
    stop_when: Any = None
    stop_text: str = ""
    stop_back_text: str = ""
    facts: Callable[[Answers, Context], Mapping[str, Any]] | None = None
    short: str = ""
    switch: bool | None = None
    month_from: str | None = None
    asked_if: Predicate | None = None

    def question(
        self, answers: Answers, context: Context, shown: Mapping[str, str] | None = None
    ) -> str:
        """The prompt with context, earlier answers as ``shown`` to the user, and facts."""
        extra = self.facts(answers, context) if self.facts else {}
        return self.prompt.format_map({**context, **(shown or {}), **extra})

    def choices(self, context: Context) -> tuple[Choice, ...]:
        """The options, either fixed or taken from the conversation context."""
        if self.options_from is None:
            return self.options
        return tuple(Choice(value, label) for value, label in context.get(self.options_from, ()))

    def applies(self, answers: Answers, context: Context) -> bool:
        if not self.switched_on(context):
            return False
        return self.ask_if is None or self.ask_if(answers, context)

    def asked(self, answers: Answers, context: Context) -> bool:
        return self.asked_if is None or self.asked_if(answers, context)

    def switched_on(self, context: Context) -> bool:
        """False for a profile-switched field the kabupaten's profile (in ``context``) left off."""
        if self.switch is None:
            return True
        return bool(context.get(PROFILE, {}).get(self.name, self.switch))


@dataclass(frozen=True, slots=True)
class Section:
    """A group of fields; a skippable one can be left out whole with ``lewati``."""

    name: str
    title: str
    skippable: bool = False
    short: str = ""


@dataclass(frozen=True, slots=True)
class Check:
    """A cross-field rule, evaluated when one of its fields is answered.

    It is evaluated once the fields in ``needs`` (default: all its fields) have
    answers; the others may still be open, so a running total (N+T so far must
    not exceed D) is checked at the very answer that breaks it. ``soft`` checks
    only warn and ask for confirmation; hard ones refuse the answer that broke
    them. ``message`` is formatted with the answers.
    """

    name: str
    fields: tuple[str, ...]
    holds: Callable[[Answers, Context], bool]
    message: str
    soft: bool = False
    facts: Callable[[Answers, Context], Mapping[str, Any]] | None = None
    needs: tuple[str, ...] | None = None

    def explain(self, answers: Answers, context: Context) -> str:
        """The message with the answers (and any derived facts) filled in."""
        extra = self.facts(answers, context) if self.facts else {}
        return self.message.format_map({**answers, **extra})


@dataclass(frozen=True, slots=True)
class Block:
    """Fields that are edited as one unit, because one rule binds them all.

    N+T+O+B = D cannot be kept by changing one number: ``ubah`` on any member
    of a block clears and asks again every member (in form order, offering
    the old answers as one-tap buttons), so the rule is checked once at the
    end of the block instead of against half-edited answers. ``kembali`` at the
    block's first question puts the old answers back.
    """

    name: str
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alert:
    """Something the bidan must hear about at once when the form is submitted."""

    kind: str
    raised: Callable[[Answers], bool]


@dataclass(frozen=True, slots=True)
class Indicator:
    """A figure the rekap shows: the sum of ``numerator`` fields, or a ratio of two sums.

    With a ``denominator`` it is a ratio (``percent`` shows it as a
    percentage: D/S, coverage = datang/sasaran); without, a sum of counts.
    """

    code: str
    label: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] | None = None
    percent: bool = True

    def value(self, sums: Mapping[str, int]) -> float | int | None:
        """From summed answers: None when a ratio has nothing to divide by."""
        top = sum(sums.get(name, 0) for name in self.numerator)
        if self.denominator is None:
            return top
        bottom = sum(sums.get(name, 0) for name in self.denominator)
        return top / bottom if bottom else None


@dataclass(frozen=True, slots=True)
class Migration:
    """How answers of version ``version - 1`` become answers of ``version``.

    ``renamed`` maps old codes to new ones; ``removed`` names the old fields
    that have no place any more, with the label people knew them by (stored
    reports keep them under the old code, and exports still show them);
    ``added`` lists the new fields, which a draft simply asks.
    """

    version: int
    renamed: Mapping[str, str] = field(default_factory=dict)
    removed: Mapping[str, str] = field(default_factory=dict)
    added: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Form:
    """A report (or a menu) as data. ``confirm`` forms end with a summary and ``kirim``.

    ``version`` grows whenever fields are renamed, added or removed, with one
    :class:`Migration` per step in ``migrations``. ``period_field`` and
    ``held_field`` name the fields holding a monthly report's month and
    whether the Posyandu day took place; ``columns`` the fields whose short
    labels are the contract columns of the rekap CSV (``S, K, D, N``);
    ``headline`` the code of the indicator a rekap leads with.
    """

    id: str
    title: str
    fields: tuple[Field, ...]
    sections: tuple[Section, ...] = ()
    checks: tuple[Check, ...] = ()
    blocks: tuple[Block, ...] = ()
    alerts: tuple[Alert, ...] = ()
    confirm: bool = True
    version: int = 1
    migrations: tuple[Migration, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    period_field: str = ""
    held_field: str = ""
    columns: tuple[str, ...] = ()
    headline: str = ""
    _by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {f.name: f for f in self.fields}
        if len(by_name) != len(self.fields):
            raise ValueError(f"form {self.id}: duplicate field names")
        object.__setattr__(self, "_by_name", by_name)
        named = {name for block in self.blocks for name in block.fields}
        named |= {name for i in self.indicators for name in (*i.numerator, *(i.denominator or ()))}
        named |= set(self.columns) | {n for n in (self.period_field, self.held_field) if n}
        unknown = named - set(by_name)
        if unknown:
            raise ValueError(f"form {self.id}: names unknown fields {sorted(unknown)}")
        steps = [m.version for m in self.migrations]
        if steps != list(range(self.version - len(steps) + 1, self.version + 1)):
            raise ValueError(f"form {self.id}: migrations must lead up to version {self.version}")

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def has(self, name: str) -> bool:
        return name in self._by_name

    @property
    def counts(self) -> tuple[Field, ...]:
        """The whole-number fields: what the rekap sums per area."""
        return tuple(f for f in self.fields if f.kind is Kind.COUNT)

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    def label_of(self, code: str) -> str:
        """A field's label, also for a code an older version had (stored reports keep those)."""
        if code in self._by_name:
            return self._by_name[code].label
        retired = {old: label for m in self.migrations for old, label in m.removed.items()}
        return retired.get(code, code)

    def code_now(self, name: str, version: int) -> str | None:
        """The current code of field ``name`` of ``version``; None when the form has no such field.

        A version with no declared way up (older than the first migration, or
        newer than the form) keeps the codes the form still has. Never raises.
        """
        for step in self.migrations:
            if step.version > version:
                name = step.renamed.get(name, name)
        return name if name in self._by_name else None

    def section(self, name: str | None) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def unit(self, names: Iterable[str]) -> set[str]:
        """``names`` with every block any of them belongs to: what an edit must ask again."""
        wanted = set(names)
        for block in self.blocks:
            if wanted.intersection(block.fields):
                wanted.update(block.fields)
        return wanted

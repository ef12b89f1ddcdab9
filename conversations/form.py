"""The vocabulary forms are written in: fields, sections, checks and alerts.

A form is plain data. The engine (``engine.py``) walks any form; adding an
indicator to a report means adding one :class:`Field` to the form and its
:class:`Words` to the form's table of words, in the same module.
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
    TIME = "time"
    LOCATION = "location"
    PHOTOS = "photos"
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
    month (a report older than that is refused).
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
        return self.ask_if is None or self.ask_if(answers, context)


@dataclass(frozen=True, slots=True)
class Section:
    """A group of fields; a skippable one can be left out whole with ``lewati``."""

    name: str
    title: str
    skippable: bool = False


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
class Form:
    """A report (or a menu) as data. ``confirm`` forms end with a summary and ``kirim``."""

    id: str
    title: str
    fields: tuple[Field, ...]
    sections: tuple[Section, ...] = ()
    checks: tuple[Check, ...] = ()
    blocks: tuple[Block, ...] = ()
    alerts: tuple[Alert, ...] = ()
    confirm: bool = True
    _by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {f.name: f for f in self.fields}
        if len(by_name) != len(self.fields):
            raise ValueError(f"form {self.id}: duplicate field names")
        object.__setattr__(self, "_by_name", by_name)
        unknown = {name for block in self.blocks for name in block.fields} - set(by_name)
        if unknown:
            raise ValueError(f"form {self.id}: blocks name unknown fields {sorted(unknown)}")

    def field(self, name: str) -> Field:
        return self._by_name[name]

    def section(self, name: str | None) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def unit(self, names: Iterable[str]) -> set[str]:
        """``names`` with every block any of them belongs to: what an edit must ask again."""
        wanted = set(names)
        for block in self.blocks:
            if wanted.intersection(block.fields):
                wanted.update(block.fields)
        return wanted

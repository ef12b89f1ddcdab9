"""Small builders shared by the form definitions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.form import Answers, Field, Kind, Words
from conversations.messages import Choice


def options(labels: Mapping[str, str]) -> tuple[Choice, ...]:
    """Choices from a form's table of value -> label."""
    return tuple(Choice(value, label) for value, label in labels.items())


def count(name: str, words: Words, section: str, **extra: Any) -> Field:
    """A whole-number question (the most common kind)."""
    settings = {"minimum": 0, **extra}
    return Field(name, Kind.COUNT, words.label, words.prompt, section=section, **settings)


def total(answers: Answers, *names: str) -> int:
    return sum(answers.get(name) or 0 for name in names)


def pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0

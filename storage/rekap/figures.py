"""The numbers of one area's monthly summary (rekap), as plain data.

One shape serves the live view, the stored snapshot (as JSON) and every
output format, so a figure added here shows up everywhere. Ratios are
derived, never stored: summing two areas' figures and then dividing gives the
right ratio for the larger area, summing ratios would not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from conversations.form import Form, Indicator
from conversations.forms.monthly import MONTHLY


def summed(form: Form = MONTHLY) -> tuple[str, ...]:
    """The monthly-report answers summed per area: the form's counts, in form order."""
    return tuple(item.name for item in form.counts)


@dataclass(slots=True)
class Figures:
    """One area and month: Posyandu counts, summed answers, home visits and outreach.

    ``visits`` maps a target group to ``[visits, visits with a danger sign or
    fever]``; ``outreach_by_type`` and ``outreach_by_fund`` map an activity type
    or funding source to ``[sessions, participants]``.
    """

    expected: int = 0
    reported: int = 0
    on_time: int = 0
    not_held: int = 0
    sums: dict[str, int] = field(default_factory=dict)
    visits: dict[str, list[int]] = field(default_factory=dict)
    outreach_by_type: dict[str, list[int]] = field(default_factory=dict)
    outreach_by_fund: dict[str, list[int]] = field(default_factory=dict)

    def get(self, name: str) -> int:
        """A summed answer (0 when nobody reported it)."""
        return self.sums.get(name, 0)

    def answer(self, name: str) -> int | None:
        """A summed answer to show: None when nobody reported it.

        An area without a report of a day that took place has no S, K, D, N:
        they are unknown, and a 0 would read as "nobody came". The same goes
        for a field no report answered (a skipped group, a field switched off).
        """
        return self.sums.get(name) if self.held else None

    def value(self, indicator: Indicator) -> float | int | None:
        """An indicator of the form from the summed answers (None: unknown or nothing to divide)."""
        if not self.held or not any(name in self.sums for name in indicator.numerator):
            return None
        return indicator.value(self.sums)

    @property
    def held(self) -> int:
        """Reports of a Posyandu day that took place: the ones that carry numbers."""
        return self.reported - self.not_held

    @property
    def missing(self) -> int:
        return self.expected - self.reported

    @property
    def completeness(self) -> float | None:
        return ratio(self.reported, self.expected)

    @property
    def timeliness(self) -> float | None:
        return ratio(self.on_time, self.expected)

    @property
    def ds(self) -> float | None:
        """The headline indicator of the monthly form (D/S, participation)."""
        value = self.value(MONTHLY.indicator(MONTHLY.headline))
        return None if value is None else float(value)

    @property
    def visit_count(self) -> int:
        return sum(count for count, _ in self.visits.values())

    @property
    def visit_danger(self) -> int:
        return sum(danger for _, danger in self.visits.values())

    @property
    def outreach_sessions(self) -> int:
        return sum(sessions for sessions, _ in self.outreach_by_type.values())

    @property
    def outreach_participants(self) -> int:
        return sum(people for _, people in self.outreach_by_type.values())

    def add(self, other: Figures) -> None:
        """Add another area's figures into these (a parent is the sum of its children)."""
        self.expected += other.expected
        self.reported += other.reported
        self.on_time += other.on_time
        self.not_held += other.not_held
        for name, value in other.sums.items():
            self.sums[name] = self.sums.get(name, 0) + value
        for mine, theirs in (
            (self.visits, other.visits),
            (self.outreach_by_type, other.outreach_by_type),
            (self.outreach_by_fund, other.outreach_by_fund),
        ):
            for key, pair in theirs.items():
                add_pair(mine, key, pair[0], pair[1])

    def differs_from(self, other: Figures) -> bool:
        """True when what was reported changed (late reports, corrections, later activities)."""
        return (self.reported, self.not_held, self.sums, self.visits, self.outreach_by_type) != (
            other.reported,
            other.not_held,
            other.sums,
            other.visits,
            other.outreach_by_type,
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figures:
        return cls(**data)


def ratio(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to divide by."""
    return part / whole if whole else None


def add_pair(table: dict[str, list[int]], key: str, first: int, second: int) -> None:
    """Add to a ``[count, count]`` breakdown entry, creating it when new."""
    pair = table.setdefault(key, [0, 0])
    pair[0] += first
    pair[1] += second


def total(figures: list[Figures]) -> Figures:
    """The sum of several areas' figures."""
    result = Figures()
    for item in figures:
        result.add(item)
    return result

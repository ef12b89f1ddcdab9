"""The achievement review (PKP style): coverage against target, per indicator, with a band.

Per indicator that is a ratio (achieved / sasaran): the target in percent,
sasaran, the target in people, achieved, coverage, coverage as a share of
the target and its band (*baik* above 91% of target, *cukup* above 80%,
*kurang* up to 80%; a kabupaten may set its own). Over several months
numerators and denominators are summed, so the coverage of a year is that of
its person-months. Posyandu counts cannot tell the same person apart across
months, so every figure here is a **proxy** of the SPM's yearly counts of
people, and says so wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from handlers.exports.table import Measure, Row, Totals, pivot

GOOD = "baik"
FAIR = "cukup"
POOR = "kurang"


@dataclass(frozen=True, slots=True)
class Bands:
    """Where *baik* and *cukup* begin, in percent of target (strictly above)."""

    good_above: float = 91.0
    fair_above: float = 80.0

    def band(self, of_target: float | None) -> str | None:
        if of_target is None:
            return None
        if of_target > self.good_above:
            return GOOD
        return FAIR if of_target > self.fair_above else POOR


@dataclass(frozen=True, slots=True)
class Line:
    """One indicator of the review; None where it cannot be computed (no target, no sasaran)."""

    measure: Measure
    target: float | None
    sasaran: float
    achieved: float
    bands: Bands

    @property
    def target_people(self) -> float | None:
        return None if self.target is None else self.sasaran * self.target / 100

    @property
    def coverage(self) -> float | None:
        """Achieved as a percentage of sasaran."""
        return 100 * self.achieved / self.sasaran if self.sasaran else None

    @property
    def of_target(self) -> float | None:
        """Coverage as a percentage of the target."""
        if self.coverage is None or not self.target:
            return None
        return 100 * self.coverage / self.target

    @property
    def band(self) -> str | None:
        return self.bands.band(self.of_target)


def reviewed(measures: Iterable[Measure]) -> tuple[Measure, ...]:
    """The measures an achievement review has a line for: the ratios (they have a sasaran)."""
    return tuple(m for m in measures if m.denominator is not None)


def lines(
    totals: Totals, measures: Sequence[Measure], targets: Mapping[str, float], bands: Bands
) -> list[Line]:
    """The review of one area from its summed parts (a cell of :func:`table.pivot`).

    Every ratio of ``measures`` has a line, in order; one nobody reported has
    a sasaran of 0 and so no coverage.
    """
    found = []
    for measure in reviewed(measures):
        top, bottom = totals.get(measure.code, (None, None))
        found.append(
            Line(measure, targets.get(measure.code), float(bottom or 0), float(top or 0), bands)
        )
    return found


def review(
    table: Sequence[Row], measures: Sequence[Measure], targets: Mapping[str, float], bands: Bands
) -> list[Line]:
    """The review of the whole of ``table``'s area."""
    return lines(pivot(table, lambda row: "").get("", {}), measures, targets, bands)

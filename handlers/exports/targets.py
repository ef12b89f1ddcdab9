"""Targets per indicator: national defaults (a file shipped with the bot), each kabupaten's own.

``national_targets.csv`` next to this module holds the national defaults
(``indicator,target`` in percent; the README lists them); a kabupaten's
own, set with ``targets set`` or ``targets import FILE``, replace them. A
file to import has the header ``kabupaten,indicator,target`` and is taken
all or nothing, with every bad line named.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files

from conversations.form import Form
from conversations.forms import MONTHLY
from handlers.exports import words as W
from handlers.exports.achievement import Bands, reviewed
from handlers.exports.table import Measure, measures
from storage import Transaction
from storage.exports import (
    kabupaten_bands,
    kabupaten_names,
    kabupaten_targets,
    save_bands,
    save_targets,
)

NATIONAL_FILE = "national_targets.csv"
IMPORT_HEADER = ("kabupaten", "indicator", "target")
NATIONAL = "nasional"
OWN = "kabupaten"


class TargetError(ValueError):
    """Targets that cannot be taken; ``problems`` say which and why, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Target:
    """An indicator's target for a kabupaten and where it comes from (national or its own)."""

    measure: Measure
    percent: float | None
    source: str


def targeted(form: Form = MONTHLY) -> tuple[Measure, ...]:
    """The indicators a target can be set for: the form's ratios."""
    return reviewed(measures(form))


def national(form: Form = MONTHLY) -> dict[str, float]:
    """The national default targets shipped with the bot, for the form's indicators."""
    text = files("handlers.exports").joinpath(NATIONAL_FILE).read_text(encoding="utf-8")
    known = {m.code for m in targeted(form)}
    return {
        row["indicator"]: float(row["target"])
        for row in csv.DictReader(io.StringIO(text))
        if row["indicator"] in known
    }


def targets_of(session: Transaction, kabupaten: str | None, form: Form = MONTHLY) -> list[Target]:
    """Each indicator's target for a kabupaten (None: the national ones), in form order."""
    own = kabupaten_targets(session, kabupaten) if kabupaten else {}
    defaults = national(form)
    found = []
    for measure in targeted(form):
        if measure.code in own:
            found.append(Target(measure, own[measure.code], OWN))
        else:
            found.append(Target(measure, defaults.get(measure.code), NATIONAL))
    return found


def percents(session: Transaction, kabupaten: str | None, form: Form = MONTHLY) -> dict[str, float]:
    """Indicator code -> target percent, for the indicators that have one."""
    return {t.measure.code: t.percent for t in targets_of(session, kabupaten, form) if t.percent}


def bands_of(session: Transaction, kabupaten: str | None) -> Bands:
    """A kabupaten's bands, or the national ones."""
    own = kabupaten_bands(session, kabupaten) if kabupaten else None
    return Bands(*own) if own is not None else Bands()


def set_targets(
    session: Transaction,
    rows: Sequence[tuple[int | None, str, str, str]],
    now: datetime,
    form: Form = MONTHLY,
) -> int:
    """Check and save ``(line, kabupaten, indicator, percent text)`` rows; all or nothing.

    ``line`` (None for one typed target) is named in each problem found.
    """
    known = {m.code for m in targeted(form)}
    names = kabupaten_names(session, {kabupaten for _, kabupaten, _, _ in rows})
    problems, good = [], []
    for line, kabupaten, indicator, text in rows:
        percent = _percent(text)
        if kabupaten not in names:
            problem = W.TARGET_KABUPATEN.format(code=kabupaten)
        elif indicator not in known:
            problem = W.TARGET_INDICATOR.format(code=indicator, codes=", ".join(sorted(known)))
        elif percent is None:
            problem = W.TARGET_PERCENT.format(value=text)
        else:
            good.append((kabupaten, indicator, percent))
            continue
        problems.append(problem if line is None else W.LINE.format(line=line, problem=problem))
    if problems:
        raise TargetError(problems)
    return save_targets(session, good, now)


def read_import(text: str) -> list[tuple[int | None, str, str, str]]:
    """The rows of a targets file (``kabupaten,indicator,target``) with their line numbers."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or tuple(c.strip().lower() for c in rows[0][:3]) != IMPORT_HEADER:
        raise TargetError([W.TARGET_HEADER.format(header=",".join(IMPORT_HEADER))])
    found: list[tuple[int | None, str, str, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + ["", "", ""]
        if any(cells):
            found.append((line, cells[0], cells[1], cells[2]))
    return found


def set_bands(
    session: Transaction, kabupaten: str, good_above: float, fair_above: float, now: datetime
) -> None:
    """Set a kabupaten's bands; *baik* must begin above *cukup*, both between 0 and 100."""
    if not kabupaten_names(session, [kabupaten]):
        raise TargetError([W.TARGET_KABUPATEN.format(code=kabupaten)])
    if not 0 <= fair_above < good_above <= 100:
        raise TargetError([W.BANDS_ORDER])
    save_bands(session, kabupaten, good_above, fair_above, now)


def _percent(text: str) -> float | None:
    try:
        value = float(text.replace(",", ".").rstrip("%"))
    except ValueError:
        return None
    return value if 0 < value <= 100 else None

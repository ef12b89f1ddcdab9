"""``bok import FILE``: each Puskesmas' BOK plan, the menu kader pick a BOK-funded activity from.

A CSV (or the first sheet of an XLSX saved as CSV) with the header
``puskesmas,kode,menu``; every Puskesmas named gets exactly the items listed
(its older plan is replaced), all or nothing, with every bad line named.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from handlers.bok import words as W
from storage import Transaction, bok

HEADER = ("puskesmas", "kode", "menu")


class PlanError(ValueError):
    """A plan file that cannot be taken; ``problems`` say which lines and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def import_plan(session: Transaction, text: str, now: datetime) -> str:
    """Read and store a plan file; returns what was stored, or raises :class:`PlanError`."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or tuple(c.strip().lower() for c in rows[0][:3]) != HEADER:
        raise PlanError([W.PLAN_HEADER.format(header=",".join(HEADER))])
    lines = []
    for line, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + ["", "", ""]
        if any(cells):
            lines.append((line, cells[0], cells[1], cells[2]))
    if not lines:
        raise PlanError([W.PLAN_NOTHING])
    known = bok.puskesmas_known(session, {puskesmas for _, puskesmas, _, _ in lines})
    plans: dict[str, list[tuple[str, str]]] = {}
    problems = []
    for line, puskesmas, code, name in lines:
        items = plans.setdefault(puskesmas, [])
        if puskesmas not in known:
            problem = W.PLAN_PUSKESMAS.format(code=puskesmas)
        elif not code or not name:
            problem = W.PLAN_EMPTY
        elif code in {item for item, _ in items}:
            problem = W.PLAN_TWICE.format(code=code)
        else:
            items.append((code, name))
            continue
        problems.append(W.PLAN_LINE.format(line=line, problem=problem))
    if problems:
        raise PlanError(problems)
    stored = bok.replace_plans(session, plans, now)
    return W.PLAN_SAVED.format(items=stored, puskesmas=len(plans))

"""What the review pages show besides the rekap: the areas above one, contacts, report history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from storage.models import Person, PersonPosyandu, Posyandu, Report
from storage.rekap.areas import Area, by_code
from storage.reports import monthly_key

LINEAGE = ("kabupaten", "puskesmas", "desa", "posyandu")
"""The levels a page's breadcrumb walks, from the district down."""


def lineage(session: Session, area: Area) -> list[Area]:
    """The areas from the kabupaten down to ``area`` itself (for a breadcrumb)."""
    if area.level not in LINEAGE:
        return [area]
    columns = [
        col(Posyandu.kabupaten_code),
        col(Posyandu.puskesmas_code),
        col(Posyandu.desa_code),
        col(Posyandu.code),
    ]
    row = session.execute(select_columns(*columns).where(area.where).limit(1)).first()
    if row is None:
        return [area]
    depth = LINEAGE.index(area.level) + 1
    found = [by_code(session, code) for code in row[:depth]]
    return [item for item in found if item is not None]


@dataclass(frozen=True, slots=True)
class Contact:
    role: str
    name: str
    phone: str


def contacts(session: Session, posyandu_codes: list[str]) -> dict[str, list[Contact]]:
    """The kader (linked by the roster) and bidan (of the desa, or linked) of each Posyandu."""
    if not posyandu_codes:
        return {}
    linked = select_columns(
        col(PersonPosyandu.posyandu_code), col(Person.role), col(Person.name), col(Person.phone)
    ).join(Person, col(Person.id) == col(PersonPosyandu.person_id))
    of_desa = select_columns(
        col(Posyandu.code), col(Person.role), col(Person.name), col(Person.phone)
    ).join(Person, col(Person.area_code) == col(Posyandu.desa_code))
    statement = linked.where(
        col(PersonPosyandu.posyandu_code).in_(posyandu_codes), col(Person.active)
    ).union(
        of_desa.where(
            col(Posyandu.code).in_(posyandu_codes), col(Person.role) == "bidan", col(Person.active)
        )
    )
    found: dict[str, list[Contact]] = defaultdict(list)
    for code, role, name, phone in session.execute(statement):
        found[code].append(Contact(role, name, phone))
    order = {"kader": 0, "bidan": 1}
    return {
        code: sorted(people, key=lambda c: (order.get(c.role, 2), c.name))
        for code, people in found.items()
    }


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored revision of a report, with who sent it and how."""

    revision: int
    submitted_at: datetime
    submitted_by: str
    channel: str
    data: dict[str, Any]


def monthly_revisions(session: Session, posyandu_code: str, period: str) -> list[Revision]:
    """Every revision of a Posyandu's monthly report for ``period``, oldest first."""
    statement = (
        select_columns(
            col(Report.revision),
            col(Report.submitted_at),
            col(Person.name),
            col(Report.channel),
            col(Report.data),
        )
        .join(Person, col(Person.id) == col(Report.submitted_by))
        .where(col(Report.report_key) == monthly_key(posyandu_code, period))
        .order_by(col(Report.revision))
    )
    return [Revision(*row) for row in session.execute(statement)]

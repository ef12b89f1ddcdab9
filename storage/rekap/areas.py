"""Which area a rekap is about: found by code or name, and whether a person may see it.

A person sees their own area and everything below it (DESIGN.md: "only sees
summaries of their own area"). Containment is decided on the Posyandu table,
which carries the code of every level above each Posyandu: an area lies
inside another when every one of its Posyandu does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func
from sqlmodel import Session, select

from storage.models import Posyandu
from storage.people import Profile, posyandu_of
from storage.regions import LEVELS, ROLE_LEVEL, find_level, in_area

# Most specific first: a name found at several levels is offered in this order. Kecamatan
# are reached by code only: people name the Puskesmas, and a kecamatan usually shares its name.
SEARCH_ORDER = ("posyandu", "desa", "puskesmas", "kabupaten", "provinsi")
SEARCH_LIMIT = 10


@dataclass(frozen=True, slots=True)
class Area:
    """A region or Posyandu; ``level`` and ``code`` None mean the whole country."""

    level: str | None
    code: str | None
    name: str

    @property
    def where(self) -> ColumnElement[bool]:
        """The condition on Posyandu rows that lie in this area."""
        return in_area(self.level, self.code)


def by_code(session: Session, code: str) -> Area | None:
    """The area with exactly this code (a Posyandu code or a Kemendagri region code)."""
    level = find_level(session, code)
    if level is None:
        return None
    _, table = LEVELS[level]
    name = session.exec(select(table.name).where(table.code == code)).one()
    return Area(level, code, name)


def by_name(
    session: Session,
    names: Sequence[str],
    within: Area | None,
    levels: Sequence[str] = SEARCH_ORDER,
) -> list[Area]:
    """Areas inside ``within`` (None: anywhere) whose name is one of ``names``, ignoring case.

    Tries exact names first, then names containing the first one, and returns
    at most :data:`SEARCH_LIMIT` areas, most specific level first.
    """
    wanted = [name.casefold() for name in names if name]
    if not wanted:
        return []
    found = _search(session, levels, within, lambda column: func.lower(column).in_(wanted))
    if not found:
        pattern = f"%{_escape_like(wanted[0])}%"
        found = _search(
            session, levels, within, lambda column: func.lower(column).like(pattern, escape="\\")
        )
    return found


def own_area(session: Session, profile: Profile) -> Area:
    """The area a person's role covers (dinkes and admin: their kabupaten)."""
    level = ROLE_LEVEL[profile.role]
    code = profile.area_code or profile.kabupaten_code
    found = by_code(session, code)
    return found if found is not None and found.level == level else Area(level, code, code)


def visible(session: Session, profile: Profile, area: Area) -> bool:
    """True when ``area`` lies inside what this person may see.

    A kader sees the Posyandu linked to them; everyone else their own area and
    below (a Puskesmas officer the Puskesmas, a bidan her desa).
    """
    if profile.role == "kader":
        return area.level == "posyandu" and area.code in {
            c for c, _ in posyandu_of(session, profile)
        }
    return contains(session, own_area(session, profile), area)


def contains(session: Session, outer: Area, inner: Area) -> bool:
    """True when every Posyandu of ``inner`` (at least one) lies in ``outer``."""
    if outer.level is None:
        return True
    if inner.level is None:
        return False
    outer_column, _ = LEVELS[outer.level]
    inside = func.coalesce(func.sum(case((outer_column == outer.code, 1), else_=0)), 0)
    statement = select(func.count(), inside).select_from(Posyandu).where(inner.where)
    total, matching = session.exec(statement).one()
    return total > 0 and total == matching


def kabupaten_of(session: Session, area: Area) -> str | None:
    """The kabupaten an area lies in (None for a province or the whole country)."""
    if area.level in (None, "provinsi"):
        return None
    if area.level == "kabupaten":
        return area.code
    statement = select(Posyandu.kabupaten_code).where(area.where).limit(1)
    return session.exec(statement).first()


def _search(
    session: Session,
    levels: Sequence[str],
    within: Area | None,
    matches: Callable[[Any], ColumnElement[bool]],
) -> list[Area]:
    found: list[Area] = []
    for level in levels:
        column, table = LEVELS[level]
        statement = select(table.code, table.name).where(matches(table.name))
        if within is not None and within.level is not None:
            inside = select(column).where(within.where)
            statement = statement.where(table.code.in_(inside))
        statement = statement.order_by(table.name, table.code).limit(SEARCH_LIMIT - len(found))
        found.extend(Area(level, code, name) for code, name in session.exec(statement))
        if len(found) >= SEARCH_LIMIT:
            break
    return found


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

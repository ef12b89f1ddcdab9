"""The roster: regions, Posyandu, people and their Posyandu, upserted from validated rows.

An admin re-imports the whole district's roster whenever something changes,
so the upsert must be idempotent (same file, nothing changes, ``updated_at``
stays) and fast for a large district: every table is read once for the keys
in the file and written with bulk statements, never row by row.

Reading and validating a file is the roster handlers' job
(``handlers/roster/``); the rows arriving here are already consistent (one
desa per Posyandu code, one name and role per phone). Rows name the whole
chain of regions above the person, with codes; :func:`derive_code` makes
stable codes from names where a file has none.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, tuple_, update
from sqlmodel import Session, SQLModel

from conversations.zones import DEFAULT_TIMEZONE, province_timezone
from storage.models import (
    Desa,
    Kabupaten,
    Kecamatan,
    Person,
    PersonPosyandu,
    Posyandu,
    Provinsi,
    Puskesmas,
)

CODE_LENGTH = 40
CHUNK = 500
"""Keys per ``IN (...)`` and people per write batch: far below every backend's limit."""

MULTI_ROW_ROLES = ("kader", "bidan")
"""Roles that may have several roster rows, one per Posyandu."""

_NOT_SLUG = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One validated roster line: a person and the chain of regions above them.

    Levels below the role's own are None (a dinkes row has no desa); a bidan
    row may name a Posyandu, which links her to it. The optional attributes
    (``posyandu_day``, ``deadline_day``, …) are None when the file leaves them
    out, and then the stored value is kept.
    """

    line: int
    phone: str
    name: str
    role: str
    provinsi_code: str
    provinsi: str
    kabupaten_code: str
    kabupaten: str
    kecamatan_code: str | None = None
    kecamatan: str | None = None
    puskesmas_code: str | None = None
    puskesmas: str | None = None
    desa_code: str | None = None
    desa: str | None = None
    posyandu_code: str | None = None
    posyandu_name: str | None = None
    timezone: str | None = None
    posyandu_day: int | None = None
    target_balita: int | None = None
    target_bumil: int | None = None
    deadline_day: int | None = None
    lokmin_day: int | None = None
    jabatan: str | None = None


TABLES = (
    "provinsi",
    "kabupaten",
    "kecamatan",
    "puskesmas",
    "desa",
    "posyandu",
    "person",
    "person_posyandu",
)
_LABELS = {
    "provinsi": "provinsi",
    "kabupaten": "kabupaten",
    "kecamatan": "kecamatan",
    "puskesmas": "Puskesmas",
    "desa": "desa",
    "posyandu": "Posyandu",
    "person": "people",
    "person_posyandu": "Posyandu links",
}


@dataclass(slots=True)
class RosterSummary:
    """What an import changed, per table; all zero when the roster was already loaded."""

    rows: int = 0
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    unlinked: int = 0

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or self.unlinked > 0

    def describe(self) -> str:
        """One paragraph for the admin who ran the import."""
        if not self.changed:
            return f"{self.rows:,} rows read; the roster was already up to date, nothing changed."
        parts = []
        for table in TABLES:
            counts = [
                f"{number:,} {what}"
                for number, what in ((self.created[table], "new"), (self.updated[table], "updated"))
                if number
            ]
            if counts:
                parts.append(f"{_LABELS[table]}: {', '.join(counts)}")
        if self.unlinked:
            parts.append(f"Posyandu links removed: {self.unlinked:,}")
        return f"{self.rows:,} rows read. " + "; ".join(parts) + "."


def derive_code(parent_code: str | None, name: str) -> str:
    """A stable code for a region or Posyandu that the file gives no code for.

    The parent's code is part of it, so two desa called Sukamaju in different
    kecamatan differ, and the same file always yields the same codes. Long
    chains are cut to the column's 40 characters with a hash of the whole
    kept at the end, so they stay unique.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_name.upper()).strip("-") or "X"
    code = f"{parent_code}-{slug}" if parent_code else slug
    if len(code) <= CODE_LENGTH:
        return code
    digest = hashlib.sha1(code.encode()).hexdigest()[:8].upper()
    return f"{code[: CODE_LENGTH - 9].rstrip('-')}-{digest}"


_REGION_MODELS: tuple[tuple[str, type[SQLModel]], ...] = (
    ("provinsi", Provinsi),
    ("kabupaten", Kabupaten),
    ("kecamatan", Kecamatan),
    ("puskesmas", Puskesmas),
    ("desa", Desa),
    ("posyandu", Posyandu),
)
_DEFAULTS: dict[str, dict[str, Any]] = {
    "kabupaten": {"deadline_day": 5},
    "puskesmas": {"lokmin_day": 3},
}


def apply_roster(
    session: Session,
    rows: Sequence[RosterRow],
    now: datetime,
    progress: Callable[[int], None] | None = None,
    *,
    default_timezone: str = DEFAULT_TIMEZONE,
) -> RosterSummary:
    """Create or update everything the rows describe, inside the caller's transaction.

    Only what differs is written, so a re-import of the same rows changes
    nothing. A region attribute the rows leave out (None) keeps its stored
    value. People in the rows are (re)activated and their Posyandu links
    become exactly the rows' Posyandu; people not in the rows are left alone,
    so a file may cover part of a district. ``progress`` is called with the
    number of rows just finished, adding up to ``len(rows)``.
    """
    summary = RosterSummary(rows=len(rows))
    regions = _regions(rows)
    zones: dict[str, str] = {}
    for table, model in _REGION_MODELS:
        existing = _load(session, model, regions[table])
        if model is Kabupaten:
            zones = _kabupaten_zones(rows, existing, default_timezone)
            for code, values in regions[table].items():
                values["timezone"] = zones[code]
        _upsert_regions(session, model, regions[table], existing, summary, table)
    people = _people(rows, zones)
    for batch in _chunks(list(people.values()), CHUNK):
        _upsert_people(session, batch, now, summary)
        if progress is not None:
            progress(sum(len(person.lines) for person in batch))
    return summary


def is_empty(session: Session) -> bool:
    """True before any roster was imported: nobody is on it yet."""
    return session.exec(select(Person.id).limit(1)).first() is None


def person_ids(session: Session) -> dict[str, int]:
    """Everyone on the roster: phone (E.164) -> person id."""
    return {phone: person_id for phone, person_id in session.exec(select(Person.phone, Person.id))}


def _regions(rows: Iterable[RosterRow]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per table, code -> column values; the first row naming a code wins, gaps filled later."""
    found: dict[str, dict[str, dict[str, Any]]] = {table: {} for table, _ in _REGION_MODELS}

    def put(table: str, code: str, values: dict[str, Any]) -> None:
        current = found[table].setdefault(code, {"code": code})
        for column, value in values.items():
            if current.get(column) is None:
                current[column] = value

    for row in rows:
        put("provinsi", row.provinsi_code, {"name": row.provinsi})
        put(
            "kabupaten",
            row.kabupaten_code,
            {
                "name": row.kabupaten,
                "provinsi_code": row.provinsi_code,
                "deadline_day": row.deadline_day,
            },
        )
        if row.kecamatan_code is None or row.puskesmas_code is None:
            continue
        put(
            "kecamatan",
            row.kecamatan_code,
            {"name": row.kecamatan, "kabupaten_code": row.kabupaten_code},
        )
        put(
            "puskesmas",
            row.puskesmas_code,
            {
                "name": row.puskesmas,
                "kecamatan_code": row.kecamatan_code,
                "kabupaten_code": row.kabupaten_code,
                "lokmin_day": row.lokmin_day,
            },
        )
        if row.desa_code is None:
            continue
        put(
            "desa",
            row.desa_code,
            {
                "name": row.desa,
                "kecamatan_code": row.kecamatan_code,
                "puskesmas_code": row.puskesmas_code,
            },
        )
        if row.posyandu_code is None:
            continue
        put(
            "posyandu",
            row.posyandu_code,
            {
                "name": row.posyandu_name,
                "desa_code": row.desa_code,
                "puskesmas_code": row.puskesmas_code,
                "kecamatan_code": row.kecamatan_code,
                "kabupaten_code": row.kabupaten_code,
                "provinsi_code": row.provinsi_code,
                "posyandu_day": row.posyandu_day,
                "target_balita": row.target_balita,
                "target_bumil": row.target_bumil,
                "active": True,
            },
        )
    return found


def _kabupaten_zones(
    rows: Iterable[RosterRow], existing: dict[str, dict[str, Any]], default: str
) -> dict[str, str]:
    """Each kabupaten's zone: the one most of its rows agree on.

    A row with an empty ``timezone`` votes for the fallback: the stored zone,
    else the province code's zone, else ``default``. So a file with the column
    filled for everyone sets the district's zone, while a few filled cells
    only set those people's own zone (see :func:`_people`).
    """
    votes: dict[str, Counter[str]] = {}
    fallbacks: dict[str, str] = {}
    for row in rows:
        code = row.kabupaten_code
        if code not in fallbacks:
            stored = existing.get(code)
            fallbacks[code] = (
                stored["timezone"]
                if stored
                else province_timezone(row.provinsi_code, province_timezone(code, default))
            )
        votes.setdefault(code, Counter())[row.timezone or fallbacks[code]] += 1
    return {
        code: max(counts, key=lambda zone: (counts[zone], zone == fallbacks[code]))
        for code, counts in votes.items()
    }


def _upsert_regions(
    session: Session,
    model: type[SQLModel],
    wanted: dict[str, dict[str, Any]],
    existing: dict[str, dict[str, Any]],
    summary: RosterSummary,
    table: str,
) -> None:
    """Insert the new codes (defaults where the rows are silent), update what differs."""
    defaults = _DEFAULTS.get(table, {})
    new_rows, changed_rows = [], []
    for code, values in wanted.items():
        stored = existing.get(code)
        if stored is None:
            new_rows.append({k: defaults.get(k) if v is None else v for k, v in values.items()})
            continue
        changes = {k: v for k, v in values.items() if v is not None and stored[k] != v}
        if changes:
            changed_rows.append({"code": code, **changes})
    _insert(session, model, new_rows)
    _update(session, model, changed_rows)
    summary.created[table] += len(new_rows)
    summary.updated[table] += len(changed_rows)


@dataclass(slots=True)
class _Person:
    """A person gathered from their rows (a kader or bidan may have several)."""

    values: dict[str, Any]
    posyandu: list[str]
    lines: list[int]


def _people(rows: Iterable[RosterRow], zones: dict[str, str]) -> dict[str, _Person]:
    people: dict[str, _Person] = {}
    for row in rows:
        person = people.get(row.phone)
        if person is None:
            own_zone = row.timezone if row.timezone != zones[row.kabupaten_code] else None
            values = {
                "phone": row.phone,
                "name": row.name,
                "role": row.role,
                "area_code": _area_code(row),
                "kabupaten_code": row.kabupaten_code,
                "timezone": own_zone,
                "jabatan": row.jabatan,
                "active": True,
            }
            person = people[row.phone] = _Person(values, [], [])
        person.lines.append(row.line)
        code = row.posyandu_code
        if row.role in MULTI_ROW_ROLES and code is not None and code not in person.posyandu:
            person.posyandu.append(code)
    return people


def _area_code(row: RosterRow) -> str | None:
    """The code of the area the role covers (see ``Person.area_code``)."""
    return {
        "kader": row.posyandu_code,
        "bidan": row.desa_code,
        "puskesmas": row.puskesmas_code,
        "mitra": row.puskesmas_code,
    }.get(row.role, row.kabupaten_code)


def _upsert_people(
    session: Session, batch: list[_Person], now: datetime, summary: RosterSummary
) -> None:
    phones = [person.values["phone"] for person in batch]
    stored = {
        row.phone: row
        for row in session.exec(select(Person.__table__).where(Person.phone.in_(phones)))
    }
    new_rows, changed_rows = [], []
    for person in batch:
        current = stored.get(person.values["phone"])
        if current is None:
            new_rows.append({**person.values, "created_at": now, "updated_at": now})
            continue
        changes = {k: v for k, v in person.values.items() if getattr(current, k) != v}
        if changes:
            changed_rows.append({"id": current.id, **changes, "updated_at": now})
    _insert(session, Person, new_rows)
    _update(session, Person, changed_rows)
    summary.created["person"] += len(new_rows)
    summary.updated["person"] += len(changed_rows)

    ids = {phone: row.id for phone, row in stored.items()}
    if new_rows:
        created = [row["phone"] for row in new_rows]
        statement = select(Person.phone, Person.id).where(Person.phone.in_(created))
        ids.update({phone: person_id for phone, person_id in session.exec(statement)})
    wanted = {(ids[p.values["phone"]], code) for p in batch for code in p.posyandu}
    linked = set(
        session.exec(
            select(PersonPosyandu.person_id, PersonPosyandu.posyandu_code).where(
                PersonPosyandu.person_id.in_(list(ids.values()))
            )
        )
    )
    to_link = sorted(wanted - linked)
    to_unlink = sorted(linked - wanted)
    _insert(
        session,
        PersonPosyandu,
        [{"person_id": pid, "posyandu_code": code} for pid, code in to_link],
    )
    if to_unlink:
        session.exec(
            delete(PersonPosyandu).where(
                tuple_(PersonPosyandu.person_id, PersonPosyandu.posyandu_code).in_(to_unlink)
            )
        )
    summary.created["person_posyandu"] += len(to_link)
    summary.unlinked += len(to_unlink)


def _load(
    session: Session, model: type[SQLModel], codes: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Stored rows of a region table for these codes, as column dicts."""
    table = model.__table__
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(codes), CHUNK):
        for row in session.exec(select(table).where(table.c.code.in_(chunk))).mappings():
            found[row["code"]] = dict(row)
    return found


def _insert(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows, CHUNK):
        session.exec(insert(model), params=chunk)


def _update(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Bulk update by primary key; rows are grouped by the columns they change."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        for chunk in _chunks(group, CHUNK):
            session.exec(update(model), params=chunk)


_T = TypeVar("_T")


def _chunks(items: list[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

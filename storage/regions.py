"""The region hierarchy: which Posyandu lie in an area, and what an area is called."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true
from sqlmodel import Session, select

from storage.models import Desa, Kabupaten, Kecamatan, Posyandu, Provinsi, Puskesmas

# The Posyandu column that holds the code of each level, and the table naming it.
LEVELS = {
    "provinsi": (Posyandu.provinsi_code, Provinsi),
    "kabupaten": (Posyandu.kabupaten_code, Kabupaten),
    "kecamatan": (Posyandu.kecamatan_code, Kecamatan),
    "puskesmas": (Posyandu.puskesmas_code, Puskesmas),
    "desa": (Posyandu.desa_code, Desa),
    "posyandu": (Posyandu.code, Posyandu),
}
ROLE_LEVEL = {
    "kader": "posyandu",
    "bidan": "desa",
    "puskesmas": "puskesmas",
    "dinkes": "kabupaten",
    "admin": "kabupaten",
    "mitra": "puskesmas",
}


def in_area(level: str | None, code: str | None) -> ColumnElement[bool]:
    """A condition on Posyandu rows: lies in the area ``code`` of ``level`` (None: anywhere)."""
    if level is None or code is None:
        return true()
    column, _ = LEVELS[level]
    return column == code


def area_name(session: Session, role: str, code: str | None) -> str | None:
    """The name of the area a role covers (a kader's Posyandu, a bidan's desa, …)."""
    if code is None:
        return None
    _, table = LEVELS[ROLE_LEVEL[role]]
    return session.exec(select(table.name).where(table.code == code)).first()


def find_level(session: Session, code: str) -> str | None:
    """Which level a code belongs to, trying the most specific first."""
    for level in ("posyandu", "desa", "puskesmas", "kecamatan", "kabupaten", "provinsi"):
        _, table = LEVELS[level]
        if session.exec(select(table.code).where(table.code == code)).first():
            return level
    return None


def posyandu_in(session: Session, level: str, code: str) -> list[tuple[str, str]]:
    """(code, name) of the active Posyandu in an area, by name."""
    statement = (
        select(Posyandu.code, Posyandu.name)
        .where(in_area(level, code), Posyandu.active)
        .order_by(Posyandu.name)
    )
    return [(c, n) for c, n in session.exec(statement)]


def desa_around(session: Session, posyandu_code: str) -> list[tuple[str, str]]:
    """(code, name) of the Posyandu's desa, then the other desa its Puskesmas serves, by name."""
    own = select(Posyandu.desa_code, Posyandu.puskesmas_code).where(Posyandu.code == posyandu_code)
    found = session.exec(own).first()
    if found is None:
        return []
    desa_code, puskesmas_code = found
    statement = select(Desa.code, Desa.name).where(Desa.puskesmas_code == puskesmas_code)
    rows = sorted(session.exec(statement), key=lambda row: (row[0] != desa_code, row[1]))
    return [(code, name) for code, name in rows]

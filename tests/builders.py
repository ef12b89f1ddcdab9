"""Test and benchmark data, built one way: a district's regions, people and accounts, and reports.

A district is described top-down, each row naming only its parent; the builder
copies the codes the tables repeat (a Posyandu carries its desa, Puskesmas,
kecamatan, kabupaten and provinsi; a person the kabupaten of their area), so a
test district reads as its hierarchy plus the numbers its test computed by hand.
``District.rows`` are plain dicts per table, parents first: ``write`` inserts a
test's small district, a benchmark bulk-loads the same rows its own way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import SQLModel, select

from storage import Database, reports
from storage.models import (
    ChannelIdentity,
    Desa,
    Kabupaten,
    Kecamatan,
    Person,
    PersonPosyandu,
    Posyandu,
    Provinsi,
    Puskesmas,
)

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
"""When every roster row was created and last updated."""

ROSTER_TABLES: tuple[type[SQLModel], ...] = (
    Provinsi,
    Kabupaten,
    Kecamatan,
    Puskesmas,
    Desa,
    Posyandu,
    Person,
    PersonPosyandu,
)
"""The tables a roster fills, parents first."""

_REGIONS = ROSTER_TABLES[:6]


class District:
    """The rows of a test district, added level by level and written in one transaction."""

    def __init__(self) -> None:
        self.rows: dict[type[SQLModel], list[dict[str, Any]]] = {
            table: [] for table in (*ROSTER_TABLES, ChannelIdentity)
        }
        self._kabupaten: dict[str, str] = {}  # any area code -> its kabupaten code
        self._by_code: dict[tuple[type[SQLModel], str], dict[str, Any]] = {}

    def _add(self, table: type[SQLModel], row: dict[str, Any]) -> None:
        self.rows[table].append(row)
        if "code" in row:
            self._by_code[table, row["code"]] = row

    def row(self, table: type[SQLModel], code: str) -> dict[str, Any]:
        """The row of ``table`` with this code, to change a column before ``write``."""
        return self._by_code[table, code]

    def provinsi(self, code: str, name: str) -> None:
        self._add(Provinsi, {"code": code, "name": name})

    def kabupaten(self, code: str, name: str, provinsi: str, **columns: Any) -> None:
        self._add(Kabupaten, {"code": code, "name": name, "provinsi_code": provinsi, **columns})
        self._kabupaten[code] = code

    def kecamatan(self, code: str, name: str, kabupaten: str) -> None:
        self._add(Kecamatan, {"code": code, "name": name, "kabupaten_code": kabupaten})
        self._kabupaten[code] = kabupaten

    def puskesmas(self, code: str, name: str, kecamatan: str, **columns: Any) -> None:
        kabupaten = self._kabupaten[kecamatan]
        row = {"code": code, "name": name, "kecamatan_code": kecamatan, "kabupaten_code": kabupaten}
        self._add(Puskesmas, {**row, **columns})
        self._kabupaten[code] = kabupaten

    def desa(self, code: str, name: str, puskesmas: str) -> None:
        """A desa in the kecamatan of the Puskesmas that serves it."""
        kecamatan = self.row(Puskesmas, puskesmas)["kecamatan_code"]
        row = {"code": code, "name": name, "kecamatan_code": kecamatan, "puskesmas_code": puskesmas}
        self._add(Desa, row)
        self._kabupaten[code] = self._kabupaten[kecamatan]

    def posyandu(self, code: str, name: str, desa: str, **columns: Any) -> None:
        parent = self.row(Desa, desa)
        kabupaten = self._kabupaten[desa]
        row = {
            "code": code,
            "name": name,
            "desa_code": desa,
            "puskesmas_code": parent["puskesmas_code"],
            "kecamatan_code": parent["kecamatan_code"],
            "kabupaten_code": kabupaten,
            "provinsi_code": self.row(Kabupaten, kabupaten)["provinsi_code"],
        }
        self._add(Posyandu, {**row, **columns})
        self._kabupaten[code] = kabupaten

    def person(
        self,
        phone: str,
        name: str,
        role: str,
        area: str,
        posyandu: Iterable[str] = (),
        **columns: Any,
    ) -> None:
        """Someone whose role covers ``area``, reporting for ``posyandu`` (kader, bidan)."""
        row = {
            "phone": phone,
            "name": name,
            "role": role,
            "area_code": area,
            "kabupaten_code": self._kabupaten[area],
            "created_at": CREATED,
            "updated_at": CREATED,
        }
        self._add(Person, {**row, **columns})
        for code in posyandu:
            self._add(PersonPosyandu, {"phone": phone, "posyandu_code": code})

    def identity(self, phone: str, channel: str, external_id: str, **columns: Any) -> None:
        """A chat account of the person with this phone (on the roster here or already stored)."""
        row = {"phone": phone, "channel": channel, "external_id": external_id}
        self._add(ChannelIdentity, {**row, "created_at": CREATED, **columns})

    def write(self, database: Database) -> dict[str, int]:
        """Insert every row, parents first, in one transaction; returns person ids by phone."""
        with database.transaction() as session:
            for table in (*_REGIONS, Person):
                if self.rows[table]:
                    session.execute(insert(table), self.rows[table])
            ids = dict(session.exec(select(Person.phone, Person.id)).all())
            for table in (PersonPosyandu, ChannelIdentity):
                if self.rows[table]:
                    linked = [_person_id(row, ids) for row in self.rows[table]]
                    session.execute(insert(table), linked)
        return {phone: ids[phone] for phone in (row["phone"] for row in self.rows[Person])}


def _person_id(row: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    """``row`` with the person named by phone instead of by id."""
    named = dict(row)
    named["person_id"] = ids[named.pop("phone")]
    return named


# --- reports ----------------------------------------------------------------------------------


def monthly_report(
    person: int, posyandu: str, period: str, data: dict[str, Any], *, channel: str = "console"
) -> reports.NewReport:
    """A monthly report revision as the engine would submit it (``POSY_BUKA`` decides ``held``)."""
    return reports.NewReport(
        kind=reports.MONTHLY,
        report_key=reports.monthly_key(posyandu, period),
        posyandu_code=posyandu,
        period=period,
        data=data,
        submitted_by=person,
        channel=channel,
        message_id=None,
        held=data["POSY_BUKA"],
    )


def event_report(
    person: int, kind: str, key: str, posyandu: str, day: str, data: dict[str, Any]
) -> reports.NewReport:
    """A home visit or outreach activity held on ``day`` (ISO date), sent on Telegram."""
    return reports.NewReport(
        kind=kind,
        report_key=f"{kind}:{key}",
        posyandu_code=posyandu,
        period=day[:7],
        data=data,
        submitted_by=person,
        channel="telegram",
        message_id=None,
        event_date=date.fromisoformat(day),
    )


def file_reports(database: Database, *filed: tuple[reports.NewReport, datetime]) -> None:
    """Store each report as submitted at its time, in the order given."""
    with database.transaction() as session:
        for report, at in filed:
            reports.add_revision(session, report, at)

"""A small district for storage and service tests, written straight into the tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from storage import Database, reports
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

KADER = "+6281100000001"
KADER_TWO_POSYANDU = "+6281100000002"
BIDAN = "+6281100000101"
PUSKESMAS = "+6281100000201"
DINKES = "+6281100000301"
STRANGER = "+6289999999999"

_CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def load_roster(database: Database) -> None:
    """Kabupaten Uji: one Puskesmas, two desa, three Posyandu, five people."""
    with database.transaction() as session:
        session.add(Provinsi(code="32", name="Jawa Barat"))
        session.flush()
        session.add(Kabupaten(code="32.98", name="Kabupaten Uji", provinsi_code="32"))
        session.flush()
        session.add(Kecamatan(code="32.98.01", name="Kecamatan Uji", kabupaten_code="32.98"))
        session.flush()
        session.add(
            Puskesmas(
                code="PKM1", name="Puskesmas Uji", kecamatan_code="32.98.01", kabupaten_code="32.98"
            )
        )
        session.flush()
        for code, name in (("32.98.01.2001", "Desa Satu"), ("32.98.01.2002", "Desa Dua")):
            session.add(
                Desa(code=code, name=name, kecamatan_code="32.98.01", puskesmas_code="PKM1")
            )
        session.flush()
        for code, name, desa in (
            ("PY1", "Posyandu Melati", "32.98.01.2001"),
            ("PY2", "Posyandu Mawar", "32.98.01.2001"),
            ("PY3", "Posyandu Kenanga", "32.98.01.2002"),
        ):
            session.add(
                Posyandu(
                    code=code,
                    name=name,
                    desa_code=desa,
                    puskesmas_code="PKM1",
                    kecamatan_code="32.98.01",
                    kabupaten_code="32.98",
                    provinsi_code="32",
                    posyandu_day=12,
                )
            )
        session.flush()
        people = [
            (KADER, "Siti", "kader", "PY1", ["PY1"]),
            (KADER_TWO_POSYANDU, "Dewi", "kader", "PY2", ["PY2", "PY3"]),
            (BIDAN, "Nur", "bidan", "32.98.01.2001", []),
            (PUSKESMAS, "Hendra", "puskesmas", "PKM1", []),
            (DINKES, "Agus", "dinkes", "32.98", []),
        ]
        for phone, name, role, area, posyandu in people:
            person = Person(
                phone=phone,
                name=name,
                role=role,
                area_code=area,
                kabupaten_code="32.98",
                created_at=_CREATED,
                updated_at=_CREATED,
            )
            session.add(person)
            session.flush()
            for code in posyandu:
                session.add(PersonPosyandu(person_id=person.id, posyandu_code=code))


def monthly_report(
    person: int, posyandu: str, period: str, data: dict[str, Any], *, channel: str = "console"
) -> reports.NewReport:
    """A monthly report revision as the engine would submit it (``buka`` decides ``held``)."""
    return reports.NewReport(
        kind="bulanan",
        report_key=reports.monthly_key(posyandu, period),
        posyandu_code=posyandu,
        period=period,
        data=data,
        submitted_by=person,
        channel=channel,
        message_id=None,
        held=data["buka"],
    )

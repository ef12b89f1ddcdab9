"""Kabupaten Uji, the small district of the storage and service tests."""

from __future__ import annotations

from storage import Database
from tests.builders import District

KADER = "+6281100000001"
KADER_TWO_POSYANDU = "+6281100000002"
BIDAN = "+6281100000101"
PUSKESMAS = "+6281100000201"
DINKES = "+6281100000301"
STRANGER = "+6289999999999"


def uji_district() -> District:
    """Kabupaten Uji: one Puskesmas, two desa, three Posyandu, five people."""
    district = District()
    district.provinsi("32", "Jawa Barat")
    district.kabupaten("32.98", "Kabupaten Uji", "32")
    district.kecamatan("32.98.01", "Kecamatan Uji", "32.98")
    district.puskesmas("PKM1", "Puskesmas Uji", "32.98.01")
    district.desa("32.98.01.2001", "Desa Satu", "PKM1")
    district.desa("32.98.01.2002", "Desa Dua", "PKM1")
    district.posyandu("PY1", "Posyandu Melati", "32.98.01.2001", posyandu_day=12)
    district.posyandu("PY2", "Posyandu Mawar", "32.98.01.2001", posyandu_day=12)
    district.posyandu("PY3", "Posyandu Kenanga", "32.98.01.2002", posyandu_day=12)
    district.person(KADER, "Siti", "kader", "PY1", ["PY1"])
    district.person(KADER_TWO_POSYANDU, "Dewi", "kader", "PY2", ["PY2", "PY3"])
    district.person(BIDAN, "Nur", "bidan", "32.98.01.2001")
    district.person(PUSKESMAS, "Hendra", "puskesmas", "PKM1")
    district.person(DINKES, "Agus", "dinkes", "32.98")
    return district


def load_roster(database: Database) -> None:
    """Write Kabupaten Uji into an empty database."""
    uji_district().write(database)

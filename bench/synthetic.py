"""Synthetic rosters for benchmarks: many Posyandu, one kader each, inserted in bulk."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert

from storage import Database
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


def kader_phone(index: int) -> str:
    return f"+628{index:010d}"


def load_kader_roster(database: Database, count: int) -> None:
    """One kabupaten, one Puskesmas, a desa per 4 Posyandu, one kader per Posyandu."""
    with database.transaction() as session:
        session.execute(insert(Provinsi), [{"code": "32", "name": "Jawa Barat"}])
        session.execute(
            insert(Kabupaten), [{"code": "32.97", "name": "Kabupaten Bench", "provinsi_code": "32"}]
        )
        session.execute(
            insert(Kecamatan),
            [{"code": "32.97.01", "name": "Kecamatan Bench", "kabupaten_code": "32.97"}],
        )
        session.execute(
            insert(Puskesmas),
            [
                {
                    "code": "PB1",
                    "name": "Puskesmas Bench",
                    "kecamatan_code": "32.97.01",
                    "kabupaten_code": "32.97",
                }
            ],
        )
        desa_count = (count + 3) // 4
        session.execute(
            insert(Desa),
            [
                {
                    "code": f"32.97.01.{d:04d}",
                    "name": f"Desa {d}",
                    "kecamatan_code": "32.97.01",
                    "puskesmas_code": "PB1",
                }
                for d in range(desa_count)
            ],
        )
        session.execute(
            insert(Posyandu),
            [
                {
                    "code": f"B{i:06d}",
                    "name": f"Posyandu {i}",
                    "desa_code": f"32.97.01.{i // 4:04d}",
                    "puskesmas_code": "PB1",
                    "kecamatan_code": "32.97.01",
                    "kabupaten_code": "32.97",
                    "provinsi_code": "32",
                }
                for i in range(count)
            ],
        )
        session.execute(
            insert(Person),
            [
                {
                    "id": i + 1,
                    "phone": kader_phone(i),
                    "name": f"Kader {i}",
                    "role": "kader",
                    "area_code": f"B{i:06d}",
                    "kabupaten_code": "32.97",
                    "active": True,
                    "created_at": CREATED,
                    "updated_at": CREATED,
                }
                for i in range(count)
            ],
        )
        session.execute(
            insert(PersonPosyandu),
            [{"person_id": i + 1, "posyandu_code": f"B{i:06d}"} for i in range(count)],
        )


def link_accounts(database: Database, count: int, channel: str, every: int) -> int:
    """Give every ``every``-th of the first ``count`` kader a linked ``channel`` account.

    Linked WhatsApp accounts use the phone digits as their id, like the real
    adapter; the others are reached by roster phone. Returns how many were linked.
    """
    rows = [
        {
            "channel": channel,
            "external_id": kader_phone(i).lstrip("+"),
            "person_id": i + 1,
            "created_at": CREATED,
            "last_inbound_at": CREATED,
        }
        for i in range(0, count, every)
    ]
    with database.transaction() as session:
        session.execute(insert(ChannelIdentity), rows)
    return len(rows)

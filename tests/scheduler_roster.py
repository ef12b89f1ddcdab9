"""A kabupaten spanning two time zones, for the scheduler tests.

Kabupaten Uji (``tests.roster``) runs on Asia/Jakarta: Puskesmas Uji with
Desa Satu (Melati, Mawar; bidan Nur) and Desa Dua (Kenanga; no bidan).
Added here, on Asia/Makassar by personal override: Puskesmas Timur with Desa
Tiga (Anggrek, Dahlia; bidan Rina), kader Ayu and Budi, staff Joko. Budi
blocked the bot on WhatsApp, so no channel reaches him. Nur writes on
Telegram more recently than on WhatsApp.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from storage import Database
from storage.models import (
    ChannelIdentity,
    Desa,
    Person,
    PersonPosyandu,
    Posyandu,
    Puskesmas,
)
from tests.roster import load_roster

MAKASSAR = "Asia/Makassar"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
NUR_TELEGRAM = "5550001"
PHONES = {
    "Siti": "+6281100000001",
    "Dewi": "+6281100000002",
    "Nur": "+6281100000101",
    "Hendra": "+6281100000201",
    "Agus": "+6281100000301",
    "Rina": "+6281100000102",
    "Ayu": "+6281100000003",
    "Budi": "+6281100000004",
    "Joko": "+6281100000202",
}


def load_two_zone_roster(database: Database) -> dict[str, int]:
    """Load the district; returns person ids by first name."""
    load_roster(database)
    with database.transaction() as session:
        for code, day in (("PY1", 12), ("PY2", 16), ("PY3", 12)):
            posyandu = session.get(Posyandu, code)
            assert posyandu is not None
            posyandu.posyandu_day = day
            session.add(posyandu)
        puskesmas = session.get(Puskesmas, "PKM1")
        assert puskesmas is not None
        puskesmas.lokmin_day = 25
        session.add(puskesmas)
        session.add(
            Puskesmas(
                code="PKM2",
                name="Puskesmas Timur",
                kecamatan_code="32.98.01",
                kabupaten_code="32.98",
                lokmin_day=12,
            )
        )
        session.flush()
        session.add(
            Desa(
                code="32.98.01.2003",
                name="Desa Tiga",
                kecamatan_code="32.98.01",
                puskesmas_code="PKM2",
            )
        )
        session.flush()
        for code, name in (("PY4", "Posyandu Anggrek"), ("PY5", "Posyandu Dahlia")):
            session.add(
                Posyandu(
                    code=code,
                    name=name,
                    desa_code="32.98.01.2003",
                    puskesmas_code="PKM2",
                    kecamatan_code="32.98.01",
                    kabupaten_code="32.98",
                    provinsi_code="32",
                    posyandu_day=20,
                )
            )
        session.flush()
        for name, role, area, posyandu in (
            ("Rina", "bidan", "32.98.01.2003", None),
            ("Ayu", "kader", "PY4", "PY4"),
            ("Budi", "kader", "PY5", "PY5"),
            ("Joko", "puskesmas", "PKM2", None),
        ):
            person = Person(
                phone=PHONES[name],
                name=name,
                role=role,
                area_code=area,
                kabupaten_code="32.98",
                timezone=MAKASSAR,
                created_at=CREATED,
                updated_at=CREATED,
            )
            session.add(person)
            session.flush()
            if posyandu:
                session.add(PersonPosyandu(person_id=person.id, posyandu_code=posyandu))
        ids = {name: pid for pid, name in session.exec(select(Person.id, Person.name))}
        identities = (
            ("Nur", "telegram", NUR_TELEGRAM, datetime(2026, 10, 30, tzinfo=UTC), None),
            ("Nur", "whatsapp", PHONES["Nur"][1:], datetime(2026, 10, 1, tzinfo=UTC), None),
            ("Budi", "whatsapp", PHONES["Budi"][1:], None, datetime(2026, 10, 1, tzinfo=UTC)),
        )
        for name, channel, external, last_inbound, blocked in identities:
            session.add(
                ChannelIdentity(
                    channel=channel,
                    external_id=external,
                    person_id=ids[name],
                    created_at=CREATED,
                    last_inbound_at=last_inbound,
                    unreachable_at=blocked,
                )
            )
    return ids

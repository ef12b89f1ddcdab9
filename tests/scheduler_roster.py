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

from storage import Database
from storage.models import Posyandu, Puskesmas
from tests.roster import uji_district

MAKASSAR = "Asia/Makassar"
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
    district = uji_district()
    district.row(Posyandu, "PY2")["posyandu_day"] = 16
    district.row(Puskesmas, "PKM1")["lokmin_day"] = 25
    district.puskesmas("PKM2", "Puskesmas Timur", "32.98.01", lokmin_day=12)
    district.desa("32.98.01.2003", "Desa Tiga", "PKM2")
    district.posyandu("PY4", "Posyandu Anggrek", "32.98.01.2003", posyandu_day=20)
    district.posyandu("PY5", "Posyandu Dahlia", "32.98.01.2003", posyandu_day=20)
    for name, role, area, posyandu in (
        ("Rina", "bidan", "32.98.01.2003", ()),
        ("Ayu", "kader", "PY4", ("PY4",)),
        ("Budi", "kader", "PY5", ("PY5",)),
        ("Joko", "puskesmas", "PKM2", ()),
    ):
        district.person(PHONES[name], name, role, area, posyandu, timezone=MAKASSAR)
    district.identity(
        PHONES["Nur"], "telegram", NUR_TELEGRAM, last_inbound_at=datetime(2026, 10, 30, tzinfo=UTC)
    )
    district.identity(
        PHONES["Nur"],
        "whatsapp",
        PHONES["Nur"][1:],
        last_inbound_at=datetime(2026, 10, 1, tzinfo=UTC),
    )
    district.identity(
        PHONES["Budi"],
        "whatsapp",
        PHONES["Budi"][1:],
        unreachable_at=datetime(2026, 10, 1, tzinfo=UTC),
    )
    ids = district.write(database)
    return {name: ids[phone] for name, phone in PHONES.items()}

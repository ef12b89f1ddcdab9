"""A small district whose rekap for October 2026 is worked out by hand in tests/test_rekap.py.

Kabupaten Uji Rekap (35.90, deadline day 5, Asia/Jakarta: October closes at
2026-11-05 17:00 UTC):

    Puskesmas Anggrek (PKA)
        desa Sukarame:    PA1 Melati   on time, at 23:59 WIB on the deadline day
                          PA2 Mawar    on time, then corrected after the deadline
        desa Sukadana:    PA3 Kenanga  not held (counts as reported, adds no numbers)
    Puskesmas Bakung (PKB)
        desa Karanganyar: PB1 Dahlia   late (7 Nov)
                          PB2 Teratai  no report
                          PB3 Lama     inactive (its report never counts)

September: every active Posyandu reported (for the change from last month).
Home visits: two with a danger sign, one with fever, one filed after the
deadline. Outreach: two BOK-funded, one from Dana Desa. A second kabupaten
(35.91) with its own Posyandu and report must never show up in 35.90.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from storage import Database
from storage.reports import NewReport
from tests.builders import District, event_report, file_reports, monthly_report

KABUPATEN = "35.90"
OTHER_KABUPATEN = "35.91"
PERIOD = "2026-10"
DEADLINE_END = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)

DINKES = "+6281300000301"
ADMIN = "+6281300000401"
OTHER_ADMIN = "+6281300000402"
PUSKESMAS_A = "+6281300000201"
BIDAN_SUKARAME = "+6281300000101"
KADER_MELATI = "+6281300000001"

# (S, K, D, N, T, O, B, 2T, BGM, bumil KEK, dewasa HT, lansia HT, TBC, balita dirujuk, and
#  births and deaths under the codes of version 1 of the form, as a migrated revision has them)
_NAMES = (
    "BAL_S",
    "BAL_K",
    "BAL_D",
    "BAL_N",
    "BAL_T",
    "BAL_O",
    "BAL_B",
    "BAL_2T",
    "BAL_BGM",
    "BUMIL_KEK",
    "DEWASA_HT",
    "LANSIA_HT",
    "TBC_TERDUGA",
    "BAL_RUJUK",
    "lahir",
    "mati_bayi",
    "mati_ibu",
)
MELATI = (100, 90, 80, 60, 10, 5, 5, 3, 2, 1, 4, 6, 1, 5, 2, 0, 0)
MAWAR_FIRST = (50, 45, 40, 20, 10, 5, 5, 1, 1, 0, 2, 3, 0, 2, 1, 1, 0)
MAWAR_CORRECTED = (50, 45, 44, 30, 4, 5, 5, 1, 1, 1, 2, 3, 2, 3, 1, 1, 0)
DAHLIA = (60, 60, 30, 20, 5, 3, 2, 0, 3, 2, 5, 1, 0, 4, 0, 0, 1)
LAMA = (999, 999, 999, 999, 0, 0, 999, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
SEBERANG = (70, 70, 70, 70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
# September: (S, D) per Posyandu, all on time.
SEPTEMBER = {"PA1": (100, 70), "PA2": (50, 35), "PA3": (40, 30), "PB1": (60, 40), "PB2": (30, 15)}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def load_district(database: Database) -> dict[str, int]:
    """Regions, people and the reports above; returns person ids by phone."""
    district = District()
    district.provinsi("35", "Jawa Timur")
    district.kabupaten(KABUPATEN, "Kabupaten Uji Rekap", "35")
    district.kabupaten(OTHER_KABUPATEN, "Kota Lain", "35")
    district.kecamatan("35.90.01", "Anggrek", KABUPATEN)
    district.kecamatan("35.90.02", "Bakung", KABUPATEN)
    district.kecamatan("35.91.01", "Lain", OTHER_KABUPATEN)
    district.puskesmas("PKA", "Puskesmas Anggrek", "35.90.01")
    district.puskesmas("PKB", "Puskesmas Bakung", "35.90.02")
    district.puskesmas("PKX", "Puskesmas Lain", "35.91.01")
    district.desa("35.90.01.2001", "Sukarame", "PKA")
    district.desa("35.90.01.2002", "Sukadana", "PKA")
    district.desa("35.90.02.2001", "Karanganyar", "PKB")
    district.desa("35.91.01.2001", "Lain", "PKX")
    district.posyandu("PA1", "Melati", "35.90.01.2001")
    district.posyandu("PA2", "Mawar", "35.90.01.2001")
    district.posyandu("PA3", "Kenanga", "35.90.01.2002")
    district.posyandu("PB1", "Dahlia", "35.90.02.2001")
    district.posyandu("PB2", "Teratai", "35.90.02.2001")
    district.posyandu("PB3", "Lama", "35.90.02.2001", active=False)
    district.posyandu("PX1", "Seberang", "35.91.01.2001")
    district.person(DINKES, "Agus", "dinkes", KABUPATEN)
    district.person(ADMIN, "Admin Uji", "admin", KABUPATEN)
    district.person(OTHER_ADMIN, "Admin Lain", "admin", OTHER_KABUPATEN)
    district.person(PUSKESMAS_A, "Hendra", "puskesmas", "PKA")
    district.person(BIDAN_SUKARAME, "Nur", "bidan", "35.90.01.2001")
    district.person(KADER_MELATI, "Siti", "kader", "PA1", ["PA1"])
    ids = district.write(database)
    file_reports(database, *_reports(ids[KADER_MELATI]))
    return ids


def _reports(by: int) -> list[tuple[NewReport, datetime]]:
    """Every report of the district with the time it was sent, in the order they were sent."""
    filed = [
        (
            _monthly(by, code, "2026-09", _counts((s, s, d, d, 0, 0, 0), _NAMES[:7])),
            at("2026-10-03T03:00:00"),
        )
        for code, (s, d) in SEPTEMBER.items()
    ]
    filed += [
        (_monthly(by, "PA1", PERIOD, _counts(MELATI)), at("2026-11-05T16:59:00")),
        (_monthly(by, "PA2", PERIOD, _counts(MAWAR_FIRST)), at("2026-11-04T03:00:00")),
        (_monthly(by, "PA2", PERIOD, _counts(MAWAR_CORRECTED)), at("2026-11-10T03:00:00")),
        (_monthly(by, "PA3", PERIOD, None), at("2026-11-01T02:00:00")),
        (_monthly(by, "PB1", PERIOD, _counts(DAHLIA)), at("2026-11-07T04:00:00")),
        (_monthly(by, "PB3", PERIOD, _counts(LAMA)), at("2026-11-02T04:00:00")),
        (_monthly(by, "PX1", PERIOD, _counts(SEBERANG)), at("2026-11-02T04:00:00")),
    ]
    for number, (code, day, sent, answers) in enumerate(
        (
            ("PA1", "2026-10-10", "2026-10-10T09:00:00", _balita(["batuk", "napas_cepat"])),
            ("PA1", "2026-10-12", "2026-10-12T09:00:00", _balita([])),
            ("PA2", "2026-10-15", "2026-10-15T09:00:00", _visit("bumil", fever=True)),
            ("PB1", "2026-10-20", "2026-10-20T09:00:00", _visit("lansia", danger=True)),
            ("PB1", "2026-10-30", "2026-11-08T09:00:00", _visit("bumil")),
            ("PX1", "2026-10-20", "2026-10-20T09:00:00", _visit("lansia", danger=True)),
        )
    ):
        data = {"tanggal": day, **answers, "tindak_lanjut": "rujuk"}
        filed.append((event_report(by, "kunjungan", f"v{number}", code, day, data), at(sent)))
    for number, (code, kind, fund, men, women) in enumerate(
        (
            ("PA1", "penyuluhan", "bok", 10, 20),
            ("PA2", "kelas_bumil", "bok", 0, 12),
            ("PB1", "penyuluhan", "dana_desa", 5, 15),
            ("PX1", "penyuluhan", "bok", 50, 50),
        )
    ):
        data = {
            "jenis": kind,
            "tanggal": "2026-10-21",
            "tempat": "Balai desa",
            "sasaran": "umum",
            "peserta_l": men,
            "peserta_p": women,
            "dilayani": men + women,
            "dirujuk": 0,
            "durasi": 2.0,
            "dana": fund,
        }
        report = event_report(by, "luar_gedung", f"o{number}", code, "2026-10-21", data)
        filed.append((report, at("2026-10-21T09:00:00")))
    return filed


def _counts(values: tuple[int, ...], names: tuple[str, ...] = _NAMES) -> dict[str, int]:
    return dict(zip(names, values, strict=True))


def _balita(signs: list[str]) -> dict[str, Any]:
    return {"sasaran": "balita", "alasan": "bahaya", "demam": False, "tanda_bahaya_balita": signs}


def _visit(target: str, *, fever: bool = False, danger: bool = False) -> dict[str, Any]:
    return {"sasaran": target, "alasan": "absen", "demam": fever, "tanda_bahaya": danger}


def _monthly(by: int, code: str, period: str, numbers: dict[str, int] | None) -> NewReport:
    """A monthly report of ``code``; no numbers: the Posyandu was not held."""
    held = numbers is not None
    data: dict[str, Any] = {"periode": period, "POSY_BUKA": held}
    data.update(numbers if numbers is not None else {"POSY_ALASAN": "bencana"})
    return monthly_report(by, code, period, data, channel="telegram")

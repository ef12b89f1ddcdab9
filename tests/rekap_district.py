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
from tests.roster import monthly_report

KABUPATEN = "35.90"
OTHER_KABUPATEN = "35.91"
PERIOD = "2026-10"
DEADLINE_END = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)
CREATED = datetime(2026, 1, 1, tzinfo=UTC)

DINKES = "+6281300000301"
ADMIN = "+6281300000401"
OTHER_ADMIN = "+6281300000402"
PUSKESMAS_A = "+6281300000201"
BIDAN_SUKARAME = "+6281300000101"
KADER_MELATI = "+6281300000001"

DESA = {
    "35.90.01.2001": ("Sukarame", "35.90.01", "PKA"),
    "35.90.01.2002": ("Sukadana", "35.90.01", "PKA"),
    "35.90.02.2001": ("Karanganyar", "35.90.02", "PKB"),
    "35.91.01.2001": ("Lain", "35.91.01", "PKX"),
}
POSYANDU = {
    "PA1": ("Melati", "35.90.01.2001", True),
    "PA2": ("Mawar", "35.90.01.2001", True),
    "PA3": ("Kenanga", "35.90.01.2002", True),
    "PB1": ("Dahlia", "35.90.02.2001", True),
    "PB2": ("Teratai", "35.90.02.2001", True),
    "PB3": ("Lama", "35.90.02.2001", False),
    "PX1": ("Seberang", "35.91.01.2001", True),
}

# (S, K, D, N, T, O, B, 2T, BGM, bumil KEK, dewasa HT, lansia HT, TBC, dirujuk, lahir,
#  mati bayi, mati ibu)
_NAMES = (
    "s",
    "k",
    "d",
    "n",
    "t",
    "o",
    "b",
    "t2",
    "bgm",
    "bumil_kek",
    "dewasa_ht",
    "lansia_ht",
    "terduga_tbc",
    "dirujuk",
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
    with database.transaction() as session:
        session.add(Provinsi(code="35", name="Jawa Timur"))
        session.flush()
        for code, name in ((KABUPATEN, "Kabupaten Uji Rekap"), (OTHER_KABUPATEN, "Kota Lain")):
            session.add(Kabupaten(code=code, name=name, provinsi_code="35"))
        session.flush()
        for code, name, kabupaten in (
            ("35.90.01", "Anggrek", KABUPATEN),
            ("35.90.02", "Bakung", KABUPATEN),
            ("35.91.01", "Lain", OTHER_KABUPATEN),
        ):
            session.add(Kecamatan(code=code, name=name, kabupaten_code=kabupaten))
        session.flush()
        for code, name, kecamatan in (
            ("PKA", "Puskesmas Anggrek", "35.90.01"),
            ("PKB", "Puskesmas Bakung", "35.90.02"),
            ("PKX", "Puskesmas Lain", "35.91.01"),
        ):
            kabupaten = kecamatan[:5]
            session.add(
                Puskesmas(code=code, name=name, kecamatan_code=kecamatan, kabupaten_code=kabupaten)
            )
        session.flush()
        for code, (name, kecamatan, puskesmas) in DESA.items():
            session.add(
                Desa(code=code, name=name, kecamatan_code=kecamatan, puskesmas_code=puskesmas)
            )
        session.flush()
        for code, (name, desa, active) in POSYANDU.items():
            _, kecamatan, puskesmas = DESA[desa]
            session.add(
                Posyandu(
                    code=code,
                    name=name,
                    desa_code=desa,
                    puskesmas_code=puskesmas,
                    kecamatan_code=kecamatan,
                    kabupaten_code=desa[:5],
                    provinsi_code="35",
                    active=active,
                )
            )
        session.flush()
        ids = {}
        for phone, name, role, area, kabupaten, linked in (
            (DINKES, "Agus", "dinkes", KABUPATEN, KABUPATEN, ()),
            (ADMIN, "Admin Uji", "admin", KABUPATEN, KABUPATEN, ()),
            (OTHER_ADMIN, "Admin Lain", "admin", OTHER_KABUPATEN, OTHER_KABUPATEN, ()),
            (PUSKESMAS_A, "Hendra", "puskesmas", "PKA", KABUPATEN, ()),
            (BIDAN_SUKARAME, "Nur", "bidan", "35.90.01.2001", KABUPATEN, ()),
            (KADER_MELATI, "Siti", "kader", "PA1", KABUPATEN, ("PA1",)),
        ):
            person = Person(
                phone=phone,
                name=name,
                role=role,
                area_code=area,
                kabupaten_code=kabupaten,
                created_at=CREATED,
                updated_at=CREATED,
            )
            session.add(person)
            session.flush()
            assert person.id is not None
            ids[phone] = person.id
            for code in linked:
                session.add(PersonPosyandu(person_id=person.id, posyandu_code=code))
        session.flush()
        _reports(session, ids[KADER_MELATI])
    return ids


def _reports(session: Any, by: int) -> None:
    for code, (s, d) in SEPTEMBER.items():
        numbers = {"s": s, "k": s, "d": d, "n": d, "t": 0, "o": 0, "b": 0}
        _monthly(session, by, code, "2026-09", numbers, at("2026-10-03T03:00:00"))
    _monthly(session, by, "PA1", PERIOD, _counts(MELATI), at("2026-11-05T16:59:00"))
    _monthly(session, by, "PA2", PERIOD, _counts(MAWAR_FIRST), at("2026-11-04T03:00:00"))
    _monthly(session, by, "PA2", PERIOD, _counts(MAWAR_CORRECTED), at("2026-11-10T03:00:00"))
    _monthly(session, by, "PA3", PERIOD, None, at("2026-11-01T02:00:00"))
    _monthly(session, by, "PB1", PERIOD, _counts(DAHLIA), at("2026-11-07T04:00:00"))
    _monthly(session, by, "PB3", PERIOD, _counts(LAMA), at("2026-11-02T04:00:00"))
    _monthly(session, by, "PX1", PERIOD, _counts(SEBERANG), at("2026-11-02T04:00:00"))
    for number, (code, day, filed, answers) in enumerate(
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
        _event(session, by, "kunjungan", f"v{number}", code, day, data, at(filed))
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
        _event(
            session,
            by,
            "luar_gedung",
            f"o{number}",
            code,
            "2026-10-21",
            data,
            at("2026-10-21T09:00:00"),
        )


def _counts(values: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(_NAMES, values, strict=True))


def _balita(signs: list[str]) -> dict[str, Any]:
    return {"sasaran": "balita", "alasan": "bahaya", "demam": False, "tanda_bahaya_balita": signs}


def _visit(target: str, *, fever: bool = False, danger: bool = False) -> dict[str, Any]:
    return {"sasaran": target, "alasan": "absen", "demam": fever, "tanda_bahaya": danger}


def _monthly(
    session: Any, by: int, code: str, period: str, numbers: dict[str, int] | None, when: datetime
) -> None:
    held = numbers is not None
    data: dict[str, Any] = {"periode": period, "buka": held}
    data.update(numbers if numbers is not None else {"alasan_tutup": "bencana"})
    reports.add_revision(session, monthly_report(by, code, period, data, channel="telegram"), when)


def _event(
    session: Any,
    by: int,
    kind: str,
    key: str,
    code: str,
    day: str,
    data: dict[str, Any],
    when: datetime,
) -> None:
    new = reports.NewReport(
        kind=kind,
        report_key=f"{kind}:{key}",
        posyandu_code=code,
        period=day[:7],
        data=data,
        submitted_by=by,
        channel="telegram",
        message_id=None,
        event_date=datetime.fromisoformat(day).date(),
    )
    reports.add_revision(session, new, when)

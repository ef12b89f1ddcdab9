"""Synthetic rosters for benchmarks: many Posyandu, one kader each, inserted in bulk.

Also a national dataset (every province down to 300,000 Posyandu, a year of
reports) generated row by row for the rekap benchmark's bulk loaders.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import SQLModel

from conversations.periods import day_in_month, shift_month
from conversations.zones import province_timezone
from storage import Database
from storage.models import ChannelIdentity
from tests.builders import CREATED, District


def kader_phone(index: int) -> str:
    return f"+628{index:010d}"


def load_kader_roster(database: Database, count: int) -> None:
    """One kabupaten, one Puskesmas, a desa per 4 Posyandu, one kader per Posyandu."""
    district = District()
    district.provinsi("32", "Jawa Barat")
    district.kabupaten("32.97", "Kabupaten Bench", "32")
    district.kecamatan("32.97.01", "Kecamatan Bench", "32.97")
    district.puskesmas("PB1", "Puskesmas Bench", "32.97.01")
    for d in range((count + 3) // 4):
        district.desa(f"32.97.01.{d:04d}", f"Desa {d}", "PB1")
    for i in range(count):
        code = f"B{i:06d}"
        district.posyandu(code, f"Posyandu {i}", f"32.97.01.{i // 4:04d}")
        district.person(kader_phone(i), f"Kader {i}", "kader", code, [code])
    district.write(database)


def link_accounts(database: Database, count: int, channel: str, every: int) -> int:
    """Give every ``every``-th of the first ``count`` kader a linked ``channel`` account.

    Linked WhatsApp accounts use the phone digits as their id, like the real
    adapter; the others are reached by roster phone. Returns how many were linked.
    """
    accounts = District()
    for i in range(0, count, every):
        phone = kader_phone(i)
        accounts.identity(phone, channel, phone.lstrip("+"), last_inbound_at=CREATED)
    accounts.write(database)
    return len(accounts.rows[ChannelIdentity])


# --- a national dataset for the rekap benchmark (bench/rekap_national.py) ---------------------

PROVINCE_CODES = (11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51)
PROVINCE_CODES += (52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 94)
POSYANDU_PER_PUSKESMAS = 29
POSYANDU_PER_DESA = 4
REPORT_COLUMNS = (
    "kind",
    "report_key",
    "revision",
    "is_latest",
    "posyandu_code",
    "period",
    "event_date",
    "held",
    "data",
    "submitted_by",
    "submitted_at",
    "channel",
)
_MONTHLY_JSON = (
    '{{"periode":"{p}","POSY_BUKA":true,"POSY_KADER_HADIR":5,"BAL_S":{s},"BAL_D":{d},'
    '"BAL_N":{n},"BAL_T":{t},"BAL_O":{o},"BAL_B":{b},"BAL_2T":{t2},"BAL_BGM":{bgm},'
    '"BAL_RUJUK":{bgm},"BUMIL_SASARAN":{bs},"BUMIL_DATANG":{bh},"BUMIL_KEK":{kek},'
    '"BUMIL_TTD":{bh},"NIFAS_DATANG":3,"REMAJA_DATANG":12,"DEWASA_DATANG":{dh},'
    '"DEWASA_HT":{dht},"LANSIA_DATANG":{lh},"LANSIA_HT":{lht},"TBC_SKRINING":20,'
    '"TBC_TERDUGA":{tb}}}'
)
_CLOSED_JSON = '{{"periode":"{p}","POSY_BUKA":false,"POSY_ALASAN":"libur"}}'
_VISIT_JSON = (
    '{{"tanggal":"{day}","sasaran":"{target}","alasan":"absen","demam":{fever},'
    '"{sign_field}":{signs},"tindak_lanjut":"{follow}"}}'
)
_OUTREACH_JSON = (
    '{{"jenis":"{kind}","tanggal":"{day}","tempat":"Balai desa","sasaran":"umum",'
    '"peserta_l":{men},"peserta_p":{women},"dilayani":{served},"dirujuk":1,"durasi":2,'
    '"dana":"{fund}"}}'
)
_TARGETS = ("balita", "balita", "bumil", "nifas", "lansia", "dewasa", "tbc")
_OUTREACH_KINDS = ("penyuluhan", "kelas_bumil", "kelas_balita", "pmt_lokal", "skrining_ptm")
_FUNDS = ("bok", "bok", "dana_desa", "dana_desa", "apbd", "swadaya")


@dataclass(frozen=True, slots=True)
class NationalShape:
    """How many Posyandu and kabupaten; every other count follows national averages.

    About 29 Posyandu per Puskesmas and 4 per desa (300,000 Posyandu: ~10,400
    Puskesmas, ~75,000 desa), kabupaten spread over the 34 provinces.
    """

    posyandu: int = 300_000
    kabupaten: int = 514

    def kabupaten_index(self, posyandu: int) -> int:
        return posyandu * self.kabupaten // self.posyandu

    def kabupaten_code(self, index: int) -> str:
        province = PROVINCE_CODES[index % len(PROVINCE_CODES)]
        return f"{province}.{index // len(PROVINCE_CODES) + 1:02d}"


def national_regions(shape: NationalShape) -> dict[type[SQLModel], list[dict[str, Any]]]:
    """Region rows parents first (provinces to Posyandu) and one dinkes officer per kabupaten.

    The officer of the ``k``-th kabupaten has person id ``k + 1``: the reports name them.
    """
    district = District()
    for code in sorted({shape.kabupaten_code(k)[:2] for k in range(shape.kabupaten)}):
        district.provinsi(code, f"Provinsi {code}")
    for index in range(shape.kabupaten):
        code = shape.kabupaten_code(index)
        timezone = province_timezone(code)
        district.kabupaten(code, f"Kabupaten {code}", code[:2], timezone=timezone, deadline_day=5)
        phone = f"+6285{index:09d}"
        district.person(phone, f"Dinkes {code}", "dinkes", code, id=index + 1, active=True)
    first_of: dict[int, int] = {}
    for number in range(shape.posyandu):
        kabupaten = shape.kabupaten_index(number)
        first_of.setdefault(kabupaten, number)
        within = number - first_of[kabupaten]
        kab = shape.kabupaten_code(kabupaten)
        unit = within // POSYANDU_PER_PUSKESMAS
        kecamatan = f"{kab}.{unit + 1:02d}"
        puskesmas = f"P{kab.replace('.', '')}{unit + 1:03d}"
        desa = f"{kecamatan}.{2001 + within % POSYANDU_PER_PUSKESMAS // POSYANDU_PER_DESA}"
        if within % POSYANDU_PER_PUSKESMAS == 0:
            district.kecamatan(kecamatan, f"Kecamatan {kecamatan}", kab)
            district.puskesmas(puskesmas, f"Puskesmas {puskesmas}", kecamatan, lokmin_day=3)
        if within % POSYANDU_PER_PUSKESMAS % POSYANDU_PER_DESA == 0:
            district.desa(desa, f"Desa {desa}", puskesmas)
        district.posyandu(national_posyandu_code(number), f"Posyandu {number}", desa, active=True)
    return {table: rows for table, rows in district.rows.items() if rows}


def national_posyandu_code(number: int) -> str:
    return f"N{number:06d}"


def national_reports(
    shape: NationalShape, periods: list[str], visits: float, outreach: float, seed: int = 7
) -> Iterator[tuple[Any, ...]]:
    """Report rows (:data:`REPORT_COLUMNS`) month after month, as they would arrive.

    Per Posyandu and month: a monthly report 95% of the time (3% of them "not
    held", 4% corrected once, 15% after the deadline of day 5), ``visits``
    home visits and ``outreach`` outreach sessions on average.
    """
    rng = random.Random(seed)
    events = 0
    for period in periods:
        following = day_in_month(shift_month(period, 1), 1)
        for number in range(shape.posyandu):
            code = national_posyandu_code(number)
            person = shape.kabupaten_index(number) + 1
            if rng.random() >= 0.95:
                continue
            late = rng.random() < 0.15
            day = 6 + rng.randrange(9) if late else 1 + rng.randrange(5)
            submitted = datetime.combine(following, time(3), UTC) + timedelta(days=day - 1)
            key = f"bulanan:{code}:{period}"
            if rng.random() < 0.03:
                data = _CLOSED_JSON.format(p=period)
                yield (
                    "bulanan",
                    key,
                    1,
                    True,
                    code,
                    period,
                    None,
                    False,
                    data,
                    person,
                    submitted,
                    "telegram",
                )
                continue
            first = _monthly_json(rng, period, 60 + number * 7919 % 60)
            corrected = rng.random() < 0.04
            yield (
                "bulanan",
                key,
                1,
                not corrected,
                code,
                period,
                None,
                True,
                first,
                person,
                submitted,
                "telegram",
            )
            if corrected:
                again = submitted + timedelta(days=2)
                second = _monthly_json(rng, period, 60 + number * 7919 % 60)
                yield (
                    "bulanan",
                    key,
                    2,
                    True,
                    code,
                    period,
                    None,
                    True,
                    second,
                    person,
                    again,
                    "whatsapp",
                )
            for kind, mean, make in (
                ("kunjungan", visits, _visit_json),
                ("luar_gedung", outreach, _outreach_json),
            ):
                for _ in range(int(mean) + (rng.random() < mean % 1)):
                    events += 1
                    held_on = day_in_month(period, 1 + rng.randrange(28))
                    filed = datetime.combine(held_on, time(9), UTC)
                    yield (
                        kind,
                        f"{kind}:n{events}",
                        1,
                        True,
                        code,
                        period,
                        held_on,
                        None,
                        make(rng, held_on),
                        person,
                        filed,
                        "telegram",
                    )


def _monthly_json(rng: random.Random, period: str, s: int) -> str:
    d = int(s * (0.55 + 0.35 * rng.random()))
    b, o = rng.randrange(3), rng.randrange(4)
    n = int((d - b - o) * (0.6 + 0.25 * rng.random()))
    t = d - n - o - b
    adults, elderly = 10 + rng.randrange(25), 8 + rng.randrange(20)
    came = 5 + rng.randrange(8)
    return _MONTHLY_JSON.format(
        p=period,
        s=s,
        d=d,
        n=n,
        t=t,
        o=o,
        b=b,
        t2=min(t, rng.randrange(3)),
        bgm=rng.randrange(3),
        bs=came + 3,
        bh=came,
        kek=rng.randrange(2),
        dh=adults,
        dht=adults // 6,
        lh=elderly,
        lht=elderly // 4,
        tb=rng.randrange(2),
    )


def _visit_json(rng: random.Random, day: date) -> str:
    target = _TARGETS[rng.randrange(len(_TARGETS))]
    fever = rng.random() < 0.1
    danger = fever or rng.random() < 0.1
    if target == "balita":
        field, signs = "tanda_bahaya_balita", '["batuk"]' if danger else "[]"
    else:
        field, signs = "tanda_bahaya", "true" if danger else "false"
    return _VISIT_JSON.format(
        day=day.isoformat(),
        target=target,
        fever="true" if fever else "false",
        sign_field=field,
        signs=signs,
        follow="rujuk" if danger else "ingatkan",
    )


def _outreach_json(rng: random.Random, day: date) -> str:
    men, women = rng.randrange(15), 5 + rng.randrange(30)
    return _OUTREACH_JSON.format(
        kind=_OUTREACH_KINDS[rng.randrange(len(_OUTREACH_KINDS))],
        day=day.isoformat(),
        men=men,
        women=women,
        served=men + women,
        fund=_FUNDS[rng.randrange(len(_FUNDS))],
    )

"""The demo district: a small kabupaten with people and three months of reports.

It lets anyone try the bot (``console`` on an empty database) and gives the
summaries something to show. The roster goes through the same importer as an
admin's file, so loading the demo also exercises ``storage.roster``. The
numbers are drawn from a fixed seed and obey every hard rule of the monthly
form, so the demo never shows data the bot itself would have refused. The
phone numbers are documented in the README: keep them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, select

from conversations import catalogue as T
from conversations.form import Form
from conversations.forms import HOME_VISIT, MONTHLY, OUTREACH
from conversations.phone import mask_phone
from storage import Database
from storage.models import Person, Report
from storage.periods import deadline_of, month_of, shift_month
from storage.reports import MONTHLY as MONTHLY_KIND
from storage.reports import NewReport, add_revision, monthly_key
from storage.roster import RosterRow, apply_roster

SEED = 20260105
TIMEZONE = "Asia/Jakarta"
DEADLINE_DAY = 5
PROVINSI = ("32", "Jawa Barat")
KABUPATEN = ("32.99", "Kabupaten Sukamaju")
# kecamatan code -> (name, Puskesmas code, Puskesmas name)
KECAMATAN = {
    "32.99.01": ("Sukamaju", "P3299010", "Puskesmas Sukamaju"),
    "32.99.02": ("Cibening", "P3299020", "Puskesmas Cibening"),
}
DESA = {
    "32.99.01.2001": "Sukamaju",
    "32.99.01.2002": "Mekarsari",
    "32.99.02.2001": "Cibening",
    "32.99.02.2002": "Sindangjaya",
}


@dataclass(frozen=True, slots=True)
class DemoPosyandu:
    """A demo Posyandu; ``serves_remaja`` False makes its reports skip the adolescents section."""

    code: str
    name: str
    desa_code: str
    day: int
    target_balita: int
    target_bumil: int
    serves_remaja: bool = True


POSYANDU = (
    DemoPosyandu("PY-001", "Melati 1", "32.99.01.2001", 8, 96, 12),
    DemoPosyandu("PY-002", "Melati 2", "32.99.01.2001", 10, 72, 9),
    DemoPosyandu("PY-003", "Mawar", "32.99.01.2002", 12, 110, 14),
    DemoPosyandu("PY-004", "Anggrek", "32.99.01.2002", 14, 58, 7, serves_remaja=False),
    DemoPosyandu("PY-005", "Kenanga", "32.99.02.2001", 9, 84, 10),
    DemoPosyandu("PY-006", "Dahlia", "32.99.02.2001", 11, 64, 8),
    DemoPosyandu("PY-007", "Flamboyan", "32.99.02.2001", 16, 120, 15),
    DemoPosyandu("PY-008", "Cempaka", "32.99.02.2002", 13, 45, 6),
    DemoPosyandu("PY-009", "Teratai", "32.99.02.2002", 18, 78, 10),
    DemoPosyandu("PY-010", "Seruni", "32.99.02.2002", 20, 40, 5, serves_remaja=False),
)
# (phone, name, Posyandu codes). Dewi has two Posyandu; Mawar has two kader.
KADER = (
    ("+6281200000001", "Siti Aminah", ("PY-001",)),
    ("+6281200000002", "Dewi Lestari", ("PY-002", "PY-003")),
    ("+6281200000003", "Ani Suryani", ("PY-005",)),
    ("+6281200000004", "Rina Wati", ("PY-008",)),
    ("+6281200000005", "Lina Marlina", ("PY-003",)),
    ("+6281200000006", "Yati Suryati", ("PY-004",)),
    ("+6281200000007", "Euis Komariah", ("PY-006",)),
    ("+6281200000008", "Neneng Hasanah", ("PY-007",)),
    ("+6281200000009", "Tati Rohayati", ("PY-009",)),
    ("+6281200000010", "Iis Sumiati", ("PY-010",)),
)
BIDAN = (
    ("+6281200000101", "Bd. Nurhayati", "32.99.01.2001"),
    ("+6281200000102", "Bd. Sri Mulyani", "32.99.01.2002"),
    ("+6281200000103", "Bd. Yuliani", "32.99.02.2001"),
    ("+6281200000104", "Bd. Wulan", "32.99.02.2002"),
)
PUSKESMAS_STAFF = (
    ("+6281200000201", "dr. Hendra", "32.99.01"),
    ("+6281200000202", "Bambang", "32.99.02"),
)
DINKES = (("+6281200000301", "Agus Santoso", "dinkes"), ("+6281200000401", "Dinkes IT", "admin"))

# The history's deliberate gaps and mistakes (month index 0..2 = three, two, one month ago).
NOT_HELD = ("PY-006", 1)
NOT_HELD_REASON = "bencana"
CORRECTED = ("PY-003", 1)
MISSING_LATEST = "PY-010"
LATE = ("PY-009", 0)
VISITS_PER_MONTH = 6
OUTREACH_PER_MONTH = 3
CHANNELS = ("telegram", "whatsapp")

# Plausible (target group, reason) pairs for home visits.
VISITS = (
    ("balita", "absen"),
    ("balita", "gizi"),
    ("balita", "layanan"),
    ("bumil", "obat"),
    ("bumil", "absen"),
    ("nifas", "nifas"),
    ("lansia", "absen"),
    ("dewasa", "layanan"),
    ("tbc", "obat"),
)
# Outreach type -> (target group, male range, female range).
OUTREACH_PLANS = {
    "penyuluhan": ("umum", (5, 15), (15, 40)),
    "kelas_bumil": ("bumil", (0, 3), (8, 15)),
    "kelas_balita": ("balita", (0, 2), (10, 20)),
    "pmt_lokal": ("balita", (8, 15), (8, 15)),
    "skrining_ptm": ("dewasa", (10, 25), (15, 35)),
    "sweeping": ("balita", (3, 8), (5, 12)),
}
FUNDING_WEIGHTS = {"bok": 4, "dana_desa": 4, "swadaya": 1, "apbd": 1}


def roster_rows() -> list[RosterRow]:
    """The demo roster as the importer's rows, one per person and Posyandu."""
    by_code = {p.code: p for p in POSYANDU}
    kecamatan_of = {code: code[:8] for code in DESA}
    rows: list[RosterRow] = []

    def region(desa_code: str | None = None, kecamatan_code: str | None = None) -> dict[str, Any]:
        kecamatan_code = kecamatan_code or (kecamatan_of[desa_code] if desa_code else None)
        values: dict[str, Any] = {
            "provinsi_code": PROVINSI[0],
            "provinsi": PROVINSI[1],
            "kabupaten_code": KABUPATEN[0],
            "kabupaten": KABUPATEN[1],
            "deadline_day": DEADLINE_DAY,
        }
        if kecamatan_code:
            name, puskesmas_code, puskesmas = KECAMATAN[kecamatan_code]
            values |= {
                "kecamatan_code": kecamatan_code,
                "kecamatan": name,
                "puskesmas_code": puskesmas_code,
                "puskesmas": puskesmas,
                "lokmin_day": 3,
            }
        if desa_code:
            values |= {"desa_code": desa_code, "desa": DESA[desa_code]}
        return values

    def add(phone: str, name: str, role: str, **values: Any) -> None:
        rows.append(RosterRow(line=len(rows) + 2, phone=phone, name=name, role=role, **values))

    for phone, name, codes in KADER:
        for code in codes:
            posyandu = by_code[code]
            add(
                phone,
                name,
                "kader",
                **region(posyandu.desa_code),
                posyandu_code=code,
                posyandu_name=posyandu.name,
                posyandu_day=posyandu.day,
                target_balita=posyandu.target_balita,
                target_bumil=posyandu.target_bumil,
            )
    for phone, name, desa_code in BIDAN:
        add(phone, name, "bidan", **region(desa_code))
    for phone, name, kecamatan_code in PUSKESMAS_STAFF:
        add(phone, name, "puskesmas", **region(kecamatan_code=kecamatan_code))
    for phone, name, role in DINKES:
        add(phone, name, role, **region())
    return rows


def roster_is_empty(database: Database) -> bool:
    """True before any roster was imported (then ``console`` loads the demo)."""
    with database.transaction() as session:
        return session.exec(select(Person.id).limit(1)).first() is None


def seed_demo(database: Database, now: datetime) -> str:
    """Load the demo district and, once, its history of the three months before ``now``.

    Safe to run again: the roster import changes nothing the second time and
    the history is only written when no demo Posyandu has a report yet.
    """
    rows = roster_rows()
    with database.transaction() as session:
        summary = apply_roster(session, rows, now)
        has_history = session.exec(
            select(func.count())
            .select_from(Report)
            .where(Report.posyandu_code.in_([p.code for p in POSYANDU]))
        ).one()
        counts = None if has_history else _History(session, now).write()
    if counts is None and not summary.changed:
        return "The demo district is already loaded; nothing changed."
    if counts is None:
        return f"Demo roster refreshed: {summary.describe()}"
    return (
        f"Loaded the demo district {KABUPATEN[1]} ({KABUPATEN[0]}): {len(KECAMATAN)} Puskesmas, "
        f"{len(DESA)} desa, {len(POSYANDU)} Posyandu, {len({row.phone for row in rows})} people. "
        f"Reports {counts['first']} to {counts['last']}: {counts['monthly']} monthly (one not "
        f"held, one corrected; {counts['missing']} not yet filed for {counts['last']}), "
        f"{counts['visits']} home visits, {counts['outreach']} outreach activities. "
        f"Try: python -m bot console (the kader {KADER[0][1]}, {mask_phone(KADER[0][0])}; "
        "the README lists every demo number)"
    )


class _History:
    """Writes three months of reports, drawing every number from one seeded generator."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.zone = ZoneInfo(TIMEZONE)
        self.rng = random.Random(SEED)
        current = month_of(now.astimezone(self.zone).date())
        self.periods = [shift_month(current, months) for months in (-3, -2, -1)]
        self.people = dict(session.exec(select(Person.phone, Person.id)).all())
        self.kader = {
            code: [self.people[phone] for phone, _, codes in KADER if code in codes]
            for code in (p.code for p in POSYANDU)
        }
        self.s = {p.code: round(p.target_balita * self.rng.uniform(0.92, 1.05)) for p in POSYANDU}

    def write(self) -> dict[str, Any]:
        """Every report of the three months; returns what the summary line reports."""
        monthly = visits = outreach = 0
        missing: list[str] = []
        for index, period in enumerate(self.periods):
            for posyandu in POSYANDU:
                if index == 2 and posyandu.code == MISSING_LATEST:
                    missing.append(posyandu.name)
                    continue
                self._monthly(index, period, posyandu)
                monthly += 1
            for number in range(VISITS_PER_MONTH):
                self._home_visit(period, number)
                visits += 1
            for number in range(OUTREACH_PER_MONTH):
                self._outreach(period, number)
                outreach += 1
        return {
            "first": self.periods[0],
            "last": self.periods[-1],
            "monthly": monthly,
            "missing": ", ".join(missing),
            "visits": visits,
            "outreach": outreach,
        }

    # --- monthly reports -------------------------------------------------------------

    def _monthly(self, index: int, period: str, posyandu: DemoPosyandu) -> None:
        code = posyandu.code
        kader = self.kader[code]
        submitter = kader[index % len(kader)]
        held_on = _day_in(period, posyandu.day)
        if (code, index) == NOT_HELD:
            data: dict[str, Any] = {
                "periode": period,
                "buka": False,
                "alasan_tutup": NOT_HELD_REASON,
            }
        else:
            data = self._counts(period, posyandu)
        deadline = deadline_of(period, DEADLINE_DAY)
        if (code, index) == LATE:
            submitted = self._at(deadline + timedelta(days=3), 10)
        else:
            today = self.now.astimezone(self.zone).date()
            days = self.rng.randint(0, min(deadline - held_on, today - held_on).days)
            submitted = self._at(held_on + timedelta(days=days), self.rng.randint(9, 20))
        if (code, index) == CORRECTED:
            # The kader first swapped part of N and T, then sent the corrected numbers.
            first = data | {"n": data["n"] - 4, "t": data["t"] + 4}
            self._store_monthly(code, period, first, submitter, submitted)
            data = {"periode": period, "ganti": True, **data}
            submitted = self._at(submitted.astimezone(self.zone).date() + timedelta(days=2), 16)
        self._store_monthly(code, period, data, submitter, submitted)

    def _counts(self, period: str, posyandu: DemoPosyandu) -> dict[str, Any]:
        """One held Posyandu day's numbers, consistent by construction (K, D <= S;
        N+T+O+B = D; 2T <= T; BGM <= D; D/S 62-88%)."""
        rng = self.rng
        s = self.s[posyandu.code] = max(30, self.s[posyandu.code] + rng.randint(-2, 3))
        k = s - rng.randint(0, s // 15)
        d = min(k, round(s * rng.uniform(0.62, 0.88)))
        b, o = rng.randint(0, 2), rng.randint(0, 3)
        n = round((d - b - o) * rng.uniform(0.65, 0.85))
        t = d - n - o - b
        bgm = rng.randint(0, 2)
        data: dict[str, Any] = {
            "periode": period,
            "buka": True,
            "s": s,
            "k": k,
            "d": d,
            "n": n,
            "t": t,
            "o": o,
            "b": b,
            "t2": rng.randint(0, min(t, 3)),
            "bgm": bgm,
        }
        if period[5:] in ("02", "08"):
            data["vit_a_biru"] = round(s * rng.uniform(0.10, 0.14))
            data["vit_a_merah"] = round(s * rng.uniform(0.70, 0.80))
        bumil = rng.randint(posyandu.target_bumil // 2, posyandu.target_bumil)
        kek = rng.randint(0, min(2, bumil))
        data |= {
            "bumil_hadir": bumil,
            "bumil_kek": kek,
            "bumil_ttd": rng.randint(bumil // 2, bumil),
            "nifas_hadir": rng.randint(1, 5),
        }
        if posyandu.serves_remaja:
            data["remaja_hadir"] = rng.randint(5, 25)
        adults, elderly = rng.randint(10, 35), rng.randint(8, 30)
        referred = min(d, bgm + rng.randint(0, 1))
        data |= {
            "dewasa_hadir": adults,
            "dewasa_ht": rng.randint(1, adults // 5),
            "lansia_hadir": elderly,
            "lansia_ht": rng.randint(2, max(2, elderly // 3)),
            "terduga_tbc": rng.choice((0, 0, 0, 1)),
            "lahir": rng.randint(0, 3),
            "mati_bayi": 0,
            "mati_ibu": 0,
            "balita_dirujuk": referred,
            "dirujuk": referred + kek + rng.randint(0, 3),
            "kader_hadir": rng.randint(4, 7),
        }
        return data

    def _store_monthly(
        self, code: str, period: str, data: dict[str, Any], by: int, at: datetime
    ) -> None:
        new = NewReport(
            kind=MONTHLY_KIND,
            report_key=monthly_key(code, period),
            posyandu_code=code,
            period=period,
            data=_in_form_order(MONTHLY, data),
            submitted_by=by,
            channel=self.rng.choice(CHANNELS),
            message_id=None,
            held=data["buka"],
        )
        add_revision(self.session, new, at)

    # --- home visits and outreach ------------------------------------------------------

    def _home_visit(self, period: str, number: int) -> None:
        rng = self.rng
        posyandu = rng.choice(POSYANDU)
        day = _day_in(period, rng.randint(1, 28))
        target, reason = rng.choice(VISITS)
        fever = rng.random() < 0.15
        data: dict[str, Any] = {
            "tanggal": day.isoformat(),
            "sasaran": target,
            "alasan": reason,
            "demam": fever,
        }
        if target == "balita":
            others = [sign for sign in T.DANGER_SIGNS if sign != "demam"]
            signs = rng.sample(others, rng.choice((0, 0, 0, 1, 2)))
            data["tanda_bahaya_balita"] = ["demam", *signs] if fever else signs
            danger = fever or bool(signs)
        else:
            data["tanda_bahaya"] = danger = fever or rng.random() < 0.1
        follow_ups = ("rujuk", "lapor_nakes") if danger else ("tidak_ada", "ingatkan", "ingatkan")
        data["tindak_lanjut"] = rng.choice(follow_ups)
        if rng.random() < 0.3:
            data["catatan"] = "Keluarga bersedia datang ke Posyandu bulan depan."
        self._store_event(HOME_VISIT, period, number, posyandu, data, day)

    def _outreach(self, period: str, number: int) -> None:
        rng = self.rng
        posyandu = rng.choice(POSYANDU)
        day = _day_in(period, rng.randint(1, 28))
        kind = rng.choice(list(OUTREACH_PLANS))
        target, men, women = OUTREACH_PLANS[kind]
        male, female = rng.randint(*men), rng.randint(*women)
        served = male + female - rng.randint(0, 3)
        data: dict[str, Any] = {
            "jenis": kind,
            "tanggal": day.isoformat(),
            "tempat": DESA[posyandu.desa_code],
            "sasaran": target,
            "peserta_l": male,
            "peserta_p": female,
            "dilayani": served,
            "dirujuk": rng.randint(0, min(3, served)),
            "durasi": rng.choice((1.0, 1.5, 2.0, 2.5, 3.0)),
            "dana": rng.choices(list(FUNDING_WEIGHTS), list(FUNDING_WEIGHTS.values()))[0],
        }
        if kind == "penyuluhan":
            data["topik"] = rng.choice(list(T.OUTREACH_TOPICS))
        self._store_event(OUTREACH, period, number, posyandu, data, day)

    def _store_event(
        self,
        form: Form,
        period: str,
        number: int,
        posyandu: DemoPosyandu,
        data: dict[str, Any],
        day: date,
    ) -> None:
        submitted = self._at(day + timedelta(days=self.rng.randint(0, 1)), self.rng.randint(15, 20))
        new = NewReport(
            kind=form.id,
            report_key=f"{form.id}:demo-{period}-{number:02d}",
            posyandu_code=posyandu.code,
            period=period,
            data=_in_form_order(form, data),
            submitted_by=self.rng.choice(self.kader[posyandu.code]),
            channel=self.rng.choice(CHANNELS),
            message_id=None,
            event_date=day,
        )
        add_revision(self.session, new, submitted)

    def _at(self, day: date, hour: int) -> datetime:
        """A local time on ``day`` as UTC, never later than now (the latest month's
        reporting window may still be open)."""
        local = datetime.combine(day, time(hour, self.rng.randint(0, 59)), self.zone)
        return min(local.astimezone(UTC), self.now - timedelta(minutes=5))


def _day_in(period: str, day: int) -> date:
    return date(int(period[:4]), int(period[5:]), day)


def _in_form_order(form: Form, data: dict[str, Any]) -> dict[str, Any]:
    """The answers in the order the engine asks them, as it would store them."""
    names = [field.name for field in form.fields]
    unknown = set(data) - set(names)
    if unknown:
        raise ValueError(f"not fields of the form: {sorted(unknown)}")
    return {name: data[name] for name in names if name in data}

"""The demo district: a small kabupaten with people and three months of reports.

It lets anyone try the bot (``console`` on an empty database) and gives the
summaries something to show. The roster is the file ``demo_roster.csv`` next
to this module, read by the same importer as an admin's file, so it passes
every check a real roster does and serves as an example of one; the README's
table of demo people is that file, keep the two in step. The history is drawn
here from a fixed seed and obeys every hard rule of the monthly form, so the
demo never shows data the bot itself would have refused.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib.resources import as_file, files
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from conversations.form import Form
from conversations.forms import HOME_VISIT, MONTHLY, OUTREACH
from conversations.forms.home_visit import DANGER_SIGNS
from conversations.forms.monthly import PERIOD, REPLACE, WEIGHED_PARTS, closed, example
from conversations.forms.outreach import OUTREACH_TOPICS
from conversations.periods import day_in_month, deadline_of, month_of, shift_month
from conversations.phone import mask_phone
from conversations.zones import province_timezone
from handlers.roster.file import read_roster_file
from storage import Database, reports, roster
from storage.reports import MONTHLY as MONTHLY_KIND
from storage.reports import NewReport, add_revision, monthly_key
from storage.roster import RosterRow, apply_roster

ROSTER_FILE = "demo_roster.csv"
SEED = 20260105
NO_REMAJA = ("PY-004", "PY-010")
"""Posyandu without an adolescents' session: their reports skip that section."""
REMAJA_SECTION = "remaja"
# Sasaran of the groups the roster has no column for: (low, high) per Posyandu.
OTHER_TARGETS = {"remaja": (30, 60), "dewasa": (40, 90), "lansia": (20, 50)}
_T = TypeVar("_T")

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


@dataclass(frozen=True, slots=True)
class DemoPosyandu:
    """A demo Posyandu as its roster rows describe it, with what the history draws from."""

    code: str
    name: str
    desa: str
    day: int
    target_balita: int
    target_bumil: int
    serves_remaja: bool


@dataclass(frozen=True, slots=True)
class District:
    """What the history and the summary line need to know of the demo roster."""

    kabupaten_code: str
    kabupaten: str
    deadline_day: int
    timezone: str
    posyandu: tuple[DemoPosyandu, ...]
    kader: dict[str, list[str]]
    """Posyandu code -> phones of its kader, in the file's order."""
    puskesmas_count: int
    desa_count: int
    people_count: int
    first_kader: RosterRow

    @classmethod
    def of(cls, rows: list[RosterRow]) -> District:
        """The district the rows describe; its Posyandu in code order, as the history draws."""
        kader_rows = [row for row in rows if row.role == "kader"]
        posyandu: dict[str, DemoPosyandu] = {}
        kader: dict[str, list[str]] = {}
        for row in kader_rows:
            code = _given(row.posyandu_code)
            posyandu.setdefault(
                code,
                DemoPosyandu(
                    code=code,
                    name=_given(row.posyandu_name),
                    desa=_given(row.desa),
                    day=_given(row.posyandu_day),
                    target_balita=_given(row.target_balita),
                    target_bumil=_given(row.target_bumil),
                    serves_remaja=code not in NO_REMAJA,
                ),
            )
            kader.setdefault(code, []).append(row.phone)
        first = rows[0]
        return cls(
            kabupaten_code=first.kabupaten_code,
            kabupaten=first.kabupaten,
            deadline_day=_given(first.deadline_day),
            timezone=province_timezone(first.provinsi_code),
            posyandu=tuple(posyandu[code] for code in sorted(posyandu)),
            kader=kader,
            puskesmas_count=len({row.puskesmas_code for row in rows if row.puskesmas_code}),
            desa_count=len({row.desa_code for row in rows if row.desa_code}),
            people_count=len({row.phone for row in rows}),
            first_kader=kader_rows[0],
        )


def roster_rows() -> list[RosterRow]:
    """The demo roster, read from the packaged file by the admin's importer."""
    with as_file(files("handlers.roster").joinpath(ROSTER_FILE)) as path:
        read = read_roster_file(path)
    if read.errors or read.ignored_columns:
        raise ValueError(f"{ROSTER_FILE}: {[*read.errors, *read.ignored_columns]}")
    return read.rows


def roster_is_empty(database: Database) -> bool:
    """True before any roster was imported (then ``console`` loads the demo)."""
    with database.transaction() as session:
        return roster.is_empty(session)


def seed_demo(database: Database, now: datetime) -> str:
    """Load the demo district and, once, its history of the three months before ``now``.

    Safe to run again: the roster import changes nothing the second time and
    the history is only written when no demo Posyandu has a report yet.
    """
    rows = roster_rows()
    district = District.of(rows)
    codes = [posyandu.code for posyandu in district.posyandu]
    with database.transaction() as session:
        summary = apply_roster(session, rows, now)
        counts = None
        if not reports.any_filed(session, codes):
            history = _History(district, roster.person_ids(session), now)
            counts = history.draw()
            for new, submitted in history.reports:
                add_revision(session, new, submitted)
    if counts is None and not summary.changed:
        return "The demo district is already loaded; nothing changed."
    if counts is None:
        return f"Demo roster refreshed: {summary.describe()}"
    kader = district.first_kader
    return (
        f"Loaded the demo district {district.kabupaten} ({district.kabupaten_code}): "
        f"{district.puskesmas_count} Puskesmas, {district.desa_count} desa, "
        f"{len(district.posyandu)} Posyandu, {district.people_count} people. "
        f"Reports {counts['first']} to {counts['last']}: {counts['monthly']} monthly (one not "
        f"held, one corrected; {counts['missing']} not yet filed for {counts['last']}), "
        f"{counts['visits']} home visits, {counts['outreach']} outreach activities. "
        f"Try: python -m bot console (the kader {kader.name}, {mask_phone(kader.phone)}; "
        "the README lists every demo number)"
    )


class _History:
    """Three months of reports, every number drawn from one seeded generator.

    Drawing writes nothing: :attr:`reports` collects each revision with its
    submission time, in order, for the caller to store.
    """

    def __init__(self, district: District, people: dict[str, int], now: datetime) -> None:
        self.district = district
        self.now = now
        self.zone = ZoneInfo(district.timezone)
        self.rng = random.Random(SEED)
        current = month_of(now.astimezone(self.zone).date())
        self.periods = [shift_month(current, months) for months in (-3, -2, -1)]
        self.kader = {
            code: [people[phone] for phone in phones] for code, phones in district.kader.items()
        }
        self.targets = {
            p.code: {
                "balita": round(p.target_balita * self.rng.uniform(0.92, 1.05)),
                "bumil": p.target_bumil,
                **{group: self.rng.randint(*span) for group, span in OTHER_TARGETS.items()},
            }
            for p in district.posyandu
        }
        self.reports: list[tuple[NewReport, datetime]] = []

    def draw(self) -> dict[str, Any]:
        """Every report of the three months; returns what the summary line reports."""
        monthly = visits = outreach = 0
        missing: list[str] = []
        for index, period in enumerate(self.periods):
            for posyandu in self.district.posyandu:
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
        held_on = day_in_month(period, posyandu.day)
        if (code, index) == NOT_HELD:
            data = closed(period, NOT_HELD_REASON)
        else:
            targets = self.targets[code]
            targets["balita"] = max(30, targets["balita"] + self.rng.randint(-2, 3))
            skipped = () if posyandu.serves_remaja else (REMAJA_SECTION,)
            data = example(self.rng, period, held_on, targets, skipped)
        deadline = deadline_of(period, self.district.deadline_day)
        if (code, index) == LATE:
            submitted = self._at(deadline + timedelta(days=3), 10)
        else:
            today = self.now.astimezone(self.zone).date()
            days = self.rng.randint(0, min(deadline - held_on, today - held_on).days)
            submitted = self._at(held_on + timedelta(days=days), self.rng.randint(9, 20))
        if (code, index) == CORRECTED:
            # The kader first swapped part of N and T, then sent the corrected numbers.
            n, t = WEIGHED_PARTS[:2]
            first = data | {n: data[n] - 4, t: data[t] + 4}
            self._store_monthly(code, period, first, submitter, submitted)
            data = {PERIOD: period, REPLACE: True, **data}
            submitted = self._at(submitted.astimezone(self.zone).date() + timedelta(days=2), 16)
        self._store_monthly(code, period, data, submitter, submitted)

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
            held=data[MONTHLY.held_field],
        )
        self.reports.append((new, at))

    # --- home visits and outreach ------------------------------------------------------

    def _home_visit(self, period: str, number: int) -> None:
        rng = self.rng
        posyandu = rng.choice(self.district.posyandu)
        day = day_in_month(period, rng.randint(1, 28))
        target, reason = rng.choice(VISITS)
        fever = rng.random() < 0.15
        data: dict[str, Any] = {
            "tanggal": day.isoformat(),
            "sasaran": target,
            "alasan": reason,
            "demam": fever,
        }
        if target == "balita":
            others = [sign for sign in DANGER_SIGNS if sign != "demam"]
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
        posyandu = rng.choice(self.district.posyandu)
        day = day_in_month(period, rng.randint(1, 28))
        kind = rng.choice(list(OUTREACH_PLANS))
        target, men, women = OUTREACH_PLANS[kind]
        male, female = rng.randint(*men), rng.randint(*women)
        served = male + female - rng.randint(0, 3)
        data: dict[str, Any] = {
            "jenis": kind,
            "tanggal": day.isoformat(),
            "tempat": posyandu.desa,
            "sasaran": target,
            "peserta_l": male,
            "peserta_p": female,
            "dilayani": served,
            "dirujuk": rng.randint(0, min(3, served)),
            "durasi": rng.choice((1.0, 1.5, 2.0, 2.5, 3.0)),
            "dana": rng.choices(list(FUNDING_WEIGHTS), list(FUNDING_WEIGHTS.values()))[0],
        }
        if kind == "penyuluhan":
            data["topik"] = rng.choice(list(OUTREACH_TOPICS))
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
        self.reports.append((new, submitted))

    def _at(self, day: date, hour: int) -> datetime:
        """A local time on ``day`` as UTC, never later than now (the latest month's
        reporting window may still be open)."""
        local = datetime.combine(day, time(hour, self.rng.randint(0, 59)), self.zone)
        return min(local.astimezone(UTC), self.now - timedelta(minutes=5))


def _given(value: _T | None) -> _T:
    """A cell of the demo roster that the history cannot do without."""
    if value is None:
        raise ValueError(f"{ROSTER_FILE} leaves a column empty that the demo history needs")
    return value


def _in_form_order(form: Form, data: dict[str, Any]) -> dict[str, Any]:
    """The answers in the order the engine asks them, as it would store them."""
    names = [field.name for field in form.fields]
    unknown = set(data) - set(names)
    if unknown:
        raise ValueError(f"not fields of the form: {sorted(unknown)}")
    return {name: data[name] for name in names if name in data}

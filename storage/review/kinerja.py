"""Kader performance for the lokakarya mini (``kinerja``): six months per Posyandu and kader.

Small sets (a Puskesmas has a few dozen Posyandu), so the rows are fetched
plainly and counted here; the deadline is each kabupaten's own, as in the rekap.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from conversations.periods import deadline_end, shift_month
from storage.models import Kabupaten, Person, PersonPosyandu, Posyandu, Report
from storage.reports import MONTHLY
from storage.review.models import ReviewEvent

MONTHS = 6


@dataclass(slots=True)
class KaderWork:
    """One kader's work at one Posyandu over the months: reports, returns, other reports by kind."""

    person_id: int
    name: str
    on_time: int = 0
    returned: int = 0
    filed: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class PosyanduWork:
    """One Posyandu over the months: monthly reports on time, returned, the on-time streak."""

    code: str
    name: str
    on_time: int = 0
    reported: int = 0
    returned: int = 0
    streak: int = 0
    kader: dict[int, KaderWork] = field(default_factory=dict)


def kinerja(session: Session, posyandu_codes: Sequence[str], period: str) -> list[PosyanduWork]:
    """The :data:`MONTHS` months up to ``period`` for these Posyandu, by Posyandu name.

    ``streak`` counts the months on time going back from ``period``.
    """
    periods = [shift_month(period, -offset) for offset in range(MONTHS)]
    places = session.exec(
        select(Posyandu.code, Posyandu.name, Kabupaten.deadline_day, Kabupaten.timezone)
        .join(Kabupaten, col(Kabupaten.code) == col(Posyandu.kabupaten_code))
        .where(col(Posyandu.code).in_(posyandu_codes))
        .order_by(col(Posyandu.name))
    ).all()
    work = {code: PosyanduWork(code, name) for code, name, _, _ in places}
    deadline = {code: (day, zone) for code, _, day, zone in places}
    names = dict(session.exec(select(Person.id, Person.name)).all())

    def kader(code: str, person_id: int) -> KaderWork:
        found = work[code].kader
        if person_id not in found:
            found[person_id] = KaderWork(person_id, names.get(person_id, ""))
        return found[person_id]

    for code, person_id in session.exec(
        select(PersonPosyandu.posyandu_code, PersonPosyandu.person_id)
        .join(Person, col(Person.id) == col(PersonPosyandu.person_id))
        .where(col(PersonPosyandu.posyandu_code).in_(posyandu_codes), Person.role == "kader")
        .order_by(col(Person.name))
    ):
        kader(code, person_id)
    on_time_months: dict[str, set[str]] = defaultdict(set)
    submitters: dict[tuple[str, str, int], int] = {}
    for code, month, kind, number, at, person_id in session.execute(
        select_columns(
            col(Report.posyandu_code),
            col(Report.period),
            col(Report.kind),
            col(Report.revision),
            col(Report.submitted_at),
            col(Report.submitted_by),
        ).where(col(Report.posyandu_code).in_(posyandu_codes), col(Report.period).in_(periods))
    ):
        if kind != MONTHLY:
            kader(code, person_id).filed[kind] += 1
            continue
        submitters[(code, month, number)] = person_id
        if number != 1:
            continue
        work[code].reported += 1
        if at < deadline_end(month, *deadline[code]):
            work[code].on_time += 1
            on_time_months[code].add(month)
            kader(code, person_id).on_time += 1
    for code, month, number in session.exec(
        select(ReviewEvent.posyandu_code, ReviewEvent.period, ReviewEvent.revision).where(
            col(ReviewEvent.posyandu_code).in_(posyandu_codes),
            col(ReviewEvent.period).in_(periods),
            ReviewEvent.action == "returned",
        )
    ):
        work[code].returned += 1
        submitter = submitters.get((code, month, number or 0))
        if submitter is not None:
            kader(code, submitter).returned += 1
    for code, place in work.items():
        place.streak = next(
            (n for n, month in enumerate(periods) if month not in on_time_months[code]),
            len(periods),
        )
    return list(work.values())


def kinerja_start(period: str) -> str:
    """The first of the :data:`MONTHS` months that end with ``period``."""
    return shift_month(period, -(MONTHS - 1))

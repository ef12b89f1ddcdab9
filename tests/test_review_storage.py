"""Supervision's storage contract on SQLite and PostgreSQL: review states, the lock, the race.

Why: the lock is only worth something if a correction and an approval
arriving together can never both win. The correction checks the lock under
the same row lock as its new revision, so the two serialise: either the
correction lands first and the approval locks it (corrected-then-approved),
or the approval lands first and the correction is refused
(approved-then-refused). Never a revision stored in a locked month.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from storage import CONFLICTS, Database, reports, review
from storage.models import Person, Report
from storage.review.models import ReviewEvent
from tests.builders import held_month, monthly_report
from tests.roster import BIDAN, KADER, PUSKESMAS, load_roster

pytestmark = pytest.mark.backends

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
PERIOD = "2026-11"
HOLD = 0.4
"""Seconds the first transaction keeps its row lock, long enough for the second to queue."""


@pytest.fixture
def ids(database: Database) -> dict[str, int]:
    load_roster(database)
    with database.transaction() as session:
        return dict(session.exec(select(Person.phone, Person.id)).all())


def actor(person: int, minutes: int = 0) -> review.Actor:
    return review.Actor(person, "telegram", NOW + timedelta(minutes=minutes))


def file(database: Database, person: int, s: int, minutes: int = 0) -> str:
    """File (or correct) Melati's November report as the handlers do: lock first, then store."""
    with database.transaction() as session:
        return _file(session, person, s, minutes)


def _file(session, person: int, s: int, minutes: int) -> str:
    row = review.take(session, "PY1", PERIOD, NOW + timedelta(minutes=minutes))
    if row.locked:
        review.refused(session, actor(person, minutes), row)
        return "refused"
    stored = reports.add_revision(
        session,
        monthly_report(person, "PY1", PERIOD, held_month(PERIOD, s)),
        NOW + timedelta(minutes=minutes),
    )
    review.revision_stored(session, actor(person, minutes), row, stored.revision)
    return "stored"


def status(database: Database, code: str = "PY1") -> review.Standing:
    with database.transaction() as session:
        return review.standings(session, ["PY1", "PY2", "PY3"], PERIOD)[code]


def actions(database: Database) -> list[str]:
    with database.transaction() as session:
        statement = select(ReviewEvent.action).where(ReviewEvent.posyandu_code == "PY1")
        return list(session.exec(statement.order_by(ReviewEvent.id)))


def test_a_report_moves_through_the_review_states(database, ids):
    kader, bidan = ids[KADER], ids[BIDAN]
    assert status(database).status == "belum"
    assert file(database, kader, 80) == "stored"
    assert (status(database).status, status(database).revision) == ("masuk", 1)

    with database.transaction() as session:
        outcome = review.judge(
            session, actor(bidan, 1), "PY1", PERIOD, "dikembalikan", revision=1, reason="hitung"
        )
        assert outcome is review.Outcome.DONE
        waiting = review.waiting(session, ["PY1", "PY2"], 10)
    assert status(database).status == "dikembalikan" and waiting == []

    file(database, kader, 82, minutes=2)
    with database.transaction() as session:
        [again] = review.waiting(session, ["PY1"], 10)
        stale = review.judge(session, actor(bidan, 3), "PY1", PERIOD, "diperiksa", revision=1)
        done = review.judge(session, actor(bidan, 3), "PY1", PERIOD, "diperiksa", revision=2)
        twice = review.judge(session, actor(bidan, 4), "PY1", PERIOD, "diperiksa")
        nothing = review.judge(session, actor(bidan, 4), "PY2", PERIOD, "diperiksa")
    assert again.revision == 2
    assert (stale, done, twice, nothing) == (
        review.Outcome.STALE,
        review.Outcome.DONE,
        review.Outcome.ALREADY,
        review.Outcome.NO_REPORT,
    )
    assert status(database).status == "diperiksa"
    assert status(database, "PY2").status == "belum"
    assert actions(database) == ["submitted", "returned", "corrected", "verified"]


def test_approval_locks_the_area_and_unlock_reopens_one_posyandu(database, ids):
    kader, pkm = ids[KADER], ids[PUSKESMAS]
    file(database, kader, 80)
    with database.transaction() as session:
        locked = review.approve(session, actor(pkm, 5), "PKM1", PERIOD)
        again = review.approve(session, actor(pkm, 6), "PKM1", PERIOD)
        approval = review.approvals(session, ["PKM1"], PERIOD)["PKM1"]
    assert sorted(locked) == ["PY1", "PY2", "PY3"] and again == []
    assert approval.approver == "Hendra"
    assert status(database).status == "disetujui" and status(database, "PY2").status == "belum"
    assert status(database, "PY2").locked, "a Posyandu that never reported is closed too"

    assert file(database, kader, 99, minutes=7) == "refused"
    with database.transaction() as session:
        judged = review.judge(session, actor(ids[BIDAN], 8), "PY1", PERIOD, "diperiksa")
        opened = review.unlock(session, actor(pkm, 9), "PY1", PERIOD, "salah ketik S")
        not_locked = review.unlock(session, actor(pkm, 9), "PY1", PERIOD, "lagi")
    assert judged is review.Outcome.LOCKED
    assert (opened, not_locked) == (review.Outcome.DONE, review.Outcome.NOT_LOCKED)
    assert status(database, "PY2").locked, "unlocking one Posyandu leaves the others locked"

    assert file(database, kader, 99, minutes=10) == "stored"
    assert status(database).status == "masuk"
    with database.transaction() as session:
        relocked = review.approve(session, actor(pkm, 11), "PKM1", PERIOD)
        trail = review.history(session, "PY1", PERIOD)
    assert relocked == ["PY1"]
    assert [(e.action, e.revision, e.reason) for e in trail] == [
        ("submitted", 1, None),
        ("approved", 1, None),
        ("refused", 1, None),
        ("unlocked", 1, "salah ketik S"),
        ("corrected", 2, None),
        ("approved", 2, None),
    ]
    assert trail[0].person == "Siti" and trail[1].role == "puskesmas"


def _run(database: Database, work) -> None:
    """One unit of work, retried like the service retries (SQLite may say "locked")."""
    for _ in range(20):
        try:
            with database.transaction() as session:
                work(session)
            return
        except CONFLICTS:
            time.sleep(0.05)
    raise AssertionError("gave up")


def _race(database: Database, ids: dict[str, int], *, approval_first: bool) -> list[str]:
    """The first transaction takes the row and holds it; the second must queue behind it."""
    kader, pkm = ids[KADER], ids[PUSKESMAS]
    holding = threading.Event()
    outcome: list[str] = []

    def correct(session) -> None:
        if not approval_first:
            review.take(session, "PY1", PERIOD, NOW)
            holding.set()
            time.sleep(HOLD)
        outcome.append(_file(session, kader, 95, 20))

    def approve(session) -> None:
        review.approve(session, actor(pkm, 21), "PKM1", PERIOD)
        if approval_first:
            holding.set()
            time.sleep(HOLD)

    first, second = (approve, correct) if approval_first else (correct, approve)
    threads = [
        threading.Thread(target=_run, args=(database, first)),
        threading.Thread(target=lambda: (holding.wait(5), _run(database, second))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    return outcome


@pytest.mark.parametrize("approval_first", [True, False], ids=["approval", "correction"])
def test_a_correction_racing_an_approval_never_both_wins(database, ids, approval_first):
    file(database, ids[KADER], 80)
    outcome = _race(database, ids, approval_first=approval_first)
    with database.transaction() as session:
        latest = reports.latest_for_period(session, reports.MONTHLY, "PY1", PERIOD)
        count = len(session.exec(select(Report.id)).all())
    trail = actions(database)
    if approval_first:
        assert outcome[-1] == "refused" and latest.revision == 1 and count == 1
        assert trail == ["submitted", "approved", "refused"]
    else:
        assert outcome == ["stored"] and latest.revision == 2 and count == 2
        assert trail == ["submitted", "corrected", "approved"]
    assert status(database).status == "disetujui"


def test_free_running_races_end_one_way_or_the_other(database, ids):
    """Unsynchronised races: each ends approved-then-refused or corrected-then-approved."""
    kader, pkm = ids[KADER], ids[PUSKESMAS]
    file(database, kader, 80)
    endings = {("approved", "refused"), ("corrected", "approved")}
    for round_ in range(5):
        with database.transaction() as session:
            review.unlock(session, actor(pkm, round_), "PY1", PERIOD, "ulang")
        before = len(actions(database))
        threads = [
            threading.Thread(target=_run, args=(database, lambda s: _file(s, kader, 90, 30))),
            threading.Thread(
                target=_run,
                args=(database, lambda s: review.approve(s, actor(pkm, 31), "PKM1", PERIOD)),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(15)
        assert tuple(actions(database)[before:]) in endings
        assert status(database).locked

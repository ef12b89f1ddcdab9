"""Storage contract: the same behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from storage import Database, drafts, inbox, outbox, reports
from storage.models import Person, Report
from storage.rekap import export
from tests.builders import monthly_report
from tests.roster import KADER, load_roster

pytestmark = pytest.mark.backends

NOW = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def roster(database: Database) -> Database:
    load_roster(database)
    return database


def person_id(database: Database, phone: str) -> int:
    with database.transaction() as session:
        return session.exec(select(Person.id).where(Person.phone == phone)).one()


def monthly(person: int, posyandu: str, period: str, s: int, **extra: object) -> reports.NewReport:
    data = {"periode": period, "POSY_BUKA": True, "BAL_S": s, "BAL_K": s, **extra}
    data |= {"BAL_D": s - 10, "BAL_N": s - 20}
    return monthly_report(person, posyandu, period, data)


def test_message_ids_are_recorded_once(roster):
    telegram, whatsapp = inbox.Lane("telegram", "1"), inbox.Lane("whatsapp", "62811")
    with roster.transaction() as session:
        assert inbox.keep(session, telegram, "1:5", 5, {}, NOW)
        assert not inbox.keep(session, telegram, "1:5", 5, {}, NOW)
        assert inbox.keep(session, whatsapp, "1:5", 5, {}, NOW)


def test_revisions_append_and_only_the_latest_counts(roster):
    kader = person_id(roster, KADER)
    with roster.transaction() as session:
        reports.add_revision(session, monthly(kader, "PY1", "2026-10", 80), NOW)
    with roster.transaction() as session:
        reports.add_revision(session, monthly(kader, "PY1", "2026-10", 85), NOW + timedelta(days=3))
    with roster.transaction() as session:
        history = reports.revisions(session, reports.monthly_key("PY1", "2026-10"))
        latest = session.exec(select(Report).where(Report.is_latest)).all()
    assert [(r.revision, r.is_latest, r.data["BAL_S"]) for r in history] == [
        (1, False, 80),
        (2, True, 85),
    ]
    assert [r.data["BAL_S"] for r in latest] == [85]
    assert history[0].submitted_at == NOW
    assert history[0].submitted_at.tzinfo is not None


def test_export_counts_latest_revision_and_timeliness_of_the_first(roster):
    kader = person_id(roster, KADER)
    on_time = datetime(2026, 11, 5, 16, 59, tzinfo=UTC)  # 23:59 on the 5th in Jakarta
    late = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)  # 00:00 on the 6th in Jakarta
    with roster.transaction() as session:
        reports.add_revision(session, monthly(kader, "PY1", "2026-10", 80), on_time)
        reports.add_revision(session, monthly(kader, "PY1", "2026-10", 90), late)
        reports.add_revision(session, monthly(kader, "PY2", "2026-10", 50), late)
    with roster.transaction() as session:
        rows = {r["posyandu_code"]: r for r in export.monthly_rows(session, "2026-10", None, None)}
    assert (rows["PY1"]["S"], rows["PY1"]["reported"], rows["PY1"]["on_time"]) == (90, 1, 1)
    assert (rows["PY2"]["S"], rows["PY2"]["reported"], rows["PY2"]["on_time"]) == (50, 1, 0)
    assert (rows["PY3"]["S"], rows["PY3"]["reported"], rows["PY3"]["on_time"]) == ("", 0, 0)


def test_export_is_limited_to_the_area(roster):
    with roster.transaction() as session:
        rows = export.monthly_rows(session, "2026-10", "desa", "32.98.01.2002")
    assert [r["posyandu_code"] for r in rows] == ["PY3"]


def test_draft_save_detects_a_concurrent_writer(roster):
    kader = person_id(roster, KADER)
    expires = NOW + timedelta(days=7)
    with roster.transaction() as session:
        drafts.save(session, kader, "bulanan", "{}", expires, NOW, None)
    with roster.transaction() as session:
        read = drafts.load(session, kader)
    with roster.transaction() as session:
        drafts.save(session, kader, "bulanan", '{"a":1}', expires, NOW, read)
    with pytest.raises(drafts.StaleDraftError), roster.transaction() as session:
        drafts.save(session, kader, "bulanan", '{"b":2}', expires, NOW, read)
    with roster.transaction() as session:
        assert drafts.load(session, kader).state == '{"a":1}'


def test_outbox_key_is_unique(roster):
    kader = person_id(roster, KADER)
    with roster.transaction() as session:
        assert outbox.enqueue(session, "alert:x:1", kader, "alert_x", {"text": "a"}, NOW)
        assert not outbox.enqueue(session, "alert:x:1", kader, "alert_x", {"text": "b"}, NOW)
        [row] = outbox.pending(session)
    assert row.payload == {"text": "a"}


def test_concurrent_inserts_of_one_message_id_record_it_once(roster):
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        database = Database(roster.url)
        barrier.wait()
        with database.transaction() as session:
            lane = inbox.Lane("whatsapp", "6281100000001")
            results.append(inbox.keep(session, lane, "wamid.X", 1, {}, NOW))
        database.dispose()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]

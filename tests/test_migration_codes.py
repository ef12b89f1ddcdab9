"""Revision 0006: stored monthly reports move to the ILP form's codes, nothing dropped.

The database is made the way the bot before it made one: migrated to 0005,
with monthly revisions in the SKDN form's shape as its demo wrote them (held,
not held, one corrected), a home visit, and the figures stored at a deadline.
After the upgrade every count is where the new codes say, births and deaths
keep their old names and still show in the long table, and nothing was lost.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func
from sqlmodel import select

from handlers.rekap import files as rekap_files
from storage import Database, reports
from storage.db import alembic_config
from storage.models import Person, Report
from storage.rekap import Area, SummarySnapshot, monthly_rows, stored
from tests.builders import event_report
from tests.conftest import fresh_postgres
from tests.roster import load_roster

PERIOD = "2026-10"
SENT = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)
# A held month as the SKDN form stored it, every field of version 1.
SKDN = {
    "periode": PERIOD,
    "buka": True,
    "s": 98,
    "k": 98,
    "d": 73,
    "n": 61,
    "t": 11,
    "o": 0,
    "b": 1,
    "t2": 0,
    "bgm": 0,
    "vit_a_biru": 12,
    "vit_a_merah": 77,
    "bumil_hadir": 12,
    "bumil_kek": 1,
    "bumil_ttd": 7,
    "nifas_hadir": 4,
    "remaja_hadir": 17,
    "dewasa_hadir": 15,
    "dewasa_ht": 2,
    "lansia_hadir": 11,
    "lansia_ht": 2,
    "terduga_tbc": 0,
    "lahir": 2,
    "mati_bayi": 1,
    "mati_ibu": 0,
    "balita_dirujuk": 1,
    "dirujuk": 3,
    "kader_hadir": 5,
}
RENAMED = {
    "buka": "POSY_BUKA",
    "alasan_tutup": "POSY_ALASAN",
    "kader_hadir": "POSY_KADER_HADIR",
    "s": "BAL_S",
    "k": "BAL_K",
    "d": "BAL_D",
    "n": "BAL_N",
    "t": "BAL_T",
    "o": "BAL_O",
    "b": "BAL_B",
    "t2": "BAL_2T",
    "bgm": "BAL_BGM",
    "balita_dirujuk": "BAL_RUJUK",
    "vit_a_biru": "BAL_VITA_BIRU",
    "vit_a_merah": "BAL_VITA_MERAH",
    "bumil_hadir": "BUMIL_DATANG",
    "bumil_kek": "BUMIL_KEK",
    "bumil_ttd": "BUMIL_TTD",
    "nifas_hadir": "NIFAS_DATANG",
    "remaja_hadir": "REMAJA_DATANG",
    "dewasa_hadir": "DEWASA_DATANG",
    "dewasa_ht": "DEWASA_HT",
    "lansia_hadir": "LANSIA_DATANG",
    "lansia_ht": "LANSIA_HT",
    "terduga_tbc": "TBC_TERDUGA",
}
KEPT = ("periode", "lahir", "mati_bayi", "mati_ibu", "dirujuk")


@pytest.fixture
def database_at_0005(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A database as the bot before revision 0006 made and filled it."""
    if backend == "sqlite":
        db = Database(f"sqlite:///{tmp_path}/old.db")
        db.upgrade("0005")
        yield db
        db.dispose()
        return
    with fresh_postgres("0005") as url:
        db = Database(url)
        yield db
        db.dispose()


def monthly(by: int, posyandu: str, data: dict[str, Any]) -> reports.NewReport:
    return reports.NewReport(
        kind=reports.MONTHLY,
        report_key=reports.monthly_key(posyandu, PERIOD),
        posyandu_code=posyandu,
        period=PERIOD,
        data=data,
        submitted_by=by,
        channel="telegram",
        message_id=None,
        held=data["buka"],
    )


def fill_the_old_way(db: Database) -> None:
    load_roster(db)
    with db.transaction() as session:
        by = session.exec(select(func.min(Person.id))).one()
        swapped = SKDN | {"n": SKDN["n"] - 4, "t": SKDN["t"] + 4}
        closed = {"periode": PERIOD, "buka": False, "alasan_tutup": "bencana"}
        visit = {"tanggal": "2026-10-12", "sasaran": "balita", "demam": False, "t": 1}
        for new in (
            monthly(by, "PY1", swapped),
            monthly(by, "PY1", {"ganti": True, **SKDN}),
            monthly(by, "PY2", closed),
            event_report(by, "kunjungan", "v1", "PY1", "2026-10-12", visit),
        ):
            reports.add_revision(session, new, SENT)
        sums = {key: value for key, value in SKDN.items() if isinstance(value, int)}
        session.add(
            SummarySnapshot(
                period=PERIOD,
                level="posyandu",
                code="PY1",
                parent_code="32.98.01.2001",
                kabupaten_code="32.98",
                name="Posyandu Melati",
                figures={"expected": 1, "reported": 1, "on_time": 1, "not_held": 0, "sums": sums},
                as_of=SENT,
                computed_at=SENT,
            )
        )


def everything(db: Database) -> list[tuple[str, int, dict[str, Any]]]:
    with db.transaction() as session:
        rows = session.exec(select(Report.report_key, Report.revision, Report.data)).all()
    return sorted((key, revision, data) for key, revision, data in rows)


@pytest.mark.backends
def test_old_revisions_get_the_new_codes_and_keep_every_answer(database_at_0005):
    db = database_at_0005
    fill_the_old_way(db)
    before = everything(db)
    db.upgrade()
    after = everything(db)

    assert len(after) == len(before) == 4
    for (key, _, old), (_, _, new) in zip(before, after, strict=True):
        if key.startswith("bulanan"):
            assert new == {RENAMED.get(name, name): value for name, value in old.items()}, key
        else:
            assert new == old, "only monthly reports change"
    latest = after[1][2]
    assert latest["BAL_S"] == 98 and latest["BUMIL_DATANG"] == 12 and latest["ganti"] is True
    assert all(latest[name] == SKDN[name] for name in KEPT)
    assert after[2][2] == {"periode": PERIOD, "POSY_BUKA": False, "POSY_ALASAN": "bencana"}


@pytest.mark.backends
def test_after_the_upgrade_the_rekap_and_the_long_table_show_the_old_months(database_at_0005):
    db = database_at_0005
    fill_the_old_way(db)
    db.upgrade()
    area = Area("kabupaten", "32.98", "Kabupaten Uji")
    with db.transaction() as session:
        [melati] = [r for r in monthly_rows(session, PERIOD, "posyandu", "PY1")]
        snapshot = stored(session, PERIOD, "posyandu", ["PY1"])["PY1"].figures
        long = rekap_files.file_bytes(session, area, PERIOD, "long", date(2026, 11, 22))
    assert (melati["S"], melati["K"], melati["D"], melati["N"], melati["BUMIL_DATANG"]) == (
        98,
        98,
        73,
        61,
        12,
    )
    assert snapshot.get("BAL_D") == 73 and snapshot.get("lahir") == 2 and "s" not in snapshot.sums
    rows = list(csv.DictReader(io.StringIO(long.decode("utf-8"))))
    codes = {row["code"]: row for row in rows if row["posyandu_code"] == "PY1"}
    assert (codes["lahir"]["value"], codes["lahir"]["label"]) == ("2", "Kelahiran")
    assert (codes["mati_bayi"]["value"], codes["dirujuk"]["value"]) == ("1", "3")
    assert codes["BAL_S"]["label"] == "S: balita sasaran"
    assert len(codes) == sum(isinstance(v, int) for v in SKDN.values()) + 1  # and ganti


@pytest.mark.backends
def test_the_upgrade_can_be_undone(database_at_0005):
    db = database_at_0005
    fill_the_old_way(db)
    before = everything(db)
    db.upgrade()
    command.downgrade(alembic_config(db.url), "0005")
    assert everything(db) == before

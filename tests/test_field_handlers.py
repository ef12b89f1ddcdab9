"""Field-test defects of the command handlers, replayed as chats (issue 9, items 11-13, 19, 20, 22).

Why: each of these was met by a real kader, bidan or district officer trying
the bot end to end. A kader with half a monthly report must be able to file an
urgent home visit without losing it; a bidan alerted about a danger sign must
be able to call the kader back; people must not be greeted with a doubled title
or told to report when they cannot.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, text, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import SQLModel, select

from conversations import ALL_FORMS, Engine
from handlers import Service
from storage import Database, drafts
from storage.db import alembic_config
from storage.models import Person
from tests.chat import ServiceChat
from tests.conftest import PG_ADMIN_URL
from tests.roster import KADER, load_roster

MONTHLY_START = ["lapor", "1", "2026-10", "ya", "80"]
MONTHLY_REST = ["70", "60", "40", "10", "5", "5", "2", "1"]
GROUPS = ["6", "1", "6", "4", "10", "20", "3", "15", "5", "1", "1", "0", "0", "2", "3", "5"]
# lapor, home visit, yesterday, a child, not at the Posyandu, fever, fast breathing, referred
DANGER_VISIT = ["lapor", "2", "kemarin", "3", "4", "ya", "1", "3"]
CALM_VISIT = ["lapor", "2", "kemarin", "3", "4", "tidak", "tidak ada", "1", "lewati", "kirim"]


@pytest.fixture
def service(database: Database, clock) -> Service:
    load_roster(database)
    return Service(database, Engine(ALL_FORMS), clock=clock)


def count(database: Database, table: type) -> int:
    with database.transaction() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def person_id(database: Database, phone: str) -> int:
    with database.transaction() as session:
        return session.exec(select(Person.id).where(Person.phone == phone)).one()


def rename(database: Database, phone: str, name: str) -> None:
    with database.transaction() as session:
        session.exec(update(Person).where(Person.phone == phone).values(name=name))


def labels(chat: ServiceChat) -> list[str]:
    return [choice.label for reply in chat.replies for choice in reply.choices]


# --- storage: one open conversation, paused drafts, versions ---------------------------------


NOW = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=7)


def test_pausing_keeps_the_draft_and_frees_the_person_for_another_form(database):
    load_roster(database)
    kader = person_id(database, KADER)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", '{"m":1}', LATER, NOW, None)
    with database.transaction() as session:
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
        assert drafts.load(session, kader) is None
        drafts.save(session, kader, "kunjungan", '{"v":1}', LATER, NOW, None)
    with database.transaction() as session:
        assert drafts.load(session, kader).form == "kunjungan"
        [paused] = drafts.paused(session, kader, NOW)
    assert (paused.form, paused.state) == ("bulanan", '{"m":1}')


def test_a_second_open_conversation_is_refused_by_the_database(database):
    load_roster(database)
    kader = person_id(database, KADER)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", "{}", LATER, NOW, None)
    with pytest.raises(IntegrityError), database.transaction() as session:
        drafts.save(session, kader, "kunjungan", "{}", LATER, NOW, None)


def test_pause_and_resume_detect_a_concurrent_writer(database):
    load_roster(database)
    kader = person_id(database, KADER)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", "{}", LATER, NOW, None)
        read = drafts.load(session, kader)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", '{"a":1}', LATER, NOW, read)
    with pytest.raises(drafts.StaleDraftError), database.transaction() as session:
        drafts.pause(session, kader, read, NOW)
    with database.transaction() as session:
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
        [paused] = drafts.paused(session, kader, NOW)
    with database.transaction() as session:
        drafts.resume(session, kader, paused, NOW)
    with pytest.raises(drafts.StaleDraftError), database.transaction() as session:
        drafts.resume(session, kader, paused, NOW)
    with database.transaction() as session:
        assert drafts.load(session, kader).state == '{"a":1}'


def test_expired_paused_drafts_are_dropped_and_named(database):
    load_roster(database)
    kader = person_id(database, KADER)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", "{}", NOW + timedelta(hours=1), NOW, None)
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
        drafts.save(session, kader, "kunjungan", "{}", LATER, NOW, None)
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
    later = NOW + timedelta(hours=2)
    with database.transaction() as session:
        assert drafts.drop_expired(session, kader, later) == ["bulanan"]
        assert [d.form for d in drafts.paused(session, kader, later)] == ["kunjungan"]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_at_0004(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated only to revision 0004, as a deployed bot has it before the upgrade."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path}/old.db")
        db.upgrade("0004")
        yield db
        db.dispose()
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"lapor_mig_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {error.orig}")
    db = Database(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    db.upgrade("0004")
    yield db
    db.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def conversation_differences(db: Database) -> list[object]:
    """What autogenerate would still change in the conversation table: nothing, if the
    migration built what the model declares."""

    def ours(item: object, name: str | None, kind: str, *_: object) -> bool:
        table = item if kind == "table" else getattr(item, "table", None)
        return getattr(table, "name", name) == "conversation"

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": ours})
        return compare_metadata(context, SQLModel.metadata)


def test_the_migration_keeps_the_open_drafts_of_a_running_bot(database_at_0004):
    db = database_at_0004
    load_roster(db)
    kader = person_id(db, KADER)
    insert = text(
        "INSERT INTO conversation (person_id, form, state, version, updated_at, expires_at) "
        "VALUES (:p, 'bulanan', :state, 3, :now, :later)"
    )
    with db.engine.begin() as connection:
        connection.execute(insert, {"p": kader, "state": '{"x":1}', "now": NOW, "later": LATER})
    db.upgrade()
    assert conversation_differences(db) == []
    with db.transaction() as session:
        assert drafts.load(session, kader) == drafts.Draft("bulanan", '{"x":1}', 3)
        assert drafts.paused(session, kader, NOW) == []
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
        drafts.save(session, kader, "kunjungan", '{"v":1}', LATER, NOW, None)
    command.downgrade(alembic_config(db.url), "0004")
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT form, state FROM conversation")).all()
    assert [tuple(row) for row in rows] == [("kunjungan", '{"v":1}')]

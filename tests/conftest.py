"""Shared fixtures: a database, a fixed clock, the test districts and the core service on them.

Every test gets a migrated SQLite database (``database``, or ``module_database``
shared by one module's tests that only read). A storage contract test, one whose
SQL may behave differently by dialect (insert-or-ignore, ``FOR UPDATE SKIP
LOCKED``, JSON columns, time zones, migrations), is marked ``backends`` and runs
once on SQLite and once on PostgreSQL; its PostgreSQL case skips, saying why,
when no server answers at ``TEST_POSTGRES_URL``. Everything else runs on SQLite
only, because what it checks does not depend on the database.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

from conversations import ALL_FORMS, Engine
from handlers import Service
from storage import Database
from tests.rekap_district import load_district
from tests.roster import load_roster

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "backends: a storage contract test, run on SQLite and on PostgreSQL"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests marked ``backends`` once per backend (ids ``[sqlite]``, ``[postgresql]``)."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="module")


@pytest.fixture(scope="module")
def backend(request: pytest.FixtureRequest) -> str:
    """The database a test runs on: SQLite, unless the test is marked ``backends``.

    One fixture, parametrised or not, so that a module's shared database is
    rebuilt whenever the backend changes between its tests.
    """
    return getattr(request, "param", "sqlite")


class Clock:
    """A settable clock the service reads instead of the real one."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    # 22 Nov 2026, 10:00 in Jakarta.
    return Clock(datetime(2026, 11, 22, 3, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    return path


@contextmanager
def fresh_postgres(revision: str = "head") -> Iterator[str]:
    """The URL of a new PostgreSQL database migrated to ``revision``, dropped afterwards.

    Skips the test when no server answers. Each database has a random name, so
    parallel workers (``pytest -n``) never share one.
    """
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"lapor_test_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {error.orig}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    database = Database(url)
    database.upgrade(revision)
    database.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database for this test session (or xdist worker)."""
    with fresh_postgres() as url:
        yield url


def _sqlite_copy(template: Path, folder: Path) -> Database:
    path = folder / "bot.db"
    shutil.copy(template, path)
    return Database(f"sqlite:///{path}")


@pytest.fixture
def database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of this test's own (SQLite; PostgreSQL too if ``backends``)."""
    if backend == "sqlite":
        db = _sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def module_database(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated, empty database shared by one module's tests that only read.

    PostgreSQL gets a database of its own: the per-test ``database`` fixture
    empties the session's one before each test.
    """
    if backend == "sqlite":
        folder = tmp_path_factory.mktemp("module")
        db = _sqlite_copy(request.getfixturevalue("sqlite_template"), folder)
        yield db
        db.dispose()
    else:
        with fresh_postgres() as url:
            db = Database(url)
            yield db
            db.dispose()


@pytest.fixture
def service(database: Database, clock: Clock) -> Service:
    """The core service on Kabupaten Uji (tests/roster.py), reading the test's clock."""
    load_roster(database)
    return Service(database, Engine(ALL_FORMS), clock=clock)


@pytest.fixture(scope="module")
def district(module_database: Database) -> Database:
    """The rekap district (tests/rekap_district.py) loaded once per module and backend.

    For tests that only read it: a rekap in chat adds only its own message records.
    """
    load_district(module_database)
    return module_database


@pytest.fixture
def fresh_district(database: Database) -> Database:
    """The rekap district of this test's own, for a test that changes it."""
    load_district(database)
    return database

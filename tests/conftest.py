"""Shared fixtures: databases on SQLite and PostgreSQL, a small roster, a fixed clock."""

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

from storage import Database

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


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
def _fresh_postgres() -> Iterator[str]:
    """The URL of a new, migrated PostgreSQL database, dropped afterwards (skip if unreachable)."""
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
    database.upgrade()
    database.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped afterwards."""
    with _fresh_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "bot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = Database(f"sqlite:///{path}")
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield db
    db.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated, empty database on each backend, shared by one module's tests that only read.

    PostgreSQL gets a database of its own: the per-test ``database`` fixture
    empties the session's one before each test.
    """
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("module") / "bot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
    else:
        with _fresh_postgres() as url:
            db = Database(url)
            yield db
            db.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """A migrated SQLite file only (for tests about the embedded default)."""
    path = tmp_path / "bot.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()

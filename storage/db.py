"""Opening the database: engine, connection settings, transactions, migrations.

SQLite is the embedded default (a file under ``./data/``) in WAL mode with
foreign keys on and a busy timeout, so the bot and a CLI command can share it.
PostgreSQL is reached through ``DATABASE_URL``. Nothing here runs at import.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, IntegrityError, OperationalError
from sqlmodel import Session

Transaction = Session
"""An open unit of work. Layers above storage hold one and hand it to storage
functions; only storage queries it, so no SQL lives outside this package."""

CONFLICTS: tuple[type[Exception], ...] = (IntegrityError, OperationalError)
"""Errors after which a unit of work may be retried on fresh data: a unique key
taken by a concurrent writer, a lock or a dropped connection."""

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 10_000
PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled PostgreSQL connection idle this long is pinged before use; a busy one is not (a
ping on every transaction was one round trip in six). A connection that dies while in use
fails its unit of work with an ``OperationalError``, which is retried on a fresh one."""
POOL_RECYCLE_SECONDS = 1800


class Database:
    """One engine per process; sessions are opened per unit of work."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "NORMAL", echo: bool = False) -> None:
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        # Statement parameters hold phone numbers, names and health data: a database error
        # (logged with its traceback) or echo must show the SQL only.
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            kwargs.update(pool_size=10, max_overflow=10, pool_recycle=POOL_RECYCLE_SECONDS)
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine, sqlite_synchronous)
        else:
            _ping_when_idle(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migrations up to ``revision``."""
        command.upgrade(alembic_config(self.url), revision)

    def dispose(self) -> None:
        self.engine.dispose()


def normalize_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()


def _ping_when_idle(engine: Engine) -> None:
    """Pre-ping only connections that sat in the pool (where a server restart or a firewall
    drops them); SQLAlchemy's ``pool_pre_ping`` pings before every checkout."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()
        except Exception as error:
            raise DisconnectionError("connection lost while idle in the pool") from error
        if not alive:
            raise DisconnectionError("connection lost while idle in the pool")

"""Building the running parts from settings: database, engine, core service."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.config import Settings
from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers.mailroom import Mailroom
from storage import Database


def open_database(settings: Settings, *, upgrade: bool = True) -> Database:
    """Open the configured database and bring its schema up to date."""
    database = Database(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    if upgrade:
        database.upgrade()
    return database


def build_service(database: Database, settings: Settings | None = None) -> Service:
    """The core service; with ``settings``, photos sent as evidence are fetched and stored,
    and the ``web`` command's links start with ``WEB_BASE_URL``."""
    if settings is None:
        return Service(database, Engine(ALL_FORMS))
    from bot.media import fetchers
    from handlers.media import inbox

    media = inbox(settings.media_dir, fetchers(settings), settings.media_max_bytes)
    return Service(database, Engine(ALL_FORMS), media=media, web_url=settings.web_url)


def build_mailroom(service: Service, settings: Settings) -> Mailroom:
    """The mailroom every channel stores into, with the inbox settings."""
    return Mailroom(
        service,
        retention=timedelta(days=settings.inbox_retention_days),
        max_retry_after=settings.outbox_max_retry_after_seconds,
        sweep_seconds=settings.inbox_sweep_seconds,
    )


def configure_logging(level: str) -> None:
    """Plain, one-line logs an operator can grep; third-party chatter kept at WARNING."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "httpcore", "alembic", "aiohttp.access", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

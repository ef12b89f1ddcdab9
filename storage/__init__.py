"""Every table and every query; SQLite by default, PostgreSQL through DATABASE_URL."""

from storage.db import Database

__all__ = ["Database"]

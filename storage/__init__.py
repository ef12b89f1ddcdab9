"""Every table and every query; SQLite by default, PostgreSQL through DATABASE_URL."""

from storage.db import CONFLICTS, Database, Transaction

__all__ = ["CONFLICTS", "Database", "Transaction"]

"""Statement helpers that hide the differences between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


class InsertIgnore:
    """``INSERT … ON CONFLICT DO NOTHING``, built once per dialect and reused.

    Calling it inserts one row unless a row with the same ``conflict`` columns
    exists, and says whether it inserted. It reads RETURNING rather than the
    row count, which psycopg reports as -1 for this statement.
    """

    def __init__(self, table: Table, conflict: Sequence[str]) -> None:
        returned = table.c[conflict[0]]
        self._statements = {
            name: module.insert(table)
            .on_conflict_do_nothing(index_elements=list(conflict))
            .returning(returned)
            for name, module in (("sqlite", sqlite), ("postgresql", postgresql))
        }

    def __call__(self, session: Session, values: Mapping[str, Any]) -> bool:
        connection = session.connection()
        statement = self._statements[connection.dialect.name]
        return connection.execute(statement, dict(values)).first() is not None

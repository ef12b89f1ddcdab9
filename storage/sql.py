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

    def many(self, session: Session, rows: Sequence[Mapping[str, Any]]) -> set[Any]:
        """Insert many rows in multi-row batches; returns the first conflict column of the new ones.

        SQLAlchemy sends the list as batched ``INSERT … VALUES (…), (…)`` with
        RETURNING on both backends. On PostgreSQL, pages of 100 rows: psycopg
        re-parses every long statement, and 1,000-row pages took twice as long.
        """
        if not rows:
            return set()
        connection = session.connection()
        dialect = connection.dialect.name
        options = {"insertmanyvalues_page_size": 100} if dialect == "postgresql" else {}
        result = connection.execution_options(**options).execute(
            self._statements[dialect], [dict(row) for row in rows]
        )
        return set(result.scalars())

"""Locks a process holds for as long as it runs, against every other process on the database.

On PostgreSQL a :class:`ProcessLock` is a session-level advisory lock on a
connection of its own, outside the pool: it lasts until it is released or
that connection ends, and a process that dies (even ``kill -9``) takes its
connection with it, so a lock never outlives its holder. The lock's key is a
hash of its name, so a name may hold a secret (a bot token) that never
reaches the server. On SQLite there is one process by rule, and nothing to
take.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, text

from storage.db import Database

_TRY = text("SELECT pg_try_advisory_lock(:key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:key)")


class ProcessLock:
    """One named lock: :meth:`acquire` without waiting, :meth:`release` (or exit) to free it."""

    def __init__(self, database: Database, name: str) -> None:
        self._database = database
        self._key = lock_key(name)
        self._connection: Connection | None = None

    def acquire(self) -> bool:
        """Take the lock now; False when another process holds it."""
        if self._database.dialect != "postgresql":
            return True
        if self._connection is not None:
            return True
        connection = self._database.engine.connect()
        connection.detach()  # closing it ends its session, and the lock with it
        taken = bool(connection.execute(_TRY, {"key": self._key}).scalar_one())
        connection.commit()  # the lock is the session's: no transaction is left open
        if taken:
            self._connection = connection
        else:
            connection.close()
        return taken

    def release(self) -> None:
        """Free the lock at once (closing the connection alone frees it only when the server
        has ended the session, a moment later)."""
        if self._connection is not None:
            self._connection.execute(_UNLOCK, {"key": self._key})
            self._connection.commit()
            self._connection.close()
            self._connection = None


def lock_key(name: str) -> int:
    """The advisory lock's key: a signed 64-bit hash of ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)

"""Long polling: one process per account, however many share the database.

A platform hands each update to one ``getUpdates`` caller and answers a second
caller on the same token with a conflict (Telegram: 409), so two pollers would
steal each other's updates. The first process to start polling an account
holds a lock on it in the database for as long as it runs; any other is
refused at start, before it asks the platform anything. Several processes
take their updates by webhook instead, behind a load balancer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager

from storage import Database
from storage.locks import ProcessLock


class PollerTakenError(Exception):
    """Another process is already polling this channel's account."""

    def __init__(self, channel: str) -> None:
        super().__init__(f"another process is long-polling this {channel} account")
        self.channel = channel


@contextmanager
def sole_poller(database: Database, polled: Sequence[tuple[str, str]]) -> Iterator[None]:
    """Hold the right to poll each ``(channel, account)`` while the block runs.

    Raises :class:`PollerTakenError` for the first one another process holds
    (and takes none).
    """
    with ExitStack() as held:
        for channel, account in polled:
            lock = ProcessLock(database, f"poller:{channel}:{account}")
            if not lock.acquire():
                raise PollerTakenError(channel)
            held.callback(lock.release)
        yield

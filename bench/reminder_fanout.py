"""Fan one reminder out to many kader and send it through a rate-limited fake channel.

Builds a synthetic kabupaten (one kader per Posyandu, none reported; half of
them with a linked WhatsApp account, the rest reached by roster phone), runs
the real ``report_due`` job as ``jobs run`` does, then drains the outbox with
the real dispatcher into a fake WhatsApp server that refuses anything over
its limit (a bucket of one second's worth, like the platforms). Prints the
time to enqueue and the achieved send rate as a share of the limit.

    python -m bench.reminder_fanout --recipients 100000 --rate 2000
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bench.core_throughput import drop_postgres, postgres_database
from bench.synthetic import link_accounts, load_kader_roster
from bot.channels.whatsapp import INFO
from conversations import Reply
from handlers.delivery import DeliveryError
from handlers.reminders.dispatcher import Dispatcher, Stats
from handlers.reminders.pacing import Pace
from handlers.reminders.tick import TickConfig, tick
from handlers.reminders.timing import Calendar
from storage import Database

NOW = datetime(2026, 11, 2, 1, 30, tzinfo=UTC)  # Monday 2 November, 08:30 WIB
CHANNEL = INFO.name


class LimitedSink:
    """A fake WhatsApp channel keeping its pace, and its server: counts, refuses over its rate."""

    name = CHANNEL

    def __init__(self, rate: float) -> None:
        self.pace = Pace(INFO.at_rate(rate))
        self.rate = rate
        self.accepted = 0
        self.refused = 0
        self.first = self.last = 0.0
        self._tokens = rate
        self._refilled = time.monotonic()
        self._lock = threading.Lock()

    async def send(
        self, user_id: str, replies: Sequence[Reply], outbox_id: int | None = None
    ) -> None:
        async with self.pace.slot():
            self._accept()

    def _accept(self) -> None:
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.rate, self._tokens + (now - self._refilled) * self.rate)
            self._refilled = now
            if self._tokens < 1:
                self.refused += 1
                raise DeliveryError("429 rate limit hit", permanent=False, retry_after=1)
            self._tokens -= 1
            self.accepted += 1
            self.first = self.first or now
            self.last = now


@dataclass
class Figures:
    backend: str
    recipients: int
    roster_seconds: float
    enqueue_seconds: float
    queued: int
    dispatch_seconds: float
    stats: Stats
    sink: LimitedSink

    @property
    def achieved_rate(self) -> float:
        """Sends per second, the last one-second window counted whole (sends come in bursts)."""
        span = self.sink.last - self.sink.first
        return self.sink.accepted / (span + 1.0)


def fan_out(
    database: Database, recipients: int, rate: float, label: str, progress: Progress
) -> Figures:
    database.upgrade()
    started = time.perf_counter()
    load_kader_roster(database, recipients)
    link_accounts(database, recipients, CHANNEL, every=2)
    roster_seconds = time.perf_counter() - started

    started = time.perf_counter()
    config = TickConfig(Calendar(frozenset()), (INFO,))
    reports = tick(database, NOW, config, only="report_due", force=True)
    enqueue_seconds = time.perf_counter() - started
    queued = sum(sum(report.new.values()) for report in reports)

    sink = LimitedSink(rate)
    origin = time.monotonic()
    dispatcher = Dispatcher(
        database,
        [sink],
        clock=lambda: NOW + timedelta(seconds=time.monotonic() - origin),
    )
    task = progress.add_task(label, total=queued)

    async def send_all() -> Stats:
        sending = asyncio.create_task(dispatcher.drain())
        while not sending.done():
            progress.update(task, completed=sink.accepted)
            await asyncio.sleep(0.1)
        progress.update(task, completed=sink.accepted)
        return sending.result()

    started = time.perf_counter()
    stats = asyncio.run(send_all())
    dispatch_seconds = time.perf_counter() - started
    database.dispose()
    return Figures(
        label,
        recipients,
        roster_seconds,
        enqueue_seconds,
        queued,
        dispatch_seconds,
        stats,
        sink,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--recipients", type=int, default=100_000, help="kader to remind")
    parser.add_argument("--rate", type=float, default=2000, help="fake channel limit, sends/s")
    parser.add_argument(
        "--postgres",
        default=None,
        help="also run on PostgreSQL: admin URL; a scratch database is created and dropped",
    )
    args = parser.parse_args()
    console = Console()
    results: list[Figures] = []
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with tempfile.TemporaryDirectory() as tmp, Progress(*columns, console=console) as progress:
        database = Database(f"sqlite:///{Path(tmp) / 'fanout.db'}")
        results.append(fan_out(database, args.recipients, args.rate, "SQLite", progress))
        if args.postgres:
            created = postgres_database(args.postgres)
            if created is None:
                console.print(f"PostgreSQL not reachable at {args.postgres}: skipped")
            else:
                database, name = created
                try:
                    results.append(
                        fan_out(database, args.recipients, args.rate, "PostgreSQL", progress)
                    )
                finally:
                    drop_postgres(args.postgres, name)
    table = Table(
        title=f"report_due to {args.recipients:,} kader, channel limit {args.rate:,.0f}/s"
    )
    for column in (
        "backend",
        "roster (s)",
        "enqueue (s)",
        "queued",
        "sent",
        "refused (429)",
        "dispatch (s)",
        "sends/s",
        "share of limit",
    ):
        table.add_column(column, justify="right")
    for figures in results:
        table.add_row(
            figures.backend,
            f"{figures.roster_seconds:.1f}",
            f"{figures.enqueue_seconds:.2f}",
            f"{figures.queued:,}",
            f"{figures.stats.sent:,}",
            f"{figures.sink.refused:,}",
            f"{figures.dispatch_seconds:.1f}",
            f"{figures.achieved_rate:,.0f}",
            f"{figures.achieved_rate / args.rate:.3f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()

"""How many inbound messages per second the core service handles, each committed.

Pushes N complete monthly-report conversations (47 messages each: menu,
the answers of a question-by-question ILP report and ``kirim``) through
``Service.handle`` on SQLite (WAL, with ``synchronous=NORMAL`` and ``FULL``)
and, when reachable, PostgreSQL, one after the other in one run, and prints
messages per second and peak memory.

    python -m bench.core_throughput --conversations 300
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bench.synthetic import kader_phone, load_kader_roster
from conversations import ALL_FORMS, Engine, Inbound
from handlers import Service
from storage import Database

MENU = ["lapor", "1"]
# periode, buka, tanggal, kader, nakes; S D N T O B 2T BGM UKUR GIZI RUJUK
OPENING = ["2026-10", "ya", "12", "5", "1"]
BALITA = ["80", "60", "40", "10", "5", "5", "2", "1", "50", "1", "2"]
# bumil, nifas, remaja, dewasa, lansia, TBC
GROUPS = ["8", "6", "1", "1", "6", "0", "1", "4", "0", "0", "30", "20", "3", "10", "1"]
GROUPS += ["40", "25", "5", "2", "1", "20", "15", "4", "2", "1", "1", "30", "1"]
SCRIPT = [*MENU, *OPENING, *BALITA, *GROUPS, "kirim"]
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@dataclass
class Result:
    backend: str
    messages: int
    seconds: float
    peak_rss_mb: float

    @property
    def rate(self) -> float:
        return self.messages / self.seconds


def run(database: Database, conversations: int, label: str, progress: Progress) -> Result:
    database.upgrade()
    load_kader_roster(database, conversations)
    service = Service(database, Engine(ALL_FORMS), clock=lambda: NOW)
    task = progress.add_task(label, total=conversations * len(SCRIPT))
    messages = 0
    started = time.perf_counter()
    for index in range(conversations):
        phone = kader_phone(index)
        for step, line in enumerate(SCRIPT):
            inbound = Inbound("bench", phone, f"{index}-{step}", text=line, phone=phone)
            replies = service.handle(inbound)
            if not replies:
                raise RuntimeError(f"no reply to {line!r} in conversation {index}")
            messages += 1
        progress.advance(task, len(SCRIPT))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    database.dispose()
    return Result(label, messages, seconds, peak)


def postgres_database(admin_url: str) -> tuple[Database, str] | None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"lapor_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        return None
    finally:
        admin.dispose()
    return Database(admin_url.rsplit("/", 1)[0] + f"/{name}"), name


def drop_postgres(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=200, help="reports per backend")
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="admin URL; a scratch database is created and dropped",
    )
    args = parser.parse_args()
    console = Console()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp, Progress(console=console) as progress:
        for synchronous in ("NORMAL", "FULL"):
            path = Path(tmp) / f"bench-{synchronous}.db"
            database = Database(f"sqlite:///{path}", sqlite_synchronous=synchronous)
            label = f"SQLite WAL synchronous={synchronous}"
            results.append(run(database, args.conversations, label, progress))
        created = postgres_database(args.postgres)
        if created is None:
            console.print(f"PostgreSQL not reachable at {args.postgres}: skipped")
        else:
            database, name = created
            try:
                results.append(run(database, args.conversations, "PostgreSQL", progress))
            finally:
                drop_postgres(args.postgres, name)
    table = Table(title=f"Core service, {args.conversations} monthly reports per backend")
    for column in ("backend", "messages", "seconds", "messages/s", "peak RSS (MB)"):
        table.add_column(column, justify="right")
    for result in results:
        table.add_row(
            result.backend,
            f"{result.messages:,}",
            f"{result.seconds:.2f}",
            f"{result.rate:,.0f}",
            f"{result.peak_rss_mb:.0f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()

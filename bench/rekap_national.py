"""How long a rekap takes on a national dataset, on SQLite and PostgreSQL.

Generates every province down to 300,000 Posyandu in 514 kabupaten with a year
of monthly reports (some missing, late, not held or corrected), home visits
and outreach sessions, loads it in bulk (PostgreSQL through COPY), then times
the chat rekap (``storage.rekap.build`` plus the text) of one kabupaten, one
province and the whole country, and a kabupaten's deadline snapshot. Prints
the database size. Scratch databases are always removed.

    python -m bench.rekap_national                     # full scale, both backends
    python -m bench.rekap_national --posyandu 20000 --backends postgresql
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, text
from sqlmodel import select

from bench.core_throughput import drop_postgres, postgres_database
from bench.synthetic import REPORT_COLUMNS, NationalShape, national_regions, national_reports
from conversations.periods import shift_month
from handlers.clock import utc_now
from handlers.rekap import text as rekap_text
from storage import Database
from storage.models import Posyandu, Report
from storage.rekap import Area, build, by_code, take_snapshot

LAST_PERIOD = "2026-10"
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
BATCH = 50_000
AIMS = {"kabupaten": 0.1, "national": 5.0}
"""Seconds, on PostgreSQL."""


@dataclass
class Timing:
    backend: str
    what: str
    first: float
    median: float
    rows: int


@dataclass
class Loaded:
    rows: int
    seconds: float
    size: int

    def __str__(self) -> str:
        return (
            f"{self.rows:,} report rows loaded in {self.seconds:,.0f} s, "
            f"database size {self.size / 2**20:,.0f} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posyandu", type=int, default=300_000, help="Posyandu in the country")
    parser.add_argument("--kabupaten", type=int, default=514, help="kabupaten/kota")
    parser.add_argument("--months", type=int, default=12, help="months of reports")
    parser.add_argument(
        "--visits", type=float, default=1.0, help="home visits per Posyandu and month"
    )
    parser.add_argument(
        "--outreach", type=float, default=0.25, help="outreach sessions per Posyandu and month"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each rekap")
    parser.add_argument(
        "--backends",
        default="sqlite,postgresql",
        help="comma-separated: sqlite, postgresql (default both)",
    )
    parser.add_argument(
        "--postgres",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/test",
        help="admin URL; a scratch database is created and dropped",
    )
    args = parser.parse_args()
    shape = NationalShape(args.posyandu, min(args.kabupaten, args.posyandu))
    periods = [shift_month(LAST_PERIOD, -offset) for offset in range(args.months - 1, -1, -1)]
    console = Console()
    timings: list[Timing] = []
    sizes: dict[str, Loaded] = {}
    for backend in args.backends.split(","):
        with scratch(backend.strip(), args.postgres, console) as database:
            if database is None:
                continue
            started = time.perf_counter()
            rows = load(database, shape, periods, args, console)
            loaded = Loaded(rows, time.perf_counter() - started, database_size(database))
            sizes[database.dialect] = loaded
            console.print(f"{database.dialect}: {loaded}")
            timings.extend(measure(database, shape, args.repeat, console))
    report(console, shape, args, timings, sizes)


@contextmanager
def scratch(backend: str, admin_url: str, console: Console) -> Iterator[Database | None]:
    """A migrated scratch database on one backend, removed afterwards (None if unreachable)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="rekap-bench-") as folder:
            database = Database(f"sqlite:///{Path(folder) / 'national.db'}")
            try:
                database.upgrade()
                yield database
            finally:
                database.dispose()
        return
    created = postgres_database(admin_url)
    if created is None:
        console.print(f"PostgreSQL not reachable at {admin_url}: skipped")
        yield None
        return
    database, name = created
    try:
        database.upgrade()
        yield database
    finally:
        database.dispose()
        drop_postgres(admin_url, name)


def load(
    database: Database,
    shape: NationalShape,
    periods: list[str],
    args: argparse.Namespace,
    console: Console,
) -> int:
    """Regions, then reports month by month, then fresh planner statistics; returns report rows."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        regions = national_regions(shape)
        task = progress.add_task(f"{database.dialect}: regions", total=len(regions))
        for table, rows in regions.items():
            bulk_load(database, table.__tablename__, list(rows[0]), _tuples(rows))
            progress.advance(task)
        expected = int(shape.posyandu * len(periods) * (0.95 * 1.04 + args.visits + args.outreach))
        task = progress.add_task(f"{database.dialect}: reports", total=expected)
        counted = _counting(
            national_reports(shape, periods, args.visits, args.outreach),
            lambda n: progress.advance(task, n),
        )
        bulk_load(database, Report.__tablename__, list(REPORT_COLUMNS), counted)
        progress.update(task, total=progress.tasks[task].completed)
        analyse = progress.add_task(f"{database.dialect}: ANALYZE", total=1)
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        progress.advance(analyse)
    with database.transaction() as session:
        return session.exec(select(func.count()).select_from(Report)).one()


def bulk_load(
    database: Database, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Append rows fast: COPY on PostgreSQL, batched executemany in one transaction on SQLite."""
    names = ", ".join(columns)
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if database.dialect == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            iterator = iter(rows)
            while batch := [_sqlite_row(row) for row in islice(iterator, BATCH)]:
                cursor.executemany(statement, batch)
        raw.commit()
    finally:
        raw.close()


def measure(
    database: Database, shape: NationalShape, repeat: int, console: Console
) -> list[Timing]:
    """Time the chat rekap of a kabupaten, the largest province and the country, and a snapshot."""
    with database.transaction() as session:
        kabupaten = by_code(session, shape.kabupaten_code(shape.kabupaten // 2))
        largest = session.exec(
            select(Posyandu.provinsi_code, func.count())
            .group_by(Posyandu.provinsi_code)
            .order_by(func.count().desc())
            .limit(1)
        ).one()[0]
        province = by_code(session, largest)
    assert kabupaten is not None and province is not None
    timings = []
    for what, area in (
        ("kabupaten", kabupaten),
        ("province", province),
        ("national", Area(None, None, "")),
    ):
        seconds, rows = _runs(database, area, repeat)
        timings.append(Timing(database.dialect, what, seconds[0], statistics.median(seconds), rows))
        console.print(
            f"{database.dialect} {what} rekap: {statistics.median(seconds) * 1000:,.0f} ms"
        )
    started = time.perf_counter()
    with database.transaction() as session:
        stored = take_snapshot(session, kabupaten.code or "", LAST_PERIOD, NOW)
    seconds = time.perf_counter() - started
    timings.append(Timing(database.dialect, "kabupaten snapshot", seconds, seconds, stored))
    return timings


def database_size(database: Database) -> int:
    """Bytes on disk: the PostgreSQL database, or the SQLite file with its write-ahead log."""
    if database.dialect == "postgresql":
        with database.engine.connect() as connection:
            return connection.execute(text("SELECT pg_database_size(current_database())")).one()[0]
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(database.engine.url.database or "")
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def report(
    console: Console,
    shape: NationalShape,
    args: argparse.Namespace,
    timings: list[Timing],
    sizes: dict[str, Loaded],
) -> None:
    title = (
        f"Rekap {LAST_PERIOD}: {shape.posyandu:,} Posyandu, {shape.kabupaten} kabupaten, "
        f"{args.months} months"
    )
    table = Table(title=title)
    for column in ("backend", "rekap", "first (ms)", "median (ms)", "rows shown", "aim"):
        table.add_column(column, justify="right")
    for timing in timings:
        aim = AIMS.get(timing.what) if timing.backend == "postgresql" else None
        verdict = (
            ""
            if aim is None
            else f"< {aim * 1000:,.0f} ms " + ("met" if timing.median < aim else "MISSED")
        )
        table.add_row(
            timing.backend,
            timing.what,
            f"{timing.first * 1000:,.0f}",
            f"{timing.median * 1000:,.0f}",
            f"{timing.rows:,}",
            verdict,
        )
    console.print(table)
    for backend, loaded in sizes.items():
        console.print(f"{backend}: {loaded}")


def _runs(database: Database, area: Area, repeat: int) -> tuple[list[float], int]:
    seconds = []
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        with database.transaction() as session:
            rekap = build(session, area, LAST_PERIOD, missing_limit=10)
            rekap_text.render(rekap, today=utc_now().date())
        seconds.append(time.perf_counter() - started)
        rows = len(rekap.rows)
    return seconds, rows


def _tuples(rows: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        yield tuple(row.values())


def _counting(rows: Iterator[tuple[Any, ...]], advance: Callable[[int], None]) -> Iterator[tuple]:
    count = 0
    for row in rows:
        yield row
        count += 1
        if count == BATCH:
            advance(count)
            count = 0
    advance(count)


def _sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Values as SQLAlchemy stores them in SQLite: UTC datetimes as text, dates ISO."""
    return tuple(_sqlite_value(value) for value in row)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


if __name__ == "__main__":
    main()

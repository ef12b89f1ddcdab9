"""The command line: ``python -m bot COMMAND`` (also installed as ``lapor-posyandu``)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from bot.cli_exports import bok_app, export_app, targets_app
from bot.cli_forms import forms_app
from bot.cli_inbox import inbox_app
from bot.cli_meetings import meetings_app
from bot.cli_people import people_app
from bot.cli_reminders import jobs_app, schedule_app
from bot.config import Settings
from bot.wiring import build_mailroom, build_service, configure_logging, open_database
from conversations.phone import normalize_phone
from handlers.clock import utc_now
from storage import Database

app = typer.Typer(
    help="Lapor Posyandu: a Telegram and WhatsApp chatbot for Posyandu field reports.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(jobs_app, name="jobs")
app.add_typer(schedule_app, name="schedule")
app.add_typer(export_app, name="export")
app.add_typer(targets_app, name="targets")
app.add_typer(bok_app, name="bok")
app.add_typer(forms_app, name="forms")
app.add_typer(meetings_app, name="meetings")
app.add_typer(people_app, name="people")
app.add_typer(inbox_app, name="inbox")

DEMO_KADER_PHONE = "+6281200000001"


def _typed_phone(value: str) -> str:
    """The operator's ``--phone`` in E.164, read like a roster cell (``08…`` is national).

    Done here, where the number is typed: the core reads every number it is
    given as international, as WhatsApp and Telegram give them.
    """
    phone = normalize_phone(value)
    if phone is None:
        raise typer.BadParameter(f"{value!r} is not an Indonesian number (08…, 628… or +628…)")
    return phone


def _settings() -> Settings:
    settings = Settings()
    configure_logging(settings.log_level)
    return settings


@app.command()
def run() -> None:
    """Start every configured channel, the webhook server and the scheduler."""
    from bot.channels.registry import build_channels, configured, polled

    settings = _settings()
    if not configured(settings):
        typer.echo(
            "No channel is configured. Set TELEGRAM_BOT_TOKEN (Telegram) or "
            "WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID (WhatsApp) in the "
            "environment or .env; see .env.example. To try the bot locally, run: "
            "python -m bot console",
            err=True,
        )
        raise typer.Exit(2)
    from bot.runner import install_signal_handlers, run_channels
    from bot.scheduling import scheduling
    from bot.web import web_app
    from handlers.pollers import PollerTakenError, sole_poller
    from handlers.reminders.pacing import Pacing

    database = open_database(settings)
    mailroom = build_mailroom(build_service(database, settings), settings)

    async def main() -> None:
        stop = asyncio.Event()
        install_signal_handlers(stop)
        pacing = Pacing(settings.rate_limit_redis_url)
        channels = build_channels(settings, mailroom, pacing)
        try:
            await run_channels(
                settings,
                channels,
                stop,
                lambda: scheduling(database, channels, settings),
                pages=[web_app(settings, database)],
                mailroom=mailroom,
            )
        finally:
            await pacing.aclose()

    try:
        with sole_poller(database, polled(settings)):
            asyncio.run(main())
    except PollerTakenError as taken:
        typer.echo(
            f"Another `python -m bot run` is already long-polling this bot token "
            f"({taken.channel}; it holds the poller lock in this database), and a token "
            "takes one poller. "
            "Stop that one, or run every process in webhook mode behind a load balancer "
            "(Telegram: set TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET); see the README, "
            '"Several processes".',
            err=True,
        )
        raise typer.Exit(3) from None


@app.command()
def web() -> None:
    """Serve the web app alone (review pages, sign-in links; no channels) for local use and demos.

    Links come from the console: ``python -m bot console --phone 081200000301``,
    then type ``web``.
    """
    from bot.runner import install_signal_handlers, run_channels
    from bot.web import web_app

    settings = _settings()
    database = open_database(settings)

    async def main() -> None:
        stop = asyncio.Event()
        install_signal_handlers(stop)
        await run_channels(settings, [], stop, pages=[web_app(settings, database)])

    typer.echo(f"Web app on {settings.web_url}", err=True)
    asyncio.run(main())


@app.command()
def console(
    phone: Annotated[
        str,
        typer.Option(help="Phone number of the roster person to chat as.", callback=_typed_phone),
    ] = DEMO_KADER_PHONE,
) -> None:
    """Chat with the bot in the terminal as the person with PHONE (reads stdin, prints replies).

    On an empty database the demo district is loaded first. Choices are numbered;
    type the number or the text. Logs below WARNING are hidden to keep the chat
    readable.
    """
    from bot.channels.console import ConsoleChannel
    from handlers.reminders.dispatcher import deliver_pending
    from handlers.roster.demo import roster_is_empty, seed_demo

    settings = Settings()
    configure_logging("WARNING")
    database = open_database(settings)
    if roster_is_empty(database):
        seed_demo(database, utc_now())
        typer.echo(
            "Basis data masih kosong: data demo sudah dimuat (nomor HP ada di README).", err=True
        )
    channel = ConsoleChannel(
        build_mailroom(build_service(database, settings), settings),
        phone,
        sys.stdin,
        sys.stdout,
        check_outbox=lambda: deliver_pending(database, channel, phone),
    )
    raise typer.Exit(channel.run())


@app.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo district: regions, Posyandu, people and three months of reports."""
    from handlers.roster.demo import seed_demo

    database = open_database(_settings())
    summary = seed_demo(database, utc_now())
    typer.echo(summary)


@app.command("import")
def import_roster(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX roster.")],
) -> None:
    """Import a roster file (all or nothing; safe to run again with the same file)."""
    from handlers.roster.file import import_file

    settings = _settings()
    database = open_database(settings)
    errors, summary = import_file(
        database,
        file,
        utc_now(),
        default_timezone=settings.default_timezone,
        progress=partial(_progress_bar, f"Mengimpor {file.name}"),
    )
    if errors:
        for error in errors:
            typer.echo(error, err=True)
        typer.echo(f"{len(errors)} kesalahan; tidak ada yang diimpor.", err=True)
        raise typer.Exit(1)
    typer.echo(summary)


@contextmanager
def _progress_bar(description: str, total: int) -> Iterator[Callable[[int], None]]:
    """A bar on stderr, gone when done, advanced by the number of items just finished."""
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda done: bar.advance(task, done)


@app.command()
def rekap(
    period: Annotated[
        str | None,
        typer.Option(help="Month as YYYY-MM (default: the last month whose deadline passed)."),
    ] = None,
    area: Annotated[
        str | None, typer.Option(help="Region or Posyandu code (default: all).")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text (as in chat), csv (one row per Posyandu), xlsx, png, or long "
            "(one row per Posyandu and answer, old codes included).",
        ),
    ] = "csv",
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write to FILE. Default: text and csv to stdout, xlsx and png to "
            "rekap-AREA-MONTH.xlsx/.png in the current folder."
        ),
    ] = None,
    headers: Annotated[
        str,
        typer.Option(help="CSV header: en (the contract's column names) or id (Indonesian)."),
    ] = "en",
) -> None:
    """Print the monthly summary of an area: the chat text, CSV, an Excel workbook or a chart."""
    from handlers.rekap import BINARY, HEADERS, OUTPUTS, UnknownAreaError, UnknownMonthError, export

    if fmt not in OUTPUTS:
        typer.echo(f"Unknown format {fmt!r}; choose one of {', '.join(OUTPUTS)}.", err=True)
        raise typer.Exit(2)
    if headers not in HEADERS:
        typer.echo(f"Unknown header {headers!r}; choose one of {', '.join(HEADERS)}.", err=True)
        raise typer.Exit(2)
    settings = _settings()
    database = open_database(settings)
    try:
        made = export(
            database,
            fmt,
            period=period,
            area=area,
            headers=headers,
            now=utc_now(),
            timezone=settings.default_timezone,
        )
    except UnknownAreaError:
        typer.echo(f"No region or Posyandu with code {area!r}.", err=True)
        raise typer.Exit(1) from None
    except UnknownMonthError:
        typer.echo(f"Unknown month {period!r}; use YYYY-MM.", err=True)
        raise typer.Exit(2) from None
    if out is None and fmt in BINARY:
        saved = Path(made.name)
        saved.write_bytes(made.content)
        typer.echo(f"Saved {saved.resolve()}")
    elif out:
        out.write_bytes(made.content)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(made.content)
        sys.stdout.buffer.flush()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations up to the newest."""
    settings = _settings()
    database = Database(settings.database_url)
    database.upgrade()
    typer.echo("Database is up to date.")


def main() -> None:
    app()

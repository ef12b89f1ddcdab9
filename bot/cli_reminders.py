"""``python -m bot jobs …`` and ``python -m bot schedule …``: the scheduler for operators.

``jobs list`` shows each job's next run per time zone of the roster;
``jobs run NAME --now …`` runs one rule as the tick would at that instant and
prints who was queued and who cannot be reached; ``schedule show|set|reset``
manages the per-kabupaten overrides of the rules' defaults. What they do is
in ``handlers.reminders`` (``admin``, ``tick``, ``dispatcher``); this module
parses and prints, on a rich console made per command, never at import.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.config import Settings
from bot.wiring import configure_logging, open_database
from conversations.zones import abbreviation
from handlers.channels import ChannelInfo
from handlers.clock import utc_now
from handlers.reminders import admin
from handlers.reminders.dispatcher import Held, Stats
from handlers.reminders.rules import RULES, validate
from handlers.reminders.tick import RunReport
from handlers.reminders.timing import zone
from storage import Database

jobs_app = typer.Typer(help="The scheduled reminder jobs.", no_args_is_help=True)
schedule_app = typer.Typer(help="Per-kabupaten reminder settings.", no_args_is_help=True)


def _open() -> tuple[Settings, Database]:
    settings = Settings()
    configure_logging(settings.log_level)
    return settings, open_database(settings)


def _instant(text: str | None, default_zone: str) -> datetime:
    """``--now``: an ISO date-time; without an offset it is read in DEFAULT_TIMEZONE."""
    if text is None:
        return utc_now()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date-time like 2026-11-02T08:30") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone(default_zone))


def _rule_name(name: str) -> str:
    if name not in RULES:
        raise typer.BadParameter(f"unknown job {name!r}; one of: {', '.join(RULES)}")
    return name


@jobs_app.command("list")
def list_jobs(
    now: Annotated[str | None, typer.Option(help="Pretend the clock reads this (ISO).")] = None,
) -> None:
    """Each job, whom it reaches, and its next run in every time zone of the roster."""
    from bot.scheduling import tick_config

    console = Console()
    settings, database = _open()
    instant = _instant(now, settings.default_timezone)
    found = admin.plan(database, tick_config(settings, ()).calendar, instant)
    if found is None:
        console.print("No kabupaten in the roster yet: import one (python -m bot import FILE).")
        raise typer.Exit(1)
    table = Table(title="Scheduled jobs (next run, local time)")
    table.add_column("job", style="bold")
    table.add_column("what")
    for name in found.zones:
        table.add_column(f"{name} ({abbreviation(name)})")
    for name, rule in RULES.items():
        if not rule.once:
            cells = ["every minute, 06:00-21:00"] * len(found.zones)
        else:
            cells = [_when(found.next_runs[name].get(timezone)) for timezone in found.zones]
        table.add_row(name, rule.summary, *cells)
    console.print(table)
    console.print(
        "The tick runs every minute (and at start-up) inside `python -m bot run`; "
        "`python -m bot schedule show` lists the settings per kabupaten."
    )


def _when(at: datetime | None) -> str:
    return at.strftime("%a %d %b %Y %H:%M") if at else "-"


@jobs_app.command("run")
def run_job(
    name: Annotated[str, typer.Argument(help="Job name, as `jobs list` shows it.")],
    now: Annotated[
        str | None,
        typer.Option(help="Run as if the clock read this ISO date-time (default: now)."),
    ] = None,
    dispatch: Annotated[
        bool, typer.Option(help="Also send the queued messages (only when the bot is not running).")
    ] = False,
) -> None:
    """Run one job now: queue what is due at --now, then print whom it reached and whom not.

    Safe to repeat: a message already queued for the same occurrence and person is not queued
    again. Nothing is queued for an occurrence that is not due at --now (another day, before
    its hour, or 21:00-06:00 local).
    """
    from bot.channels.registry import configured
    from bot.scheduling import tick_config
    from handlers.reminders.tick import tick

    console = Console()
    rule = _rule_name(name)
    settings, database = _open()
    instant = _instant(now, settings.default_timezone)
    channels = configured(settings)
    reports = tick(database, instant, tick_config(settings, channels), only=rule, force=True)
    _print_reports(console, rule, instant, reports, channels)
    if dispatch:
        stats, held = asyncio.run(_dispatch(settings, database))
        console.print(
            f"dispatched: {stats.sent} sent, {stats.retried} to retry, {stats.failed} failed, "
            f"{stats.unreachable} unreachable"
        )
        if stats.resent:
            console.print(
                f"[yellow]{stats.resent} were being sent when a dispatcher stopped and were sent "
                "again: each may have reached its person twice.[/yellow]"
            )
        if held is not None:
            console.print(
                f"[yellow]{held.rows} more are leased to another dispatcher until "
                f"{held.until:%H:%M:%S} UTC (the running bot, or one that stopped); run again "
                "after that to send what it did not.[/yellow]"
            )
    if any(report.error for report in reports):
        raise typer.Exit(1)


def _print_reports(
    console: Console,
    rule: str,
    instant: datetime,
    reports: list[RunReport],
    channels: tuple[ChannelInfo, ...],
) -> None:
    if not channels:
        console.print(
            "[yellow]No channel is configured (TELEGRAM_BOT_TOKEN, WHATSAPP_ACCESS_TOKEN): "
            "nobody can be reached.[/yellow]"
        )
    if not reports:
        console.print(f"{rule}: nothing due at {instant.isoformat()}.")
        return
    totals: Counter[str] = Counter()
    new: Counter[str] = Counter()
    for report in reports:
        due = report.due
        counts = ", ".join(
            f"{role} {count} ({report.new[role]} new)"
            for role, count in sorted(report.messages.items())
        )
        detail = counts or report.note or "no recipients"
        if report.error:
            detail = f"[red]failed: {report.error}[/red]"
        console.print(
            f"{rule} {due.occurrence.tag} · {due.kabupaten.code} {due.kabupaten.name} · "
            f"{due.timezone}: {detail}"
        )
        totals.update(report.messages)
        new.update(report.new)
    summary = ", ".join(
        f"{role}: {count} ({new[role]} new)" for role, count in sorted(totals.items())
    )
    console.print(f"messages per recipient kind: {summary or 'none'}")
    if instant < utc_now() - timedelta(hours=12) and any(new.values()):
        console.print(
            "[yellow]--now lies in the past: reminders are only sent until 21:00 of their day, "
            "so the dispatcher marks these expired instead of sending them late.[/yellow]"
        )
    unreachable = [person for report in reports for person in report.unreachable]
    if unreachable:
        console.print(f"[yellow]{len(unreachable)} cannot be reached on any channel:[/yellow]")
        for person in unreachable:
            console.print(f"  {admin.described(person)}")


async def _dispatch(settings: Settings, database: Database) -> tuple[Stats, Held | None]:
    from bot.channels.registry import build_channels
    from bot.wiring import build_mailroom, build_service
    from handlers.reminders.dispatcher import Dispatcher
    from handlers.reminders.pacing import Pacing

    pacing = Pacing(settings.rate_limit_redis_url)
    mailroom = build_mailroom(build_service(database), settings)
    channels = build_channels(settings, mailroom, pacing)
    started = []
    try:
        for channel in channels:
            await channel.start()
            started.append(channel)
        dispatcher = Dispatcher(database, channels)
        stats = await dispatcher.drain()
        return stats, await asyncio.to_thread(dispatcher.held_elsewhere)
    finally:
        for channel in reversed(started):
            await channel.stop()
        await pacing.aclose()


@schedule_app.command("show")
def show_schedule(
    kabupaten: Annotated[str | None, typer.Argument(help="Kabupaten code (default: all).")] = None,
) -> None:
    """The rules as each kabupaten runs them (defaults, or its overrides marked *)."""
    console = Console()
    _, database = _open()
    found = admin.rules_of(database, kabupaten)
    if not found:
        console.print(
            f"No kabupaten {kabupaten!r} in the roster." if kabupaten else "No kabupaten."
        )
        raise typer.Exit(1)
    for entry in found:
        item = entry.kabupaten
        table = Table(
            title=f"{item.code} {item.name} · {item.timezone} · deadline day {item.deadline_day}"
        )
        for column in ("job", "enabled", "days", "meaning of days", "hour", "months"):
            table.add_column(column)
        for setting in entry.settings:
            mark = " *" if setting.overridden else ""
            table.add_row(
                setting.rule.name + mark,
                "yes" if setting.enabled else "no",
                ",".join(map(str, setting.days)) or "-",
                setting.rule.days_meaning,
                f"{setting.hour:02d}:00",
                ",".join(map(str, setting.months)) or "-",
            )
        console.print(table)
    console.print(
        "* overridden for this kabupaten; `schedule reset KABUPATEN JOB` restores defaults."
    )


@schedule_app.command("set")
def set_schedule(
    kabupaten: Annotated[str, typer.Argument(help="Kabupaten code.")],
    job: Annotated[str, typer.Argument(help="Job name.")],
    enabled: Annotated[
        bool | None, typer.Option("--enable/--disable", help="Turn the job on or off.")
    ] = None,
    days: Annotated[str | None, typer.Option(help="Comma-separated day numbers.")] = None,
    hour: Annotated[int | None, typer.Option(help="Local hour it runs at.")] = None,
    months: Annotated[str | None, typer.Option(help="Months (lokmin_tribulanan).")] = None,
) -> None:
    """Override a job's defaults for one kabupaten (days, hour, months as `schedule show`)."""
    console = Console()
    rule = RULES[_rule_name(job)]
    problems = validate(rule, days, hour, months)
    if problems:
        for problem in problems:
            console.print(f"[red]{problem}[/red]")
        raise typer.Exit(2)
    _, database = _open()
    saved = admin.save_override(
        database, kabupaten, rule, utc_now(), enabled=enabled, days=days, hour=hour, months=months
    )
    if not saved:
        console.print(f"[red]No kabupaten with code {kabupaten!r}.[/red]")
        raise typer.Exit(1)
    console.print(f"{rule.name} for {kabupaten} saved.")


@schedule_app.command("reset")
def reset_schedule(
    kabupaten: Annotated[str, typer.Argument(help="Kabupaten code.")],
    job: Annotated[str, typer.Argument(help="Job name.")],
) -> None:
    """Back to the defaults for one job in one kabupaten."""
    name = _rule_name(job)
    _, database = _open()
    removed = admin.clear_override(database, kabupaten, name)
    Console().print(
        f"{name} for {kabupaten}: " + ("defaults restored." if removed else "no override.")
    )

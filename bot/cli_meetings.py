"""``python -m bot meetings ...``: create, list and show meetings; print the attendance list."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.config import Settings
from bot.wiring import configure_logging, open_database
from handlers.clock import utc_now
from handlers.meetings import admin
from handlers.meetings.attendance import FORMATS
from handlers.reminders.timing import zone
from storage import Database

meetings_app = typer.Typer(help="Meetings: invitations, answers, attendance.", no_args_is_help=True)


def _open() -> tuple[Settings, Database]:
    settings = Settings()
    configure_logging(settings.log_level)
    return settings, open_database(settings)


def _instant(text: str, default_zone: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date-time like 2026-12-07T09:00") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone(default_zone))


@meetings_app.command("create")
def create(
    organiser: Annotated[str, typer.Option(help="Phone of the organiser (on the roster).")],
    title: Annotated[str, typer.Option(help="Title of the meeting.")],
    start: Annotated[str, typer.Option(help="Start, ISO (local time of DEFAULT_TIMEZONE).")],
    end: Annotated[str, typer.Option(help="End, ISO; may be days later (a workshop).")],
    place: Annotated[str, typer.Option(help="Where it is held.")],
    kind: Annotated[str, typer.Option(help="lokmin_bulanan, koordinasi, workshop, ...")] = (
        "koordinasi"
    ),
    invite: Annotated[
        list[str] | None,
        typer.Option(help="A group: ROLE (whole kabupaten) or ROLE:PUSKESMAS_CODE; repeatable."),
    ] = None,
    person: Annotated[
        list[str] | None, typer.Option(help="Phone of one invitee; repeatable.")
    ] = None,
    agenda: Annotated[str | None, typer.Option(help="Agenda (optional).")] = None,
) -> None:
    """Create a meeting and queue its invitations (sent by the running bot's dispatcher)."""
    settings, database = _open()
    try:
        made = admin.create(
            database,
            utc_now(),
            organiser_phone=organiser,
            kind=kind,
            title=title,
            start=_instant(start, settings.default_timezone),
            end=_instant(end, settings.default_timezone),
            place=place,
            groups=invite or [],
            phones=person or [],
            agenda=agenda,
        )
    except admin.MeetingError as error:
        typer.echo(f"Not created: {error}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Meeting {made.meeting_id} created; {made.invited} invitation(s) queued.")
    for note in made.notes:
        typer.echo(note)


@meetings_app.command("list")
def list_meetings() -> None:
    """Meetings not yet over, with their answers."""
    _, database = _open()
    found = admin.upcoming(database, utc_now())
    if not found:
        typer.echo("No upcoming meetings.")
    for meeting, counts in found:
        answers = ", ".join(
            f"{label} {counts.get(key, 0)}"
            for key, label in (("hadir", "yes"), ("tidak", "no"), ("wakil", "delegated"))
        )
        state = " CANCELLED" if meeting.cancelled else ""
        typer.echo(
            f"{meeting.id}\t{admin.when(meeting)}\t{meeting.title}{state}\t"
            f"{answers}, no answer {counts.get(None, 0)}"
        )


@meetings_app.command("show")
def show(meeting_id: Annotated[int, typer.Argument(help="Meeting number.")]) -> None:
    """One meeting with every invitee's answer and check-in."""
    _, database = _open()
    try:
        meeting, invited = admin.show(database, meeting_id)
    except admin.MeetingError as error:
        typer.echo(f"{error}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{meeting.id} {meeting.title} ({meeting.kind}, {meeting.status})")
    typer.echo(f"{admin.when(meeting)} at {meeting.place}; organiser {meeting.organiser}")
    typer.echo(f"check-in code {meeting.code}")
    for person in invited:
        checked = person.checked_in_at.isoformat() if person.checked_in_at else "-"
        typer.echo(f"{person.name}\t{person.role}\t{person.rsvp or '-'}\t{checked}")


@meetings_app.command("attendance")
def attendance(
    meeting_id: Annotated[int, typer.Argument(help="Meeting number.")],
    fmt: Annotated[str, typer.Option("--format", help="xlsx or csv.")] = "xlsx",
    out: Annotated[Path | None, typer.Option(help="Write to FILE (default: in this folder).")] = (
        None
    ),
) -> None:
    """The attendance list: one row per invitee, with an empty signature column."""
    if fmt not in FORMATS:
        typer.echo(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.", err=True)
        raise typer.Exit(2)
    _, database = _open()
    try:
        made = admin.attendance(database, meeting_id, fmt)
    except admin.MeetingError as error:
        typer.echo(f"{error}.", err=True)
        raise typer.Exit(1) from None
    target = out or Path(made.filename)
    target.write_bytes(made.content)
    typer.echo(f"Saved {target.resolve()}")

"""``python -m bot inbox failed|retry``: what the bot could not handle or deliver, for an operator.

A message the core failed on three times, or a reply the platform refused for
good, is parked rather than retried forever; the person was told once. The
operator lists them, fixes the cause (a bug, a blocked number, an expired
token) and puts them back: a running bot's sweep takes them up within a second.
"""

from __future__ import annotations

from typing import Annotated

import typer

from bot.config import Settings
from bot.wiring import configure_logging, open_database
from handlers import mailroom

inbox_app = typer.Typer(
    help="Messages the bot could not handle and replies it could not deliver.",
    no_args_is_help=True,
)


@inbox_app.command("failed")
def failed(
    limit: Annotated[int, typer.Option(help="Show at most this many of each kind.", min=1)] = 100,
) -> None:
    """List parked messages (m…) and replies (r…), newest first, one per line (tab-separated),
    with the error; a chat is shown by its first digits only."""
    settings = Settings()
    configure_logging(settings.log_level)
    items = mailroom.parked(open_database(settings), limit)
    if not items:
        typer.echo("Nothing failed: no parked message or reply.")
        return
    typer.echo("id\tkind\tchannel\tchat\twhen (UTC)\terror")
    for item in items:
        when = item.at.strftime("%Y-%m-%d %H:%M") if item.at else "-"
        chat = item.user_id[:4] + "…" if len(item.user_id) > 4 else item.user_id
        fields = (mailroom.parked_id(item), item.kind, item.channel, chat, when, item.error or "-")
        typer.echo("\t".join(fields))
    typer.echo("Put one back with: python -m bot inbox retry ID", err=True)


@inbox_app.command("retry")
def retry(
    ids: Annotated[list[str], typer.Argument(help="Ids as `inbox failed` lists them (m12, r34).")],
) -> None:
    """Put parked messages or replies back in their lane; the running bot sends them."""
    settings = Settings()
    configure_logging(settings.log_level)
    database = open_database(settings)
    unknown = [name for name in ids if not mailroom.retry_parked(database, name)]
    for name in ids:
        if name not in unknown:
            typer.echo(f"{name}: queued again")
    for name in unknown:
        typer.echo(
            f"{name}: nothing parked by that id (see `python -m bot inbox failed`)", err=True
        )
    if unknown:
        raise typer.Exit(1)

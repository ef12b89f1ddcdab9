"""``python -m bot people link|unlink PHONE --telegram USER_ID``: accounts linked by hand."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from bot.config import Settings
from bot.wiring import configure_logging, open_database
from handlers.clock import utc_now
from handlers.roster import accounts
from handlers.roster import words as W

people_app = typer.Typer(help="Roster people's chat accounts.", no_args_is_help=True)

Phone = Annotated[str, typer.Argument(help="The person's phone number (08…, 628… or +628…).")]


def _telegram_id(value: str) -> str:
    if not value.isascii() or not value.isdigit():
        raise typer.BadParameter(W.ACCOUNT_BAD_ID)
    return value


TelegramId = Annotated[
    str, typer.Option("--telegram", help="Telegram user id.", callback=_telegram_id)
]


def _apply(change: accounts.Change, phone: str, telegram: str) -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    outcome = change(
        open_database(settings),
        phone,
        accounts.TELEGRAM,
        telegram,
        f"cli:{getpass.getuser()}",
        utc_now(),
    )
    typer.echo(outcome.message, err=not outcome.ok)
    if not outcome.ok:
        raise typer.Exit(1)


@people_app.command("link")
def link(phone: Phone, telegram: TelegramId) -> None:
    """Link a Telegram account to the roster person with PHONE (audited; refuses an account
    linked to someone else)."""
    _apply(accounts.link_account, phone, telegram)


@people_app.command("unlink")
def unlink(phone: Phone, telegram: TelegramId) -> None:
    """Remove a Telegram account from the roster person with PHONE (audited)."""
    _apply(accounts.unlink_account, phone, telegram)

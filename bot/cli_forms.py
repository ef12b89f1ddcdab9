"""``python -m bot forms …``: a form's schema, and the kabupaten profiles of its optional fields.

``forms show [FORM] [--format text|json]`` prints the schema other tools build
on (the web form, DHIS2 mappings); ``forms profile show|set KABUPATEN …``
switches a form's optional fields per kabupaten. What they do is in
``conversations.schema`` and ``handlers.forms``; this module parses and prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, TypeVar

import typer

from bot.config import Settings
from bot.wiring import configure_logging, open_database
from conversations.form import Form
from conversations.forms import ALL_FORMS, MONTHLY, REPORT_FORMS
from conversations.schema import as_text, describe
from handlers import forms
from handlers.clock import utc_now
from storage import Database

forms_app = typer.Typer(help="The report forms: schema and per-kabupaten profiles.")
profile_app = typer.Typer(help="Optional fields switched on or off per kabupaten.")
forms_app.add_typer(profile_app, name="profile")
SCHEMA_FORMATS = ("text", "json")
SWITCH_WORDS = {"on": True, "off": False}
T = TypeVar("T")


def _form(form_id: str) -> Form:
    if form_id not in ALL_FORMS or ALL_FORMS[form_id] not in REPORT_FORMS:
        known = ", ".join(form.id for form in REPORT_FORMS)
        raise typer.BadParameter(f"unknown form {form_id!r}; one of: {known}")
    return ALL_FORMS[form_id]


@forms_app.command("show")
def show(
    form_id: Annotated[str, typer.Argument(help="The form's id.")] = MONTHLY.id,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Print a form's schema: its fields with codes, kinds, bounds and words, its indicators."""
    if fmt not in SCHEMA_FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; one of: {', '.join(SCHEMA_FORMATS)}")
    form = _form(form_id)
    if fmt == "json":
        typer.echo(json.dumps(describe(form), ensure_ascii=False, indent=2))
    else:
        typer.echo(as_text(form))


@profile_app.command("show")
def profile_show(
    kabupaten: Annotated[str, typer.Argument(help="Kabupaten code, e.g. 32.99.")],
    form_id: Annotated[str, typer.Option("--form", help="The form's id.")] = MONTHLY.id,
) -> None:
    """Print the optional fields of a form and whether the kabupaten asks them."""
    form = _form(form_id)
    switches = _handled(form, lambda database: forms.show(database, form, kabupaten))
    if not switches:
        typer.echo(f"Form {form.id} has no optional fields to switch.")
    for switch in switches:
        state = "on" if switch.enabled else "off"
        default = "" if switch.enabled == switch.default else " (changed from the default)"
        typer.echo(f"{switch.code:<20} {state:<4} {switch.label}{default}")


@profile_app.command("set")
def profile_set(
    kabupaten: Annotated[str, typer.Argument(help="Kabupaten code, e.g. 32.99.")],
    field: Annotated[str, typer.Argument(help="The field's code, e.g. BAL_K.")],
    state: Annotated[str, typer.Argument(help="on or off.")],
    form_id: Annotated[str, typer.Option("--form", help="The form's id.")] = MONTHLY.id,
) -> None:
    """Switch an optional field on or off for a kabupaten (reports started from now on)."""
    if state not in SWITCH_WORDS:
        raise typer.BadParameter(f"{state!r}: say on or off")
    form = _form(form_id)
    enabled = SWITCH_WORDS[state]
    changed = _handled(
        form,
        lambda database: forms.set_switch(database, form, kabupaten, field, enabled, utc_now()),
    )
    verb = "is now" if changed else "was already"
    typer.echo(f"{field} {verb} {state} in {kabupaten} ({form.id}).")


def _handled(form: Form, work: Callable[[Database], T]) -> T:
    """Run ``work`` on the configured database; a wrong code is a clear error, exit 1."""
    settings = Settings()
    configure_logging(settings.log_level)
    database = open_database(settings)
    try:
        return work(database)
    except forms.UnknownKabupatenError as error:
        typer.echo(f"No kabupaten has the code {error}.", err=True)
    except forms.UnknownSwitchError as error:
        switchable = ", ".join(f.name for f in form.fields if f.switch is not None) or "none"
        typer.echo(f"{error} is not a field {form.id} can switch; it can: {switchable}.", err=True)
    finally:
        database.dispose()
    raise typer.Exit(1)

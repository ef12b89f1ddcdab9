"""A kabupaten's profile: the optional fields of a form it switches on or off.

Switchable fields are those a form declares with ``switch`` (its default).
A profile is read when a form starts (:mod:`handlers.form_context`), so a
change reaches the next report, never one being filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from conversations.form import Form
from storage import Database
from storage import forms as profiles


class UnknownKabupatenError(LookupError):
    """No kabupaten has the code asked for."""


class UnknownSwitchError(LookupError):
    """The form has no field of that code that a profile may switch."""


@dataclass(frozen=True, slots=True)
class Switch:
    """One switchable field: its code and label, the form's default and the kabupaten's choice."""

    code: str
    label: str
    default: bool
    enabled: bool


def show(database: Database, form: Form, kabupaten: str) -> list[Switch]:
    """The switchable fields of ``form`` as the kabupaten has them."""
    with database.transaction() as session:
        if not profiles.kabupaten_exists(session, kabupaten):
            raise UnknownKabupatenError(kabupaten)
        chosen = profiles.switches(session, kabupaten, form.id)
    return [
        Switch(item.name, item.label, item.switch, chosen.get(item.name, item.switch))
        for item in form.fields
        if item.switch is not None
    ]


def set_switch(
    database: Database, form: Form, kabupaten: str, code: str, enabled: bool, now: datetime
) -> bool:
    """Switch a field on or off for the kabupaten; False when it already was."""
    if not form.has(code) or form.field(code).switch is None:
        raise UnknownSwitchError(code)
    with database.transaction() as session:
        if not profiles.kabupaten_exists(session, kabupaten):
            raise UnknownKabupatenError(kabupaten)
        return profiles.set_switch(session, kabupaten, form.id, code, enabled, now)

"""What each form needs to know before it starts: Posyandu, defaults, earlier reports."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from conversations.form import HISTORY, PROFILE
from conversations.forms import MONTHLY, OUTREACH, REPORT_FORMS, VITAL_EVENT, menu_context
from conversations.forms.menu import MENU_CONTINUE, MENU_MONTHLY_DUE
from conversations.forms.monthly import POSYANDU_DAY
from conversations.forms.outreach import BOK_MENU, STAFF
from conversations.lines import short_of
from conversations.periods import (
    MONTH_NAMES,
    due_period,
    format_date,
    format_month,
    shift_month,
    short_month,
    year_month,
)
from handlers import words as T
from handlers.turn import TurnContext
from storage import bok, forms, people, regions, reports

REPORTING_ROLES = ("kader", "bidan")
HISTORY_MONTHS = 13
LATE_MONTHS = 12
"""A monthly report may be filed in chat for the due month and this many months before it."""


def menu(
    posyandu: list[tuple[str, str]], paused: Mapping[str, str], due: str = ""
) -> dict[str, Any]:
    """The report menu: every report form, for the Posyandu the person reports for.

    A form with a draft put aside (``paused``: form -> what the draft is about)
    is offered as "continue", in its place: one draft per form, so nothing
    typed so far is dropped by starting the same form again. Otherwise the
    monthly report names the month ``due`` (see :func:`due_month`) when there
    is one: choosing it answers the month too.
    """
    form_ids = [form.id for form in REPORT_FORMS]
    context: dict[str, Any] = dict(menu_context(form_ids, posyandu))
    context["forms"] = [
        (form_id, _menu_label(form_id, label, paused, due)) for form_id, label in context["forms"]
    ]
    context["paused"] = sorted(paused)
    return context


def due_month(turn: TurnContext, posyandu_codes: list[str]) -> str:
    """The month a monthly report opened now is for, if that is clear for all ``posyandu_codes``.

    Clear means the due month is not reported yet and the month before it
    is: otherwise a late report of the month before, or replacing one sent,
    is as likely, and the form asks the month. "" when it is not clear.
    """
    due = due_period(turn.now.date(), turn.profile.deadline_day)
    filed = reports.monthly_filed(turn.session, posyandu_codes, [due, shift_month(due, -1)])
    clear = all(
        _is_clear(due, [f.period for f in filed if f.posyandu_code == code])
        for code in posyandu_codes
    )
    return due if posyandu_codes and clear else ""


def given(form_id: str, context: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """The answers the chosen form starts with, and the note that says so.

    The monthly report's month, when it is clear as in :func:`due_month`;
    the note tells how to report another month (``kembali``, or the month
    as a labelled line).
    """
    due = str(context.get("default_period", ""))
    if form_id != MONTHLY.id or not _is_clear(due, context.get("existing", {})):
        return {}, ""
    field = MONTHLY.field(MONTHLY.period_field)
    before = year_month(shift_month(due, -1))[1]
    note = T.MONTH_GIVEN.format(
        month=format_month(due), label=short_of(field).casefold(), other=MONTH_NAMES[before - 1]
    )
    return {field.name: due}, note


def _is_clear(due: str, filed: Collection[str]) -> bool:
    return bool(due) and due not in filed and shift_month(due, -1) in filed


def _menu_label(form_id: str, label: str, paused: Mapping[str, str], due: str) -> str:
    if form_id in paused:
        return MENU_CONTINUE.format(draft=paused[form_id])
    if form_id == MONTHLY.id and due:
        return MENU_MONTHLY_DUE.format(month=f"{short_month(due)} {year_month(due)[0]}")
    return label


def for_form(turn: TurnContext, form_id: str, posyandu_code: str) -> dict[str, Any]:
    """The context of ``form_id`` reported for ``posyandu_code``."""
    names = dict(people.posyandu_of(turn.session, turn.profile))
    context: dict[str, Any] = {
        "posyandu_code": posyandu_code,
        "posyandu_name": names.get(posyandu_code, posyandu_code),
    }
    switches = forms.switches_of_posyandu(turn.session, posyandu_code, form_id)
    if switches:
        context[PROFILE] = switches
    if form_id == MONTHLY.id:
        context.update(_monthly(turn, posyandu_code))
    elif form_id == OUTREACH.id:
        context["desa_name"] = people.desa_name_of_posyandu(turn.session, posyandu_code)
        context[BOK_MENU] = bok.menu_for_posyandu(turn.session, posyandu_code)
        context[STAFF] = bok.staff_of_posyandu(turn.session, posyandu_code)
    elif form_id == VITAL_EVENT.id:
        context["desa"] = regions.desa_around(turn.session, posyandu_code)
    return context


def _monthly(turn: TurnContext, posyandu_code: str) -> dict[str, Any]:
    today = turn.now.date()
    default = due_period(today, turn.profile.deadline_day)
    periods = [shift_month(default, -offset) for offset in range(-1, HISTORY_MONTHS)]
    filed = reports.monthly_filed(turn.session, [posyandu_code], periods)
    counts = [field.name for field in MONTHLY.counts]
    history = {
        f.period: {code: f.data[code] for code in counts if isinstance(f.data.get(code), int)}
        for f in filed
    }
    existing = {
        f.period: f"dikirim {format_date(f.submitted_at.astimezone(turn.now.tzinfo).date())} "
        f"oleh {f.submitted_by}"
        for f in filed
    }
    return {
        POSYANDU_DAY: forms.posyandu_day(turn.session, posyandu_code),
        "default_period": default,
        "earliest_period": shift_month(default, -LATE_MONTHS),
        HISTORY: history,
        "existing": existing,
    }

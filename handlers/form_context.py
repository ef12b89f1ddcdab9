"""What each form needs to know before it starts: Posyandu, defaults, earlier reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.forms import MONTHLY, REPORT_FORMS, menu_context
from conversations.forms.menu import MENU_CONTINUE
from conversations.forms.monthly import HISTORY
from conversations.periods import due_period, format_date, shift_month
from handlers.turn import TurnContext
from storage import people, reports

REPORTING_ROLES = ("kader", "bidan")
HISTORY_MONTHS = 13
LATE_MONTHS = 12
"""A monthly report may be filed in chat for the due month and this many months before it."""


def menu(posyandu: list[tuple[str, str]], paused: Mapping[str, str]) -> dict[str, Any]:
    """The report menu: every report form, for the Posyandu the person reports for.

    A form with a draft put aside (``paused``: form -> what the draft is about)
    is offered as "continue", in its place: one draft per form, so nothing
    typed so far is dropped by starting the same form again.
    """
    form_ids = [form.id for form in REPORT_FORMS]
    context: dict[str, Any] = dict(menu_context(form_ids, posyandu))
    context["forms"] = [
        (form_id, MENU_CONTINUE.format(draft=paused[form_id]) if form_id in paused else label)
        for form_id, label in context["forms"]
    ]
    context["paused"] = sorted(paused)
    return context


def for_form(turn: TurnContext, form_id: str, posyandu_code: str) -> dict[str, Any]:
    """The context of ``form_id`` reported for ``posyandu_code``."""
    names = dict(people.posyandu_of(turn.session, turn.profile))
    context: dict[str, Any] = {
        "posyandu_code": posyandu_code,
        "posyandu_name": names.get(posyandu_code, posyandu_code),
    }
    if form_id == MONTHLY.id:
        context.update(_monthly(turn, posyandu_code))
    elif form_id == "luar_gedung":
        context["desa_name"] = people.desa_name_of_posyandu(turn.session, posyandu_code)
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
        "default_period": default,
        "earliest_period": shift_month(default, -LATE_MONTHS),
        HISTORY: history,
        "existing": existing,
    }

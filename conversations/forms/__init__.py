"""The forms the bot knows. Add a new form here; its words live in its own module."""

from conversations.form import Form
from conversations.forms.home_visit import HOME_VISIT
from conversations.forms.meeting import MEETING
from conversations.forms.mentoring import MENTORING
from conversations.forms.menu import MENU, menu_context
from conversations.forms.monthly import MONTHLY
from conversations.forms.outreach import OUTREACH

REPORT_FORMS: tuple[Form, ...] = (MONTHLY, HOME_VISIT, OUTREACH)
ALL_FORMS: dict[str, Form] = {form.id: form for form in (*REPORT_FORMS, MENU, MEETING, MENTORING)}


def title_of(form_id: str) -> str:
    """A form's title as people read it (``kunjungan rumah``); a form no longer known, its id.

    Drafts and reminders name a form by its id; one saved by an older
    version of the bot may name a form that is gone.
    """
    form = ALL_FORMS.get(form_id)
    return form.title if form is not None else form_id


__all__ = [
    "ALL_FORMS",
    "HOME_VISIT",
    "MEETING",
    "MENTORING",
    "MENU",
    "MONTHLY",
    "OUTREACH",
    "REPORT_FORMS",
    "menu_context",
    "title_of",
]

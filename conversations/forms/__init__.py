"""The forms the bot knows. Add a new form here; its words live in its own module."""

from conversations.form import Form
from conversations.forms.home_visit import HOME_VISIT
from conversations.forms.meeting import MEETING
from conversations.forms.mentoring import MENTORING
from conversations.forms.menu import MENU, menu_context
from conversations.forms.monthly import MONTHLY
from conversations.forms.outreach import OUTREACH
from conversations.forms.return_reason import RETURN_REASON
from conversations.forms.vital_events import VITAL_EVENT
from conversations.messages import Choice

REPORT_FORMS: tuple[Form, ...] = (MONTHLY, HOME_VISIT, OUTREACH, VITAL_EVENT)
ALL_FORMS: dict[str, Form] = {
    form.id: form for form in (*REPORT_FORMS, MENU, MEETING, MENTORING, RETURN_REASON)
}
EVENT_TALLIES: tuple[Choice, ...] = tuple(
    option for form in REPORT_FORMS if form.tally_by for option in form.field(form.tally_by).options
)
"""What the rekap counts from event forms (births and deaths by kind): code and label."""


def title_of(form_id: str) -> str:
    """A form's title as people read it (``kunjungan rumah``); a form no longer known, its id.

    Drafts and reminders name a form by its id; one saved by an older
    version of the bot may name a form that is gone.
    """
    form = ALL_FORMS.get(form_id)
    return form.title if form is not None else form_id


__all__ = [
    "ALL_FORMS",
    "EVENT_TALLIES",
    "HOME_VISIT",
    "MEETING",
    "MENTORING",
    "MENU",
    "MONTHLY",
    "OUTREACH",
    "REPORT_FORMS",
    "RETURN_REASON",
    "VITAL_EVENT",
    "menu_context",
    "title_of",
]

"""The forms the bot knows. Add a new form here and in ``catalogue.FORM_TITLES``."""

from conversations.form import Form
from conversations.forms.home_visit import HOME_VISIT
from conversations.forms.menu import MENU, menu_context
from conversations.forms.monthly import MONTHLY
from conversations.forms.outreach import OUTREACH

REPORT_FORMS: tuple[Form, ...] = (MONTHLY, HOME_VISIT, OUTREACH)
ALL_FORMS: dict[str, Form] = {form.id: form for form in (*REPORT_FORMS, MENU)}

__all__ = ["ALL_FORMS", "HOME_VISIT", "MENU", "MONTHLY", "OUTREACH", "REPORT_FORMS", "menu_context"]

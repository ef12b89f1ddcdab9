"""Forms as data and the pure engine that walks them; knows nothing of channels or SQL."""

from conversations.engine import Cancelled, Engine, Event, Replacing, Submitted, Turn
from conversations.forms import ALL_FORMS, REPORT_FORMS
from conversations.messages import Attachment, Choice, Inbound, Reply
from conversations.state import State

__all__ = [
    "ALL_FORMS",
    "REPORT_FORMS",
    "Attachment",
    "Cancelled",
    "Choice",
    "Engine",
    "Event",
    "Inbound",
    "Replacing",
    "Reply",
    "State",
    "Submitted",
    "Turn",
]

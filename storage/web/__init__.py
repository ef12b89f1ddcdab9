"""The web wing's storage: one-time links and browser sessions (:mod:`.access`, :mod:`.models`)."""

from storage.web.access import add_link, end_session, find_session, open_session, spend_link
from storage.web.models import WebLink, WebSession

__all__ = [
    "WebLink",
    "WebSession",
    "add_link",
    "end_session",
    "find_session",
    "open_session",
    "spend_link",
]

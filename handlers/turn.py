"""Everything one inbound message is handled with, passed to every handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from conversations import Engine, Inbound
from storage import Transaction
from storage.drafts import Draft
from storage.people import Profile

if TYPE_CHECKING:
    from handlers.media import MediaInbox


@dataclass(slots=True)
class TurnContext:
    """One message being handled: who sent it, when (local time), inside which transaction."""

    session: Transaction
    engine: Engine
    profile: Profile
    inbound: Inbound
    now: datetime
    draft: Draft | None
    media: MediaInbox | None = None
    web_url: str = ""
    """Where the web app is reached: the links that the ``web`` command sends start with it."""

"""A browser request as a chat turn: a page's button runs the handler a typed command runs.

The turn is the signed-in person's, on the channel ``web`` (the Mini App
names its own), with the person's local clock; the handler's replies are
shown on the page instead of sent in chat, and whatever it tells others
(the kader, the invitees) goes through the outbox as from chat.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from conversations import ALL_FORMS, Engine, Inbound
from handlers.turn import TurnContext
from storage import Transaction
from storage.people import Profile

CHANNEL = "web"


def turn(
    session: Transaction, engine: Engine, profile: Profile, inbound: Inbound, now: datetime
) -> TurnContext:
    """A turn of ``profile`` at ``now`` (shown in their time zone), with no open form."""
    local = now.astimezone(ZoneInfo(profile.timezone))
    return TurnContext(session, engine, profile, inbound, local, None)


def page_turn(session: Transaction, profile: Profile, now: datetime) -> TurnContext:
    """The turn of a page's button: a fresh message id, as each press is a message of its own."""
    inbound = Inbound(CHANNEL, f"person:{profile.person_id}", uuid.uuid4().hex)
    return turn(session, Engine(ALL_FORMS), profile, inbound, now)

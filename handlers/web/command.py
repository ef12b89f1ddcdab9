"""The chat command ``web``: a one-time link that signs the person in to the review pages."""

from __future__ import annotations

from conversations import Reply
from handlers.turn import TurnContext
from handlers.web import tokens
from handlers.web import words as W

REVIEW_ROLES = ("bidan", "puskesmas", "dinkes", "admin")


def sign_in_link(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``web``: the link ``{WEB_BASE_URL}/masuk/{token}``, valid 15 minutes, usable once."""
    if turn.profile.role not in REVIEW_ROLES:
        return [Reply(W.WEB_NOT_FOR_ROLE)]
    token = tokens.issue(turn.session, turn.profile.person_id, tokens.SIGN_IN, turn.now)
    minutes = int(tokens.LINK_LIFETIME.total_seconds() // 60)
    return [Reply(W.WEB_LINK.format(url=f"{turn.web_url}/masuk/{token}", minutes=minutes))]

"""The chat commands that open the web: ``web`` (review pages) and ``lapor formulir`` (the form)."""

from __future__ import annotations

from dataclasses import replace

from conversations import Choice, Reply
from handlers.turn import TurnContext
from handlers.web import tokens
from handlers.web import words as W

REVIEW_ROLES = ("bidan", "puskesmas", "dinkes", "admin")
FORM_PATH = "/app/lapor"
TELEGRAM = "telegram"


def sign_in_link(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``web``: the link ``{WEB_BASE_URL}/masuk/{token}``, valid 15 minutes, usable once."""
    if turn.profile.role not in REVIEW_ROLES:
        return [Reply(W.WEB_NOT_FOR_ROLE)]
    return [Reply(W.WEB_LINK.format(url=_link(turn, tokens.SIGN_IN, "/masuk"), minutes=_minutes()))]


def form_button(turn: TurnContext) -> Choice | None:
    """The Mini App button, on Telegram when the web app is served over HTTPS (Telegram's rule)."""
    if turn.inbound.channel != TELEGRAM or not turn.web_url.startswith("https://"):
        return None
    return Choice(turn.web_url + FORM_PATH, W.APP_BUTTON)


def with_form_button(turn: TurnContext, replies: list[Reply]) -> list[Reply]:
    """The report menu with "Isi lewat formulir" under its buttons, where Telegram can open it."""
    button = form_button(turn)
    if button is None or not replies:
        return replies
    return [*replies[:-1], replace(replies[-1], web_app=button)]


def form_link(turn: TurnContext) -> list[Reply]:
    """``lapor formulir``: the Mini App button on Telegram, a one-time link elsewhere."""
    button = form_button(turn)
    if button is not None:
        return [Reply(W.APP_OPEN_BUTTON, web_app=button)]
    url = _link(turn, tokens.REPORT_FORM, FORM_PATH + "/masuk")
    return [Reply(W.APP_LINK.format(url=url, minutes=_minutes()))]


def _link(turn: TurnContext, purpose: str, path: str) -> str:
    token = tokens.issue(turn.session, turn.profile.person_id, purpose, turn.now)
    return f"{turn.web_url}{path}/{token}"


def _minutes() -> int:
    return int(tokens.LINK_LIFETIME.total_seconds() // 60)

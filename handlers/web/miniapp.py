"""The monthly report as a Telegram Mini App: the form from the schema, checked by the same engine.

Telegram hands ``initData`` to the page's script, never to the server on
``GET``: the page is a shell, and its script sends ``initData`` with every
request for data or for a submission. The server checks its signature as
Telegram specifies (HMAC-SHA256 with a key derived from the bot token, done
by aiogram's ``safe_parse_webapp_init_data``) and its age, finds the person
whose Telegram account is linked, and then plays the submitted answers into
the chat's own engine, question by question: a hard rule refuses exactly as
in chat, a soft one asks to confirm, and the report is stored by the chat's
submission service (channel ``telegram-webapp``). The chat then confirms,
through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram.utils.web_app import safe_parse_webapp_init_data

from conversations import Engine, Inbound, Submitted
from conversations.form import Field, Form, Kind
from conversations.forms import MONTHLY
from conversations.periods import format_month, shift_month
from conversations.state import SUMMARY
from conversations.words import NO, WORD_SEND, WORD_SKIP, YES
from handlers import form_context, submission
from handlers.turn import TurnContext
from handlers.web import turns
from handlers.web import words as W
from storage import Transaction, inbox, outbox, people, reports
from storage.people import Profile

CHANNEL = "telegram-webapp"
WEB_CHANNEL = turns.CHANNEL
"""Reports sent from the form opened by a ``lapor formulir`` link (WhatsApp, console)."""
TELEGRAM = "telegram"
INIT_DATA_HEADER = "X-Telegram-Init-Data"
MAX_AGE = timedelta(hours=1)
CLOCK_SKEW = timedelta(minutes=5)
MONTHS_OFFERED = 3
STEP_LIMIT = 4
"""Engine steps allowed per field before a submission is judged stuck (a bug, not input)."""


class RefusedError(Exception):
    """A request the Mini App must not act on: ``status`` and an Indonesian ``message``."""

    def __init__(self, status: int, message: str, warnings: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.warnings = warnings


def telegram_user(init_data: str, bot_token: str | None, now: datetime) -> str:
    """The Telegram user id ``initData`` was signed for; 403 when forged, stale or absent."""
    if not bot_token:
        raise RefusedError(503, W.APP_DISABLED)
    try:
        data = safe_parse_webapp_init_data(bot_token, init_data)
    except ValueError:
        raise RefusedError(403, W.APP_FORGED) from None
    if data.user is None or not now - MAX_AGE <= data.auth_date <= now + CLOCK_SKEW:
        raise RefusedError(403, W.APP_FORGED)
    return str(data.user.id)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: a Telegram account (Mini App) or a signed-in browser (a person id)."""

    channel: str
    user_id: str
    person_id: int | None = None


def reporter(session: Transaction, caller: Caller) -> Profile:
    """The roster person asking, if they file monthly reports."""
    if caller.person_id is not None:
        profile = people.by_id(session, caller.person_id)
    else:
        profile = people.by_identity(session, TELEGRAM, caller.user_id)
    if profile is None:
        raise RefusedError(403, W.APP_NOT_LINKED)
    if profile.role not in form_context.REPORTING_ROLES:
        raise RefusedError(403, W.APP_NOT_REPORTER)
    return profile


@dataclass(frozen=True, slots=True)
class Submission:
    posyandu: str
    answers: dict[str, Any]
    confirmed: bool
    id: str


def _turn(
    session: Transaction, engine: Engine, profile: Profile, caller: Caller, key: str, now: datetime
) -> TurnContext:
    return turns.turn(session, engine, profile, Inbound(caller.channel, caller.user_id, key), now)


def form_data(
    session: Transaction, engine: Engine, profile: Profile, caller: Caller, now: datetime
) -> dict[str, Any]:
    """What the page needs: the Posyandu, the form's schema and last month's answers of each."""
    posyandu = people.posyandu_of(session, profile)
    if not posyandu:
        raise RefusedError(403, W.APP_NOT_REPORTER)
    turn = _turn(session, engine, profile, caller, "data", now)
    context = form_context.for_form(turn, MONTHLY.id, posyandu[0][0])
    default = context["default_period"]
    months = [shift_month(default, -offset) for offset in range(MONTHS_OFFERED)]
    before = shift_month(default, -1)
    filed = reports.monthly_filed(session, [code for code, _ in posyandu], [before])
    return {
        "name": profile.name,
        "posyandu": [{"value": code, "label": name} for code, name in posyandu],
        "form": schema(MONTHLY, context, months),
        "previous": {item.posyandu_code: item.data for item in filed},
        "previous_month": format_month(before),
    }


def schema(form: Form, context: dict[str, Any], months: list[str]) -> dict[str, Any]:
    """The form as the page renders it: sections of fields with kinds, bounds and options.

    Blocks whose members are all counts are totals and their parts (the first
    member is the total the others add up to): the page shows their sum live.
    """
    sections: dict[str | None, dict[str, Any]] = {}
    for item in form.fields:
        section = form.section(item.section)
        entry = sections.setdefault(
            item.section,
            {
                "title": section.title if section else "",
                "skippable": bool(section and section.skippable),
                "fields": [],
            },
        )
        entry["fields"].append(_field(item, context, months))
    sums = [
        {"total": block.fields[0], "parts": list(block.fields[1:])}
        for block in form.blocks
        if all(form.field(name).kind is Kind.COUNT for name in block.fields)
    ]
    return {"id": form.id, "sections": list(sections.values()), "sums": sums}


def _field(item: Field, context: dict[str, Any], months: list[str]) -> dict[str, Any]:
    options: list[dict[str, str]] = []
    if item.kind is Kind.MONTH:
        options = [{"value": month, "label": format_month(month)} for month in months]
    elif item.kind is Kind.YES_NO:
        options = [{"value": "ya", "label": YES}, {"value": "tidak", "label": NO}]
    elif item.kind in (Kind.CHOICE, Kind.MULTI):
        options = [{"value": c.value, "label": c.label} for c in item.choices(context)]
    return {
        "name": item.name,
        "label": item.label,
        "short": item.short or item.label,
        "kind": str(item.kind),
        "min": None if item.minimum is None else float(item.minimum),
        "max": None if item.maximum is None else float(item.maximum),
        "optional": item.optional,
        "options": options,
    }


def submit(
    session: Transaction,
    engine: Engine,
    profile: Profile,
    caller: Caller,
    sent: Submission,
    now: datetime,
) -> str:
    """Play the answers into the engine and store the report; returns the thank-you text.

    Raises :class:`RefusedError` (422) at a hard rule or a missing answer, and (409)
    with every soft warning when they were not confirmed; nothing is stored then.
    """
    if sent.posyandu not in {code for code, _ in people.posyandu_of(session, profile)}:
        raise RefusedError(403, W.APP_NOT_REPORTER)
    lane = inbox.Lane(caller.channel, caller.user_id)
    if not inbox.keep(session, lane, sent.id, 0, {}, now, status=inbox.DONE):
        return W.APP_ALREADY_SENT
    turn = _turn(session, engine, profile, caller, sent.id, now)
    context = form_context.for_form(turn, MONTHLY.id, sent.posyandu)
    step = engine.start(MONTHLY.id, context, turn.now)
    warnings: list[str] = []
    for number in range(STEP_LIMIT * len(MONTHLY.fields)):
        state = step.state
        if state is None:
            break
        if state.pending is not None:
            warnings.append(step.replies[-1].text)
            inbound = Inbound(caller.channel, caller.user_id, f"{sent.id}:{number}", YES.casefold())
        elif state.current == SUMMARY:
            if warnings and not sent.confirmed:
                raise RefusedError(409, W.APP_CONFIRM, tuple(warnings))
            inbound = Inbound(caller.channel, caller.user_id, f"{sent.id}:{number}", WORD_SEND[0])
        else:
            key = f"{sent.id}:{number}"
            inbound = _answer(MONTHLY, state.current, sent.answers, caller, key, state.turn)
        asked = (state.current, state.pending is None)
        step = engine.resume(state, inbound, turn.now)
        after = step.state
        if after is not None and asked == (after.current, True) and after.pending is None:
            raise RefusedError(422, step.replies[0].text)
    submitted = [event for event in step.events if isinstance(event, Submitted)]
    if not submitted:
        raise RefusedError(422, "\n".join(reply.text for reply in step.replies))
    replies = [reply.text for reply in step.replies]
    replies.extend(reply.text for reply in submission.store(turn, submitted[0]))
    text = "\n".join(replies)
    outbox.enqueue(
        session, f"webapp:{sent.id}", profile.person_id, "webapp_report", {"text": text}, now
    )
    return text


def _answer(
    form: Form, name: str, answers: dict[str, Any], caller: Caller, key: str, question: int
) -> Inbound:
    """What a person would type (or press) for ``name``: the sent answer, or skip, or refuse."""
    item = form.field(name)
    value = answers.get(name)
    if value is None or value == "":
        section = form.section(item.section)
        if item.optional or (section is not None and section.skippable):
            return Inbound(caller.channel, caller.user_id, key, WORD_SKIP[0])
        raise RefusedError(422, W.APP_REQUIRED.format(label=item.label))
    if item.kind in (Kind.CHOICE, Kind.MULTI):
        return Inbound(
            caller.channel, caller.user_id, key, choice=str(value), question_id=str(question)
        )
    if item.kind is Kind.YES_NO and isinstance(value, bool):
        value = "ya" if value else "tidak"
    return Inbound(caller.channel, caller.user_id, key, str(value))

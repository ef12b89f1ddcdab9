"""Running the engine for a person: start a form, feed it answers, save what it returns.

A person answers one open conversation at a time. Asking for the report menu
(``lapor``) in the middle of a form puts that form aside rather than losing
it: the menu then offers to continue it, next to the other forms. Forms put
aside expire like open ones; whenever no form is open, the person is reminded
of the ones waiting.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from conversations import Reply, State, Submitted, Turn
from conversations.engine import DRAFT_LIFETIME
from conversations.forms import ALL_FORMS, MENU, title_of
from conversations.periods import format_month
from conversations.words import EXPIRED
from handlers import form_context, submission
from handlers import words as T
from handlers.turn import TurnContext
from storage import drafts


def start(turn: TurnContext, form_id: str, context: dict[str, Any]) -> list[Reply]:
    """Open ``form_id`` for this person, replacing the open conversation if there is one."""
    return settle(turn, turn.engine.start(form_id, context, turn.now))


def resume(turn: TurnContext) -> list[Reply]:
    """Give the message to the open conversation."""
    assert turn.draft is not None
    state = State.from_json(turn.draft.state)
    return settle(turn, turn.engine.resume(state, turn.inbound, turn.now))


def reprompt(turn: TurnContext, note: str, *, hint: bool = False) -> list[Reply]:
    """Show the open conversation's question again, after ``note`` (with the hint if asked)."""
    assert turn.draft is not None
    state = State.from_json(turn.draft.state)
    return settle(turn, turn.engine.reprompt(state, turn.now, note, hint=hint))


def open_menu(turn: TurnContext, posyandu: list[tuple[str, str]]) -> list[Reply]:
    """The report menu, offering to continue the forms put aside (the open one is put aside)."""
    person = turn.profile.person_id
    if turn.draft is not None and turn.draft.form != MENU.id:
        drafts.pause(turn.session, person, turn.draft, turn.now)
        turn.draft = None
    replies = [
        Reply(_expired(form)) for form in drafts.drop_expired(turn.session, person, turn.now)
    ]
    waiting = {draft.form: describe(draft) for draft in _paused(turn)}
    return replies + start(turn, MENU.id, form_context.menu(posyandu, waiting))


def where_we_are(turn: TurnContext, *, hint: bool = False) -> list[Reply]:
    """After a command that is not about the form: its question again, or the forms put aside.

    Someone who asked ``status`` or ``jadwal`` half-way through a report must
    see where they were; the menu is shown again without naming itself.
    ``hint`` adds the typing and navigation hint to the question (``bantuan``).
    """
    if turn.draft is None:
        return kept_drafts(turn)
    note = "" if turn.draft.form == MENU.id else T.DRAFT_OPEN.format(title=describe(turn.draft))
    return reprompt(turn, note, hint=hint)


def kept_drafts(turn: TurnContext) -> list[Reply]:
    """A reminder of the forms put aside, if there are any."""
    waiting = [describe(draft) for draft in _paused(turn)]
    if not waiting:
        return []
    return [Reply(T.DRAFTS_KEPT.format(drafts=T.DRAFTS_AND.join(waiting)))]


def describe(draft: drafts.Draft) -> str:
    """``bulanan Posyandu Melati Oktober 2026``: which form, for which Posyandu (and month)."""
    state = State.from_json(draft.state)
    parts = [title_of(draft.form), state.context.get("posyandu_name", "")]
    form = ALL_FORMS.get(draft.form)
    period = state.answers.get(form.period_field) if form and form.period_field else None
    if isinstance(period, str):
        parts.append(format_month(period))
    return " ".join(part for part in parts if part)


def settle(turn: TurnContext, result: Turn) -> list[Reply]:
    """Save the new state (or drop a finished one) and apply the engine's events."""
    replies = list(result.replies)
    if result.state is None:
        drafts.discard(turn.session, turn.profile.person_id, turn.draft)
        turn.draft = None
    else:
        _save(turn, result.state)
    for event in result.events:
        if isinstance(event, Submitted) and event.form == MENU.id:
            replies.extend(_open_chosen(turn, event))
        elif isinstance(event, Submitted):
            replies.extend(submission.store(turn, event))
    if result.state is None and turn.draft is None:
        replies.extend(kept_drafts(turn))
    return replies


def _open_chosen(turn: TurnContext, event: Submitted) -> list[Reply]:
    """The menu was answered: continue the form put aside, or open the chosen one."""
    form_id = event.answers.get("form") or event.context["forms"][0][0]
    if form_id in event.context.get("paused", ()):
        return _continue(turn, form_id, event.context["posyandu"])
    posyandu = event.answers.get("posyandu") or event.context["posyandu"][0][0]
    kept = kept_drafts(turn)
    return kept + start(turn, form_id, form_context.for_form(turn, form_id, posyandu))


def _continue(turn: TurnContext, form_id: str, posyandu: list[tuple[str, str]]) -> list[Reply]:
    found = [draft for draft in _paused(turn) if draft.form == form_id]
    if not found:  # it expired between the menu and the choice
        return open_menu(turn, posyandu)
    turn.draft = drafts.resume(turn.session, turn.profile.person_id, found[0], turn.now)
    return where_we_are(turn)


def _paused(turn: TurnContext) -> list[drafts.Draft]:
    return drafts.paused(turn.session, turn.profile.person_id, turn.now)


def _expired(form_id: str) -> str:
    return EXPIRED.format(title=title_of(form_id), days=DRAFT_LIFETIME.days)


def _save(turn: TurnContext, state: State) -> None:
    text = state.to_json()
    expires_at = datetime.fromisoformat(state.expires_at)
    person = turn.profile.person_id
    drafts.save(turn.session, person, state.form, text, expires_at, turn.now, turn.draft)
    turn.draft = drafts.Draft(state.form, text, turn.draft.version + 1 if turn.draft else 1)

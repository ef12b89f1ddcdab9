"""Running the engine for a person: start a form, feed it answers, save what it returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from conversations import Reply, State, Submitted, Turn
from conversations.forms import MENU
from handlers import form_context, submission
from handlers.turn import TurnContext
from storage import drafts


def start(turn: TurnContext, form_id: str, context: dict[str, Any]) -> list[Reply]:
    """Open ``form_id`` for this person, replacing any open conversation."""
    return settle(turn, turn.engine.start(form_id, context, turn.now))


def resume(turn: TurnContext) -> list[Reply]:
    """Give the message to the open conversation."""
    assert turn.draft is not None
    state = State.from_json(turn.draft.state)
    return settle(turn, turn.engine.resume(state, turn.inbound, turn.now))


def reprompt(turn: TurnContext, note: str) -> list[Reply]:
    """Show the open conversation's question again, after ``note``."""
    assert turn.draft is not None
    state = State.from_json(turn.draft.state)
    return settle(turn, turn.engine.reprompt(state, turn.now, note))


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
            submission.store(turn, event)
    return replies


def _open_chosen(turn: TurnContext, event: Submitted) -> list[Reply]:
    """The menu was answered: open the chosen form for the chosen Posyandu."""
    form_id = event.answers.get("form") or event.context["forms"][0][0]
    posyandu = event.answers.get("posyandu") or event.context["posyandu"][0][0]
    return start(turn, form_id, form_context.for_form(turn, form_id, posyandu))


def _save(turn: TurnContext, state: State) -> None:
    text = state.to_json()
    expires_at = datetime.fromisoformat(state.expires_at)
    person = turn.profile.person_id
    drafts.save(turn.session, person, state.form, text, expires_at, turn.now, turn.draft)
    turn.draft = drafts.Draft(state.form, text, turn.draft.version + 1 if turn.draft else 1)

"""The return reason form was answered: the report goes back to its kader."""

from __future__ import annotations

from conversations import Reply, Submitted
from conversations.forms.return_reason import reason_text
from handlers.review import actions
from handlers.turn import TurnContext


def reason_given(turn: TurnContext, event: Submitted) -> list[Reply]:
    """Return the report the form was opened for, with the reason chosen or typed."""
    context = event.context
    return actions.give_back(
        turn,
        context["posyandu_code"],
        context["period"],
        context["revision"],
        reason_text(event.answers),
    )

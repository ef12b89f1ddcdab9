"""Driving the pure engine like a chat: ``say`` a line, read the bot's reply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from conversations import ALL_FORMS, Engine, Event, Inbound, Reply, State

_ENGINE = Engine(ALL_FORMS)


class EngineChat:
    """One conversation with the engine alone (no storage), at a fixed time."""

    def __init__(self, form: str, context: dict[str, Any], now: datetime) -> None:
        self.now = now
        self.events: list[Event] = []
        turn = _ENGINE.start(form, context, now)
        self.state: State | None = turn.state
        self.replies: list[Reply] = turn.replies
        self._count = 0

    @property
    def last(self) -> str:
        return self.replies[-1].text

    def say(self, text: str, *, choice: str | None = None, question_id: str | None = None) -> str:
        """Send one message; returns the text of the bot's last reply."""
        assert self.state is not None, "the conversation is over"
        self._count += 1
        inbound = Inbound(
            "test", "u1", str(self._count), text=text, choice=choice, question_id=question_id
        )
        turn = _ENGINE.resume(self.state, inbound, self.now)
        self.state, self.replies = turn.state, turn.replies
        self.events.extend(turn.events)
        return self.last

    def say_all(self, *lines: str) -> str:
        for line in lines:
            self.say(line)
        return self.last

    def roundtrip(self) -> None:
        """Save and load the state as storage does, to prove it survives JSON."""
        assert self.state is not None
        self.state = State.from_json(self.state.to_json())

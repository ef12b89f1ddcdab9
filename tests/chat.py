"""Talking to the real core service like a user of one channel (transcript style)."""

from __future__ import annotations

import itertools

from conversations import Inbound, Reply
from handlers import Service

_ids = itertools.count(1)


class ServiceChat:
    """One person on one channel; ``phone`` is what the channel vouches for."""

    def __init__(
        self, service: Service, phone: str | None, *, channel: str = "console", user_id: str = ""
    ) -> None:
        self.service = service
        self.phone = phone
        self.channel = channel
        self.user_id = user_id or (phone or "anonymous")
        self.replies: list[Reply] = []

    def send(self, text: str, *, message_id: str | None = None, choice: str | None = None) -> str:
        """Deliver one message; returns all reply texts joined (empty when nothing came back)."""
        inbound = Inbound(
            channel=self.channel,
            user_id=self.user_id,
            message_id=message_id or f"m{next(_ids)}",
            text=text,
            choice=choice,
            question_id=self.replies[-1].question_id if choice and self.replies else None,
            phone=self.phone,
        )
        self.replies = self.service.handle(inbound)
        return "\n---\n".join(reply.text for reply in self.replies)

    def send_all(self, *lines: str) -> str:
        for line in lines:
            self.send(line)
        return "\n---\n".join(reply.text for reply in self.replies)

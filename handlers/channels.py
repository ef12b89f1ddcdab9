"""What the core knows of a chat channel: its name, its platform's limits, how it reaches people.

Each adapter in ``bot/channels`` declares one :class:`ChannelInfo` next to its code, and
``bot/channels/registry.py`` lists the adapters. Whatever differs by channel outside the
adapter reads the declaration instead of spelling a channel's name: the pacing (limits), the
dispatcher, and the reminder queries (who is reached by their roster phone number).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta

from storage.reminders.recipients import Reach


@dataclass(frozen=True, slots=True)
class Limit:
    """A platform's limits: sends per second (bot or number), seconds between sends to one chat."""

    per_second: float
    per_chat_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    """One channel, declared once by its adapter.

    ``reaches_phones``: it can message any roster phone number without the person writing
    first (WhatsApp); otherwise only through an account the person linked (Telegram, the
    console). ``template_window``: outside this long after the person's last message only an
    approved template may be sent (WhatsApp's 24 hours); None when there is no such rule.
    """

    name: str
    limit: Limit
    reaches_phones: bool = False
    template_window: timedelta | None = None

    def at_rate(self, per_second: float) -> ChannelInfo:
        """The same channel with another per-second limit (a setting overriding the default)."""
        return replace(self, limit=replace(self.limit, per_second=per_second))


def reach(channels: Iterable[ChannelInfo]) -> Reach:
    """The configured channels as the reminder queries see them."""
    infos = tuple(channels)
    return Reach(
        tuple(info.name for info in infos),
        frozenset(info.name for info in infos if info.reaches_phones),
    )

"""Sending to a person on some channel, as the core sees it: channel-neutral.

The outbox dispatcher needs only a channel's name, its pace and its ``send``;
every channel adapter offers them (``bot.channels.base.Channel``) and reports a
failed send as :class:`DeliveryError`, saying whether trying again can help.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol

from conversations import Reply

if TYPE_CHECKING:
    from handlers.reminders.pacing import Pace

OUTBOX_ID: ContextVar[int | None] = ContextVar("outbox_id", default=None)
"""The outbox row a proactive ``send`` is delivering (None for replies), set by the dispatcher;
an adapter may read it to link the platform's message id to the row (WhatsApp statuses)."""


class DeliveryError(Exception):
    """A send failed. ``permanent`` failures (blocked bot, unknown user) are not retried.

    ``retry_after``: the platform asked to wait this many seconds first (a 429).
    """

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Sender(Protocol):
    """A channel as the dispatcher uses it: ``name`` as stored with identities, ``pace``, ``send``.

    ``pace`` carries the channel's declaration (``pace.info``: limits, whom it
    reaches) and the sending slots that ``send`` holds for each platform request,
    so proactive sends and replies share one limit. ``send`` delivers messages to
    an external user id and raises :class:`DeliveryError` on failure.
    """

    name: str
    pace: Pace

    async def send(self, user_id: str, replies: Sequence[Reply]) -> None: ...

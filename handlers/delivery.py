"""Sending to a person on some channel, as the core sees it: channel-neutral.

The outbox dispatcher needs only a channel's name, its pace and its ``send``;
every channel adapter offers them (``bot.channels.base.Channel``) and reports a
failed send as :class:`DeliveryError`, saying whether trying again can help.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

from conversations import Attachment, Choice, Reply

if TYPE_CHECKING:
    from handlers.reminders.pacing import Pace


class DeliveryError(Exception):
    """A send failed. ``permanent`` failures (blocked bot, unknown user) are not retried.

    ``retry_after``: the platform asked to wait this many seconds first (a 429).
    """

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Sender(Protocol):
    """A channel as the outbox uses it: ``name`` as stored with identities, ``pace``, ``send``.

    ``pace`` carries the channel's declaration (``pace.info``: limits, whom it
    reaches) and the sending slots that ``send`` holds for each platform request,
    so proactive sends and replies share one limit. ``send`` delivers messages to
    an external user id and raises :class:`DeliveryError` on failure.
    ``outbox_id`` names the outbox row being delivered, so an adapter may link
    the platform's message id to it (WhatsApp's delivery statuses arrive later
    and are recorded on the row).
    """

    name: str
    pace: Pace

    async def send(
        self, user_id: str, replies: Sequence[Reply], outbox_id: int | None = None
    ) -> None: ...


def encode(reply: Reply) -> dict[str, Any]:
    """A reply as the JSON an outbox row keeps (text, buttons, file, what it asks)."""
    data: dict[str, Any] = {"text": reply.text}
    if reply.choices:
        data["choices"] = [[choice.value, choice.label] for choice in reply.choices]
    if reply.free_text:
        data["free_text"] = True
    if reply.request_contact:
        data["request_contact"] = True
    if reply.request_location:
        data["request_location"] = True
    if reply.question_id is not None:
        data["question_id"] = reply.question_id
    if reply.monospace:
        data["monospace"] = True
    if reply.web_app is not None:
        data["web_app"] = [reply.web_app.value, reply.web_app.label]
    if reply.attachment is not None:
        data["attachment"] = {
            "filename": reply.attachment.filename,
            "content": base64.b64encode(reply.attachment.content).decode("ascii"),
            "mime_type": reply.attachment.mime_type,
            "kind": reply.attachment.kind,
        }
    return data


def decode(data: Mapping[str, Any]) -> Reply:
    """The inverse of :func:`encode`; also reads the proactive rows queued with text and buttons."""
    stored = data.get("attachment")
    web_app = data.get("web_app")
    attachment = None
    if stored is not None:
        kind: Literal["document", "photo"] = "photo" if stored["kind"] == "photo" else "document"
        content = base64.b64decode(stored["content"])
        attachment = Attachment(stored["filename"], content, stored["mime_type"], kind)
    return Reply(
        data["text"],
        tuple(Choice(value, label) for value, label in data.get("choices", ())),
        question_id=data.get("question_id"),
        free_text=bool(data.get("free_text", False)),
        request_contact=bool(data.get("request_contact", False)),
        request_location=bool(data.get("request_location", False)),
        attachment=attachment,
        monospace=bool(data.get("monospace", False)),
        web_app=None if web_app is None else Choice(*web_app),
    )

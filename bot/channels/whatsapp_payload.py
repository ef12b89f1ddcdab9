"""WhatsApp Cloud API shapes both ways, without any I/O.

Inbound: a webhook body becomes :class:`Inbound` messages for the core (text,
reply-button and list-row answers) plus the delivery statuses of our sends.
Outbound: a :class:`Reply` becomes the Cloud API ``/messages`` request bodies
that render it within the platform's limits: text split below 4,096
characters, up to 3 choices as reply buttons, up to 10 as a list, more as a
numbered text the user answers by number. Keeping this pure lets every limit
and every odd payload be tested with plain tables, no server needed.

Button and row ids carry ``"{question_id}:{value}"``, so a tap comes back
with the question it answered and the core can recognise a stale button.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, TypeGuard

from bot.channels import words as T
from bot.channels.text import split_text
from bot.channels.whatsapp_client import WINDOW_CLOSED
from conversations import Attachment, Choice, Inbound, Reply
from conversations.messages import Location, Media
from handlers.whatsapp_records import DeliveryStatus

CHANNEL: Final = "whatsapp"
"""The channel name stored with identities and messages (``Inbound.channel``)."""

# Documented Cloud API limits (characters).
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
BUTTON_BODY_LIMIT = 1024
MONOSPACE = "```"  # WhatsApp's fixed-width markup, around the text
MAX_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
MAX_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ROW_ID_LIMIT = 200
# A template's body, parameters filled in, may not exceed 1,024 characters; the
# fixed words of the approved template need the rest.
TEMPLATE_PARAMETER_LIMIT = 900

SIGNATURE_PREFIX = "sha256="
ELLIPSIS = "…"
SEPARATOR = " · "
IMAGE_TYPES = ("image/jpeg", "image/png")
# Not answered at all: a reaction is an acknowledgement (answering a 👍 with
# "please type text" would be rude), a system notice is not from the person.
IGNORED_TYPES = ("reaction", "system", "request_welcome")


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One user message of a webhook.

    ``supported`` is False for kinds the bot cannot read (voice note, sticker,
    video, ...): those get a short polite answer instead of going to the
    core. A photo, a file and a location pin go to the core (evidence).
    ``timestamp`` (seconds, as WhatsApp stamped it) orders a person's
    messages, whatever order the webhooks arrive in.
    """

    inbound: Inbound
    supported: bool
    timestamp: int


@dataclass(frozen=True, slots=True)
class Webhook:
    """Everything one webhook body carries for our phone number."""

    messages: list[IncomingMessage]
    statuses: list[DeliveryStatus]


# --------------------------------------------------------------------------- inbound


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether ``X-Hub-Signature-256`` is the HMAC-SHA256 of the raw body with the app secret.

    The raw bytes are what Meta signed (re-serialised JSON would differ), and
    the comparison takes constant time so the signature cannot be guessed byte
    by byte.
    """
    if not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest().encode()
    given = header.removeprefix(SIGNATURE_PREFIX).strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(expected, given)


def parse_webhook(payload: Any, phone_number_id: str) -> Webhook:
    """The messages and statuses of a webhook body that are addressed to our phone number.

    Changes for another number of the same business account, other webhook
    fields (template reviews, account updates) and malformed elements are
    skipped: Meta would only re-deliver them if we refused the whole body.
    """
    webhook = Webhook([], [])
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return webhook
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            metadata = value.get("metadata")
            if not isinstance(metadata, dict) or metadata.get("phone_number_id") != phone_number_id:
                continue
            contacts = _contacts(value.get("contacts"))
            for message in _dicts(value.get("messages")):
                sender = message.get("from") or message.get("from_user_id")
                contact = contacts.get(sender, {}) if _text(sender) else {}
                parsed = parse_message({"message": message, "contact": contact})
                if parsed is not None:
                    webhook.messages.append(parsed)
            for status in _dicts(value.get("statuses")):
                update = _status(status)
                if update is not None:
                    webhook.statuses.append(update)
    return webhook


def parse_message(raw: dict[str, Any]) -> IncomingMessage | None:
    """One ``{"message": ..., "contact": ...}`` as the core's Inbound; None to ignore it.

    The sender is the ``wa_id`` (the phone number, which WhatsApp vouches for
    and which registers the person), or the business-scoped user id when
    WhatsApp hides the number. The ``wa_id`` is the international number
    without its ``+`` (``85291234567`` is Hong Kong, not 0852-9123-4567), so
    it is passed on as ``+85291234567`` for registration to check.
    """
    message = raw.get("message")
    contact = raw.get("contact") or {}
    if not isinstance(message, dict) or not isinstance(contact, dict):
        return None
    message_id = message.get("id")
    wa_id = message.get("from") or contact.get("wa_id")
    sender = wa_id or message.get("from_user_id") or contact.get("user_id")
    kind = message.get("type")
    if not _text(message_id) or not _text(sender) or kind in IGNORED_TYPES:
        return None
    content = _content(message)
    shared = _shared(message)
    text, choice, question_id = content or ("", None, None)
    inbound = Inbound(
        channel=CHANNEL,
        user_id=sender,
        message_id=message_id,
        text=text,
        choice=choice,
        question_id=question_id,
        phone="+" + wa_id if _text(wa_id) else None,
        **shared,
    )
    stamp = message.get("timestamp")
    timestamp = int(stamp) if _text(stamp) and stamp.isdigit() and len(stamp) <= 12 else 0
    return IncomingMessage(inbound, content is not None or bool(shared), timestamp)


def choice_id(question_id: str | None, value: str) -> str:
    """The id of a button or list row: the question it answers and the value it stands for."""
    return f"{question_id or ''}:{value}"


def parse_choice_id(button_id: str) -> tuple[str | None, str]:
    """``"7:ya"`` -> ("7", "ya"); without a question (``":ya"``, ``"ya"``) -> (None, "ya")."""
    question_id, separator, value = button_id.partition(":")
    if not separator:
        return None, button_id
    return question_id or None, value


def _content(message: dict[str, Any]) -> tuple[str, str | None, str | None] | None:
    """(text, choice, question id) of a readable message; None for kinds the bot cannot read."""
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) else None
    if not isinstance(body, dict):
        return None
    if kind == "text" and isinstance(body.get("body"), str):
        return body["body"], None, None
    if kind == "button" and isinstance(body.get("text"), str):
        # A quick-reply button of a template message: its label is the answer.
        return body["text"], None, None
    if kind == "interactive" and body.get("type") in ("button_reply", "list_reply"):
        reply = body.get(body["type"])
        if isinstance(reply, dict) and _text(reply.get("id")):
            question_id, value = parse_choice_id(reply["id"])
            return str(reply.get("title") or value), value, question_id
    return None


def _shared(message: dict[str, Any]) -> dict[str, Any]:
    """A location pin, or a photo or file (its media id and type), as Inbound fields."""
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) else None
    if not isinstance(body, dict):
        return {}
    if kind == "location":
        latitude, longitude = body.get("latitude"), body.get("longitude")
        if isinstance(latitude, int | float) and isinstance(longitude, int | float):
            return {"location": Location(float(latitude), float(longitude))}
    if kind in ("image", "document") and _text(body.get("id")):
        return {"media": Media(body["id"], str(body.get("mime_type") or ""))}
    return {}


def _status(status: dict[str, Any]) -> DeliveryStatus | None:
    message_id, name = status.get("id"), status.get("status")
    if not _text(message_id) or not _text(name):
        return None
    code = None
    for error in _dicts(status.get("errors")):
        if isinstance(error.get("code"), int):
            code = error["code"]
            break
    return DeliveryStatus(message_id, name, code, window_closed=code == WINDOW_CLOSED)


def _contacts(contacts: Any) -> dict[str, dict[str, Any]]:
    """``contacts[]`` by ``wa_id`` and by business-scoped ``user_id``."""
    found: dict[str, dict[str, Any]] = {}
    for contact in _dicts(contacts):
        for key in ("wa_id", "user_id"):
            if _text(contact.get(key)):
                found[contact[key]] = contact
    return found


def _dicts(items: Any) -> Iterator[dict[str, Any]]:
    if isinstance(items, list):
        yield from (item for item in items if isinstance(item, dict))


def _text(value: Any) -> TypeGuard[str]:
    """A non-empty string (payload fields arrive as any JSON value)."""
    return isinstance(value, str) and value != ""


# --------------------------------------------------------------------------- outbound


def render_reply(to: str, reply: Reply, media_id: str | None = None) -> list[dict[str, Any]]:
    """The ``/messages`` request bodies that show ``reply``, in sending order.

    An attachment must have been uploaded first (``media_id``); its text
    becomes the caption when it is short and has no choices.
    """
    reply = _fixed_width(reply)
    attachment = reply.attachment
    if attachment is None and reply.request_location:
        action = {"name": "send_location"}
        return [_interactive(to, "location_request_message", reply.text, action)]
    if attachment is None:
        return _text_and_choices(to, reply)
    if media_id is None:
        raise ValueError("upload the attachment and pass its media id")
    if not reply.choices and len(reply.text) <= CAPTION_LIMIT:
        return [_media(to, attachment, media_id, reply.text)]
    return [*_text_and_choices(to, reply), _media(to, attachment, media_id, "")]


def _fixed_width(reply: Reply) -> Reply:
    """A monospace reply in WhatsApp's ```…``` markup, when it stays one message."""
    limit = BUTTON_BODY_LIMIT if reply.choices else TEXT_LIMIT
    wrapped = f"{MONOSPACE}{reply.text}{MONOSPACE}"
    if not reply.monospace or len(wrapped) > limit:
        return reply
    return replace(reply, text=wrapped)


def render_template(to: str, name: str, language: str, text: str) -> dict[str, Any]:
    """An approved template message with ``text`` as its one body parameter."""
    template = {
        "name": name,
        "language": {"code": language},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": text}]}],
    }
    return _message(to, "template", template)


def template_text(replies: Sequence[Reply]) -> str:
    """The replies as one template parameter.

    Meta refuses parameters with line breaks, tabs or long runs of spaces, and
    a hydrated body over 1,024 characters, so the text is flattened onto one
    line (lines joined by " · ") and shortened.
    """
    lines: list[str] = []
    for reply in replies:
        text = reply.text or (reply.attachment.filename if reply.attachment else "")
        lines.extend(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return shorten(SEPARATOR.join(lines), TEMPLATE_PARAMETER_LIMIT) or "-"


def shorten(text: str, limit: int) -> str:
    """``text`` on one line within ``limit`` characters, cut at a word with "…" if needed."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit - 1
    return text[:cut].rstrip(" ,.;:/-") + ELLIPSIS


def _text_and_choices(to: str, reply: Reply) -> list[dict[str, Any]]:
    count = len(reply.choices)
    if 0 < count <= MAX_BUTTONS and _ids_fit(reply, BUTTON_ID_LIMIT):
        lead, body = _lead_and_body(reply.text, BUTTON_BODY_LIMIT)
        return [*_text_messages(to, lead), _buttons(to, body, reply)]
    if MAX_BUTTONS < count <= MAX_ROWS and _ids_fit(reply, ROW_ID_LIMIT):
        lead, body = _lead_and_body(reply.text, TEXT_LIMIT)
        return [*_text_messages(to, lead), _list(to, body, reply)]
    return _text_messages(to, _numbered(reply))


def _lead_and_body(text: str, body_limit: int) -> tuple[str, str]:
    """``text`` as a lead sent as plain text and a last part that fits an interactive body."""
    parts = split_text(text, body_limit)
    if not parts:
        return "", T.WA_CHOOSE
    return "\n".join(parts[:-1]), parts[-1]


def _buttons(to: str, body: str, reply: Reply) -> dict[str, Any]:
    titles = _unique_titles(reply.choices, BUTTON_TITLE_LIMIT)
    buttons = [
        {"type": "reply", "reply": {"id": choice_id(reply.question_id, c.value), "title": title}}
        for c, title in zip(reply.choices, titles, strict=True)
    ]
    return _interactive(to, "button", body, {"buttons": buttons})


def _list(to: str, body: str, reply: Reply) -> dict[str, Any]:
    rows = []
    for choice in reply.choices:
        label = _label(choice)
        row = {"id": choice_id(reply.question_id, choice.value), "title": label}
        if len(label) > ROW_TITLE_LIMIT:
            row["title"] = shorten(label, ROW_TITLE_LIMIT)
            row["description"] = shorten(label, ROW_DESCRIPTION_LIMIT)
        rows.append(row)
    action = {"button": T.WA_LIST_BUTTON, "sections": [{"rows": rows}]}
    return _interactive(to, "list", body, action)


def _unique_titles(choices: Sequence[Choice], limit: int) -> list[str]:
    """Shortened labels; numbered when shortening made two of them equal (titles must differ)."""
    titles = [shorten(_label(c), limit) for c in choices]
    if len(set(titles)) == len(titles):
        return titles
    return [shorten(f"{n}. {_label(c)}", limit) for n, c in enumerate(choices, 1)]


def _label(choice: Choice) -> str:
    return " ".join(choice.label.split()) or choice.value


def _ids_fit(reply: Reply, limit: int) -> bool:
    return all(len(choice_id(reply.question_id, c.value)) <= limit for c in reply.choices)


def _numbered(reply: Reply) -> str:
    """The text with its choices numbered, unless the core's question already numbers them."""
    if not reply.choices or reply.free_text:
        return reply.text
    numbered = [f"{n}. {_label(c)}" for n, c in enumerate(reply.choices, 1)]
    if all(line in reply.text for line in numbered):
        return reply.text
    return "\n".join([reply.text, *numbered])


def _interactive(to: str, kind: str, body: str, action: dict[str, Any]) -> dict[str, Any]:
    return _message(to, "interactive", {"type": kind, "body": {"text": body}, "action": action})


def _text_messages(to: str, text: str) -> list[dict[str, Any]]:
    return [
        _message(to, "text", {"body": chunk, "preview_url": False})
        for chunk in split_text(text, TEXT_LIMIT)
    ]


def _media(to: str, attachment: Attachment, media_id: str, caption: str) -> dict[str, Any]:
    """A document, or an image when it is a photo WhatsApp can show inline."""
    if attachment.kind == "photo" and attachment.mime_type in IMAGE_TYPES:
        kind, media = "image", {"id": media_id}
    else:
        kind, media = "document", {"id": media_id, "filename": attachment.filename}
    if caption:
        media["caption"] = caption
    return _message(to, kind, media)


def _message(to: str, kind: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: content,
    }

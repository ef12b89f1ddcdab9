"""Telegram's side of the Inbound/Reply contract, shared by both library adapters.

Everything here is pure: Bot API JSON in, :class:`~conversations.Inbound` out;
:class:`~conversations.Reply` in, library-neutral :class:`Outgoing` messages out. The
python-telegram-bot and aiogram modules only turn these into their own types and HTTP calls,
so the two cannot drift apart and every rule below is unit-tested without a network.

Replies are sent as plain text with no parse mode. The core echoes what a kader typed
("Maaf, saya tidak mengerti '<b>'"), and with HTML or MarkdownV2 one stray ``<``, ``&`` or
``_`` makes Telegram reject the whole message; without a parse mode nothing needs escaping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from bot.channels import words as T
from bot.channels.text import split_text
from conversations import Attachment, Inbound, Reply
from conversations.messages import Location, Media
from conversations.parsing import parse_choice_number

CHANNEL: Final = "telegram"

# Bot API limits (https://core.telegram.org/bots/api).
MAX_MESSAGE_LENGTH: Final = 4096
"""Characters of one text message, counted in UTF-16 code units like Telegram does."""
MAX_CAPTION_LENGTH: Final = 1024
"""Characters of a document or photo caption."""
MAX_CALLBACK_DATA_BYTES: Final = 64
"""UTF-8 bytes of an inline button's ``callback_data``."""

# Layout of inline buttons on a small phone screen.
MAX_BUTTONS_PER_ROW: Final = 3
MAX_ROW_LABEL_CHARS: Final = 30
"""Label characters that still fit side by side; longer labels get a row each."""

POLL_TIMEOUT_SECONDS: Final = 30
"""Long-polling wait: one open request per 30 s keeps a quiet bot cheap on data and CPU."""

ALLOWED_UPDATES: Final = ("message", "edited_message", "callback_query")
"""Update kinds the bot asks for; channel posts and member changes are never delivered."""

CONTACT_COMMAND: Final = "/start"
"""What a shared contact means to the core: "this is me, let's begin"."""

_BY_VALUE: Final = ":"
_BY_POSITION: Final = "#"


@dataclass(frozen=True, slots=True)
class Button:
    """One inline button: ``data`` comes back in the callback query; ``web_app`` opens a page."""

    label: str
    data: str
    web_app: str = ""


@dataclass(frozen=True, slots=True)
class Keyboard:
    """The markup of one message, independent of the library that sends it.

    Exactly one is used: inline buttons under the message, a reply keyboard with one
    "share my number" or "share my location" button, or removing a reply keyboard shown
    earlier.
    """

    inline: tuple[tuple[Button, ...], ...] = ()
    contact_label: str | None = None
    location_label: str | None = None
    remove: bool = False


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Bot API send: ``text`` is the message, or the caption when there is a file."""

    text: str
    keyboard: Keyboard | None = None
    attachment: Attachment | None = None
    monospace: bool = False

    def entities(self) -> list[dict[str, Any]]:
        """A ``pre`` entity over the whole text for a monospace reply (no parse mode needed)."""
        if not self.monospace or not self.text:
            return []
        return [{"type": "pre", "offset": 0, "length": telegram_length(self.text)}]


@dataclass(frozen=True, slots=True)
class Pressed:
    """A decoded button press: the choice's value, or its 1-based position in the reply."""

    question_id: str | None
    choice: str | None = None
    position: int | None = None


@dataclass(frozen=True, slots=True)
class Received:
    """What one update asks of the channel.

    ``chat_id`` is where answers go (None: nothing to answer). Either ``inbound`` goes to the
    core or ``notice`` is answered directly (a photo, an edit, someone else's contact).
    ``callback_query_id`` must be answered whatever happens; ``pressed_message_id`` is the
    message whose buttons are spent. ``contact_shared`` asks to remove the reply keyboard.
    """

    update_id: int | None
    chat_id: int | None = None
    inbound: Inbound | None = None
    notice: Reply | None = None
    callback_query_id: str | None = None
    pressed_message_id: int | None = None
    contact_shared: bool = False


# --- replies -> messages ------------------------------------------------------------------


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def render(replies: Sequence[Reply], *, remove_reply_keyboard: bool = False) -> list[Outgoing]:
    """All replies of one turn as Bot API sends, in order.

    ``remove_reply_keyboard`` (after a contact was shared) puts the removal on the first
    message that has no markup of its own, unless a reply asks for the contact again.
    """
    messages = [message for reply in replies for message in render_reply(reply)]
    if remove_reply_keyboard and not any(reply.request_contact for reply in replies):
        for index, message in enumerate(messages):
            if message.keyboard is None:
                messages[index] = replace(message, keyboard=Keyboard(remove=True))
                break
    return messages


def render_reply(reply: Reply) -> list[Outgoing]:
    """One reply as one or more sends; the keyboard goes under the last one."""
    keyboard = reply_keyboard(reply)
    if reply.attachment is not None:
        if telegram_length(reply.text) <= MAX_CAPTION_LENGTH:
            return [Outgoing(reply.text, keyboard, reply.attachment)]
        texts = [Outgoing(chunk) for chunk in split_message(reply.text)]
        return [*texts, Outgoing("", keyboard, reply.attachment)]
    chunks = split_message(reply.text)
    if not chunks:
        return []
    mono = reply.monospace
    return [Outgoing(chunk, monospace=mono) for chunk in chunks[:-1]] + [
        Outgoing(chunks[-1], keyboard, monospace=mono)
    ]


def reply_keyboard(reply: Reply) -> Keyboard | None:
    """The markup a reply asks for: the contact button, its choices as buttons, or none."""
    if reply.request_contact:
        return Keyboard(contact_label=T.BUTTON_SHARE_CONTACT)
    if reply.request_location:
        return Keyboard(location_label=T.BUTTON_SHARE_LOCATION)
    rows = inline_rows(reply)
    return Keyboard(inline=rows) if rows else None


def inline_rows(reply: Reply) -> tuple[tuple[Button, ...], ...]:
    """The reply's choices as rows of buttons: short labels side by side, long ones alone."""
    buttons: list[Button] = []
    for position, choice in enumerate(reply.choices, 1):
        by_position = not reply.free_text
        data = encode_callback(reply.question_id, choice.value, position, by_position=by_position)
        if data is not None:
            buttons.append(Button(choice.label, data))
    web_app = (
        () if reply.web_app is None else ((Button(reply.web_app.label, "", reply.web_app.value),),)
    )
    if not buttons:
        return web_app
    widest = max(len(button.label) for button in buttons)
    per_row = max(1, min(MAX_BUTTONS_PER_ROW, MAX_ROW_LABEL_CHARS // max(widest, 1)))
    rows = tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
    return rows + web_app


def split_message(text: str) -> list[str]:
    """``text`` as Telegram messages, counted in UTF-16 code units as Telegram counts them."""
    return split_text(text, MAX_MESSAGE_LENGTH, telegram_length)


# --- button data ----------------------------------------------------------------------------


def encode_callback(
    question_id: str | None, value: str, position: int, *, by_position: bool
) -> str | None:
    """``"{question_id}:{value}"``, or ``"{question_id}#{position}"`` when that is too long.

    The position form reaches the core as the typed number of the choice, which the engine
    reads as "the n-th option" only where the answer must be one of the choices
    (``by_position``). Where the choices are shortcuts for typed text, a number would be read
    as an answer, so a shortcut too long to encode gets no button (it can still be typed).
    """
    prefix = question_id or ""
    if _BY_VALUE in prefix or _BY_POSITION in prefix:
        raise ValueError(f"question id {question_id!r} contains a callback separator")
    data = f"{prefix}{_BY_VALUE}{value}"
    if _byte_length(data) <= MAX_CALLBACK_DATA_BYTES:
        return data
    data = f"{prefix}{_BY_POSITION}{position}"
    if by_position and _byte_length(data) <= MAX_CALLBACK_DATA_BYTES:
        return data
    return None


def decode_callback(data: object) -> Pressed | None:
    """Undo :func:`encode_callback`; None for data this bot did not make."""
    if not isinstance(data, str):
        return None
    cut = next((i for i, char in enumerate(data) if char in (_BY_VALUE, _BY_POSITION)), -1)
    if cut < 0:
        return None
    question_id = data[:cut] or None
    rest = data[cut + 1 :]
    if data[cut] == _BY_VALUE:
        return Pressed(question_id, choice=rest)
    position = parse_choice_number(rest)
    return Pressed(question_id, position=position) if position is not None else None


def _byte_length(text: str) -> int:
    return len(text.encode("utf-8"))


# --- updates -> what to do --------------------------------------------------------------------


def parse_update(update: Mapping[str, Any]) -> Received:
    """Classify one Bot API update (JSON as Telegram sends it)."""
    raw_id = update.get("update_id")
    update_id = raw_id if isinstance(raw_id, int) else None
    if isinstance(query := update.get("callback_query"), Mapping):
        return _parse_press(update_id, query)
    if isinstance(edited := update.get("edited_message"), Mapping):
        chat_id = _private_chat(edited)
        if chat_id is None:
            return Received(update_id)
        return Received(update_id, chat_id, notice=Reply(T.TELEGRAM_EDITED))
    if isinstance(message := update.get("message"), Mapping):
        return _parse_message(update_id, message)
    return Received(update_id)


def _private_chat(message: Mapping[str, Any]) -> int | None:
    """The chat id of a private chat with a human; None for groups, channels and bots.

    Also None for a message without proper ids: python-telegram-bot passes a webhook
    update on without checking its types, and a reply needs an integer chat id.
    """
    chat = message.get("chat")
    sender = message.get("from")
    if not isinstance(chat, Mapping) or chat.get("type") != "private":
        return None
    if not isinstance(sender, Mapping) or sender.get("is_bot") or not _is_id(sender.get("id")):
        return None
    chat_id = chat.get("id")
    return chat_id if _is_id(chat_id) and _is_id(message.get("message_id")) else None


def _is_id(value: object) -> bool:
    """Telegram's ids are integers (``True`` is an int to Python, not to Telegram)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_message(update_id: int | None, message: Mapping[str, Any]) -> Received:
    chat_id = _private_chat(message)
    if chat_id is None:
        return Received(update_id)
    user_id = str(message["from"]["id"])
    message_id = f"{chat_id}:{message['message_id']}"
    contact = message.get("contact")
    if isinstance(contact, Mapping):
        phone = contact.get("phone_number")
        own = contact.get("user_id") == message["from"]["id"]
        if not own or not isinstance(phone, str) or not phone.strip():
            notice = Reply(T.CONTACT_NOT_OWN, request_contact=True)
            return Received(update_id, chat_id, notice=notice)
        # The number as the contact card holds it: international, "+" or not.
        inbound = Inbound(CHANNEL, user_id, message_id, text=CONTACT_COMMAND, phone=phone)
        return Received(update_id, chat_id, inbound=inbound, contact_shared=True)
    shared = _location_or_media(message)
    if shared is not None:
        inbound = replace(Inbound(CHANNEL, user_id, message_id), **shared)
        return Received(update_id, chat_id, inbound=inbound, contact_shared="location" in shared)
    text = message.get("text")
    if not isinstance(text, str):
        return Received(update_id, chat_id, notice=Reply(T.TELEGRAM_NOT_TEXT))
    return Received(update_id, chat_id, inbound=Inbound(CHANNEL, user_id, message_id, text=text))


def _location_or_media(message: Mapping[str, Any]) -> dict[str, Any] | None:
    """A shared location pin, or the largest size of a photo (or a file) sent; else None."""
    pin = message.get("location")
    if isinstance(pin, Mapping):
        latitude, longitude = pin.get("latitude"), pin.get("longitude")
        if isinstance(latitude, int | float) and isinstance(longitude, int | float):
            return {"location": Location(float(latitude), float(longitude))}
    photos = message.get("photo")
    if isinstance(photos, list) and photos and isinstance(photos[-1], Mapping):
        return {"media": _media(photos[-1], "image/jpeg")}
    document = message.get("document")
    if isinstance(document, Mapping):
        return {"media": _media(document, str(document.get("mime_type") or ""))}
    return None


def _media(item: Mapping[str, Any], mime_type: str) -> Media:
    size = item.get("file_size")
    return Media(str(item.get("file_id", "")), mime_type, size if _is_id(size) else None)


def _parse_press(update_id: int | None, query: Mapping[str, Any]) -> Received:
    query_id = str(query.get("id", ""))
    message = query.get("message")
    sender = query.get("from")
    if not isinstance(message, Mapping) or not isinstance(sender, Mapping):
        return Received(update_id, callback_query_id=query_id)
    chat = message.get("chat")
    if not isinstance(chat, Mapping) or chat.get("type") != "private":
        return Received(update_id, callback_query_id=query_id)
    chat_id, message_id = chat.get("id"), message.get("message_id")
    if not (_is_id(chat_id) and _is_id(message_id) and _is_id(sender.get("id"))):
        return Received(update_id, callback_query_id=query_id)
    spent = Received(
        update_id,
        chat_id,
        callback_query_id=query_id,
        pressed_message_id=message_id,
    )
    pressed = decode_callback(query.get("data"))
    if pressed is None:
        return spent
    inbound = Inbound(
        CHANNEL,
        str(sender["id"]),
        f"cb:{query_id}",
        text=str(pressed.position) if pressed.position is not None else "",
        choice=pressed.choice,
        question_id=pressed.question_id,
    )
    return replace(spent, inbound=inbound)

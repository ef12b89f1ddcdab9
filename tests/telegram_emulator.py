"""An in-process Telegram Bot API emulator for end-to-end tests.

Why this exists: the bot's handlers are only worth testing together with the libraries that
drive them (python-telegram-bot and aiogram).  Mocking ``Bot.send_message`` hides exactly the
mistakes that break a bot in production: a reply keyboard sent with the wrong shape, a
``callback_data`` longer than 64 bytes, entities at the wrong UTF-16 offsets, a forgotten
``answerCallbackQuery``, an update handled twice after a webhook retry.  This module therefore
runs a real HTTP server on ``127.0.0.1`` (a port the OS chooses) that speaks the part of the
Bot API the bot uses, for both libraries to run unmodified, and gives the test a "user" that
chats with the bot like a person would.

The methods served are the bot's: getMe, getUpdates, setWebhook, deleteWebhook, sendMessage,
editMessageReplyMarkup, answerCallbackQuery, setMyCommands, sendDocument, sendPhoto and getFile
(with the ``/file/bot<token>/`` download of what users sent; others answer 404).  Text is
formatted with explicit entities only; ``parse_mode`` is refused.

Typical use::

    async with TelegramEmulator(token="123:ABC") as tg:
        app = ApplicationBuilder().token(tg.token).base_url(tg.bot_api_url).build()
        ...
        siti = tg.user(user_id=1001, first_name="Siti", phone="+6281234567001")
        await siti.send("/start")
        menu = await siti.expect("Pilih menu")
        await siti.press(menu, "Lapor")
        assert not tg.unanswered_callback_queries()

The emulator is deliberately strict where Telegram is strict (message length, button data,
"message is not modified") because those are the errors that only show up against the real
API.  Everything is deterministic: ids are counters, there is no background timer, and
waiting uses ``asyncio.Condition``/``asyncio.Event``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import mimetypes
import re
import socket
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any, Final

from aiohttp import ClientError, ClientSession, ClientTimeout, web

try:  # imported as ``tests.telegram_emulator`` (tests/ on a package path)
    from .holds import Hold
except ImportError:  # imported as a top-level module (pytest puts tests/ on sys.path)
    from holds import Hold  # type: ignore[no-redef]

__all__ = [
    "TINY_PNG",
    "ApiCall",
    "BotMessage",
    "CallbackQueryRecord",
    "ChatTranscript",
    "Hold",
    "InjectedFault",
    "SimulatedUser",
    "StoredFile",
    "TelegramEmulator",
    "WebhookDelivery",
    "make_png",
]

JSONDict = dict[str, Any]
Matcher = str | re.Pattern[str] | Callable[["BotMessage"], object] | None

MAX_MESSAGE_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024
WAIT_SECONDS: Final = 10.0
"""How long a test waits for the bot before failing: generous, because a machine running the
suite in parallel (``pytest -n``) may be slow; a wait that succeeds returns at once."""

_NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID: Final = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
_DEFAULT_EXCLUDED_UPDATES: Final = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)

# Parameters that travel as JSON-serialised strings in form/multipart bodies.
_JSON_PARAMS: Final = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
_INT_PARAMS: Final = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "max_connections",
        "message_thread_id",
        "cache_time",
    }
)
_FLOAT_PARAMS: Final = frozenset({"timeout"})
_BOOL_PARAMS: Final = frozenset(
    {
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "show_alert",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "show_caption_above_media",
        "allow_paid_broadcast",
    }
)
# Methods that act on a chat and therefore fail when the user blocked the bot.
_CHAT_METHODS: Final = frozenset(
    {"sendMessage", "sendDocument", "sendPhoto", "editMessageReplyMarkup"}
)
_INLINE_BUTTON_KINDS: Final = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def make_png(width: int = 1, height: int = 1) -> bytes:
    """Build a valid RGB PNG so tests can upload a real image without shipping fixtures."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\xd0\x30\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


TINY_PNG: Final = make_png(2, 2)


class ApiError(Exception):
    """A Bot API error response; raised inside method handlers and turned into JSON."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def as_json(self) -> JSONDict:
        """Render the error body exactly as api.telegram.org does."""
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(message: str) -> ApiError:
    return ApiError(400, f"Bad Request: {message}")


# --------------------------------------------------------------------------------------------
# Data records exposed to tests
# --------------------------------------------------------------------------------------------


@dataclass
class StoredFile:
    """A file the bot uploaded or a simulated user sent; kept so tests can inspect the bytes."""

    file_id: str
    file_unique_id: str
    kind: str
    filename: str | None = None
    mime_type: str | None = None
    content: bytes | None = None
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        """Byte length of the content."""
        return len(self.content or b"")

    def document_json(self) -> JSONDict:
        """The Document object Telegram embeds in a message."""
        data: JSONDict = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.filename:
            data["file_name"] = self.filename
        if self.mime_type:
            data["mime_type"] = self.mime_type
        if self.content is not None:
            data["file_size"] = self.size
        return data

    def photo_json(self) -> list[JSONDict]:
        """The PhotoSize array Telegram returns: thumbnails first, the largest size last."""
        width, height = max(self.width, 1), max(self.height, 1)
        biggest = max(width, height)
        sizes: list[JSONDict] = []
        for suffix, limit in (("s", 90), ("m", 320), ("x", 800)):
            if biggest > limit:
                scale = limit / biggest
                sizes.append(
                    {
                        "file_id": f"{self.file_id}-{suffix}",
                        "file_unique_id": f"{self.file_unique_id}{suffix}",
                        "file_size": max(1, int(self.size * scale * scale)),
                        "width": max(1, round(width * scale)),
                        "height": max(1, round(height * scale)),
                    }
                )
        scale = min(1.0, 1280 / biggest)
        sizes.append(
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.size,
                "width": max(1, round(width * scale)),
                "height": max(1, round(height * scale)),
            }
        )
        return sizes


@dataclass(eq=False)
class BotMessage:
    """A message the bot sent, as the user sees it, plus what the bot asked for.

    ``text``/``caption`` are what the user reads (whitespace trimmed, as the Telegram client
    shows it), with the ``entities`` the bot sent.  ``reply_markup`` holds every markup kind
    (Telegram's own Message only echoes inline keyboards back).
    """

    chat_id: int
    message_id: int
    date: int
    kind: str
    text: str | None = None
    caption: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption_entities: list[JSONDict] = field(default_factory=list)
    reply_markup: JSONDict | None = None
    documents: list[StoredFile] = field(default_factory=list)
    photos: list[StoredFile] = field(default_factory=list)
    edits: list[BotMessage] = field(default_factory=list)
    edit_date: int | None = None

    @property
    def edited(self) -> bool:
        """True when this version is the result of an edit."""
        return bool(self.edits)

    @property
    def document(self) -> StoredFile | None:
        """The attached document, if any."""
        return self.documents[0] if self.documents else None

    @property
    def photo(self) -> StoredFile | None:
        """The attached photo (original upload), if any."""
        return self.photos[0] if self.photos else None

    @property
    def inline_keyboard(self) -> list[list[JSONDict]]:
        """Rows of inline buttons; empty when the message has none."""
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            return self.reply_markup["inline_keyboard"]
        return []

    @property
    def button_texts(self) -> list[str]:
        """Labels of all buttons (inline or reply keyboard), row by row, for easy assertions."""
        rows: list[list[Any]] = []
        if self.reply_markup:
            rows = self.reply_markup.get("inline_keyboard") or self.reply_markup.get("keyboard")
            rows = rows or []
        return [b if isinstance(b, str) else str(b.get("text", "")) for row in rows for b in row]

    def find_button(self, label: str) -> JSONDict | None:
        """Find an inline button by its text or its callback_data."""
        for row in self.inline_keyboard:
            for button in row:
                if button.get("text") == label or button.get("callback_data") == label:
                    return button
        return None

    def snapshot(self) -> BotMessage:
        """Freeze the current state so later edits don't change what a test matched."""
        clone = copy.copy(self)
        clone.entities = list(self.entities)
        clone.caption_entities = list(self.caption_entities)
        clone.documents = list(self.documents)
        clone.photos = list(self.photos)
        clone.edits = list(self.edits)
        clone.reply_markup = copy.deepcopy(self.reply_markup)
        return clone

    def __str__(self) -> str:
        body = self.text if self.text is not None else self.caption
        parts = [f"#{self.message_id}"]
        if self.documents:
            parts.append(f"[document {self.documents[0].filename}]")
        if self.photos:
            parts.append("[photo]")
        if body is not None:
            parts.append(repr(body))
        if self.button_texts:
            parts.append(f"buttons={self.button_texts}")
        if self.reply_markup and self.reply_markup.get("remove_keyboard"):
            parts.append("(remove keyboard)")
        return " ".join(parts)


@dataclass
class ApiCall:
    """One Bot API request as the emulator received it, with its outcome."""

    method: str
    params: JSONDict
    files: dict[str, tuple[str | None, bytes]]
    status: int = 0
    response: JSONDict = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.status == 200


@dataclass
class CallbackQueryRecord:
    """A button press by a simulated user and the bot's answer to it."""

    id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str
    answer: JSONDict | None = None
    _answered: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    @property
    def answered(self) -> bool:
        """True once the bot called answerCallbackQuery for this query."""
        return self.answer is not None

    async def wait_answered(self, timeout: float = WAIT_SECONDS) -> JSONDict:
        """Wait for answerCallbackQuery; the spinner on a real client hangs until it comes."""
        try:
            async with asyncio.timeout(timeout):
                await self._answered.wait()
        except TimeoutError:
            raise AssertionError(
                f"callback query {self.id} ({self.data!r}) was not answered within {timeout}s"
            ) from None
        assert self.answer is not None
        return self.answer


@dataclass
class WebhookDelivery:
    """One POST of an update to the bot's webhook and how the bot's server answered it."""

    update_id: int
    url: str
    secret_token: str | None
    status: int | None = None
    error: str | None = None
    redelivery: bool = False

    @property
    def ok(self) -> bool:
        """True when the receiver answered 2xx (Telegram's notion of delivered)."""
        return self.status is not None and 200 <= self.status < 300


@dataclass
class InjectedFault:
    """An error the emulator will answer instead of performing a method."""

    method: str | None
    chat_id: int | str | None
    status: int
    description: str
    parameters: JSONDict | None = None
    remaining: int | None = 1


@dataclass
class _Upload:
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class _WebhookState:
    url: str = ""
    secret_token: str | None = None


@dataclass
class _WithDescription:
    result: Any
    description: str


_OWN: Final = ...


# --------------------------------------------------------------------------------------------
# Entities (the bot sends them explicitly; parse_mode is refused, see _parse_entities)
# --------------------------------------------------------------------------------------------


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _strip_with_entities(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Telegram trims leading/trailing whitespace and shifts entities accordingly."""
    stripped = text.strip(" \t\r\n")
    if stripped == text:
        return text, sorted(entities, key=lambda e: (e["offset"], -e["length"]))
    lead = _utf16_len(text[: len(text) - len(text.lstrip(" \t\r\n"))])
    total = _utf16_len(stripped)
    result: list[JSONDict] = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        end = min(total, entity["offset"] + entity["length"] - lead)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, sorted(result, key=lambda e: (e["offset"], -e["length"]))


_COMMAND_RE: Final = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_URL_RE: Final = re.compile(r"(?<!\S)https?://[^\s]+")
_MENTION_RE: Final = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")


def _auto_entities(text: str) -> list[JSONDict]:
    """Entities a Telegram client/server adds to user text; PTB's CommandHandler needs them."""
    found: list[JSONDict] = []
    for kind, pattern in (("bot_command", _COMMAND_RE), ("url", _URL_RE), ("mention", _MENTION_RE)):
        for match in pattern.finditer(text):
            offset = _utf16_len(text[: match.start()])
            found.append({"offset": offset, "length": _utf16_len(match.group()), "type": kind})
    return sorted(found, key=lambda e: e["offset"])


# --------------------------------------------------------------------------------------------
# Request decoding
# --------------------------------------------------------------------------------------------


def _coerce_params(raw: JSONDict) -> JSONDict:
    """Give form-encoded strings the types a JSON body would have had."""
    params: JSONDict = {}
    for key, value in raw.items():
        if value is None:
            continue
        if key == "chat_id" and isinstance(value, str) and re.fullmatch(r"-?\d+", value):
            value = int(value)
        elif key in _JSON_PARAMS and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                if key == "reply_markup":
                    raise _bad_request("can't parse reply keyboard markup JSON object") from None
                raise _bad_request(f"can't parse {key} JSON object") from None
        elif key in _INT_PARAMS and isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                raise _bad_request(f"invalid {key} specified") from None
        elif key in _FLOAT_PARAMS and isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise _bad_request(f"invalid {key} specified") from None
        elif key in _BOOL_PARAMS and isinstance(value, str):
            value = value.strip().lower() in ("true", "1")
        params[key] = value
    return params


async def _read_request(request: web.Request) -> tuple[JSONDict, dict[str, _Upload]]:
    params: JSONDict = dict(request.query)
    files: dict[str, _Upload] = {}
    if request.method != "POST" or not request.can_read_body:
        return params, files
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise _bad_request("can't parse JSON object") from None
        if isinstance(body, dict):
            params.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = _Upload(value.filename, value.content_type, value.file.read())
            else:
                params[key] = value
    return params, files


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of PNG data (the bot's charts); None when it is not a PNG."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    return None


# --------------------------------------------------------------------------------------------
# Chats and users
# --------------------------------------------------------------------------------------------


def _compile_matcher(match: Matcher) -> Callable[[BotMessage], bool]:
    if match is None:
        return lambda _message: True
    if isinstance(match, str):
        return lambda message: match in (message.text or message.caption or "")
    if isinstance(match, re.Pattern):
        pattern = match
        return lambda message: bool(pattern.search(message.text or message.caption or ""))
    return lambda message: bool(match(message))


class ChatTranscript:
    """Everything the bot sent to one chat, with a cursor for ``expect``.

    ``expect`` consumes messages in order: each call returns the first message (or edit) after
    the previous match that satisfies the predicate.  That makes a test read like a transcript
    even when the bot answers faster than the test checks.
    """

    def __init__(self, emulator: TelegramEmulator, chat: JSONDict) -> None:
        self._emulator = emulator
        self.chat = chat
        self.messages: list[BotMessage] = []
        self.user_messages: dict[int, JSONDict] = {}
        self.reply_keyboard: JSONDict | None = None
        self.blocked = False
        self.log: list[str] = []
        self._events: list[BotMessage] = []
        self._cursor = 0
        self._cond = asyncio.Condition()
        self._message_ids = itertools.count(1)

    @property
    def id(self) -> int:
        """The chat id (equal to the user id for private chats)."""
        return int(self.chat["id"])

    @property
    def type(self) -> str:
        """private, group or supergroup."""
        return str(self.chat["type"])

    def next_message_id(self) -> int:
        """Message ids grow per chat and are shared by both sides, as in Telegram."""
        return next(self._message_ids)

    def message(self, message_id: int) -> BotMessage | None:
        """Look up a bot message by id."""
        return next((m for m in self.messages if m.message_id == message_id), None)

    async def _publish(self, message: BotMessage, line: str) -> None:
        self.log.append(line)
        async with self._cond:
            self._events.append(message.snapshot())
            self._cond.notify_all()

    async def expect(self, match: Matcher = None, timeout: float = WAIT_SECONDS) -> BotMessage:
        """Wait until the bot sends (or edits) a message matching ``match`` and return it.

        ``match`` is a substring of the text/caption, a compiled regex, a predicate taking a
        ``BotMessage``, or None for "any message".  The returned object is a snapshot of the
        message as it was when it matched.
        """
        predicate = _compile_matcher(match)
        try:
            async with asyncio.timeout(timeout), self._cond:
                while True:
                    for index in range(self._cursor, len(self._events)):
                        if predicate(self._events[index]):
                            self._cursor = index + 1
                            return self._events[index]
                    await self._cond.wait()
        except TimeoutError:
            raise AssertionError(
                f"chat {self.id}: no bot message matching {match!r} within {timeout}s.\n"
                f"Transcript:\n{self.transcript()}"
            ) from None

    async def expect_silence(self, duration: float = 0.2) -> None:
        """Assert that no unmatched bot message shows up within ``duration`` seconds.

        Messages already returned by ``expect`` don't count; any message after them does
        (including one that arrived before this call), so "bot ignored that" is checkable.
        """
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(duration), self._cond:
                while len(self._events) <= self._cursor:
                    await self._cond.wait()
        if len(self._events) > self._cursor:
            unexpected = self._events[self._cursor]
            raise AssertionError(
                f"chat {self.id}: expected silence but the bot sent {unexpected}.\n"
                f"Transcript:\n{self.transcript()}"
            )

    def transcript(self) -> str:
        """Human-readable log of both sides, used in assertion messages."""
        return "\n".join(f"  {line}" for line in self.log) or "  (empty)"


class SimulatedUser:
    """A Telegram user chatting with the bot in a private chat (chat id == user id)."""

    def __init__(
        self,
        emulator: TelegramEmulator,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        phone: str | None,
        language_code: str | None,
    ) -> None:
        self.emulator = emulator
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.phone = phone
        self.language_code = language_code
        self.position = (-6.9175, 107.6191)
        """Where the user's phone is: what the "share my location" button sends."""
        chat: JSONDict = {"id": user_id, "first_name": first_name, "type": "private"}
        if last_name:
            chat["last_name"] = last_name
        if username:
            chat["username"] = username
        self.chat = emulator._add_chat(chat)

    def as_json(self) -> JSONDict:
        """The User object that appears in ``from`` fields."""
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def messages(self) -> list[BotMessage]:
        """All bot messages in the private chat, oldest first (live objects)."""
        return self.chat.messages

    @property
    def reply_keyboard(self) -> JSONDict | None:
        """The reply keyboard the client currently shows, or None."""
        return self.chat.reply_keyboard

    async def expect(self, match: Matcher = None, timeout: float = WAIT_SECONDS) -> BotMessage:
        """Wait for the next bot message/edit in the private chat matching ``match``."""
        return await self.chat.expect(match, timeout)

    async def expect_silence(self, duration: float = 0.2) -> None:
        """Assert that the bot stays quiet in the private chat for ``duration`` seconds."""
        await self.chat.expect_silence(duration)

    async def _send_message(
        self, content: JSONDict, log: str, chat: ChatTranscript | None = None
    ) -> JSONDict:
        target = chat or self.chat
        message: JSONDict = {
            "message_id": target.next_message_id(),
            "from": self.as_json(),
            "chat": target.chat,
            "date": self.emulator._now(),
            **content,
        }
        target.user_messages[message["message_id"]] = message
        target.log.append(f"{self.first_name}: {log}")
        return await self.emulator._emit_update("message", message)

    async def send(self, text: str) -> JSONDict:
        """Type ``text`` and press send; returns the Update (keep it to redeliver or edit)."""
        content: JSONDict = {"text": text}
        entities = _auto_entities(text)
        if entities:
            content["entities"] = entities
        return await self._send_message(content, text)

    async def share_contact(
        self,
        phone: str | None = None,
        *,
        user_id: int | EllipsisType | None = _OWN,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> JSONDict:
        """Share a contact card; by default the user's own (phone + own user_id).

        Pass ``phone``/``user_id``/``first_name`` to share someone else's card, or
        ``user_id=None`` for a contact that is not a Telegram user.  Note: real clients send
        the phone exactly as stored, sometimes without the leading ``+``.
        """
        own = user_id is _OWN
        number = phone if phone is not None else (self.phone if own else None)
        if number is None:
            raise ValueError("share_contact needs a phone number (user has none)")
        contact: JSONDict = {
            "phone_number": number,
            "first_name": first_name or (self.first_name if own else "Kontak"),
        }
        surname = last_name if last_name is not None else (self.last_name if own else None)
        if surname:
            contact["last_name"] = surname
        resolved_user_id = self.id if own else user_id
        if resolved_user_id is not None:
            contact["user_id"] = resolved_user_id
        return await self._send_message({"contact": contact}, f"[contact {number}]")

    async def tap(self, label: str) -> JSONDict:
        """Press a button of the reply keyboard currently shown.

        Plain buttons send their label; ``request_contact`` shares the own contact card.
        """
        keyboard = self.chat.reply_keyboard
        if not keyboard:
            raise AssertionError(
                f"{self.first_name} has no reply keyboard.\n{self.chat.transcript()}"
            )
        for row in keyboard.get("keyboard", []):
            for button in row:
                text = button if isinstance(button, str) else button.get("text")
                if text != label:
                    continue
                if keyboard.get("one_time_keyboard"):
                    self.chat.reply_keyboard = None
                if isinstance(button, dict) and button.get("request_contact"):
                    return await self.share_contact()
                if isinstance(button, dict) and button.get("request_location"):
                    return await self.send_location(*self.position)
                return await self.send(label)
        raise AssertionError(f"no reply keyboard button {label!r}; keyboard is {keyboard}")

    async def press(self, message: BotMessage | int, label: str) -> CallbackQueryRecord:
        """Press an inline button (matched by text or callback_data) under a bot message."""
        message_id = message if isinstance(message, int) else message.message_id
        chat = self.chat if isinstance(message, int) else self.emulator.chat(message.chat_id)
        live = chat.message(message_id)
        if live is None:
            raise AssertionError(f"bot message {message_id} does not exist in chat {chat.id}")
        button = live.find_button(label)
        if button is None:
            raise AssertionError(
                f"message #{message_id} has no inline button {label!r}; "
                f"buttons are {live.button_texts}"
            )
        if "callback_data" not in button:
            raise AssertionError(f"button {label!r} is not a callback button: {button}")
        return await self.emulator._press(self, chat, live, str(button["callback_data"]))

    async def send_photo(self, data: bytes = TINY_PNG, *, caption: str | None = None) -> JSONDict:
        """Send a photo (``data`` should be a PNG; its size goes into the PhotoSize list)."""
        size = _png_size(data) or (1, 1)
        stored = self.emulator._store_file("photo", data, None, "image/jpeg", size)
        content: JSONDict = {"photo": stored.photo_json()}
        if caption:
            content["caption"] = caption
        return await self._send_message(content, f"[photo] {caption or ''}".strip())

    async def send_document(self, data: bytes, *, filename: str, mime_type: str) -> JSONDict:
        """Send a file (a photo sent "as a file" arrives like this, uncompressed)."""
        stored = self.emulator._store_file("document", data, filename, mime_type, None)
        return await self._send_message({"document": stored.document_json()}, f"[file {filename}]")

    async def send_sticker(self, emoji: str = "👍") -> JSONDict:
        """Send a regular static sticker."""
        stored = self.emulator._store_file("sticker", b"RIFF\x00\x00\x00\x00WEBP", None, None, None)
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.size,
        }
        return await self._send_message({"sticker": sticker}, f"[sticker {emoji}]")

    async def send_location(self, latitude: float, longitude: float) -> JSONDict:
        """Share a location pin."""
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send_message({"location": location}, f"[location {location}]")

    async def edit(self, sent: JSONDict | int, new_text: str) -> JSONDict:
        """Edit a message this user sent earlier (produces an ``edited_message`` update)."""
        if isinstance(sent, int):
            message_id = sent
        else:
            message_id = int((sent.get("message") or sent)["message_id"])
        original = self.chat.user_messages.get(message_id)
        if original is None:
            raise ValueError(f"{self.first_name} never sent message {message_id}")
        edited = {k: v for k, v in original.items() if k != "entities"}
        edited.update(text=new_text, edit_date=self.emulator._now())
        entities = _auto_entities(new_text)
        if entities:
            edited["entities"] = entities
        self.chat.user_messages[message_id] = edited
        self.chat.log.append(f"{self.first_name} edited #{message_id}: {new_text}")
        return await self.emulator._emit_update("edited_message", edited)

    async def send_to_group(
        self, chat_id: int, text: str, *, title: str = "Grup Posyandu"
    ) -> JSONDict:
        """Write ``text`` in a group chat the bot is a member of (created on first use)."""
        group = self.emulator.group(chat_id, title=title)
        content: JSONDict = {"text": text}
        entities = _auto_entities(text)
        if entities:
            content["entities"] = entities
        return await self._send_message(content, text, chat=group)


# --------------------------------------------------------------------------------------------
# The emulator
# --------------------------------------------------------------------------------------------


class TelegramEmulator:
    """Fake api.telegram.org on 127.0.0.1 for one bot token.

    Use as ``async with TelegramEmulator() as tg``; point the bot library at ``tg.bot_api_url``
    (python-telegram-bot) or ``tg.base_url`` (aiogram's ``TelegramAPIServer.from_base``).
    """

    def __init__(
        self,
        token: str = "123456789:TEST-emulator-token",
        *,
        bot_first_name: str = "Lapor Posyandu",
        bot_username: str = "lapor_posyandu_test_bot",
        allow_http_webhooks: bool = True,
        webhook_timeout: float = WAIT_SECONDS,
        first_update_id: int = 100_000_001,
    ) -> None:
        self.token = token
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.allow_http_webhooks = allow_http_webhooks
        self.webhook_timeout = webhook_timeout
        self.calls: list[ApiCall] = []
        self.updates: list[JSONDict] = []
        self.deliveries: list[WebhookDelivery] = []
        self.callback_queries: list[CallbackQueryRecord] = []
        self.faults: list[InjectedFault] = []
        self.holds: list[tuple[str, int | None, Hold]] = []
        self.webhook = _WebhookState()
        self.allowed_updates: list[str] = []
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._chats: dict[int, ChatTranscript] = {}
        self._users: dict[int, SimulatedUser] = {}
        self._pending: list[JSONDict] = []
        self._update_ids = itertools.count(first_update_id)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(4_382_000_000_000_001)
        self._poll_cond = asyncio.Condition()
        self._calls_cond = asyncio.Condition()
        self._poll_generation = 0
        self._parked_polls = 0
        self._delivery_lock = asyncio.Lock()
        self._closing = False
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._handlers: dict[str, tuple[str, Callable[..., Any]]] = {}
        self.files: dict[str, StoredFile] = {}
        self.downloads: list[str] = []
        for name in (
            "getMe",
            "getUpdates",
            "setWebhook",
            "deleteWebhook",
            "sendMessage",
            "editMessageReplyMarkup",
            "answerCallbackQuery",
            "setMyCommands",
            "sendDocument",
            "sendPhoto",
            "getFile",
        ):
            handler = getattr(self, "_api_" + re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower())
            self._handlers[name.lower()] = (name, handler)

    # ---- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Bind to a free port chosen by the OS and start serving."""
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            handler_cancellation=True,
            shutdown_timeout=0.5,
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self._client = ClientSession(timeout=ClientTimeout(total=self.webhook_timeout))

    async def close(self) -> None:
        """Release long polls, stop background work, close the socket."""
        self._closing = True
        async with self._poll_cond:
            self._poll_cond.notify_all()
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` — for aiogram's ``TelegramAPIServer.from_base``."""
        if self._port is None:
            raise RuntimeError("TelegramEmulator is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def bot_api_url(self) -> str:
        """``.../bot`` — python-telegram-bot's ``base_url`` (it appends the token)."""
        return f"{self.base_url}/bot"

    # ---- test-side helpers -----------------------------------------------------------------

    def user(
        self,
        user_id: int = 1001,
        first_name: str = "Siti",
        *,
        last_name: str | None = None,
        username: str | None = None,
        phone: str | None = None,
        language_code: str | None = "id",
    ) -> SimulatedUser:
        """Create (or return the existing) simulated user with a private chat to the bot."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        user = SimulatedUser(self, user_id, first_name, last_name, username, phone, language_code)
        self._users[user_id] = user
        return user

    def chat(self, chat_id: int) -> ChatTranscript:
        """Transcript of a known chat (private chat of a user, or a group)."""
        try:
            return self._chats[chat_id]
        except KeyError:
            raise KeyError(f"unknown chat {chat_id}") from None

    def group(self, chat_id: int, *, title: str = "Grup Posyandu") -> ChatTranscript:
        """A group the bot is a member of; ids below -10**12 become supergroups."""
        if chat_id in self._chats:
            return self._chats[chat_id]
        kind = "supergroup" if chat_id < -1_000_000_000_000 else "group"
        return self._add_chat({"id": chat_id, "title": title, "type": kind})

    def _add_chat(self, chat: JSONDict) -> ChatTranscript:
        transcript = ChatTranscript(self, chat)
        self._chats[int(chat["id"])] = transcript
        return transcript

    def calls_to(self, method: str) -> list[ApiCall]:
        """All calls of one method (case-insensitive), in order."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], object] | None = None,
        timeout: float = WAIT_SECONDS,
    ) -> ApiCall:
        """Wait until the bot makes a matching API call (seen or future)."""
        seen = 0
        try:
            async with asyncio.timeout(timeout), self._calls_cond:
                while True:
                    for call in self.calls[seen:]:
                        if call.method.lower() == method.lower() and (
                            predicate is None or predicate(call)
                        ):
                            return call
                    seen = len(self.calls)
                    await self._calls_cond.wait()
        except TimeoutError:
            made = [c.method for c in self.calls]
            raise AssertionError(f"no {method} call within {timeout}s; calls were {made}") from None

    async def wait_for_poller(self, timeout: float = WAIT_SECONDS) -> None:
        """Wait until a getUpdates long poll is parked on the server.

        Updates are queued either way; this is for tests about long polling itself, so they
        can order "bot is waiting" before "user sends" without sleeping.
        """
        try:
            async with asyncio.timeout(timeout), self._poll_cond:
                await self._poll_cond.wait_for(lambda: self._parked_polls > 0)
        except TimeoutError:
            raise AssertionError(f"no getUpdates long poll within {timeout}s") from None

    def unanswered_callback_queries(self) -> list[CallbackQueryRecord]:
        """Presses the bot never answered (a real client would show a spinner)."""
        return [q for q in self.callback_queries if not q.answered]

    def commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list currently set for a scope/language."""
        return list(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed (getUpdates offset) or not delivered (webhook)."""
        return list(self._pending)

    def inject_error(
        self,
        method: str | None,
        status: int,
        description: str,
        *,
        chat_id: int | str | None = None,
        times: int | None = 1,
        parameters: JSONDict | None = None,
    ) -> InjectedFault:
        """Answer the next ``times`` matching calls (None = forever) with this error."""
        canonical = self._handlers.get(method.lower(), (method, None))[0] if method else None
        fault = InjectedFault(canonical, chat_id, status, description, parameters, times)
        self.faults.append(fault)
        return fault

    def hold(self, method: str, chat_id: int | None = None, *, performed: bool = False) -> Hold:
        """Keep the next matching call waiting until released (a send the bot sees in flight).

        ``performed``: the call is carried out first and only its answer waits (the person
        has the message, the bot does not know it yet). A bot that goes away meanwhile
        drops the call (the server cancels it), so an unperformed send is never delivered.
        """
        canonical = self._handlers.get(method.lower(), (method, None))[0]
        held = Hold(performed)
        self.holds.append((canonical, chat_id, held))
        return held

    def _take_hold(self, method: str, params: JSONDict) -> Hold | None:
        for entry in self.holds:
            name, chat_id, held = entry
            if name == method and chat_id in (None, params.get("chat_id")):
                self.holds.remove(entry)
                return held
        return None

    def rate_limit(
        self, chat_id: int, *, times: int = 1, retry_after: int = 3, method: str = "sendMessage"
    ) -> InjectedFault:
        """Flood control: the next ``times`` calls to the chat get 429 with retry_after."""
        return self.inject_error(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            chat_id=chat_id,
            times=times,
            parameters={"retry_after": retry_after},
        )

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every send to the chat now fails with 403, as on Telegram."""
        self.chat(chat_id).blocked = True

    async def deliver(
        self,
        update: JSONDict | int,
        *,
        secret_token: str | EllipsisType | None = ...,
        url: str | None = None,
    ) -> WebhookDelivery:
        """POST an update to the webhook outside the normal flow.

        Use it to redeliver an update (same update_id, as Telegram does after a timeout) or
        to send one with a wrong (``secret_token="nope"``) or missing (``None``) secret.
        ``...`` means "the secret configured with setWebhook".
        """
        payload = self._find_update(update) if isinstance(update, int) else update
        target = url or self.webhook.url
        if not target:
            raise RuntimeError("no webhook is set")
        secret = self.webhook.secret_token if secret_token is ... else secret_token
        async with self._delivery_lock:
            return await self._post_update(payload, target, secret, redelivery=True)

    async def redeliver(self, update_id: int) -> WebhookDelivery:
        """Deliver the same update again with the configured secret (dedup tests)."""
        return await self.deliver(update_id)

    # ---- update production -----------------------------------------------------------------

    def _now(self) -> int:
        return int(time.time())

    def _find_update(self, update_id: int) -> JSONDict:
        for update in self.updates:
            if update["update_id"] == update_id:
                return update
        raise KeyError(f"no update {update_id}")

    def _update_allowed(self, kind: str) -> bool:
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in _DEFAULT_EXCLUDED_UPDATES

    async def _emit_update(self, kind: str, payload: JSONDict) -> JSONDict:
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        if not self._update_allowed(kind):
            return update
        self._pending.append(update)
        if self.webhook.url:
            await self._deliver_pending()
        else:
            async with self._poll_cond:
                self._poll_cond.notify_all()
        return update

    async def _press(
        self, user: SimulatedUser, chat: ChatTranscript, message: BotMessage, data: str
    ) -> CallbackQueryRecord:
        record = CallbackQueryRecord(
            id=str(next(self._query_ids)),
            chat_id=chat.id,
            message_id=message.message_id,
            user_id=user.id,
            data=data,
        )
        self.callback_queries.append(record)
        chat.log.append(f"{user.first_name} pressed {data!r} on #{message.message_id}")
        query = {
            "id": record.id,
            "from": user.as_json(),
            "message": self._bot_message_json(chat, message),
            "chat_instance": str(7_000_000_000_000_000 + abs(chat.id)),
            "data": data,
        }
        await self._emit_update("callback_query", query)
        return record

    def _store_file(
        self,
        kind: str,
        data: bytes | None,
        filename: str | None,
        mime_type: str | None,
        size: tuple[int, int] | None,
    ) -> StoredFile:
        number = next(self._file_ids)
        prefixes = {"photo": "AgAC", "document": "BQAC", "sticker": "CAAC"}
        stored = StoredFile(
            file_id=f"{prefixes.get(kind, 'BAAC')}EmU{number:06d}",
            file_unique_id=f"AQAD{number:06d}",
            kind=kind,
            filename=filename,
            mime_type=mime_type,
            content=data,
            width=size[0] if size else 0,
            height=size[1] if size else 0,
        )
        self.files[stored.file_id] = stored
        return stored

    # ---- webhook delivery ------------------------------------------------------------------

    async def _deliver_pending(self) -> None:
        async with self._delivery_lock:
            while self._pending and self.webhook.url and not self._closing:
                update = self._pending[0]
                delivery = await self._post_update(
                    update, self.webhook.url, self.webhook.secret_token, redelivery=False
                )
                if not delivery.ok:
                    return
                self._pending.remove(update)

    async def _post_update(
        self, update: JSONDict, url: str, secret: str | None, *, redelivery: bool
    ) -> WebhookDelivery:
        assert self._client is not None
        delivery = WebhookDelivery(update["update_id"], url, secret, redelivery=redelivery)
        self.deliveries.append(delivery)
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        try:
            async with self._client.post(url, data=json.dumps(update), headers=headers) as resp:
                delivery.status = resp.status
        except (ClientError, TimeoutError, OSError) as exc:
            delivery.error = f"{type(exc).__name__}: {exc}"
        return delivery

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # ---- HTTP plumbing ---------------------------------------------------------------------

    async def _api_get_file(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        """``getFile``: the path to download a file the users sent (thumbnails: the original)."""
        file_id = str(params.get("file_id", ""))
        stored = self.files.get(file_id.rsplit("-", 1)[0] if "-" in file_id else file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
            "file_path": f"{stored.kind}s/{stored.file_unique_id}",
        }

    async def _handle_file(self, request: web.Request) -> web.Response:
        """The download of a path ``getFile`` gave, as the Bot API's ``/file/bot<token>/``."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        self.downloads.append(request.match_info["path"])
        unique = request.match_info["path"].rsplit("/", 1)[-1]
        found = next((f for f in self.files.values() if f.file_unique_id == unique), None)
        if found is None or found.content is None:
            return web.Response(status=404)
        return web.Response(body=found.content, content_type="application/octet-stream")

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            return web.json_response(body, status=401)
        try:
            params, files = await _read_request(request)
        except ApiError as exc:
            return web.json_response(exc.as_json(), status=exc.code)
        status, body = await self._execute(request.match_info["method"], params, files)
        return web.json_response(body, status=status)

    async def _execute(
        self, method: str, raw: JSONDict, files: dict[str, _Upload]
    ) -> tuple[int, JSONDict]:
        canonical, handler = self._handlers.get(method.lower(), (method, None))
        call = ApiCall(canonical, dict(raw), {k: (u.filename, u.data) for k, u in files.items()})
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            params = _coerce_params(raw)
            call.params = params
            held = self._take_hold(canonical, params)
            if held is not None and not held.performed:
                await held.keep()
            self._check_faults(canonical, params)
            result = await handler(params, files)
            if held is not None and held.performed:
                await held.keep()
            if isinstance(result, _WithDescription):
                body: JSONDict = {
                    "ok": True,
                    "result": result.result,
                    "description": result.description,
                }
            else:
                body = {"ok": True, "result": result}
            status = 200
        except ApiError as exc:
            status, body = exc.code, exc.as_json()
        call.status, call.response = status, body
        async with self._calls_cond:
            self.calls.append(call)
            self._calls_cond.notify_all()
        return status, body

    def _check_faults(self, method: str, params: JSONDict) -> None:
        chat_id = params.get("chat_id")
        for fault in list(self.faults):
            if fault.method not in (None, method):
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
            raise ApiError(fault.status, fault.description, fault.parameters)
        if method in _CHAT_METHODS and isinstance(chat_id, int):
            chat = self._chats.get(chat_id)
            if chat is not None and chat.blocked:
                if chat.type == "private":
                    raise ApiError(403, "Forbidden: bot was blocked by the user")
                raise ApiError(403, "Forbidden: bot was kicked from the group chat")

    # ---- shared validation -----------------------------------------------------------------

    def _resolve_chat(self, params: JSONDict) -> ChatTranscript:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise _bad_request("chat not found")
        return self._chats[chat_id]

    @staticmethod
    def _parse_entities(text: str, parse_mode: Any, explicit: Any) -> tuple[str, list[JSONDict]]:
        """The text as shown and its entities: those the bot sent, none, never ``parse_mode``.

        The bot formats with explicit entities only (bot/channels/telegram_format.py), so
        the emulator refuses ``parse_mode`` instead of parsing HTML or Markdown.
        """
        if parse_mode:
            raise _bad_request(f"parse_mode {parse_mode!r} is not supported: send entities")
        if explicit is None:
            return _strip_with_entities(text, [])
        if not isinstance(explicit, list):
            raise _bad_request("can't parse entities JSON object")
        return _strip_with_entities(text, [dict(e) for e in explicit])

    def _message_text(self, params: JSONDict) -> tuple[str, list[JSONDict]]:
        text, entities = self._parse_entities(
            str(params.get("text") or ""), params.get("parse_mode"), params.get("entities")
        )
        if not text:
            raise _bad_request("message text is empty")
        if len(text) > MAX_MESSAGE_LENGTH:
            raise _bad_request("message is too long")
        return text, entities

    def _caption(self, params: JSONDict) -> tuple[str | None, list[JSONDict]]:
        raw = params.get("caption")
        if raw is None or raw == "":
            return None, []
        caption, entities = self._parse_entities(
            str(raw), params.get("parse_mode"), params.get("caption_entities")
        )
        if len(caption) > MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        return caption or None, entities

    @staticmethod
    def _validate_reply_markup(markup: Any, *, inline_only: bool = False) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad_request(
                    'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of '
                    "Arrays"
                )
            for button in itertools.chain.from_iterable(rows):
                TelegramEmulator._validate_inline_button(button)
            return markup
        if inline_only:
            raise _bad_request("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad_request(
                    'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
                )
            for button in itertools.chain.from_iterable(rows):
                text = button if isinstance(button, str) else (button or {}).get("text")
                if not isinstance(text, str) or not text:
                    raise _bad_request("can't parse keyboard button: Text is empty")
            return markup
        if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
            return markup
        raise _bad_request("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _validate_inline_button(button: Any) -> None:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _bad_request(
                'can\'t parse inline keyboard button: Field "text" must be of type String'
            )
        kinds = [k for k in _INLINE_BUTTON_KINDS if k in button]
        if not kinds:
            raise _bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            size = len(str(data).encode("utf-8"))
            if not isinstance(data, str) or not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")
        if "url" in button and not re.match(r"(https?|tg)://\S+$", str(button["url"])):
            raise _bad_request(
                f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
            )

    def _bot_message_json(self, chat: ChatTranscript, message: BotMessage) -> JSONDict:
        data: JSONDict = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": chat.chat,
            "date": message.date,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.documents:
            data["document"] = message.documents[0].document_json()
        if message.photos:
            data["photo"] = message.photos[0].photo_json()
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data

    async def _record_sent(self, chat: ChatTranscript, message: BotMessage) -> JSONDict:
        markup = message.reply_markup
        if markup and "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        chat.messages.append(message)
        await chat._publish(message, f"bot: {message}")
        return self._bot_message_json(chat, message)

    def _editable(self, params: JSONDict) -> tuple[ChatTranscript, BotMessage]:
        if params.get("inline_message_id"):
            raise _bad_request("inline messages are not supported by the emulator")
        chat = self._resolve_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        message = chat.message(int(message_id))
        if message is None:
            if int(message_id) in chat.user_messages:
                raise _bad_request("message can't be edited")
            raise _bad_request("message to edit not found")
        return chat, message

    async def _apply_edit(
        self, chat: ChatTranscript, message: BotMessage, changes: JSONDict
    ) -> JSONDict:
        """Apply an edit; only the rendered content counts for "message is not modified"."""
        current = {key: getattr(message, key) for key in changes}
        if current == changes:
            raise ApiError(400, _NOT_MODIFIED)
        previous = message.snapshot()
        previous.edits = []
        message.edits.append(previous)
        for key, value in changes.items():
            setattr(message, key, value)
        message.edit_date = self._now()
        await chat._publish(message, f"bot edited: {message}")
        return self._bot_message_json(chat, message)

    @staticmethod
    def _take_file(params: JSONDict, files: dict[str, _Upload], name: str) -> _Upload:
        """The uploaded file of a file parameter (the bot uploads its files, never by URL or id)."""
        value = params.get(name)
        if value is None:
            upload = files.get(name)
        elif str(value).startswith("attach://"):
            upload = files.get(str(value).removeprefix("attach://"))
        else:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        if upload is None:
            raise _bad_request(f"there is no {name} in the request")
        return upload

    # ---- API methods -----------------------------------------------------------------------

    async def _api_get_me(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_get_updates(self, params: JSONDict, files: dict[str, _Upload]) -> list[JSONDict]:
        if self.webhook.url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(a) for a in allowed]
        offset = params.get("offset")
        if isinstance(offset, int) and offset != 0:
            if offset < 0:
                self._pending = self._pending[offset:]
            else:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
        limit = params.get("limit")
        limit = max(1, min(100, limit)) if isinstance(limit, int) and limit > 0 else 100
        timeout = float(params.get("timeout") or 0)
        self._poll_generation += 1
        generation = self._poll_generation
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        async with self._poll_cond:
            self._poll_cond.notify_all()
            while True:
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                if self.webhook.url:
                    raise ApiError(409, "Conflict: terminated by setWebhook request")
                if self._pending or self._closing:
                    return [copy.deepcopy(u) for u in self._pending[:limit]]
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                self._parked_polls += 1
                self._poll_cond.notify_all()
                try:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(remaining):
                            await self._poll_cond.wait()
                finally:
                    self._parked_polls -= 1

    async def _api_set_webhook(
        self, params: JSONDict, files: dict[str, _Upload]
    ) -> _WithDescription:
        url = str(params.get("url") or "")
        if not url:
            return await self._api_delete_webhook(params, files)
        if not re.match(r"https?://[^/\s]+", url):
            raise _bad_request("bad webhook: Failed to resolve host: Name or service not known")
        if url.startswith("http://") and not self.allow_http_webhooks:
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(a) for a in allowed]
        was_set = self.webhook.url == url
        self.webhook = _WebhookState(
            url=url,
            secret_token=str(secret) if secret is not None else None,
        )
        async with self._poll_cond:
            self._poll_cond.notify_all()
        if self._pending:
            self._spawn(self._deliver_pending())
        return _WithDescription(True, "Webhook is already set" if was_set else "Webhook was set")

    async def _api_delete_webhook(
        self, params: JSONDict, files: dict[str, _Upload]
    ) -> _WithDescription:
        had_webhook = bool(self.webhook.url)
        self.webhook = _WebhookState()
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return _WithDescription(
            True, "Webhook was deleted" if had_webhook else "Webhook is already deleted"
        )

    async def _api_send_message(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        chat = self._resolve_chat(params)
        text, entities = self._message_text(params)
        message = BotMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id(),
            date=self._now(),
            kind="text",
            text=text,
            entities=entities,
            reply_markup=self._validate_reply_markup(params.get("reply_markup")),
        )
        return await self._record_sent(chat, message)

    async def _api_edit_message_reply_markup(
        self, params: JSONDict, files: dict[str, _Upload]
    ) -> JSONDict:
        chat, message = self._editable(params)
        markup = self._validate_reply_markup(params.get("reply_markup"), inline_only=True)
        return await self._apply_edit(chat, message, {"reply_markup": markup})

    async def _api_answer_callback_query(self, params: JSONDict, files: dict[str, _Upload]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        record = next((q for q in self.callback_queries if q.id == query_id), None)
        if record is None or record.answered:
            raise ApiError(400, _QUERY_INVALID)
        if len(str(params.get("text") or "")) > 200:
            raise _bad_request("MESSAGE_TOO_LONG")
        record.answer = {k: v for k, v in params.items() if k != "callback_query_id"}
        record._answered.set()
        if record.chat_id in self._chats and params.get("text"):
            alert = "alert" if params.get("show_alert") else "toast"
            self._chats[record.chat_id].log.append(f"bot {alert}: {params['text']}")
        return True

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope if isinstance(scope, dict) and scope else {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    async def _api_set_my_commands(self, params: JSONDict, files: dict[str, _Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad_request("too many commands")
        cleaned: list[JSONDict] = []
        for command in commands:
            name = str(command.get("command", "")) if isinstance(command, dict) else ""
            description = str(command.get("description", "")) if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = cleaned
        return True

    async def _api_send_document(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        chat = self._resolve_chat(params)
        upload = self._take_file(params, files, "document")
        if not upload.data:
            raise _bad_request("file must be non-empty")
        filename = upload.filename or "document"
        mime = (
            mimetypes.guess_type(filename)[0] or upload.content_type or "application/octet-stream"
        )
        stored = self._store_file("document", upload.data, filename, mime, None)
        return await self._send_media(chat, params, "document", stored)

    async def _api_send_photo(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        chat = self._resolve_chat(params)
        upload = self._take_file(params, files, "photo")
        size = _png_size(upload.data)
        if size is None:
            raise _bad_request("IMAGE_PROCESS_FAILED")
        stored = self._store_file("photo", upload.data, upload.filename, "image/jpeg", size)
        return await self._send_media(chat, params, "photo", stored)

    async def _send_media(
        self, chat: ChatTranscript, params: JSONDict, kind: str, stored: StoredFile
    ) -> JSONDict:
        caption, caption_entities = self._caption(params)
        markup = self._validate_reply_markup(params.get("reply_markup"))
        message = BotMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id(),
            date=self._now(),
            kind=kind,
            caption=caption,
            caption_entities=caption_entities,
            reply_markup=markup,
            documents=[stored] if kind == "document" else [],
            photos=[stored] if kind == "photo" else [],
        )
        return await self._record_sent(chat, message)

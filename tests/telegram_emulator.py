"""An in-process Telegram Bot API emulator for end-to-end tests.

Why this exists: the bot's handlers are only worth testing together with the libraries that
drive them (python-telegram-bot and aiogram).  Mocking ``Bot.send_message`` hides exactly the
mistakes that break a bot in production: a reply keyboard sent with the wrong shape, a
``callback_data`` longer than 64 bytes, unescaped HTML, a forgotten ``answerCallbackQuery``,
an update handled twice after a webhook retry.  This module therefore runs a real HTTP server on
``127.0.0.1`` that speaks enough of the Bot API for both libraries to run unmodified, and gives
the test a "user" that chats with the bot like a person would.

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
entity parsing, "message is not modified") because those are the errors that only show up
against the real API.  Everything is deterministic: ids are counters, there is no background
timer, and waiting uses ``asyncio.Condition``/``asyncio.Event``.
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any, Final

from aiohttp import ClientError, ClientSession, ClientTimeout, MultipartReader, web

__all__ = [
    "TINY_PNG",
    "ApiCall",
    "BotMessage",
    "CallbackQueryRecord",
    "ChatTranscript",
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
        "media",
        "menu_button",
    }
)
_INT_PARAMS: Final = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "max_connections",
        "user_id",
        "message_thread_id",
        "cache_time",
        "from_chat_id",
    }
)
_FLOAT_PARAMS: Final = frozenset({"timeout", "latitude", "longitude"})
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
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendChatAction",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)
_CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
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


class _EntityParseError(Exception):
    """Raised by the parse_mode parsers; becomes "can't parse entities: ..."."""


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
    url: str | None = None
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        """Byte length of the content (0 when the file was sent by URL)."""
        return len(self.content or b"")

    @property
    def file_path(self) -> str:
        """Relative download path as returned by getFile."""
        suffix = ""
        if self.filename and "." in self.filename:
            suffix = "." + self.filename.rsplit(".", 1)[1]
        elif self.kind == "photo":
            suffix = ".jpg"
        return f"{self.kind}s/{self.file_unique_id}{suffix}"

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

    ``text``/``caption`` are the rendered text (markup removed, whitespace trimmed, like the
    Telegram client shows it); ``raw_text`` is what the bot sent.  ``reply_markup`` holds every
    markup kind (Telegram's own Message only echoes inline keyboards back).
    """

    chat_id: int
    message_id: int
    date: int
    kind: str
    text: str | None = None
    raw_text: str | None = None
    caption: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption_entities: list[JSONDict] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: JSONDict | None = None
    documents: list[StoredFile] = field(default_factory=list)
    photos: list[StoredFile] = field(default_factory=list)
    edits: list[BotMessage] = field(default_factory=list)
    edit_date: int | None = None
    deleted: bool = False
    reply_to_message_id: int | None = None
    params: JSONDict = field(default_factory=dict)

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
    source: str = "http"
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

    async def wait_answered(self, timeout: float = 5.0) -> JSONDict:
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
    response_body: bytes = b""
    redelivery: bool = False
    reply_method: str | None = None

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
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _WithDescription:
    result: Any
    description: str


_OWN: Final = ...


# --------------------------------------------------------------------------------------------
# Entity parsing (HTML, MarkdownV2, legacy Markdown)
# --------------------------------------------------------------------------------------------


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


class _TextBuilder:
    """Accumulates plain text and tracks the UTF-16 offset Telegram uses for entities."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.offset += _utf16_len(chunk)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _OpenEntity:
    type: str
    offset: int
    byte_offset: int
    tag: str = ""
    extra: JSONDict = field(default_factory=dict)


def _entity(kind: str, offset: int, end: int, **extra: Any) -> JSONDict | None:
    if end <= offset:
        return None
    data: JSONDict = {"offset": offset, "length": end - offset, "type": kind}
    data.update({k: v for k, v in extra.items() if v})
    return data


_HTML_TAGS: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
_HTML_ESCAPE_RE: Final = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));")
_HTML_NAMED: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _decode_html_escape(match: re.Match[str]) -> str:
    decimal, hexadecimal, named = match.groups()
    if named:
        return _HTML_NAMED[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


def _parse_html(text: str, *, strict_ampersand: bool) -> tuple[str, list[JSONDict]]:
    """Telegram's HTML subset: only a handful of tags, ``<`` and ``&`` must be escaped."""
    out = _TextBuilder()
    stack: list[_OpenEntity] = []
    entities: list[JSONDict] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "&":
            match = _HTML_ESCAPE_RE.match(text, i)
            if match:
                out.add(_decode_html_escape(match))
                i = match.end()
                continue
            if strict_ampersand:
                raise _EntityParseError(
                    f"Unescaped '&' (use &amp;) at byte offset {_byte_offset(text, i)}"
                )
            out.add(char)
            i += 1
            continue
        if char != "<":
            out.add(char)
            i += 1
            continue
        begin = i
        if text.startswith("</", i):
            end = text.find(">", i)
            if end == -1:
                raise _EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, begin)}"
                )
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise _EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            top = stack.pop()
            if name != top.tag:
                raise _EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{top.tag}>", found "</{name}>"'
                )
            _close_html_entity(top, out.offset, stack, entities)
            i = end + 1
            continue
        j = i + 1
        while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "-"):
            j += 1
        name = text[i + 1 : j].lower()
        if name not in _HTML_TAGS:
            raise _EntityParseError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}'
            )
        attrs, j = _parse_html_attributes(text, j, name, begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise _EntityParseError(
                'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        stack.append(
            _OpenEntity(_HTML_TAGS[name], out.offset, _byte_offset(text, begin), name, attrs)
        )
        i = j
    if stack:
        raise _EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return out.text, entities


def _parse_html_attributes(text: str, j: int, name: str, begin: int) -> tuple[JSONDict, int]:
    attrs: JSONDict = {}
    n = len(text)
    while True:
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise _EntityParseError(
                f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
            )
        if text[j] == ">":
            return attrs, j + 1
        start = j
        while j < n and (text[j].isascii() and (text[j].isalnum() or text[j] in "-_")):
            j += 1
        attr = text[start:j].lower()
        if not attr:
            raise _EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        while j < n and text[j].isspace():
            j += 1
        if j >= n or text[j] != "=":
            attrs[attr] = ""
            continue
        j += 1
        while j < n and text[j].isspace():
            j += 1
        if j < n and text[j] in "\"'":
            quote = text[j]
            end = text.find(quote, j + 1)
            if end == -1:
                raise _EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            value, j = text[j + 1 : end], end + 1
        else:
            start = j
            while j < n and not text[j].isspace() and text[j] != ">":
                j += 1
            value = text[start:j]
        attrs[attr] = _HTML_ESCAPE_RE.sub(_decode_html_escape, value)


def _close_html_entity(
    top: _OpenEntity, end: int, stack: list[_OpenEntity], entities: list[JSONDict]
) -> None:
    kind, attrs = top.type, top.extra
    if kind == "code" and stack and stack[-1].type == "pre" and attrs.get("class"):
        language = str(attrs["class"]).removeprefix("language-")
        stack[-1].extra["language"] = language
        return
    extra: JSONDict = {}
    if kind == "text_link":
        href = str(attrs.get("href", ""))
        if not href:
            return
        user_match = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if user_match:
            kind = "text_mention"
            extra["user"] = {"id": int(user_match.group(1)), "is_bot": False, "first_name": ""}
        else:
            extra["url"] = href
    elif kind == "pre":
        extra["language"] = attrs.get("language")
    elif kind == "custom_emoji":
        extra["custom_emoji_id"] = attrs.get("emoji-id")
    elif kind == "blockquote" and "expandable" in attrs:
        kind = "expandable_blockquote"
    entity = _entity(kind, top.offset, end, **extra)
    if entity:
        entities.append(entity)


_MDV2_RESERVED: Final = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES: Final = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}
_MDV2_TOGGLES: Final = (
    ("__", "underline"),
    ("||", "spoiler"),
    ("*", "bold"),
    ("_", "italic"),
    ("~", "strikethrough"),
)


def _parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    """MarkdownV2: every reserved character outside markup must be escaped with ``\\``."""
    out = _TextBuilder()
    stack: list[_OpenEntity] = []
    entities: list[JSONDict] = []
    quote: _OpenEntity | None = None
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        top = stack[-1].type if stack else None
        if char == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.add(text[i + 1])
            i += 2
            continue
        if top in ("code", "pre"):
            if top == "pre" and text.startswith("```", i):
                opened = stack.pop()
                entity = _entity("pre", opened.offset, out.offset, **opened.extra)
                entities.extend([entity] if entity else [])
                i += 3
            elif top == "code" and char == "`":
                opened = stack.pop()
                entity = _entity("code", opened.offset, out.offset)
                entities.extend([entity] if entity else [])
                i += 1
            else:
                out.add(char)
                i += 1
            continue
        if char == "\n":
            if quote is not None and not text.startswith(">", i + 1):
                entity = _entity("blockquote", quote.offset, out.offset)
                entities.extend([entity] if entity else [])
                quote = None
            out.add(char)
            i += 1
            continue
        if char not in _MDV2_RESERVED:
            out.add(char)
            i += 1
            continue
        at_line_start = i == 0 or text[i - 1] == "\n"
        if char == ">" and at_line_start:
            if quote is None:
                quote = _OpenEntity("blockquote", out.offset, _byte_offset(text, i))
            i += 1
            continue
        if char == "]" and stack and stack[-1].type in ("text_link", "custom_emoji"):
            opened = stack.pop()
            i += 1
            url = ""
            if i < n and text[i] == "(":
                url_start = i
                i += 1
                while i < n and text[i] != ")":
                    if text[i] == "\\" and i + 1 < n:
                        i += 1
                    url += text[i]
                    i += 1
                if i >= n:
                    raise _EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, url_start)}"
                    )
                i += 1
            if opened.type == "custom_emoji":
                emoji_id = url.removeprefix("tg://emoji?id=")
                entity = _entity(
                    "custom_emoji", opened.offset, out.offset, custom_emoji_id=emoji_id
                )
            else:
                entity = _entity("text_link", opened.offset, out.offset, url=url) if url else None
            entities.extend([entity] if entity else [])
            continue
        if text.startswith("```", i):
            line_end = text.find("\n", i + 3)
            language = text[i + 3 : line_end] if line_end != -1 else ""
            if line_end != -1 and language and " " not in language:
                stack.append(_OpenEntity("pre", out.offset, _byte_offset(text, i)))
                stack[-1].extra["language"] = language
                i = line_end + 1
            else:
                stack.append(_OpenEntity("pre", out.offset, _byte_offset(text, i)))
                i += 3
            continue
        if char == "`":
            stack.append(_OpenEntity("code", out.offset, _byte_offset(text, i)))
            i += 1
            continue
        if char == "[" or text.startswith("![", i):
            kind = "text_link" if char == "[" else "custom_emoji"
            stack.append(_OpenEntity(kind, out.offset, _byte_offset(text, i)))
            i += 1 if char == "[" else 2
            continue
        toggle = next(((m, k) for m, k in _MDV2_TOGGLES if text.startswith(m, i)), None)
        if toggle is None:
            raise _EntityParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        marker, kind = toggle
        open_index = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].type == kind), -1)
        if open_index >= 0:
            opened = stack.pop(open_index)
            entity = _entity(kind, opened.offset, out.offset)
            entities.extend([entity] if entity else [])
        else:
            stack.append(_OpenEntity(kind, out.offset, _byte_offset(text, i)))
        i += len(marker)
    if quote is not None:
        entity = _entity("blockquote", quote.offset, out.offset)
        entities.extend([entity] if entity else [])
    if stack:
        opened = stack[-1]
        raise _EntityParseError(
            f"Can't find end of {_MDV2_NAMES[opened.type]} entity at byte offset "
            f"{opened.byte_offset}"
        )
    return out.text, entities


def _parse_markdown_legacy(text: str) -> tuple[str, list[JSONDict]]:
    """Legacy Markdown: no nesting, an unmatched marker is an error."""
    out = _TextBuilder()
    entities: list[JSONDict] = []
    i, n = 0, len(text)
    kinds = {"*": "bold", "_": "italic", "`": "code"}
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.add(char)
            i += 1
            continue
        error = _EntityParseError(
            f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
        )
        start = out.offset
        if char == "[":
            close = text.find("]", i + 1)
            if close == -1 or not text.startswith("(", close + 1):
                raise error
            url_end = text.find(")", close + 2)
            if url_end == -1:
                raise error
            out.add(text[i + 1 : close])
            entity = _entity("text_link", start, out.offset, url=text[close + 2 : url_end])
            i = url_end + 1
        elif text.startswith("```", i):
            close = text.find("```", i + 3)
            if close == -1:
                raise error
            out.add(text[i + 3 : close])
            entity = _entity("pre", start, out.offset)
            i = close + 3
        else:
            close = text.find(char, i + 1)
            if close == -1:
                raise error
            out.add(text[i + 1 : close])
            entity = _entity(kinds[char], start, out.offset)
            i = close + 1
        entities.extend([entity] if entity else [])
    return out.text, entities


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


async def _read_multipart_method(reader: MultipartReader) -> tuple[JSONDict, dict[str, _Upload]]:
    params: JSONDict = {}
    files: dict[str, _Upload] = {}
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, MultipartReader) and part.name:
            data = await part.read(decode=False)
            if part.filename:
                files[part.name] = _Upload(
                    part.filename, part.headers.get("Content-Type"), bytes(data)
                )
            else:
                params[part.name] = bytes(data).decode("utf-8")
    return params, files


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width/height of PNG, GIF, JPEG or WebP data; None when it is not an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        if data[12:16] == b"VP8X" and len(data) >= 30:
            width = int.from_bytes(data[24:27], "little") + 1
            height = int.from_bytes(data[27:30], "little") + 1
            return width, height
        return 1, 1
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            i += 2 + length
        return 1, 1
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

    @property
    def last_message(self) -> BotMessage | None:
        """The newest bot message in this chat (live object)."""
        return self.messages[-1] if self.messages else None

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

    async def expect(self, match: Matcher = None, timeout: float = 5.0) -> BotMessage:
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
    def last_message(self) -> BotMessage | None:
        """The newest bot message in the private chat."""
        return self.chat.last_message

    @property
    def reply_keyboard(self) -> JSONDict | None:
        """The reply keyboard the client currently shows, or None."""
        return self.chat.reply_keyboard

    async def expect(self, match: Matcher = None, timeout: float = 5.0) -> BotMessage:
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

    async def send(self, text: str, *, reply_to: BotMessage | int | None = None) -> JSONDict:
        """Type ``text`` and press send; returns the Update (keep it to redeliver or edit)."""
        content: JSONDict = {"text": text}
        entities = _auto_entities(text)
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            reply_id = reply_to if isinstance(reply_to, int) else reply_to.message_id
            replied = self.emulator._message_json(self.chat, reply_id)
            if replied is None:
                raise ValueError(f"no message {reply_id} in chat {self.chat.id} to reply to")
            content["reply_to_message"] = replied
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

        Plain buttons send their label; ``request_contact`` shares the own contact card;
        ``request_location`` shares a fixed pin in Jakarta (use send_location for others).
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
                    return await self.send_location(-6.2, 106.816666)
                return await self.send(label)
        raise AssertionError(f"no reply keyboard button {label!r}; keyboard is {keyboard}")

    async def press(self, message: BotMessage | int, label: str) -> CallbackQueryRecord:
        """Press an inline button (matched by text or callback_data) under a bot message."""
        message_id = message if isinstance(message, int) else message.message_id
        chat = self.chat if isinstance(message, int) else self.emulator.chat(message.chat_id)
        live = chat.message(message_id)
        if live is None or live.deleted:
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
        """Send a photo (the bot can getFile and download ``data``)."""
        size = _image_size(data) or (1, 1)
        stored = self.emulator._store_file("photo", data, None, "image/jpeg", size)
        content: JSONDict = {"photo": stored.photo_json()}
        if caption:
            content["caption"] = caption
        return await self._send_message(content, f"[photo] {caption or ''}".strip())

    async def send_document(
        self, data: bytes, filename: str, *, caption: str | None = None
    ) -> JSONDict:
        """Send a file as a document."""
        mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.emulator._store_file("document", data, filename, mime, None)
        content: JSONDict = {"document": stored.document_json()}
        if caption:
            content["caption"] = caption
        return await self._send_message(content, f"[document {filename}]")

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

    async def block_bot(self, *, notify: bool = True) -> None:
        """Block the bot: sends then fail with 403; Telegram also emits my_chat_member."""
        self.chat.blocked = True
        if notify:
            await self.emulator._emit_update("my_chat_member", self._member_change("kicked"))

    async def unblock_bot(self, *, notify: bool = True) -> None:
        """Unblock the bot again."""
        self.chat.blocked = False
        if notify:
            await self.emulator._emit_update("my_chat_member", self._member_change("member"))

    def _member_change(self, new_status: str) -> JSONDict:
        old_status = "member" if new_status == "kicked" else "kicked"

        def member(status: str) -> JSONDict:
            data: JSONDict = {"user": self.emulator.bot_user, "status": status}
            if status == "kicked":
                data["until_date"] = 0
            return data

        return {
            "chat": self.chat.chat,
            "from": self.as_json(),
            "date": self.emulator._now(),
            "old_chat_member": member(old_status),
            "new_chat_member": member(new_status),
        }


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
        webhook_timeout: float = 5.0,
        strict_html_ampersand: bool = True,
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
        self.strict_html_ampersand = strict_html_ampersand
        self.latency = 0.0
        self.method_latency: dict[str, float] = {}
        self.calls: list[ApiCall] = []
        self.updates: list[JSONDict] = []
        self.dropped_updates: list[JSONDict] = []
        self.deliveries: list[WebhookDelivery] = []
        self.callback_queries: list[CallbackQueryRecord] = []
        self.faults: list[InjectedFault] = []
        self.files: dict[str, StoredFile] = {}
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
        for name in (
            "getMe",
            "getUpdates",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
            "sendMessage",
            "editMessageText",
            "editMessageReplyMarkup",
            "editMessageCaption",
            "deleteMessage",
            "answerCallbackQuery",
            "setMyCommands",
            "getMyCommands",
            "deleteMyCommands",
            "sendDocument",
            "sendPhoto",
            "sendChatAction",
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

    @property
    def file_api_url(self) -> str:
        """``.../file/bot`` — python-telegram-bot's ``base_file_url``."""
        return f"{self.base_url}/file/bot"

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
        timeout: float = 5.0,
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

    async def wait_for_poller(self, timeout: float = 5.0) -> None:
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
        """The user blocked the bot (without emitting an update; see SimulatedUser.block_bot)."""
        self.chat(chat_id).blocked = True

    def unblock(self, chat_id: int) -> None:
        """Undo ``block``."""
        self.chat(chat_id).blocked = False

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
            self.dropped_updates.append(update)
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
        url: str | None = None,
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
            url=url,
            width=size[0] if size else 0,
            height=size[1] if size else 0,
        )
        self.files[stored.file_id] = stored
        if kind == "photo":
            for variant in stored.photo_json():
                self.files[variant["file_id"]] = stored
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
                reply: tuple[JSONDict, dict[str, _Upload]] | None = None
                if resp.content_type == "multipart/form-data":
                    reply = await _read_multipart_method(
                        MultipartReader(resp.headers, resp.content)
                    )
                else:
                    delivery.response_body = await resp.read()
                    with contextlib.suppress(ValueError):
                        body = json.loads(delivery.response_body or b"null")
                        if isinstance(body, dict):
                            reply = (body, {})
        except (ClientError, TimeoutError, OSError) as exc:
            delivery.error = f"{type(exc).__name__}: {exc}"
        if delivery.ok and reply and reply[0].get("method"):
            params, files = reply
            delivery.reply_method = str(params.pop("method"))
            await self._execute(delivery.reply_method, params, files, source="webhook-reply")
        if not delivery.ok:
            self.webhook.last_error_date = self._now()
            if delivery.status is not None:
                self.webhook.last_error_message = (
                    f"Wrong response from the webhook: {delivery.status}"
                )
            else:
                self.webhook.last_error_message = delivery.error or "Connection failed"
        return delivery

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # ---- HTTP plumbing ---------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            return web.json_response(body, status=401)
        try:
            params, files = await _read_request(request)
        except ApiError as exc:
            return web.json_response(exc.as_json(), status=exc.code)
        status, body = await self._execute(request.match_info["method"], params, files, "http")
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401}, status=401)
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path and stored.content is not None:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    async def _execute(
        self, method: str, raw: JSONDict, files: dict[str, _Upload], source: str
    ) -> tuple[int, JSONDict]:
        canonical, handler = self._handlers.get(method.lower(), (method, None))
        call = ApiCall(
            canonical,
            dict(raw),
            {k: (u.filename, u.data) for k, u in files.items()},
            source=source,
        )
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            params = _coerce_params(raw)
            call.params = params
            delay = self.method_latency.get(canonical, self.latency)
            if delay and canonical != "getUpdates":
                await asyncio.sleep(delay)
            self._check_faults(canonical, params)
            result = await handler(params, files)
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

    def _parse_entities(
        self, text: str, parse_mode: str | None, explicit: Any
    ) -> tuple[str, list[JSONDict]]:
        if explicit is not None:
            if not isinstance(explicit, list):
                raise _bad_request("can't parse entities JSON object")
            return _strip_with_entities(text, [dict(e) for e in explicit])
        mode = (parse_mode or "").lower()
        try:
            if mode == "html":
                plain, entities = _parse_html(text, strict_ampersand=self.strict_html_ampersand)
            elif mode == "markdownv2":
                plain, entities = _parse_markdown_v2(text)
            elif mode == "markdown":
                plain, entities = _parse_markdown_legacy(text)
            elif mode == "":
                plain, entities = text, []
            else:
                raise _bad_request("unsupported parse_mode")
        except _EntityParseError as exc:
            raise _bad_request(f"can't parse entities: {exc}") from None
        return _strip_with_entities(plain, entities)

    def _message_text(self, params: JSONDict) -> tuple[str, str, list[JSONDict]]:
        raw = params.get("text")
        raw_text = "" if raw is None else str(raw)
        text, entities = self._parse_entities(
            raw_text, params.get("parse_mode"), params.get("entities")
        )
        if not text:
            raise _bad_request("message text is empty")
        if len(text) > MAX_MESSAGE_LENGTH:
            raise _bad_request("message is too long")
        return raw_text, text, entities

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

    def _reply_to(self, chat: ChatTranscript, params: JSONDict) -> int | None:
        reply = params.get("reply_parameters")
        message_id = params.get("reply_to_message_id")
        allow = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply", allow))
        if message_id is None:
            return None
        if self._message_json(chat, int(message_id)) is None:
            if allow:
                return None
            raise _bad_request("message to be replied not found")
        return int(message_id)

    def _bot_message_json(self, chat: ChatTranscript, message: BotMessage) -> JSONDict:
        data: JSONDict = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": chat.chat,
            "date": message.date,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.reply_to_message_id is not None:
            replied = self._message_json(chat, message.reply_to_message_id, nested=True)
            if replied is not None:
                data["reply_to_message"] = replied
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

    def _message_json(
        self, chat: ChatTranscript, message_id: int, *, nested: bool = False
    ) -> JSONDict | None:
        bot_message = chat.message(message_id)
        if bot_message is not None and not bot_message.deleted:
            if nested:
                return {
                    k: v
                    for k, v in self._bot_message_json(chat, bot_message).items()
                    if k != "reply_to_message"
                }
            return self._bot_message_json(chat, bot_message)
        user_message = chat.user_messages.get(message_id)
        if user_message is None:
            return None
        return {k: v for k, v in user_message.items() if k != "reply_to_message"}

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
        if message is None or message.deleted:
            if int(message_id) in chat.user_messages:
                raise _bad_request("message can't be edited")
            raise _bad_request("message to edit not found")
        return chat, message

    async def _apply_edit(
        self,
        chat: ChatTranscript,
        message: BotMessage,
        changes: JSONDict,
        params: JSONDict,
        bookkeeping: JSONDict | None = None,
    ) -> JSONDict:
        """Apply an edit; only the rendered content counts for "message is not modified"."""
        current = {key: getattr(message, key) for key in changes}
        if current == changes:
            raise ApiError(400, _NOT_MODIFIED)
        previous = message.snapshot()
        previous.edits = []
        message.edits.append(previous)
        for key, value in {**changes, **(bookkeeping or {})}.items():
            setattr(message, key, value)
        message.edit_date = self._now()
        message.params = params
        await chat._publish(message, f"bot edited: {message}")
        return self._bot_message_json(chat, message)

    def _take_file(
        self, params: JSONDict, files: dict[str, _Upload], name: str
    ) -> tuple[_Upload | None, StoredFile | None, str | None]:
        """Return (upload, known file, url) for a file parameter."""
        value = params.get(name)
        if value is None:
            if name in files:
                return files[name], None, None
            raise _bad_request(f"there is no {name} in the request")
        value = str(value)
        if value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
            if upload is None:
                raise _bad_request("wrong file identifier/HTTP URL specified")
            return upload, None, None
        if value in self.files:
            return None, self.files[value], None
        if re.match(r"https?://", value):
            return None, None, value
        raise _bad_request("wrong file identifier/HTTP URL specified")

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
        max_connections = int(params.get("max_connections") or 40)
        if not 1 <= max_connections <= 100:
            raise _bad_request("bad webhook: max_connections must be between 1 and 100")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(a) for a in allowed]
        was_set = self.webhook.url == url
        self.webhook = _WebhookState(
            url=url,
            secret_token=str(secret) if secret is not None else None,
            max_connections=max_connections,
            ip_address="127.0.0.1",
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

    async def _api_get_webhook_info(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook.url:
            info["max_connections"] = self.webhook.max_connections
            if self.webhook.ip_address:
                info["ip_address"] = self.webhook.ip_address
            if self.allowed_updates:
                info["allowed_updates"] = list(self.allowed_updates)
            if self.webhook.last_error_date is not None:
                info["last_error_date"] = self.webhook.last_error_date
                info["last_error_message"] = self.webhook.last_error_message
        return info

    async def _api_send_message(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        chat = self._resolve_chat(params)
        raw_text, text, entities = self._message_text(params)
        markup = self._validate_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_to(chat, params)
        message = BotMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id(),
            date=self._now(),
            kind="text",
            text=text,
            raw_text=raw_text,
            entities=entities,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            reply_to_message_id=reply_to,
            params=params,
        )
        return await self._record_sent(chat, message)

    async def _api_edit_message_text(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        chat, message = self._editable(params)
        if message.text is None:
            raise _bad_request("there is no text in the message to edit")
        raw_text, text, entities = self._message_text(params)
        markup = self._validate_reply_markup(params.get("reply_markup"), inline_only=True)
        if (
            markup is None
            and message.reply_markup
            and "inline_keyboard" not in message.reply_markup
        ):
            markup = message.reply_markup
        changes = {"text": text, "entities": entities, "reply_markup": markup}
        bookkeeping = {"raw_text": raw_text, "parse_mode": params.get("parse_mode")}
        return await self._apply_edit(chat, message, changes, params, bookkeeping)

    async def _api_edit_message_caption(
        self, params: JSONDict, files: dict[str, _Upload]
    ) -> JSONDict:
        chat, message = self._editable(params)
        if message.kind == "text":
            raise _bad_request("there is no caption in the message to edit")
        caption, entities = self._caption(params)
        markup = self._validate_reply_markup(params.get("reply_markup"), inline_only=True)
        changes = {"caption": caption, "caption_entities": entities, "reply_markup": markup}
        return await self._apply_edit(chat, message, changes, params)

    async def _api_edit_message_reply_markup(
        self, params: JSONDict, files: dict[str, _Upload]
    ) -> JSONDict:
        chat, message = self._editable(params)
        markup = self._validate_reply_markup(params.get("reply_markup"), inline_only=True)
        return await self._apply_edit(chat, message, {"reply_markup": markup}, params)

    async def _api_delete_message(self, params: JSONDict, files: dict[str, _Upload]) -> bool:
        chat = self._resolve_chat(params)
        message = chat.message(int(params.get("message_id") or 0))
        if message is None or message.deleted:
            if int(params.get("message_id") or 0) in chat.user_messages:
                chat.user_messages.pop(int(params["message_id"]))
                return True
            raise _bad_request("message to delete not found")
        message.deleted = True
        chat.log.append(f"bot deleted #{message.message_id}")
        return True

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

    async def _api_get_my_commands(
        self, params: JSONDict, files: dict[str, _Upload]
    ) -> list[JSONDict]:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        return list(self._commands.get(key, []))

    async def _api_delete_my_commands(self, params: JSONDict, files: dict[str, _Upload]) -> bool:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands.pop(key, None)
        return True

    async def _api_send_document(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        chat = self._resolve_chat(params)
        upload, known, url = self._take_file(params, files, "document")
        if upload is not None:
            if not upload.data:
                raise _bad_request("file must be non-empty")
            filename = upload.filename or "document"
            mime = (
                mimetypes.guess_type(filename)[0]
                or upload.content_type
                or "application/octet-stream"
            )
            stored = self._store_file("document", upload.data, filename, mime, None)
        elif known is not None:
            stored = known
        else:
            name = (url or "").rsplit("/", 1)[-1] or "document"
            stored = self._store_file("document", None, name, None, None, url=url)
        return await self._send_media(chat, params, "document", stored)

    async def _api_send_photo(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        chat = self._resolve_chat(params)
        upload, known, url = self._take_file(params, files, "photo")
        if upload is not None:
            size = _image_size(upload.data)
            if size is None:
                raise _bad_request("IMAGE_PROCESS_FAILED")
            stored = self._store_file("photo", upload.data, upload.filename, "image/jpeg", size)
        elif known is not None:
            if known.kind != "photo":
                raise _bad_request("wrong file identifier/HTTP URL specified")
            stored = known
        else:
            stored = self._store_file("photo", None, None, "image/jpeg", (800, 600), url=url)
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
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            documents=[stored] if kind == "document" else [],
            photos=[stored] if kind == "photo" else [],
            reply_to_message_id=self._reply_to(chat, params),
            params=params,
        )
        return await self._record_sent(chat, message)

    async def _api_send_chat_action(self, params: JSONDict, files: dict[str, _Upload]) -> bool:
        chat = self._resolve_chat(params)
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        chat.log.append(f"bot is {action}...")
        return True

    async def _api_get_file(self, params: JSONDict, files: dict[str, _Upload]) -> JSONDict:
        file_id = str(params.get("file_id") or "")
        stored = self.files.get(file_id)
        if stored is None:
            raise _bad_request("invalid file_id")
        data: JSONDict = {"file_id": file_id, "file_unique_id": stored.file_unique_id}
        if stored.content is not None:
            data["file_size"] = stored.size
            data["file_path"] = stored.file_path
        return data

    # ---- convenience for assertions ---------------------------------------------------------

    def sent_messages(self, chat_ids: Iterable[int] | None = None) -> list[BotMessage]:
        """Bot messages across chats (optionally only some), ordered per chat."""
        wanted = set(chat_ids) if chat_ids is not None else None
        return [
            message
            for chat_id, chat in self._chats.items()
            if wanted is None or chat_id in wanted
            for message in chat.messages
        ]

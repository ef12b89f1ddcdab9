"""Builders for WhatsApp Business Cloud API webhook bodies, shaped like the ones Meta POSTs.

Why this exists: the WhatsApp adapter must be tested against what Meta really sends, not
against whatever shape its own parser happens to like. Every builder here returns a plain
``dict`` with the nesting of a real ``messages`` webhook::

    {"object": "whatsapp_business_account",
     "entry": [{"id": WABA_ID,
                "changes": [{"field": "messages",
                             "value": {"messaging_product": "whatsapp",
                                       "metadata": {...},
                                       "contacts": [...],
                                       "messages": [...] | "statuses": [...]}}]}]}

The shapes follow Meta's webhook reference and the public sample payloads of the pywa
project (``tests/data/updates``); the fixtures themselves are written from scratch.

Two layers:

* ``*_message`` functions build one element of ``value.messages`` (so several can be
  combined with :func:`messages_payload`);
* the bare names (:func:`text`, :func:`button_reply`, :func:`status`, ...) build a whole
  webhook body for the common single-message case.

:func:`encode` gives the raw bytes as Meta would send them and :func:`sign` the matching
``X-Hub-Signature-256`` header, so the receiver's signature check can be exercised for real.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

# --------------------------------------------------------------------------- identities

#: WhatsApp Business Account id (``entry[].id``).
WABA_ID = "102290129340398"
#: Business phone number id; the same default as ``FakeGraphAPI(phone_number_id=...)``.
PHONE_NUMBER_ID = "1234567890"
#: The business number as users see it (digits only, as in ``metadata``).
DISPLAY_PHONE_NUMBER = "6281100001111"

#: Default sender: an Indonesian mobile number in the ``wa_id`` form (no ``+``).
DEFAULT_WA_ID = "6281234567890"
DEFAULT_NAME = "Bidan Sari"
#: A second sender for multi-user batches.
OTHER_WA_ID = "6285798765432"
OTHER_NAME = "Kader Wati"

#: Header Meta signs webhook bodies with.
SIGNATURE_HEADER = "X-Hub-Signature-256"

StatusName = Literal["sent", "delivered", "read", "played", "failed"]


@dataclass(frozen=True)
class Business:
    """The receiving business number: where ``entry[].id`` and ``metadata`` come from.

    Kept as one value so a test for a second phone number (or a misrouted webhook) only
    has to pass one object instead of three strings.
    """

    waba_id: str = WABA_ID
    phone_number_id: str = PHONE_NUMBER_ID
    display_phone_number: str = DISPLAY_PHONE_NUMBER

    def metadata(self) -> dict[str, str]:
        """``value.metadata`` exactly as Meta writes it."""
        return {
            "display_phone_number": self.display_phone_number,
            "phone_number_id": self.phone_number_id,
        }


DEFAULT_BUSINESS = Business()

# --------------------------------------------------------------------------- id helpers

_counter = itertools.count(1)


def _varint_len(n: int) -> bytes:
    return bytes([n])


def wamid(wa_id: str = DEFAULT_WA_ID, *, outgoing: bool = False) -> str:
    """Return a fresh, unique message id in the real ``wamid.HBgN...`` form.

    Real ids are base64 of a small binary record holding the user's number and a hex
    message key; building them the same way keeps any id parsing or length assumptions in
    the adapter honest. Inbound ids carry a 20-char key, business-sent ones an 18-char key.
    """
    key_len = 18 if outgoing else 20
    seq = next(_counter)
    key = (f"{seq:06X}" + secrets.token_hex(key_len).upper())[:key_len].encode()
    number = wa_id.encode()
    direction = b"\x11" if outgoing else b"\x12"
    raw = (
        b"\x1c\x18"
        + _varint_len(len(number))
        + number
        + b"\x15\x02\x00"
        + direction
        + b"\x18"
        + _varint_len(len(key))
        + key
        + b"\x00"
    )
    return "wamid." + base64.b64encode(raw).decode()


def media_id() -> str:
    """A unique numeric media id (Meta's are 15-16 digit strings)."""
    return str(1_000_000_000_000_000 + next(_counter) * 7919 + secrets.randbelow(7919))


def sha256_b64(data: bytes) -> str:
    """Base64 SHA-256 digest, the format of ``image.sha256`` etc. in webhooks."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def bsuid_for(wa_id: str, country: str = "ID") -> str:
    """Deterministic business-scoped user id (``user_id``) for a number.

    Format per Meta's BSUID rollout: ISO country code, a dot, then digits. Deterministic so
    a test can predict the value without threading it through every call.
    """
    digest = hashlib.sha256(wa_id.encode()).hexdigest()
    return f"{country}.{int(digest[:16], 16) % 10**19:019d}"


def now_ts() -> str:
    """Current Unix time in seconds as a string, as in every webhook ``timestamp``."""
    return str(int(time.time()))


# --------------------------------------------------------------------------- raw bytes


def encode(payload: Mapping[str, Any], *, escape_slashes: bool = True) -> bytes:
    """Serialise *payload* like Meta does: compact JSON, ASCII-only with ``\\uXXXX``.

    Meta's bodies are produced by a PHP-style encoder, so non-ASCII text (emoji, accented
    names) arrives escaped and ``/`` arrives as ``\\/``. That matters: a receiver that
    re-serialises the parsed JSON before checking the HMAC will compute a different
    signature, and these bytes make such a bug visible. Pass ``escape_slashes=False`` for
    the plain form.
    """
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=True)
    if escape_slashes:
        text = text.replace("/", "\\/")
    return text.encode("ascii")


def sign(body: bytes, app_secret: str) -> str:
    """Value of the ``X-Hub-Signature-256`` header for *body*.

    Meta computes HMAC-SHA256 over the exact raw body with the app secret as key and sends
    ``sha256=<lowercase hex>``.
    """
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signed_request(payload: Mapping[str, Any], app_secret: str) -> tuple[bytes, dict[str, str]]:
    """Return ``(body, headers)`` ready to POST to the webhook receiver.

    Convenience for end-to-end tests: the headers match what Meta sends (JSON content
    type plus the signature), so the test cannot forget one of them.
    """
    body = encode(payload)
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, app_secret)}
    return body, headers


# --------------------------------------------------------------------------- envelope


def contact(wa_id: str, name: str, *, bsuid: bool = True) -> dict[str, Any]:
    """One ``value.contacts[]`` entry.

    New (2026) payloads carry ``user_id`` (the BSUID) next to ``wa_id``; ``bsuid=False``
    gives the older shape so the adapter can be tested against both.
    """
    entry: dict[str, Any] = {"profile": {"name": name}, "wa_id": wa_id}
    if bsuid:
        entry["user_id"] = bsuid_for(wa_id)
    return entry


def envelope(value: Mapping[str, Any], *, business: Business = DEFAULT_BUSINESS) -> dict[str, Any]:
    """Wrap a ``value`` object into the full ``whatsapp_business_account`` body."""
    full_value = {"messaging_product": "whatsapp", "metadata": business.metadata(), **value}
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": business.waba_id,
                "changes": [{"value": full_value, "field": "messages"}],
            }
        ],
    }


def messages_payload(
    *messages: Mapping[str, Any],
    names: Mapping[str, str] | None = None,
    business: Business = DEFAULT_BUSINESS,
    bsuid: bool = True,
) -> dict[str, Any]:
    """Combine several ``messages[]`` elements into one webhook body.

    Meta batches: one POST can hold several messages, from several users. ``contacts`` gets
    one entry per distinct sender (in order of first appearance); *names* maps ``wa_id`` to
    the profile name (default: :data:`DEFAULT_NAME` / :data:`OTHER_NAME` / ``"User <n>"``).
    """
    if not messages:
        raise ValueError("messages_payload needs at least one message")
    known = {DEFAULT_WA_ID: DEFAULT_NAME, OTHER_WA_ID: OTHER_NAME, **(names or {})}
    senders: list[str] = []
    for message in messages:
        sender = message["from"]
        if sender not in senders:
            senders.append(sender)
    contacts = [contact(s, known.get(s, f"User {s[-4:]}"), bsuid=bsuid) for s in senders]
    return envelope(
        {"contacts": contacts, "messages": [dict(m) for m in messages]}, business=business
    )


# --------------------------------------------------------------------------- messages[]


def _base_message(
    kind: str,
    *,
    wa_id: str,
    message_id: str | None,
    timestamp: str | int | None,
    context: Mapping[str, Any] | None,
    bsuid: bool,
) -> dict[str, Any]:
    message: dict[str, Any] = {}
    if context is not None:
        message["context"] = dict(context)
    message["from"] = wa_id
    if bsuid:
        message["from_user_id"] = bsuid_for(wa_id)
    message["id"] = message_id or wamid(wa_id)
    message["timestamp"] = str(timestamp) if timestamp is not None else now_ts()
    message["type"] = kind
    return message


def reply_context(message_id: str, *, from_: str = DISPLAY_PHONE_NUMBER) -> dict[str, str]:
    """``context`` of a reply: who sent the quoted message (the business) and its id."""
    return {"from": from_, "id": message_id}


def text_message(
    body: str,
    *,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    context: Mapping[str, Any] | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """A ``type: text`` message (optionally quoting another one via *context*)."""
    message = _base_message(
        "text",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=context,
        bsuid=bsuid,
    )
    message["text"] = {"body": body}
    return message


def button_reply_message(
    button_id: str,
    title: str,
    *,
    context_id: str,
    context_from: str = DISPLAY_PHONE_NUMBER,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """User tapped a reply button of an interactive ``button`` message (*context_id*)."""
    message = _base_message(
        "interactive",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=reply_context(context_id, from_=context_from),
        bsuid=bsuid,
    )
    message["interactive"] = {
        "type": "button_reply",
        "button_reply": {"id": button_id, "title": title},
    }
    return message


def list_reply_message(
    row_id: str,
    title: str,
    description: str | None = None,
    *,
    context_id: str,
    context_from: str = DISPLAY_PHONE_NUMBER,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """User picked a row of an interactive ``list`` message (*context_id*).

    ``description`` is only present when the row had one, as in real payloads.
    """
    message = _base_message(
        "interactive",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=reply_context(context_id, from_=context_from),
        bsuid=bsuid,
    )
    reply: dict[str, str] = {"id": row_id, "title": title}
    if description is not None:
        reply["description"] = description
    message["interactive"] = {"type": "list_reply", "list_reply": reply}
    return message


def _media_object(
    *,
    mime_type: str,
    caption: str | None,
    media: str | None,
    url: str | None,
    sha256: str | None,
    seed: bytes,
) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    if caption is not None:
        obj["caption"] = caption
    obj["mime_type"] = mime_type
    obj["sha256"] = sha256 or sha256_b64(seed + secrets.token_bytes(8))
    obj["id"] = media or media_id()
    if url is not None:
        obj["url"] = url
    return obj


def image_message(
    *,
    caption: str | None = None,
    media: str | None = None,
    mime_type: str = "image/jpeg",
    sha256: str | None = None,
    url: str | None = None,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    context: Mapping[str, Any] | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """A photo (id, mime_type, sha256, optional caption / download url)."""
    message = _base_message(
        "image",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=context,
        bsuid=bsuid,
    )
    message["image"] = _media_object(
        mime_type=mime_type, caption=caption, media=media, url=url, sha256=sha256, seed=b"image"
    )
    return message


def document_message(
    *,
    filename: str = "laporan.pdf",
    caption: str | None = None,
    media: str | None = None,
    mime_type: str = "application/pdf",
    sha256: str | None = None,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """A file sent by the user (health workers do send PDFs and spreadsheets)."""
    message = _base_message(
        "document",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=None,
        bsuid=bsuid,
    )
    doc = _media_object(
        mime_type=mime_type, caption=caption, media=media, url=None, sha256=sha256, seed=b"doc"
    )
    message["document"] = {"filename": filename, **doc}
    return message


def audio_message(
    *,
    voice: bool = False,
    media: str | None = None,
    mime_type: str = "audio/ogg; codecs=opus",
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """An audio file, or a recorded voice note when ``voice=True`` (same ``type: audio``)."""
    message = _base_message(
        "audio", wa_id=wa_id, message_id=message_id, timestamp=timestamp, context=None, bsuid=bsuid
    )
    audio = _media_object(
        mime_type=mime_type, caption=None, media=media, url=None, sha256=None, seed=b"audio"
    )
    audio["voice"] = voice
    message["audio"] = audio
    return message


def video_message(
    *,
    caption: str | None = None,
    media: str | None = None,
    mime_type: str = "video/mp4",
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """A video (id, mime_type, sha256, optional caption)."""
    message = _base_message(
        "video", wa_id=wa_id, message_id=message_id, timestamp=timestamp, context=None, bsuid=bsuid
    )
    message["video"] = _media_object(
        mime_type=mime_type, caption=caption, media=media, url=None, sha256=None, seed=b"video"
    )
    return message


def sticker_message(
    *,
    animated: bool = False,
    media: str | None = None,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """A sticker (always ``image/webp``; ``animated`` flag as Meta sends it)."""
    message = _base_message(
        "sticker",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=None,
        bsuid=bsuid,
    )
    sticker = _media_object(
        mime_type="image/webp", caption=None, media=media, url=None, sha256=None, seed=b"sticker"
    )
    sticker["animated"] = animated
    message["sticker"] = sticker
    return message


def location_message(
    latitude: float = -6.2001,
    longitude: float = 106.8167,
    *,
    name: str | None = None,
    address: str | None = None,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """A shared location; *name*/*address* only appear for a chosen place, not a pin."""
    message = _base_message(
        "location",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=None,
        bsuid=bsuid,
    )
    location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
    if name is not None:
        location["name"] = name
    if address is not None:
        location["address"] = address
    message["location"] = location
    return message


def reaction_message(
    reacted_message_id: str,
    emoji: str | None = "\N{THUMBS UP SIGN}",
    *,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """A reaction to one of the business's messages; ``emoji=None`` is a removed reaction.

    Removing a reaction arrives without the ``emoji`` key (or with ``""``), which is an
    easy case to crash on.
    """
    message = _base_message(
        "reaction",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=None,
        bsuid=bsuid,
    )
    reaction: dict[str, str] = {"message_id": reacted_message_id}
    if emoji is not None:
        reaction["emoji"] = emoji
    message["reaction"] = reaction
    return message


def contacts_message(
    cards: Sequence[tuple[str, str]] = (("Puskesmas Cilandak", "+62 21 7654321"),),
    *,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """Shared contact cards, given as ``(formatted_name, phone)`` pairs."""
    message = _base_message(
        "contacts",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=None,
        bsuid=bsuid,
    )
    message["contacts"] = [
        {
            "name": {"formatted_name": name, "first_name": name.split(" ")[0]},
            "phones": [{"phone": phone, "type": "WORK"}],
        }
        for name, phone in cards
    ]
    return message


#: The error block of a ``type: unsupported`` message (e.g. polls, view-once media).
UNSUPPORTED_ERROR: dict[str, Any] = {
    "code": 131051,
    "title": "Message type unknown",
    "message": "Message type unknown",
    "error_data": {"details": "Message type is currently not supported."},
}


def unsupported_message(
    *,
    unsupported_type: str | None = None,
    wa_id: str = DEFAULT_WA_ID,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    bsuid: bool = True,
) -> dict[str, Any]:
    """A message WhatsApp could not represent: ``type: unsupported`` with error 131051.

    Newer payloads may add ``"unsupported": {"type": ...}`` naming the original kind;
    pass *unsupported_type* to include it.
    """
    message = _base_message(
        "unsupported",
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        context=None,
        bsuid=bsuid,
    )
    message["errors"] = [json.loads(json.dumps(UNSUPPORTED_ERROR))]
    if unsupported_type is not None:
        message["unsupported"] = {"type": unsupported_type}
    return message


# --------------------------------------------------------------------------- whole bodies


def _single(
    message: dict[str, Any],
    *,
    name: str | None,
    business: Business,
    bsuid: bool,
) -> dict[str, Any]:
    names = {message["from"]: name} if name is not None else None
    return messages_payload(message, names=names, business=business, bsuid=bsuid)


def text(
    body: str,
    *,
    wa_id: str = DEFAULT_WA_ID,
    name: str | None = None,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    context: Mapping[str, Any] | None = None,
    business: Business = DEFAULT_BUSINESS,
    bsuid: bool = True,
) -> dict[str, Any]:
    """Webhook body for one inbound text message."""
    message = text_message(
        body, wa_id=wa_id, message_id=message_id, timestamp=timestamp, context=context, bsuid=bsuid
    )
    return _single(message, name=name, business=business, bsuid=bsuid)


def button_reply(
    button_id: str,
    title: str,
    *,
    context_id: str,
    wa_id: str = DEFAULT_WA_ID,
    name: str | None = None,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    business: Business = DEFAULT_BUSINESS,
    bsuid: bool = True,
) -> dict[str, Any]:
    """Webhook body for a reply-button tap on the business message *context_id*."""
    message = button_reply_message(
        button_id,
        title,
        context_id=context_id,
        context_from=business.display_phone_number,
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        bsuid=bsuid,
    )
    return _single(message, name=name, business=business, bsuid=bsuid)


def list_reply(
    row_id: str,
    title: str,
    description: str | None = None,
    *,
    context_id: str,
    wa_id: str = DEFAULT_WA_ID,
    name: str | None = None,
    message_id: str | None = None,
    timestamp: str | int | None = None,
    business: Business = DEFAULT_BUSINESS,
    bsuid: bool = True,
) -> dict[str, Any]:
    """Webhook body for a list-row selection on the business message *context_id*."""
    message = list_reply_message(
        row_id,
        title,
        description,
        context_id=context_id,
        context_from=business.display_phone_number,
        wa_id=wa_id,
        message_id=message_id,
        timestamp=timestamp,
        bsuid=bsuid,
    )
    return _single(message, name=name, business=business, bsuid=bsuid)


def image(
    *, caption: str | None = "Foto KMS", wa_id: str = DEFAULT_WA_ID, name: str | None = None
) -> dict[str, Any]:
    """Webhook body for an inbound photo (an unsupported input for the bot)."""
    return _single(
        image_message(caption=caption, wa_id=wa_id),
        name=name,
        business=DEFAULT_BUSINESS,
        bsuid=True,
    )


def audio(*, wa_id: str = DEFAULT_WA_ID, name: str | None = None) -> dict[str, Any]:
    """Webhook body for an inbound audio file (``voice: false``)."""
    return _single(
        audio_message(voice=False, wa_id=wa_id), name=name, business=DEFAULT_BUSINESS, bsuid=True
    )


def voice(*, wa_id: str = DEFAULT_WA_ID, name: str | None = None) -> dict[str, Any]:
    """Webhook body for an inbound voice note (``type: audio`` with ``voice: true``)."""
    return _single(
        audio_message(voice=True, wa_id=wa_id), name=name, business=DEFAULT_BUSINESS, bsuid=True
    )


def video(
    *, caption: str | None = None, wa_id: str = DEFAULT_WA_ID, name: str | None = None
) -> dict[str, Any]:
    """Webhook body for an inbound video."""
    return _single(
        video_message(caption=caption, wa_id=wa_id),
        name=name,
        business=DEFAULT_BUSINESS,
        bsuid=True,
    )


def sticker(
    *, animated: bool = False, wa_id: str = DEFAULT_WA_ID, name: str | None = None
) -> dict[str, Any]:
    """Webhook body for an inbound sticker."""
    return _single(
        sticker_message(animated=animated, wa_id=wa_id),
        name=name,
        business=DEFAULT_BUSINESS,
        bsuid=True,
    )


def location(
    latitude: float = -6.2001,
    longitude: float = 106.8167,
    *,
    name_of_place: str | None = None,
    address: str | None = None,
    wa_id: str = DEFAULT_WA_ID,
    name: str | None = None,
) -> dict[str, Any]:
    """Webhook body for a shared location."""
    message = location_message(
        latitude, longitude, name=name_of_place, address=address, wa_id=wa_id
    )
    return _single(message, name=name, business=DEFAULT_BUSINESS, bsuid=True)


def reaction(
    reacted_message_id: str,
    emoji: str | None = "\N{THUMBS UP SIGN}",
    *,
    wa_id: str = DEFAULT_WA_ID,
    name: str | None = None,
) -> dict[str, Any]:
    """Webhook body for a reaction (or, with ``emoji=None``, a removed reaction)."""
    return _single(
        reaction_message(reacted_message_id, emoji, wa_id=wa_id),
        name=name,
        business=DEFAULT_BUSINESS,
        bsuid=True,
    )


def contacts(*, wa_id: str = DEFAULT_WA_ID, name: str | None = None) -> dict[str, Any]:
    """Webhook body for shared contact cards (``type: contacts``)."""
    return _single(contacts_message(wa_id=wa_id), name=name, business=DEFAULT_BUSINESS, bsuid=True)


def unsupported(
    *, unsupported_type: str | None = None, wa_id: str = DEFAULT_WA_ID, name: str | None = None
) -> dict[str, Any]:
    """Webhook body for a ``type: unsupported`` message (error 131051)."""
    return _single(
        unsupported_message(unsupported_type=unsupported_type, wa_id=wa_id),
        name=name,
        business=DEFAULT_BUSINESS,
        bsuid=True,
    )


def batch(
    *,
    first: tuple[str, str] = (DEFAULT_WA_ID, DEFAULT_NAME),
    second: tuple[str, str] = (OTHER_WA_ID, OTHER_NAME),
    start: int | None = None,
) -> dict[str, Any]:
    """One webhook body with several messages from two senders, interleaved.

    Meta may deliver messages in batches; the receiver must dispatch each one to the right
    user and keep per-user order. Timestamps increase by one second per message.
    """
    base = start if start is not None else int(time.time()) - 10
    (wa1, name1), (wa2, name2) = first, second
    messages = [
        text_message("Halo", wa_id=wa1, timestamp=base),
        text_message("lapor", wa_id=wa2, timestamp=base + 1),
        text_message("12", wa_id=wa1, timestamp=base + 2),
        image_message(caption=None, wa_id=wa2, timestamp=base + 3),
        text_message("batal", wa_id=wa2, timestamp=base + 4),
    ]
    return messages_payload(*messages, names={wa1: name1, wa2: name2})


# --------------------------------------------------------------------------- statuses


#: Errors Meta reports in ``statuses[].errors`` / Graph errors, by code.
#: ``(title, details)``; the titles and details are the documented wording.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    131047: (
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    ),
    131026: (
        "Message undeliverable",
        "Unable to deliver message. Reasons can include: the recipient phone number is not a "
        "WhatsApp phone number; the recipient has not accepted the new Terms of Service; the "
        "recipient is using an old WhatsApp version.",
    ),
    131049: (
        "This message was not delivered to maintain healthy ecosystem engagement.",
        "In order to maintain a healthy ecosystem engagement, the message failed to be delivered.",
    ),
    131000: ("Something went wrong", "Message failed to send due to an unknown error."),
    130472: (
        "User's number is part of an experiment",
        "Failed to send message because this user's phone number is part of an experiment",
    ),
}

ERROR_CODES_HREF = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"


def status_error(code: int, details: str | None = None) -> dict[str, Any]:
    """One ``errors[]`` element of a failed status (code, title, message, error_data, href)."""
    title, default_details = STATUS_ERRORS.get(code, ("Unknown error", "Unknown error."))
    return {
        "code": code,
        "title": title,
        "message": title,
        "error_data": {"details": details or default_details},
        "href": ERROR_CODES_HREF,
    }


def status_object(
    status: StatusName,
    *,
    message_id: str | None = None,
    recipient_id: str = DEFAULT_WA_ID,
    timestamp: str | int | None = None,
    error_code: int = 131047,
    error_details: str | None = None,
    category: str = "service",
    conversation_id: str | None = None,
    biz_opaque_callback_data: str | None = None,
) -> dict[str, Any]:
    """One ``statuses[]`` element.

    ``sent``/``delivered``/``read`` carry ``conversation`` (``expiration_timestamp`` only on
    ``sent``) and ``pricing`` in the per-message-pricing form (``pricing_model: PMP``; a
    reply inside the customer-service window is ``category: service``, not billable).
    ``failed`` carries ``errors`` instead and no pricing.
    """
    ts = int(timestamp) if timestamp is not None else int(time.time())
    obj: dict[str, Any] = {
        "id": message_id or wamid(recipient_id, outgoing=True),
        "status": status,
        "timestamp": str(ts),
        "recipient_id": recipient_id,
    }
    if biz_opaque_callback_data is not None:
        obj["biz_opaque_callback_data"] = biz_opaque_callback_data
    if status == "failed":
        obj["errors"] = [status_error(error_code, error_details)]
        return obj
    conversation: dict[str, Any] = {
        "id": conversation_id or secrets.token_hex(16),
        "origin": {"type": category},
    }
    if status == "sent":
        conversation["expiration_timestamp"] = str(ts + 24 * 3600)
    obj["conversation"] = conversation
    free = category == "service"
    obj["pricing"] = {
        "billable": not free,
        "pricing_model": "PMP",
        "category": category,
        "type": "free_customer_service" if free else "regular",
    }
    return obj


def statuses_payload(
    *statuses: Mapping[str, Any],
    names: Mapping[str, str] | None = None,
    business: Business = DEFAULT_BUSINESS,
    include_contacts: bool = True,
    bsuid: bool = True,
) -> dict[str, Any]:
    """Webhook body carrying one or more ``statuses[]`` elements.

    Current payloads also list the recipient in ``contacts`` (with its BSUID); pass
    ``include_contacts=False`` for the older statuses-only shape.
    """
    if not statuses:
        raise ValueError("statuses_payload needs at least one status")
    value: dict[str, Any] = {}
    if include_contacts:
        known = {DEFAULT_WA_ID: DEFAULT_NAME, OTHER_WA_ID: OTHER_NAME, **(names or {})}
        recipients: list[str] = []
        for st in statuses:
            if st["recipient_id"] not in recipients:
                recipients.append(st["recipient_id"])
        value["contacts"] = [
            contact(r, known.get(r, f"User {r[-4:]}"), bsuid=bsuid) for r in recipients
        ]
    value["statuses"] = [dict(s) for s in statuses]
    return envelope(value, business=business)


def status(
    status: StatusName,
    *,
    message_id: str | None = None,
    recipient_id: str = DEFAULT_WA_ID,
    timestamp: str | int | None = None,
    error_code: int = 131047,
    error_details: str | None = None,
    category: str = "service",
    business: Business = DEFAULT_BUSINESS,
    include_contacts: bool = True,
) -> dict[str, Any]:
    """Webhook body for one status update of a message the business sent.

    ``status("failed")`` defaults to error 131047 (re-engagement: the 24-hour window is
    closed), the failure this bot is most likely to meet.
    """
    obj = status_object(
        status,
        message_id=message_id,
        recipient_id=recipient_id,
        timestamp=timestamp,
        error_code=error_code,
        error_details=error_details,
        category=category,
    )
    return statuses_payload(obj, business=business, include_contacts=include_contacts)


def sent(message_id: str | None = None, *, recipient_id: str = DEFAULT_WA_ID) -> dict[str, Any]:
    """Webhook body: the message left WhatsApp's servers."""
    return status("sent", message_id=message_id, recipient_id=recipient_id)


def delivered(
    message_id: str | None = None, *, recipient_id: str = DEFAULT_WA_ID
) -> dict[str, Any]:
    """Webhook body: the message reached the user's phone."""
    return status("delivered", message_id=message_id, recipient_id=recipient_id)


def read(message_id: str | None = None, *, recipient_id: str = DEFAULT_WA_ID) -> dict[str, Any]:
    """Webhook body: the user opened the message."""
    return status("read", message_id=message_id, recipient_id=recipient_id)


def failed(
    message_id: str | None = None,
    *,
    recipient_id: str = DEFAULT_WA_ID,
    code: int = 131047,
    details: str | None = None,
) -> dict[str, Any]:
    """Webhook body: delivery failed (default: 131047 re-engagement message)."""
    return status(
        "failed",
        message_id=message_id,
        recipient_id=recipient_id,
        error_code=code,
        error_details=details,
    )


# --------------------------------------------------------------------------- accessors


def value_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    """``entry[0].changes[0].value`` of a body: saves tests from repeating the path."""
    return payload["entry"][0]["changes"][0]["value"]


def iter_messages(payload: Mapping[str, Any]) -> Iterable[dict[str, Any]]:
    """Every ``messages[]`` element across all entries and changes, in order."""
    for entry in payload.get("entry", []):
        for change in entry.get("changes", []):
            yield from change.get("value", {}).get("messages", [])

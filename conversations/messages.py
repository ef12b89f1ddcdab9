"""Channel-neutral message types: what adapters hand to the core and get back.

Every channel (console, Telegram, WhatsApp) translates its own payloads into
:class:`Inbound` and renders :class:`Reply` objects; nothing else crosses the
boundary, so the conversation logic never learns which platform it runs on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Location:
    """A location pin the user shared (never read from a photo's EXIF: it cannot be trusted)."""

    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Media:
    """A photo or file the user sent: the platform's id, what the platform says it is.

    ``digest`` is set once the core has downloaded and stored it (content
    addressed); ``refused`` names why it was not stored (``too_big``,
    ``not_image``, ``failed``).
    """

    file_id: str
    mime_type: str = ""
    size: int | None = None
    digest: str | None = None
    refused: str | None = None


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message from a user, as any channel sees it.

    ``message_id`` must be unique per channel: it is the deduplication key.
    ``phone`` is set only when the channel itself vouches for the number
    (WhatsApp's ``wa_id``, a Telegram contact shared by its own owner, the
    console's ``--phone``); a typed number is never trusted.
    ``choice`` carries the value of a pressed button and ``question_id`` the
    question that button belonged to, so a press on an old message can be
    recognised as stale.
    """

    channel: str
    user_id: str
    message_id: str
    text: str = ""
    choice: str | None = None
    question_id: str | None = None
    phone: str | None = None
    location: Location | None = None
    media: Media | None = None

    @property
    def answer(self) -> str:
        """What the user said: the button value if one was pressed, else the text."""
        return self.choice if self.choice is not None else self.text


@dataclass(frozen=True, slots=True)
class Choice:
    """One button: ``value`` comes back in :attr:`Inbound.choice` (keep it short)."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to send with a reply (Excel export, chart)."""

    filename: str
    content: bytes
    mime_type: str
    kind: Literal["document", "photo"] = "document"


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to a user.

    ``choices`` are rendered as buttons where the channel has them and as a
    numbered list otherwise. ``question_id`` identifies the question the
    buttons answer; channels echo it back in :attr:`Inbound.question_id`.
    ``request_contact`` asks the channel for a one-tap "share my number",
    ``request_location`` for a one-tap "share my location".
    ``free_text`` says the choices are only shortcuts and any typed answer is
    read as text (a count question with a "0" button); otherwise the answer
    must be one of the choices, and a channel may let the user type its number.
    ``monospace`` asks for a fixed-width font where the channel has one, so a
    table's columns line up on a phone. ``web_app`` is a button that opens a
    page inside the chat app (a Telegram Mini App: its value is the page's
    HTTPS address); channels without such buttons leave it out.
    """

    text: str
    choices: tuple[Choice, ...] = field(default=())
    question_id: str | None = None
    free_text: bool = False
    request_contact: bool = False
    request_location: bool = False
    attachment: Attachment | None = None
    monospace: bool = False
    web_app: Choice | None = None

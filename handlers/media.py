"""Photos sent as evidence: fetched from the platform, checked, stored by content.

A photo is taken only while a photo question is open (the outreach form's
evidence). It is downloaded through the channel's fetcher after the message
was recorded as processed, so a webhook delivered again stores nothing; its
type is read from its first bytes (not from what the platform or the file
name claims), it must be an image of at most the configured size, and its
EXIF (GPS included) is never read: the location comes from a location pin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from conversations import Reply, State
from conversations.form import Kind
from conversations.messages import Media
from conversations.state import SUMMARY
from handlers import conversation
from handlers import words as T
from handlers.turn import TurnContext
from storage.media import MediaStore

log = logging.getLogger(__name__)

Fetch = Callable[[Media, int], bytes]
"""Download a platform's file, at most ``limit`` bytes (raise :class:`TooBigError` above)."""
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))


class TooBigError(ValueError):
    """The file is larger than allowed (said by the platform, or found while downloading)."""


@dataclass(slots=True)
class MediaInbox:
    """Where evidence goes: the store, each channel's fetcher, and the size limit."""

    store: MediaStore
    fetchers: Mapping[str, Fetch] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES

    def receive(self, channel: str, media: Media) -> Media:
        """``media`` with its digest once stored, or with the reason it was refused."""
        if media.size is not None and media.size > self.max_bytes:
            return replace(media, refused="too_big")
        if media.mime_type and not media.mime_type.startswith("image/"):
            return replace(media, refused="not_image")
        fetch = self.fetchers.get(channel)
        if fetch is None:
            return replace(media, refused="failed")
        try:
            content = fetch(media, self.max_bytes)
        except TooBigError:
            return replace(media, refused="too_big")
        except Exception as error:  # any platform failure means the same to the kader
            log.warning("media download on %s failed: %s", channel, type(error).__name__)
            return replace(media, refused="failed")
        if len(content) > self.max_bytes:
            return replace(media, refused="too_big")
        extension = next((ext for magic, ext in IMAGE_TYPES if content.startswith(magic)), None)
        if extension is None:
            return replace(media, refused="not_image")
        digest, new = self.store.put(content, extension)
        log.info("media %s… stored (%s)", digest[:12], "new" if new else "known")
        return replace(media, digest=digest, size=len(content))


def inbox(folder: Path, fetchers: Mapping[str, Fetch], max_bytes: int) -> MediaInbox:
    """The media inbox on the media folder ``folder`` (``MEDIA_DIR``)."""
    return MediaInbox(MediaStore(folder), fetchers, max_bytes)


def take(turn: TurnContext) -> list[Reply]:
    """Store the photo of this message for the open photo question; replies only when refused.

    On success the message goes on to the form with the photo's digest.
    """
    media = turn.inbound.media
    assert media is not None
    if not _photo_question_open(turn):
        if turn.draft is None:
            return [Reply(T.PHOTO_NOT_NOW)]
        return conversation.reprompt(turn, T.PHOTO_NOT_NOW)
    if turn.media is None:
        stored = replace(media, refused="failed")
    else:
        stored = turn.media.receive(turn.inbound.channel, media)
    if stored.refused is not None:
        note = T.PHOTO_REFUSED[stored.refused].format(megabytes=_megabytes(turn))
        return conversation.reprompt(turn, note)
    turn.inbound = replace(turn.inbound, media=stored)
    return []


def pinned(turn: TurnContext) -> list[Reply]:
    """A location pin: on to the open location question, else a note (and the question)."""
    if _question_open(turn, Kind.LOCATION):
        return []
    if turn.draft is None:
        return [Reply(T.LOCATION_NOT_NOW)]
    return conversation.reprompt(turn, T.LOCATION_NOT_NOW)


def _photo_question_open(turn: TurnContext) -> bool:
    return _question_open(turn, Kind.PHOTOS)


def _question_open(turn: TurnContext, kind: Kind) -> bool:
    if turn.draft is None:
        return False
    state = State.from_json(turn.draft.state)
    if state.current in (None, SUMMARY) or state.pending is not None:
        return False
    form = turn.engine.form(state.form)
    return form.field(state.current).kind is kind


def _megabytes(turn: TurnContext) -> str:
    limit = turn.media.max_bytes if turn.media is not None else DEFAULT_MAX_BYTES
    return f"{limit / 1024 / 1024:g}"

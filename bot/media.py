"""Downloading a photo a user sent, per channel, for the media inbox (``handlers.media``).

Telegram: ``getFile`` gives the file's path, then ``/file/bot<token>/<path>``.
WhatsApp Cloud API: ``GET /<media-id>`` gives a short-lived URL, fetched with
the same bearer token. Both stop reading at the size limit, so an oversize
file is refused without being held in memory.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from bot.config import Settings
from conversations.messages import Media
from handlers.media import Fetch, TooBigError

TELEGRAM_API = "https://api.telegram.org"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def fetchers(settings: Settings) -> Mapping[str, Fetch]:
    """A fetcher for each configured channel that can send photos."""
    found: dict[str, Fetch] = {}
    if settings.telegram_bot_token is not None:
        token = settings.telegram_bot_token.get_secret_value()
        base = (settings.telegram_api_base_url or TELEGRAM_API).rstrip("/")
        found["telegram"] = lambda media, limit: _telegram(base, token, media, limit)
    if settings.whatsapp_access_token is not None:
        bearer = {"Authorization": f"Bearer {settings.whatsapp_access_token.get_secret_value()}"}
        graph = settings.whatsapp_api_base_url.rstrip("/")
        found["whatsapp"] = lambda media, limit: _whatsapp(graph, bearer, media, limit)
    return found


def _telegram(base: str, token: str, media: Media, limit: int) -> bytes:
    with httpx.Client(timeout=TIMEOUT) as client:
        answer = client.get(f"{base}/bot{token}/getFile", params={"file_id": media.file_id})
        answer.raise_for_status()
        found = answer.json()["result"]
        if int(found.get("file_size") or 0) > limit:
            raise TooBigError(found["file_size"])
        return _download(client, f"{base}/file/bot{token}/{found['file_path']}", limit, {})


def _whatsapp(graph: str, bearer: dict[str, str], media: Media, limit: int) -> bytes:
    with httpx.Client(timeout=TIMEOUT) as client:
        answer = client.get(f"{graph}/{media.file_id}", headers=bearer)
        answer.raise_for_status()
        found = answer.json()
        if int(found.get("file_size") or 0) > limit:
            raise TooBigError(found["file_size"])
        return _download(client, found["url"], limit, bearer)


def _download(client: httpx.Client, url: str, limit: int, headers: dict[str, str]) -> bytes:
    content = bytearray()
    with client.stream("GET", url, headers=headers) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            content += chunk
            if len(content) > limit:
                raise TooBigError(len(content))
    return bytes(content)

"""Talking to the WhatsApp Cloud API (Graph API): sends and media uploads.

One ``httpx.AsyncClient`` per process keeps TLS connections to Graph open
(pooled, with timeouts so a hung request cannot stall a user's queue). Every
``/messages`` request holds one of the number's sending slots
(:class:`handlers.reminders.pacing.Pace`, shared with the dispatcher and, through
Redis, with other processes), so the number's throughput (80 messages/s by
default) is kept in any one-second window. Throttling (429, 130429, the per-user
pair limit 131056) and server errors are retried with the backoff of
:mod:`handlers.retry`; anything else is a permanent :class:`GraphError`. The
access token only ever travels in the ``Authorization`` header: it is in no URL,
log line or exception.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import httpx

from bot.config import Settings
from handlers.delivery import DeliveryError
from handlers.reminders.pacing import Pace
from handlers.retry import RetryPolicy, retry_after_seconds

log = logging.getLogger(__name__)

WINDOW_CLOSED = 131047
# Throughput, spam and pair (same recipient) rate limits: wait and try again.
THROTTLED = frozenset({4, 80007, 130429, 131048, 131056})
# "Service unavailable" and "something went wrong" on Meta's side.
TRANSIENT = frozenset({1, 2, 131000, 131016, 133004})
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
UPLOAD_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
MAX_REASON = 120
# A throttled or failing request is tried again within the same send, briefly.
GRAPH_RETRY = RetryPolicy(attempts=5, base_delay=0.5, max_delay=30.0)


class GraphError(DeliveryError):
    """Graph refused a request; ``code`` is its error code (None when the body was not JSON)."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None,
        permanent: bool,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, permanent=permanent, retry_after=retry_after)
        self.code = code


class GraphClient:
    """Sends messages and uploads media for one WhatsApp business phone number."""

    def __init__(
        self,
        base_url: str,
        phone_number_id: str,
        access_token: str,
        *,
        pace: Pace,
        retry: RetryPolicy = GRAPH_RETRY,
        rng: random.Random | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=DEFAULT_TIMEOUT,
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        )
        self._phone_number_id = phone_number_id
        self._pace = pace
        self._retry = retry
        self._rng = rng or random.Random()

    @classmethod
    def from_settings(
        cls, settings: Settings, pace: Pace, retry: RetryPolicy = GRAPH_RETRY
    ) -> GraphClient:
        """The client for the configured number (token, phone number id, API base)."""
        if settings.whatsapp_access_token is None or settings.whatsapp_phone_number_id is None:
            raise ValueError("set WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID")
        return cls(
            settings.whatsapp_api_base_url,
            settings.whatsapp_phone_number_id,
            settings.whatsapp_access_token.get_secret_value(),
            pace=pace,
            retry=retry,
        )

    async def send_message(self, body: dict[str, Any]) -> str:
        """Send one ``/messages`` request; returns the ``wamid`` WhatsApp gave the message."""
        data = await self._post("messages", paced=True, json=body)
        try:
            return str(data["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise GraphError("no message id in the answer", code=None, permanent=True) from None

    async def upload_media(self, filename: str, content: bytes, mime_type: str) -> str:
        """Upload a file for a document or image message; returns its media id."""
        data = await self._post(
            "media",
            paced=False,
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename, content, mime_type)},
            timeout=UPLOAD_TIMEOUT,
        )
        if not isinstance(data.get("id"), str):
            raise GraphError("no media id in the answer", code=None, permanent=True)
        return data["id"]

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _post(self, endpoint: str, *, paced: bool, **request: Any) -> dict[str, Any]:
        """POST with pacing and retries; the parsed JSON answer, or a :class:`GraphError`."""
        path = f"{self._phone_number_id}/{endpoint}"
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._send(path, paced, request)
            except httpx.TransportError as error:
                failure = GraphError(
                    f"network error: {type(error).__name__}", code=None, permanent=False
                )
            else:
                if response.is_success:
                    return _json(response)
                failure = _failure(response)
            if failure.permanent or self._retry.exhausted(attempt):
                raise failure
            delay = self._retry.delay(attempt, failure.retry_after, self._rng)
            log.warning("whatsapp %s: %s; retry %d in %.2fs", endpoint, failure, attempt, delay)
            await asyncio.sleep(delay)

    async def _send(self, path: str, paced: bool, request: dict[str, Any]) -> httpx.Response:
        """One POST; a paced one holds a sending slot until Graph has answered."""
        if not paced:
            return await self._http.post(path, **request)
        async with self._pace.slot():
            return await self._http.post(path, **request)


def _failure(response: httpx.Response) -> GraphError:
    """Classify an error answer: throttled or server-side errors may be retried, others not."""
    raw_error = _json(response).get("error")
    error: dict[str, Any] = raw_error if isinstance(raw_error, dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    reason = str(error.get("message") or response.reason_phrase)[:MAX_REASON]
    retryable = (
        response.status_code == 429
        or response.status_code >= 500
        or code in THROTTLED
        or code in TRANSIENT
    )
    return GraphError(
        f"HTTP {response.status_code}, code {code}: {reason}",
        code=code,
        permanent=not retryable,
        retry_after=retry_after_seconds(response.headers.get("Retry-After")),
    )


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}

"""A fake WhatsApp Cloud API (Graph API) server for end-to-end tests of the sender.

Why a real HTTP server instead of mocking httpx: the adapter's retry, timeout, auth-header
and JSON-shape logic only gets exercised when bytes really cross a socket. The fake
listens on ``127.0.0.1`` (OS-chosen port), validates requests the way the Cloud API does
(same limits, same Graph error envelope), records everything it accepted, and can be told
to fail in the ways production fails (throttling, 5xx, closed 24-hour window,
undeliverable recipients, slow responses).

Usage::

    async with FakeGraphAPI(phone_number_id="1234567890", access_token="test-token") as graph:
        async with httpx.AsyncClient(base_url=graph.base_url) as client:
            ...  # POST f"/{graph.phone_number_id}/messages"
        assert graph.texts_to("6281234567890") == ["Halo"]

Error bodies use the Graph envelope::

    {"error": {"message": "(#131009) Parameter value is not valid", "type": "OAuthException",
               "code": 131009,
               "error_data": {"messaging_product": "whatsapp", "details": "..."},
               "fbtrace_id": "..."}}

Codes used for invalid requests follow what the live API returns: ``100`` ("Invalid
parameter") for missing, unknown or wrongly typed parameters, ``131009`` ("Parameter value
is not valid") for values breaking a documented limit (lengths, counts, uniqueness).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import secrets
import string
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from aiohttp import BodyPartReader, web

try:  # imported as ``tests.whatsapp_graph_fake`` (tests/ on a package path)
    from . import whatsapp_payloads as payloads
    from .holds import Hold
except ImportError:  # imported as a top-level module (pytest puts tests/ on sys.path)
    import whatsapp_payloads as payloads  # type: ignore[no-redef]
    from holds import Hold  # type: ignore[no-redef]

# --------------------------------------------------------------------------- limits

#: Documented Cloud API limits the fake enforces (characters are counted as code points).
LIMITS: dict[str, int] = {
    "text_body": 4096,
    "caption": 1024,
    "button_body": 1024,
    "buttons_min": 1,
    "buttons_max": 3,
    "button_id": 256,
    "button_title": 20,
    "list_body": 4096,
    "list_button": 20,
    "sections_min": 1,
    "sections_max": 10,
    "rows_total_max": 10,
    "section_title": 24,
    "row_id": 200,
    "row_title": 24,
    "row_description": 72,
    "template_name": 512,
}

#: Media the ``/media`` endpoint accepts: MIME type -> maximum size in bytes.
SUPPORTED_MEDIA: dict[str, int] = {
    "audio/aac": 16 * 1024 * 1024,
    "audio/amr": 16 * 1024 * 1024,
    "audio/mpeg": 16 * 1024 * 1024,
    "audio/mp4": 16 * 1024 * 1024,
    "audio/ogg": 16 * 1024 * 1024,
    "text/plain": 100 * 1024 * 1024,
    "application/pdf": 100 * 1024 * 1024,
    "application/vnd.ms-excel": 100 * 1024 * 1024,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100 * 1024 * 1024,
    "application/msword": 100 * 1024 * 1024,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": 100 * 1024 * 1024,
    "application/vnd.ms-powerpoint": 100 * 1024 * 1024,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": 100 * 1024 * 1024,
    "image/jpeg": 5 * 1024 * 1024,
    "image/png": 5 * 1024 * 1024,
    "image/webp": 500 * 1024,
    "video/mp4": 16 * 1024 * 1024,
    "video/3gpp": 16 * 1024 * 1024,
}

#: Message types this fake accepts on ``/messages`` (the ones the bot sends).
SUPPORTED_TYPES = ("text", "interactive", "template", "document", "image")

_TOP_LEVEL_KEYS = {
    "messaging_product",
    "recipient_type",
    "to",
    "type",
    "biz_opaque_callback_data",
    *SUPPORTED_TYPES,
}

# --------------------------------------------------------------------------- errors

#: code -> (title used in ``message``, default details, HTTP status, error ``type``).
GRAPH_ERRORS: dict[int, tuple[str, str, int, str]] = {
    2: (
        "Service temporarily unavailable",
        "Service temporarily unavailable.",
        503,
        "OAuthException",
    ),
    4: ("Application request limit reached", "Too many calls.", 429, "OAuthException"),
    100: ("Invalid parameter", "Invalid parameter.", 400, "OAuthException"),
    190: ("Invalid OAuth access token", "Invalid OAuth access token.", 401, "OAuthException"),
    130429: (
        "Rate limit hit",
        "Cloud API message throughput has been reached.",
        400,
        "OAuthException",
    ),
    131000: (
        "Something went wrong",
        "Message failed to send due to an unknown error.",
        500,
        "OAuthException",
    ),
    131009: (
        "Parameter value is not valid",
        "Parameter value is not valid.",
        400,
        "OAuthException",
    ),
    131026: (
        "Message undeliverable",
        payloads.STATUS_ERRORS[131026][1],
        400,
        "OAuthException",
    ),
    131047: (
        "Re-engagement message",
        payloads.STATUS_ERRORS[131047][1],
        400,
        "OAuthException",
    ),
    131048: (
        "Spam rate limit hit",
        "Message failed to send because there are restrictions on how many messages can be "
        "sent from this phone number.",
        400,
        "OAuthException",
    ),
    131056: (
        "(Business Account, Consumer Account) pair rate limit hit",
        "Message failed to send because there were too many messages sent from this phone "
        "number to the same phone number in a short period of time.",
        400,
        "OAuthException",
    ),
    132000: (
        "Number of parameters does not match the expected number of params",
        "Number of parameters does not match the expected number of params.",
        400,
        "OAuthException",
    ),
    132001: (
        "Template name does not exist in the translation",
        "Template name does not exist in the translation.",
        404,
        "OAuthException",
    ),
}

_FBTRACE_ALPHABET = string.ascii_letters + string.digits + "-_"


def fbtrace_id() -> str:
    """A random 23-char trace id like the ones Graph attaches to every error."""
    return "A" + "".join(secrets.choice(_FBTRACE_ALPHABET) for _ in range(22))


def graph_error_body(
    code: int,
    details: str | None = None,
    *,
    message: str | None = None,
    error_type: str | None = None,
    subcode: int | None = None,
    whatsapp: bool = True,
) -> dict[str, Any]:
    """Build a Graph API error body for *code*.

    ``whatsapp=False`` omits ``error_data`` (plain Graph errors such as auth failures
    don't carry it).
    """
    title, default_details, _status, default_type = GRAPH_ERRORS.get(
        code, ("Unknown error", "Unknown error.", 400, "OAuthException")
    )
    error: dict[str, Any] = {
        "message": message or f"(#{code}) {title}",
        "type": error_type or default_type,
        "code": code,
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    if whatsapp:
        error["error_data"] = {
            "messaging_product": "whatsapp",
            "details": details or default_details,
        }
    error["fbtrace_id"] = fbtrace_id()
    return {"error": error}


def _default_details(code: int) -> str:
    return GRAPH_ERRORS[code][1] if code in GRAPH_ERRORS else "Error."


def http_status_for(code: int) -> int:
    """HTTP status the Cloud API answers with for error *code* (400 when unknown)."""
    return GRAPH_ERRORS.get(code, ("", "", 400, ""))[2]


class _RejectError(Exception):
    """Internal: stop handling a request and answer with a Graph error."""

    def __init__(
        self,
        code: int,
        details: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        subcode: int | None = None,
    ) -> None:
        super().__init__(details)
        self.code = code
        self.details = details
        self.status = status if status is not None else http_status_for(code)
        self.error_type = error_type
        self.subcode = subcode


def _invalid(details: str) -> _RejectError:
    return _RejectError(100, details)


def _bad_value(details: str) -> _RejectError:
    return _RejectError(131009, details)


class _RawFailureError(_RejectError):
    """Injected failure answered with a raw text body instead of a Graph error."""

    def __init__(self, status: int, body: str, code: int) -> None:
        super().__init__(code, body, status=status)
        self.body = body


# --------------------------------------------------------------------------- records


class SentMessage(TypedDict):
    """One accepted ``/messages`` send (header names lower-cased)."""

    json: dict[str, Any]
    headers: dict[str, str]
    message_id: str
    to: str
    at: float


class RecordedRequest(TypedDict):
    """Every request that reached the fake, accepted or not (for rate/retry assertions)."""

    method: str
    path: str
    status: int
    json: Any
    headers: dict[str, str]
    at: float
    error_code: int | None


class MediaUpload(TypedDict):
    """One accepted ``/media`` upload."""

    media_id: str
    filename: str | None
    content_type: str | None
    type: str
    data: bytes
    headers: dict[str, str]
    at: float


@dataclass
class _Failure:
    remaining: int
    status: int
    code: int
    details: str | None
    body: str | None
    endpoint: str


@dataclass
class _RecipientFailure:
    code: int
    templates_too: bool
    via: Literal["response", "webhook"]
    details: str | None = None


@dataclass
class _Template:
    languages: set[str] = field(default_factory=set)
    body_params: int | None = None


_VERSION_RE = re.compile(r"^v\d+\.\d+$")
_BSUID_RE = re.compile(r"^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$")


def _lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Request headers with lower-case names, so assertions need not guess the casing."""
    return {k.lower(): v for k, v in headers.items()}


def _wa_id_of(to: str) -> str:
    """What Graph reports as ``wa_id`` for a ``to``: digits only (``+``/spaces dropped)."""
    return re.sub(r"\D", "", to)


# --------------------------------------------------------------------------- the server


class FakeGraphAPI:
    """In-process fake of the WhatsApp Cloud API ``/messages`` and ``/media`` endpoints.

    Use as an async context manager; ``base_url`` (``http://127.0.0.1:PORT/v21.0``) is
    valid inside the block. All recording lists are plain attributes so tests can assert
    on them directly.
    """

    def __init__(
        self,
        phone_number_id: str = payloads.PHONE_NUMBER_ID,
        access_token: str = "test-token",
        *,
        api_version: str = "v21.0",
        latency: float = 0.0,
        require_uploaded_media: bool = False,
        business: payloads.Business | None = None,
    ) -> None:
        self.phone_number_id = phone_number_id
        self.access_token = access_token
        self.inbound_media: dict[str, tuple[bytes, str]] = {}
        self.media_downloads: list[str] = []
        self.api_version = api_version
        #: Seconds every request waits before being answered (settable at any time).
        self.latency = latency
        #: When true, ``{"id": ...}`` media must come from an earlier upload to this fake.
        self.require_uploaded_media = require_uploaded_media
        self.business = business or payloads.Business(phone_number_id=phone_number_id)

        self.sent: list[SentMessage] = []
        self.requests: list[RecordedRequest] = []
        self.uploads: list[MediaUpload] = []
        #: Status webhook bodies the fake "would have sent" (failures with ``via="webhook"``).
        self.status_webhooks: list[dict[str, Any]] = []
        self.max_in_flight = 0

        self._failures: list[_Failure] = []
        self._holds: list[tuple[str | None, Hold]] = []
        self._recipient_failures: dict[str, _RecipientFailure] = {}
        self._templates: dict[str, _Template] = {}
        self._in_flight = 0
        self._sent_event: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeGraphAPI:
        """Bind to 127.0.0.1 on a free port and start serving."""
        app = web.Application(client_max_size=120 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        # A short shutdown timeout: a test that abandons a slow request must not make
        # cleanup wait the default 60 s for the sleeping handler.
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=0.2
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self._sent_event = asyncio.Event()
        return self

    async def close(self) -> None:
        """Stop the server and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeGraphAPI:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def port(self) -> int:
        """The bound TCP port (only while running)."""
        if self._port is None:
            raise RuntimeError("FakeGraphAPI is not running; use 'async with'")
        return self._port

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT`` without the version prefix."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/<api_version>``: what the adapter uses as Graph base."""
        return f"{self.origin}/{self.api_version}"

    def auth_headers(self) -> dict[str, str]:
        """Headers with the valid bearer token (for tests that call the fake directly)."""
        return {"Authorization": f"Bearer {self.access_token}"}

    # ------------------------------------------------------------------ configuration

    def fail_next(
        self,
        n: int = 1,
        *,
        status: int | None = None,
        code: int | None = None,
        details: str | None = None,
        body: str | None = None,
        endpoint: Literal["messages", "media", "any"] = "messages",
    ) -> None:
        """Make the next *n* requests to *endpoint* fail (after auth, before validation).

        Defaults mirror production: no arguments gives ``130429`` (throughput reached),
        which the live API sends with HTTP 400. Give ``status=429`` to get a 429 instead,
        ``status=500`` for a server error (code ``131000``; ``503`` gives code ``2``,
        "Service temporarily unavailable") unless *code* is given.
        ``body`` replaces the JSON error with a raw text body (e.g. an HTML 502 page from a
        proxy), which a robust client must survive too.
        """
        if n < 1:
            raise ValueError("n must be >= 1")
        if code is None:
            if status is None or status == 429:
                code = 130429
            elif status == 503:
                code = 2
            elif status >= 500:
                code = 131000
            elif status == 401:
                code = 190
            else:
                code = 100
        if status is None:
            status = http_status_for(code)
        self._failures.append(_Failure(n, status, code, details, body, endpoint))

    def fail_recipient(
        self,
        wa_id: str,
        code: int,
        *,
        templates_too: bool = True,
        via: Literal["response", "webhook"] = "response",
        details: str | None = None,
    ) -> None:
        """Make every send to *wa_id* fail with *code* until :meth:`clear_recipient`.

        ``via="response"`` answers the send with the Graph error. ``via="webhook"`` is what
        the live API usually does for delivery problems: it accepts the send (200 + wamid)
        and reports the failure later as a ``failed`` status webhook, appended here to
        :attr:`status_webhooks` for the test to POST to the receiver.
        """
        self._recipient_failures[_wa_id_of(wa_id)] = _RecipientFailure(
            code, templates_too, via, details
        )

    def clear_recipient(self, wa_id: str) -> None:
        """Sends to *wa_id* succeed again (the number is back on WhatsApp)."""
        self._recipient_failures.pop(_wa_id_of(wa_id), None)

    def outside_window(
        self, wa_id: str, *, via: Literal["response", "webhook"] = "response"
    ) -> None:
        """The user last wrote more than 24 h ago: non-template sends fail with 131047."""
        self.fail_recipient(wa_id, 131047, templates_too=False, via=via)

    def undeliverable(
        self, wa_id: str, *, code: int = 131026, via: Literal["response", "webhook"] = "response"
    ) -> None:
        """Permanent failure for *wa_id* (default 131026, e.g. not on WhatsApp), templates too."""
        self.fail_recipient(wa_id, code, templates_too=True, via=via)

    def hold(self, to: str | None = None, *, performed: bool = False) -> Hold:
        """Keep the next send (to *to*, if given) waiting until released: a send in flight.

        ``performed``: the message is accepted first and only the answer waits (the person
        has it, the sender does not know yet). Otherwise a sender that went away meanwhile
        (its connection closed) leaves the message undelivered.
        """
        held = Hold(performed)
        self._holds.append((None if to is None else _wa_id_of(to), held))
        return held

    def _take_hold(self, to: str) -> Hold | None:
        for entry in self._holds:
            if entry[0] in (None, _wa_id_of(to)):
                self._holds.remove(entry)
                return entry[1]
        return None

    def register_template(
        self, name: str, language: str = "id", *, body_params: int | None = None
    ) -> None:
        """Declare an approved template; once any is registered, others are rejected.

        Unknown names get ``132001`` (404) and a wrong number of body parameters gets
        ``132000``, as on the live API. With no registered templates any name is accepted.
        """
        template = self._templates.setdefault(name, _Template())
        template.languages.add(language)
        if body_params is not None:
            template.body_params = body_params

    # ------------------------------------------------------------------ queries

    def sent_to(self, wa_id: str) -> list[dict[str, Any]]:
        """Request bodies of every accepted send to *wa_id*, oldest first."""
        target = _wa_id_of(wa_id)
        return [s["json"] for s in self.sent if _wa_id_of(s["to"]) == target]

    def texts_to(self, wa_id: str) -> list[str]:
        """``text.body`` of every accepted ``type: text`` send to *wa_id*."""
        return [m["text"]["body"] for m in self.sent_to(wa_id) if m.get("type") == "text"]

    def request_times(
        self, endpoint: Literal["messages", "media", "any"] = "messages"
    ) -> list[float]:
        """``time.monotonic()`` arrival times of all requests to *endpoint* (incl. rejected)."""
        return [r["at"] for r in self.requests if endpoint == "any" or r["path"].endswith(endpoint)]

    def max_requests_in_window(
        self, window: float, endpoint: Literal["messages", "media", "any"] = "messages"
    ) -> int:
        """Largest number of requests that arrived within any *window*-second span."""
        times = sorted(self.request_times(endpoint))
        best = 0
        start = 0
        for end, t in enumerate(times):
            while t - times[start] > window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def assert_rate_at_most(
        self, count: int, per: float, endpoint: Literal["messages", "media", "any"] = "messages"
    ) -> None:
        """Fail the test if more than *count* requests arrived within any *per* seconds."""
        seen = self.max_requests_in_window(per, endpoint)
        assert seen <= count, f"{seen} requests within {per}s, limit {count}"

    async def wait_for_sent(
        self, count: int, *, to: str | None = None, timeout: float = 2.0
    ) -> list[dict[str, Any]]:
        """Wait until at least *count* sends (to *to*, if given) were accepted.

        For end-to-end tests where the adapter sends from a background task: no sleeps.
        """
        assert self._sent_event is not None, "FakeGraphAPI is not running"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def current() -> list[dict[str, Any]]:
            return self.sent_to(to) if to is not None else [s["json"] for s in self.sent]

        while len(current()) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"expected {count} sends, got {len(current())}: {current()!r}")
            self._sent_event.clear()
            try:
                await asyncio.wait_for(self._sent_event.wait(), remaining)
            except TimeoutError:
                continue
        return current()

    def status_webhook(
        self, message_id: str, status: payloads.StatusName = "delivered"
    ) -> dict[str, Any]:
        """A status webhook body for a message this fake accepted (looked up by wamid)."""
        for s in self.sent:
            if s["message_id"] == message_id:
                category = "utility" if s["json"].get("type") == "template" else "service"
                obj = payloads.status_object(
                    status,
                    message_id=message_id,
                    recipient_id=_wa_id_of(s["to"]),
                    category=category,
                )
                return payloads.statuses_payload(obj, business=self.business)
        raise KeyError(f"no accepted send with id {message_id!r}")

    # ------------------------------------------------------------------ HTTP handling

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        arrived = time.monotonic()
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        headers = _lower_headers(request.headers)
        record: RecordedRequest = {
            "method": request.method,
            "path": request.path,
            "status": 0,
            "json": None,
            "headers": headers,
            "at": arrived,
            "error_code": None,
        }
        self.requests.append(record)
        try:
            if self.latency > 0:
                await asyncio.sleep(self.latency)
            try:
                response = await self._route(request, record)
            except _RawFailureError as raw:
                record["error_code"] = raw.code
                response = web.Response(status=raw.status, text=raw.body, content_type="text/html")
            except _RejectError as rej:
                record["error_code"] = rej.code
                whatsapp = rej.code not in (190,)
                body = graph_error_body(
                    rej.code,
                    rej.details,
                    error_type=rej.error_type,
                    subcode=rej.subcode,
                    whatsapp=whatsapp,
                )
                if rej.code == 190:
                    body["error"]["message"] = rej.details
                response = web.json_response(body, status=rej.status)
                if rej.status == 401:
                    response.headers["WWW-Authenticate"] = (
                        f'OAuth "Facebook Platform" "invalid_token" "{rej.details}"'
                    )
            record["status"] = response.status
            return response
        finally:
            self._in_flight -= 1

    def user_media(self, media_id: str, content: bytes, mime_type: str = "image/jpeg") -> None:
        """A photo or file a user sent: ``GET /<version>/<media_id>`` gives its download URL."""
        self.inbound_media[media_id] = (content, mime_type)

    async def _download_media(self, request: web.Request, parts: list[str]) -> web.StreamResponse:
        """``GET /<version>/<media_id>`` (the URL and size), then ``GET /download/<media_id>``."""
        self._check_auth(request)
        if parts[0] == "download":
            content, mime_type = self.inbound_media[parts[1]]
            self.media_downloads.append(parts[1])
            return web.Response(body=content, content_type=mime_type)
        if parts[1] not in self.inbound_media:
            raise _RejectError(100, f"Unsupported get request. Object with ID '{parts[1]}'")
        content, mime_type = self.inbound_media[parts[1]]
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.origin}/download/{parts[1]}",
                "mime_type": mime_type,
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": len(content),
                "id": parts[1],
            }
        )

    async def _route(self, request: web.Request, record: RecordedRequest) -> web.StreamResponse:
        parts = [p for p in request.path.split("/") if p]
        if request.method == "GET" and len(parts) == 2:
            return await self._download_media(request, parts)
        if (
            len(parts) != 3
            or not _VERSION_RE.match(parts[0])
            or parts[2] not in ("messages", "media")
        ):
            raise _RejectError(
                100,
                f"Unknown path components: {request.path}",
                status=400,
            )
        if request.method != "POST":
            raise _RejectError(100, f"Unsupported {request.method} request on {request.path}")
        self._check_auth(request)
        _version, phone_id, endpoint = parts
        if phone_id != self.phone_number_id:
            raise _RejectError(
                100,
                f"Unsupported post request. Object with ID '{phone_id}' does not exist, cannot "
                "be loaded due to missing permissions, or does not support this operation.",
                error_type="GraphMethodException",
                subcode=33,
            )
        self._maybe_inject_failure(endpoint)
        if endpoint == "messages":
            return await self._messages(request, record)
        return await self._media(request, record)

    def _check_auth(self, request: web.Request) -> None:
        header = request.headers.get("Authorization")
        token: str | None = None
        if header is not None:
            scheme, _, value = header.partition(" ")
            token = value.strip() if scheme.lower() == "bearer" else None
        elif "access_token" in request.query:
            token = request.query["access_token"]
        if token is None:
            raise _RejectError(190, "An active access token must be used to query information.")
        if token != self.access_token:
            raise _RejectError(190, "Invalid OAuth access token - Cannot parse access token")

    def _maybe_inject_failure(self, endpoint: str) -> None:
        for failure in self._failures:
            if failure.remaining > 0 and failure.endpoint in (endpoint, "any"):
                failure.remaining -= 1
                if failure.remaining == 0:
                    self._failures.remove(failure)
                if failure.body is not None:
                    raise _RawFailureError(failure.status, failure.body, failure.code)
                raise _RejectError(
                    failure.code,
                    failure.details or _default_details(failure.code),
                    status=failure.status,
                )

    # ------------------------------------------------------------------ /messages

    async def _messages(self, request: web.Request, record: RecordedRequest) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _invalid("Request body is not valid JSON.") from None
        record["json"] = body
        if not isinstance(body, dict):
            raise _invalid("Request body must be a JSON object.")

        to = _validate_message(body)
        is_template = body["type"] == "template"
        if is_template:
            self._check_template(body["template"])
        if body["type"] in ("document", "image"):
            self._check_media_ref(body[body["type"]], body["type"])

        message_id = payloads.wamid(_wa_id_of(to) or to, outgoing=True)
        failure = self._recipient_failures.get(_wa_id_of(to))
        if failure is not None and (failure.templates_too or not is_template):
            if failure.via == "response":
                raise _RejectError(failure.code, failure.details or _default_details(failure.code))
            self.status_webhooks.append(
                payloads.statuses_payload(
                    payloads.status_object(
                        "failed",
                        message_id=message_id,
                        recipient_id=_wa_id_of(to),
                        error_code=failure.code,
                        error_details=failure.details,
                    ),
                    business=self.business,
                )
            )

        held = self._take_hold(to)
        if held is not None and not held.performed:
            await held.keep()
            if request.transport is None or request.transport.is_closing():
                raise _RawFailureError(503, "sender gone", 2)
        self.sent.append(
            {
                "json": body,
                "headers": _lower_headers(request.headers),
                "message_id": message_id,
                "to": to,
                "at": record["at"],
            }
        )
        if self._sent_event is not None:
            self._sent_event.set()
        contact: dict[str, str] = {"input": to}
        if _BSUID_RE.match(to):
            contact["user_id"] = to
        else:
            contact["wa_id"] = _wa_id_of(to)
        message: dict[str, str] = {"id": message_id}
        if is_template:
            message["message_status"] = "accepted"
        if held is not None and held.performed:
            await held.keep()
        return web.json_response(
            {"messaging_product": "whatsapp", "contacts": [contact], "messages": [message]}
        )

    def _check_template(self, template: dict[str, Any]) -> None:
        if not self._templates:
            return
        name = template["name"]
        language = template["language"]["code"]
        known = self._templates.get(name)
        if known is None or language not in known.languages:
            raise _RejectError(132001, f"template name ({name}) does not exist in {language}")
        if known.body_params is not None:
            given = 0
            for component in template.get("components", []):
                if component.get("type") == "body":
                    given = len(component.get("parameters", []))
            if given != known.body_params:
                raise _RejectError(
                    132000,
                    f"body: number of localizable_params ({given}) does not match the expected "
                    f"number of params ({known.body_params})",
                )

    def _check_media_ref(self, media: dict[str, Any], kind: str) -> None:
        if not self.require_uploaded_media:
            return
        if media["id"] not in {u["media_id"] for u in self.uploads}:
            raise _invalid(
                f"{kind}['id'] {media['id']!r} is not a media id uploaded to this number."
            )

    # ------------------------------------------------------------------ /media

    async def _media(self, request: web.Request, record: RecordedRequest) -> web.Response:
        if not request.content_type.startswith("multipart/"):
            raise _invalid("Media upload must be multipart/form-data.")
        fields: dict[str, str] = {}
        file_data: bytes | None = None
        filename: str | None = None
        file_type: str | None = None
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                raise _invalid("Nested multipart bodies are not supported.")
            name = part.name
            if name == "file":
                filename = part.filename
                file_type = part.headers.get("Content-Type")
                file_data = bytes(await part.read())
            elif name is not None:
                fields[name] = await part.text()
        record["json"] = {**fields, "file": {"filename": filename, "content_type": file_type}}

        if fields.get("messaging_product") != "whatsapp":
            raise _invalid("The parameter messaging_product is required and must be 'whatsapp'.")
        if file_data is None:
            raise _invalid("The parameter file is required.")
        mime = fields.get("type") or ""
        base_mime = mime.split(";")[0].strip()
        if base_mime not in SUPPORTED_MEDIA:
            raise _invalid(
                f"Param type must be one of the supported media types, got {mime!r}: "
                + ", ".join(SUPPORTED_MEDIA)
            )
        if len(file_data) == 0:
            raise _invalid("The uploaded file is empty.")
        if len(file_data) > SUPPORTED_MEDIA[base_mime]:
            raise _bad_value(
                f"File of {len(file_data)} bytes exceeds the {SUPPORTED_MEDIA[base_mime]} byte "
                f"limit for {base_mime}."
            )
        new_id = payloads.media_id()
        self.uploads.append(
            {
                "media_id": new_id,
                "filename": filename,
                "content_type": file_type,
                "type": mime,
                "data": file_data,
                "headers": _lower_headers(request.headers),
                "at": record["at"],
            }
        )
        return web.json_response({"id": new_id})


# --------------------------------------------------------------------------- validation


def _nonempty_str(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _require_dict(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _invalid(f"The parameter {path} is required and must be an object.")
    return value


def _require_str(value: object, path: str) -> str:
    if not _nonempty_str(value):
        raise _invalid(f"The parameter {path} is required and must be a non-empty string.")
    assert isinstance(value, str)
    return value


def _max_len(value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        raise _bad_value(f"{what} length invalid. Min length: 1, Max length: {limit}")


def _no_extra(obj: Mapping[str, Any], allowed: set[str], path: str) -> None:
    extra = set(obj) - allowed
    if extra:
        raise _invalid(f"Param {path} has unexpected field(s): {', '.join(sorted(extra))}")


def _validate_message(body: dict[str, Any]) -> str:
    """Validate a send request; return its ``to``. Raises :class:`_RejectError` when invalid."""
    if body.get("messaging_product") != "whatsapp":
        raise _invalid("The parameter messaging_product is required and must be 'whatsapp'.")
    _no_extra(body, _TOP_LEVEL_KEYS, "message")
    recipient_type = body.get("recipient_type", "individual")
    if recipient_type != "individual":
        raise _invalid(f"recipient_type must be 'individual', got {recipient_type!r}.")
    to = body.get("to")
    if not _nonempty_str(to):
        raise _invalid("The parameter to is required.")
    assert isinstance(to, str)
    if not (_BSUID_RE.match(to) or re.fullmatch(r"\+?[\d\s\-()]{5,20}", to)):
        raise _invalid(f"Param to {to!r} is not a valid phone number or user id.")
    kind = body.get("type", "text")
    if kind not in SUPPORTED_TYPES:
        raise _invalid(
            f"type {kind!r} is not supported by FakeGraphAPI "
            f"(accepts {', '.join(SUPPORTED_TYPES)})."
        )
    present = [t for t in SUPPORTED_TYPES if t in body]
    if present != [kind]:
        raise _invalid(
            f"Message of type {kind!r} must carry exactly the '{kind}' object, found {present}."
        )
    {
        "text": _validate_text,
        "interactive": _validate_interactive,
        "template": _validate_template,
        "document": _validate_document,
        "image": _validate_image,
    }[kind](body[kind])
    return to


def _validate_text(text: Any) -> None:
    text = _require_dict(text, "text")
    _no_extra(text, {"body", "preview_url"}, "text")
    body = _require_str(text.get("body"), "text['body']")
    _max_len(body, LIMITS["text_body"], "Text body")
    if "preview_url" in text and not isinstance(text["preview_url"], bool):
        raise _invalid("Param text['preview_url'] must be a boolean.")


def _validate_interactive(interactive: Any) -> None:
    interactive = _require_dict(interactive, "interactive")
    kind = interactive.get("type")
    if kind not in ("button", "list", "location_request_message"):
        raise _invalid(
            f"interactive type {kind!r} is not supported by FakeGraphAPI "
            "(accepts button, list, location_request_message)."
        )
    _no_extra(interactive, {"type", "body", "action"}, "interactive")
    body = _require_dict(interactive.get("body"), "interactive['body']")
    _no_extra(body, {"text"}, "interactive['body']")
    body_text = _require_str(body.get("text"), "interactive['body']['text']")
    action = _require_dict(interactive.get("action"), "interactive['action']")
    if kind == "button":
        _max_len(body_text, LIMITS["button_body"], "Body text")
        _validate_buttons(action)
    elif kind == "location_request_message":
        _max_len(body_text, LIMITS["button_body"], "Body text")
        if action != {"name": "send_location"}:
            raise _invalid("interactive['action'] must be {'name': 'send_location'}.")
    else:
        _max_len(body_text, LIMITS["list_body"], "Body text")
        _validate_list(action)


def _validate_buttons(action: dict[str, Any]) -> None:
    _no_extra(action, {"buttons"}, "interactive['action']")
    buttons = action.get("buttons")
    if not isinstance(buttons, list):
        raise _invalid("The parameter interactive['action']['buttons'] is required (array).")
    if not LIMITS["buttons_min"] <= len(buttons) <= LIMITS["buttons_max"]:
        raise _bad_value(
            f"Invalid buttons count. Min allowed buttons: {LIMITS['buttons_min']}, "
            f"Max allowed buttons: {LIMITS['buttons_max']}, got {len(buttons)}"
        )
    ids: set[str] = set()
    titles: set[str] = set()
    for i, button in enumerate(buttons):
        path = f"interactive['action']['buttons'][{i}]"
        button = _require_dict(button, path)
        if button.get("type") != "reply":
            raise _invalid(f"Param {path}['type'] must be 'reply'.")
        _no_extra(button, {"type", "reply"}, path)
        reply = _require_dict(button.get("reply"), f"{path}['reply']")
        _no_extra(reply, {"id", "title"}, f"{path}['reply']")
        button_id = _require_str(reply.get("id"), f"{path}['reply']['id']")
        title = reply.get("title")
        if not isinstance(title, str):
            raise _invalid(f"The parameter {path}['reply']['title'] is required.")
        if not 1 <= len(title) <= LIMITS["button_title"]:
            raise _bad_value(
                f"Button title length invalid. Min length: 1, Max length: {LIMITS['button_title']}"
            )
        _max_len(button_id, LIMITS["button_id"], "Button id")
        if button_id != button_id.strip():
            raise _bad_value(f"{path}['reply']['id'] must not have leading or trailing spaces.")
        if button_id in ids:
            raise _bad_value(f"Duplicate button id {button_id!r}; button ids must be unique.")
        if title in titles:
            raise _bad_value(f"Duplicate button title {title!r}; button titles must be unique.")
        ids.add(button_id)
        titles.add(title)


def _validate_list(action: dict[str, Any]) -> None:
    _no_extra(action, {"button", "sections"}, "interactive['action']")
    button = _require_str(action.get("button"), "interactive['action']['button']")
    _max_len(button, LIMITS["list_button"], "Button text")
    sections = action.get("sections")
    if not isinstance(sections, list):
        raise _invalid("The parameter interactive['action']['sections'] is required (array).")
    if not LIMITS["sections_min"] <= len(sections) <= LIMITS["sections_max"]:
        raise _bad_value(
            f"Invalid sections count. Min allowed: {LIMITS['sections_min']}, "
            f"Max allowed: {LIMITS['sections_max']}, got {len(sections)}"
        )
    total_rows = 0
    row_ids: set[str] = set()
    for s, section in enumerate(sections):
        path = f"interactive['action']['sections'][{s}]"
        section = _require_dict(section, path)
        _no_extra(section, {"title", "rows"}, path)
        if "title" in section:
            title = _require_str(section["title"], f"{path}['title']")
            _max_len(title, LIMITS["section_title"], "Section title")
        elif len(sections) > 1:
            raise _invalid(
                f"The parameter {path}['title'] is required when there are several sections."
            )
        rows = section.get("rows")
        if not isinstance(rows, list) or not rows:
            raise _invalid(f"The parameter {path}['rows'] is required (non-empty array).")
        total_rows += len(rows)
        for r, row in enumerate(rows):
            row_path = f"{path}['rows'][{r}]"
            row = _require_dict(row, row_path)
            _no_extra(row, {"id", "title", "description"}, row_path)
            row_id = _require_str(row.get("id"), f"{row_path}['id']")
            row_title = _require_str(row.get("title"), f"{row_path}['title']")
            _max_len(row_id, LIMITS["row_id"], "Row id")
            _max_len(row_title, LIMITS["row_title"], "Row title")
            if "description" in row:
                if not isinstance(row["description"], str):
                    raise _invalid(f"Param {row_path}['description'] must be a string.")
                _max_len(row["description"], LIMITS["row_description"], "Row description")
            if row_id in row_ids:
                raise _bad_value(f"Duplicate row id {row_id!r}; row ids must be unique.")
            row_ids.add(row_id)
    if total_rows > LIMITS["rows_total_max"]:
        raise _bad_value(f"Total row count exceed max allowed count: {LIMITS['rows_total_max']}")


def _validate_template(template: Any) -> None:
    """An approved template with text parameters in its body (what the bot sends)."""
    template = _require_dict(template, "template")
    _no_extra(template, {"name", "language", "components"}, "template")
    name = _require_str(template.get("name"), "template['name']")
    _max_len(name, LIMITS["template_name"], "Template name")
    language = _require_dict(template.get("language"), "template['language']")
    _no_extra(language, {"code", "policy"}, "template['language']")
    _require_str(language.get("code"), "template['language']['code']")
    if "policy" in language and language["policy"] != "deterministic":
        raise _invalid("template['language']['policy'] must be 'deterministic'.")
    components = template.get("components", [])
    if not isinstance(components, list):
        raise _invalid("Param template['components'] must be an array.")
    for c, component in enumerate(components):
        path = f"template['components'][{c}]"
        component = _require_dict(component, path)
        if component.get("type") != "body":
            raise _invalid(f"Param {path}['type'] must be body (FakeGraphAPI).")
        _no_extra(component, {"type", "parameters"}, path)
        parameters = component.get("parameters", [])
        if not isinstance(parameters, list):
            raise _invalid(f"Param {path}['parameters'] must be an array.")
        for p, parameter in enumerate(parameters):
            ppath = f"{path}['parameters'][{p}]"
            parameter = _require_dict(parameter, ppath)
            if parameter.get("type") != "text":
                raise _invalid(f"Param {ppath}['type'] must be text (FakeGraphAPI).")
            _no_extra(parameter, {"type", "text", "parameter_name"}, ppath)
            _require_str(parameter.get("text"), f"{ppath}['text']")


def _validate_media_ref(media: dict[str, Any], path: str) -> None:
    """Media by the id of an upload (the bot uploads its files; links are not accepted)."""
    _require_str(media.get("id"), f"{path}['id']")


def _validate_document(document: Any) -> None:
    document = _require_dict(document, "document")
    _no_extra(document, {"id", "caption", "filename"}, "document")
    _validate_media_ref(document, "document")
    if "caption" in document:
        _max_len(
            _require_str(document["caption"], "document['caption']"), LIMITS["caption"], "Caption"
        )
    if "filename" in document:
        _require_str(document["filename"], "document['filename']")


def _validate_image(image: Any) -> None:
    image = _require_dict(image, "image")
    _no_extra(image, {"id", "caption"}, "image")
    _validate_media_ref(image, "image")
    if "caption" in image:
        _max_len(_require_str(image["caption"], "image['caption']"), LIMITS["caption"], "Caption")

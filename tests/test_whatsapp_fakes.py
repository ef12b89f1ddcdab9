"""Tests for the WhatsApp test fakes themselves (no project code involved).

Why test test-infrastructure: the adapter's end-to-end tests are only as trustworthy as
the fake they run against. If the fake accepted a 4th reply button or a 21-char title, the
adapter would pass here and fail against Meta. These tests pin the fake to the documented
Cloud API behaviour using plain httpx.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

try:
    from tests import whatsapp_payloads as wp
    from tests.whatsapp_graph_fake import FakeGraphAPI
except ImportError:  # tests/ is not a package: pytest put tests/ itself on sys.path
    import whatsapp_payloads as wp  # type: ignore[no-redef]
    from whatsapp_graph_fake import FakeGraphAPI  # type: ignore[no-redef]

pytestmark = pytest.mark.timeout(10)

PHONE_ID = "1234567890"
TOKEN = "test-token"
USER = "6281234567890"
OTHER = "6285798765432"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def graph():
    async with FakeGraphAPI(phone_number_id=PHONE_ID, access_token=TOKEN) as fake:
        yield fake


@pytest.fixture
async def client(graph: FakeGraphAPI):
    async with httpx.AsyncClient(
        base_url=graph.base_url, headers=graph.auth_headers(), timeout=5.0
    ) as http:
        yield http


async def send(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await client.post(f"/{PHONE_ID}/messages", json=body)


# --------------------------------------------------------------------------- valid bodies


def text_body(text: str = "Halo, Bu Bidan", to: str = USER) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": text, "preview_url": False},
    }


def button_body(to: str = USER) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Kirim laporan bulan ini?"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "confirm:yes", "title": "Ya, kirim"}},
                    {"type": "reply", "reply": {"id": "confirm:edit", "title": "Ubah"}},
                    {"type": "reply", "reply": {"id": "confirm:no", "title": "Batal"}},
                ]
            },
        },
    }


def list_body(to: str = USER, rows_per_section: tuple[int, ...] = (5, 5)) -> dict[str, Any]:
    sections = []
    n = 0
    for s, count in enumerate(rows_per_section):
        rows = []
        for _ in range(count):
            n += 1
            rows.append({"id": f"desa:{n}", "title": f"Desa {n}", "description": "Kec. Cilandak"})
        sections.append({"title": f"Kecamatan {s + 1}", "rows": rows})
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "Desa tempat posyandu Anda:"},
            "action": {"button": "Pilih desa", "sections": sections},
        },
    }


def template_body(to: str = USER) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "template",
        "template": {
            "name": "pengingat_laporan",
            "language": {"code": "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Bu Sari"},
                        {"type": "text", "text": "Mei 2025"},
                    ],
                },
            ],
        },
    }


def document_body(media: str = "1234567890123456", to: str = USER) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "document",
        "document": {"id": media, "filename": "rekap_mei.xlsx", "caption": "Rekap bulan Mei"},
    }


def image_body(to: str = USER) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "image",
        "image": {"id": "1234567890123457", "caption": "Grafik"},
    }


def assert_graph_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    """The response is a WhatsApp Graph error with the documented envelope."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["type"] == "OAuthException"
    assert error["message"].startswith(f"(#{code}) ")
    assert error["error_data"]["messaging_product"] == "whatsapp"
    assert isinstance(error["error_data"]["details"], str) and error["error_data"]["details"]
    assert isinstance(error["fbtrace_id"], str) and len(error["fbtrace_id"]) >= 10
    return error


# --------------------------------------------------------------------------- accepted sends


@pytest.mark.parametrize(
    "factory",
    [text_body, button_body, list_body, template_body, document_body, image_body],
    ids=["text", "button", "list", "template", "document", "image"],
)
async def test_valid_send_is_accepted_and_recorded(graph, client, factory):
    body = factory()
    response = await send(client, body)

    assert response.status_code == 200, response.text
    data = response.json()
    assert data["messaging_product"] == "whatsapp"
    assert data["contacts"] == [{"input": USER, "wa_id": USER}]
    message_id = data["messages"][0]["id"]
    assert message_id.startswith("wamid.HBg")
    if body["type"] == "template":
        assert data["messages"][0]["message_status"] == "accepted"

    [record] = graph.sent
    assert record["json"] == body
    assert record["message_id"] == message_id
    assert record["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert graph.sent_to(USER) == [body]


async def test_message_ids_are_unique_and_queries_filter_by_recipient(graph, client):
    await send(client, text_body("satu"))
    await send(client, text_body("dua", to=OTHER))
    await send(client, button_body())
    await send(client, text_body("tiga"))

    ids = [s["message_id"] for s in graph.sent]
    assert len(set(ids)) == 4
    assert graph.texts_to(USER) == ["satu", "tiga"]
    assert graph.texts_to(OTHER) == ["dua"]
    assert [m["type"] for m in graph.sent_to(USER)] == ["text", "interactive", "text"]
    assert graph.texts_to("+62 812-3456-7890") == ["satu", "tiga"]


async def test_limits_are_inclusive(client):
    body = button_body()
    body["interactive"]["action"]["buttons"][0]["reply"]["title"] = "x" * 20
    body["interactive"]["action"]["buttons"][0]["reply"]["id"] = "i" * 256
    assert (await send(client, body)).status_code == 200

    body = list_body(rows_per_section=(10,))
    row = body["interactive"]["action"]["sections"][0]["rows"][0]
    row.update(id="r" * 200, title="t" * 24, description="d" * 72)
    assert (await send(client, body)).status_code == 200

    assert (await send(client, text_body("a" * 4096))).status_code == 200


# --------------------------------------------------------------------------- rejected sends


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(*path: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _fourth_button(body: dict[str, Any]) -> None:
    body["interactive"]["action"]["buttons"].append(
        {"type": "reply", "reply": {"id": "confirm:later", "title": "Nanti"}}
    )


BUTTONS = ("interactive", "action", "buttons")
ROW0 = ("interactive", "action", "sections", 0, "rows", 0)

INVALID_CASES: list[tuple[str, Callable[[], dict[str, Any]], Callable[..., None], int, str]] = [
    # id, valid body factory, mutation, expected code, text expected in details
    ("title-21", button_body, _set((*BUTTONS, 0, "reply", "title"), "x" * 21), 131009, "title"),
    ("title-empty", button_body, _set((*BUTTONS, 0, "reply", "title"), ""), 131009, "title"),
    ("4-buttons", button_body, _fourth_button, 131009, "buttons count"),
    ("0-buttons", button_body, _set(BUTTONS, []), 131009, "buttons count"),
    ("button-id-257", button_body, _set((*BUTTONS, 0, "reply", "id"), "i" * 257), 131009, "id"),
    ("dup-id", button_body, _set((*BUTTONS, 1, "reply", "id"), "confirm:yes"), 131009, "id"),
    ("dup-title", button_body, _set((*BUTTONS, 1, "reply", "title"), "Ya, kirim"), 131009, "title"),
    ("not-reply", button_body, _set((*BUTTONS, 0, "type"), "url"), 100, "type"),
    (
        "button-body-1025",
        button_body,
        _set(("interactive", "body", "text"), "b" * 1025),
        131009,
        "Body",
    ),
    ("header", button_body, _set(("interactive", "header"), {"type": "text"}), 100, "header"),
    ("11-rows", lambda: list_body(rows_per_section=(6, 5)), lambda b: None, 131009, "row count"),
    ("row-title-25", list_body, _set((*ROW0, "title"), "t" * 25), 131009, "Row title"),
    ("row-desc-73", list_body, _set((*ROW0, "description"), "d" * 73), 131009, "description"),
    ("row-id-201", list_body, _set((*ROW0, "id"), "r" * 201), 131009, "Row id"),
    (
        "dup-row-id",
        list_body,
        _set(("interactive", "action", "sections", 1, "rows", 0, "id"), "desa:1"),
        131009,
        "row id",
    ),
    (
        "list-button-21",
        list_body,
        _set(("interactive", "action", "button"), "p" * 21),
        131009,
        "Button",
    ),
    (
        "11-sections",
        lambda: list_body(rows_per_section=(1,) * 11),
        lambda b: None,
        131009,
        "sections",
    ),
    (
        "untitled-sections",
        list_body,
        _delete("interactive", "action", "sections", 0, "title"),
        100,
        "title",
    ),
    ("text-4097", text_body, _set(("text", "body"), "a" * 4097), 131009, "Text body"),
    ("text-empty", text_body, _set(("text", "body"), ""), 100, "text['body']"),
    ("no-product", text_body, _delete("messaging_product"), 100, "messaging_product"),
    ("sms-product", text_body, _set(("messaging_product",), "sms"), 100, "messaging_product"),
    ("no-to", text_body, _delete("to"), 100, "to"),
    ("group", text_body, _set(("recipient_type",), "group"), 100, "recipient_type"),
    ("audio-type", text_body, _set(("type",), "audio"), 100, "type"),
    ("typo-key", text_body, _set(("preview_url",), True), 100, "preview_url"),
    ("type-mismatch", text_body, _set(("type",), "image"), 100, "image"),
    ("no-language", template_body, _delete("template", "language"), 100, "language"),
    ("no-name", template_body, _delete("template", "name"), 100, "name"),
    (
        "param-no-text",
        template_body,
        _delete("template", "components", 0, "parameters", 0, "text"),
        100,
        "text",
    ),
    ("doc-link", document_body, _set(("document", "link"), "https://x.org/a"), 100, "link"),
    ("doc-no-media", document_body, _delete("document", "id"), 100, "id"),
    ("doc-caption-1025", document_body, _set(("document", "caption"), "c" * 1025), 131009, "Cap"),
    ("image-no-media", image_body, _delete("image", "id"), 100, "id"),
    ("reply-context", text_body, _set(("context",), {"message_id": "wamid.X"}), 100, "context"),
    (
        "button-template",
        template_body,
        _set(("template", "components", 0, "type"), "button"),
        100,
        "body",
    ),
]


@pytest.mark.parametrize(
    ("factory", "mutate", "code", "needle"),
    [case[1:] for case in INVALID_CASES],
    ids=[case[0] for case in INVALID_CASES],
)
async def test_invalid_send_is_rejected_with_graph_error(
    graph, client, factory, mutate, code, needle
):
    body = copy.deepcopy(factory())
    mutate(body)

    response = await send(client, body)

    error = assert_graph_error(response, 400, code)
    title = {100: "Invalid parameter", 131009: "Parameter value is not valid"}[code]
    assert error["message"] == f"(#{code}) {title}"
    assert needle.lower() in error["error_data"]["details"].lower()
    assert graph.sent == []
    assert graph.requests[-1]["error_code"] == code


async def test_invalid_json_is_rejected(client):
    response = await client.post(
        f"/{PHONE_ID}/messages", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_graph_error(response, 400, 100)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}],
    ids=["missing", "wrong", "not-bearer"],
)
async def test_bad_token_is_rejected_with_oauth_error(graph, headers):
    async with httpx.AsyncClient(base_url=graph.base_url, headers=headers) as http:
        response = await send(http, text_body())

    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == 190
    assert error["type"] == "OAuthException"
    assert error["message"]
    assert error["fbtrace_id"]
    assert "error_data" not in error
    assert response.headers["WWW-Authenticate"].startswith('OAuth "Facebook Platform"')
    assert graph.sent == []


async def test_unknown_phone_number_id_is_rejected(graph, client):
    response = await client.post("/999/messages", json=text_body())
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["error_subcode"], error["type"]) == (
        100,
        33,
        "GraphMethodException",
    )


# --------------------------------------------------------------------------- media


async def test_media_upload_then_send_document(graph, client):
    graph.require_uploaded_media = True
    content = b"PK\x03\x04 fake xlsx bytes"
    response = await client.post(
        f"/{PHONE_ID}/media",
        data={"messaging_product": "whatsapp", "type": XLSX},
        files={"file": ("rekap_mei.xlsx", content, XLSX)},
    )
    assert response.status_code == 200, response.text
    media = response.json()["id"]
    assert media.isdigit() and len(media) >= 15

    [upload] = graph.uploads
    assert upload["media_id"] == media
    assert upload["filename"] == "rekap_mei.xlsx"
    assert upload["content_type"] == XLSX
    assert upload["type"] == XLSX
    assert upload["data"] == content
    assert upload["headers"]["content-type"].startswith("multipart/form-data")

    assert (await send(client, document_body(media))).status_code == 200
    unknown = await send(client, document_body("9999999999999999"))
    assert_graph_error(unknown, 400, 100)


@pytest.mark.parametrize(
    ("data", "files"),
    [
        ({"type": "application/pdf"}, {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}),
        (
            {"messaging_product": "whatsapp", "type": "application/zip"},
            {"file": ("a.zip", b"PK", "application/zip")},
        ),
        ({"messaging_product": "whatsapp", "type": "application/pdf", "x": "1"}, None),
    ],
    ids=["no-product", "unsupported-type", "no-file"],
)
async def test_bad_media_upload_is_rejected(graph, client, data, files):
    if files is None:  # force multipart even without a file part
        files = {"other": ("x.txt", b"x", "text/plain")}
    response = await client.post(f"/{PHONE_ID}/media", data=data, files=files)
    assert_graph_error(response, 400, 100)
    assert graph.uploads == []


# --------------------------------------------------------------------------- failure injection


async def test_fail_next_rate_limit_then_recovers(graph, client):
    graph.fail_next(2, status=429, code=130429)

    first = await send(client, text_body("a"))
    second = await send(client, text_body("b"))
    third = await send(client, text_body("c"))

    for response in (first, second):
        error = assert_graph_error(response, 429, 130429)
        assert error["message"] == "(#130429) Rate limit hit"
    assert third.status_code == 200
    assert graph.texts_to(USER) == ["c"]
    assert [r["status"] for r in graph.requests] == [429, 429, 200]


async def test_fail_next_defaults_to_production_status(client, graph):
    graph.fail_next()
    assert_graph_error(await send(client, text_body()), 400, 130429)


async def test_fail_next_server_errors(graph, client):
    graph.fail_next(1, status=500)
    graph.fail_next(1, status=502, body="<html><body>502 Bad Gateway</body></html>")

    assert_graph_error(await send(client, text_body()), 500, 131000)
    raw = await send(client, text_body())
    assert raw.status_code == 502
    assert "Bad Gateway" in raw.text
    assert (await send(client, text_body())).status_code == 200


async def test_outside_window_blocks_free_form_but_not_templates(graph, client):
    graph.outside_window(USER)

    error = assert_graph_error(await send(client, text_body()), 400, 131047)
    assert error["message"] == "(#131047) Re-engagement message"
    assert "24 hours" in error["error_data"]["details"]
    assert_graph_error(await send(client, button_body()), 400, 131047)
    assert (await send(client, template_body())).status_code == 200
    assert (await send(client, text_body(to=OTHER))).status_code == 200


async def test_outside_window_via_webhook_reports_failed_status(graph, client):
    graph.outside_window(USER, via="webhook")

    response = await send(client, text_body())

    assert response.status_code == 200
    message_id = response.json()["messages"][0]["id"]
    [payload] = graph.status_webhooks
    [st] = wp.value_of(payload)["statuses"]
    assert (st["id"], st["status"], st["recipient_id"]) == (message_id, "failed", USER)
    assert st["errors"][0]["code"] == 131047


async def test_undeliverable_recipient_fails_templates_too(graph, client):
    graph.undeliverable(OTHER)
    error = assert_graph_error(await send(client, template_body(to=OTHER)), 400, 131026)
    assert error["message"] == "(#131026) Message undeliverable"
    assert (await send(client, template_body())).status_code == 200


async def test_registered_templates_are_enforced(graph, client):
    graph.register_template("pengingat_laporan", "id", body_params=2)
    assert (await send(client, template_body())).status_code == 200

    unknown = template_body()
    unknown["template"]["name"] = "tidak_ada"
    assert_graph_error(await send(client, unknown), 404, 132001)

    wrong_count = template_body()
    wrong_count["template"]["components"][0]["parameters"].pop()
    assert_graph_error(await send(client, wrong_count), 400, 132000)


async def test_latency_and_request_rate_are_observable(graph, client):
    graph.latency = 0.1
    started = time.monotonic()
    responses = await asyncio.gather(*(send(client, text_body(str(i))) for i in range(5)))
    elapsed = time.monotonic() - started

    assert all(r.status_code == 200 for r in responses)
    assert 0.1 <= elapsed < 1.0
    assert graph.max_in_flight == 5
    assert graph.max_requests_in_window(1.0) == 5
    graph.assert_rate_at_most(5, per=1.0)
    with pytest.raises(AssertionError):
        graph.assert_rate_at_most(4, per=1.0)
    times = graph.request_times()
    assert len(times) == 5 and times == sorted(times)


async def test_latency_can_make_the_client_time_out(graph):
    graph.latency = 0.3
    async with httpx.AsyncClient(
        base_url=graph.base_url, headers=graph.auth_headers(), timeout=0.05
    ) as http:
        with pytest.raises(httpx.ReadTimeout):
            await send(http, text_body())


async def test_wait_for_sent_sees_background_sends(graph, client):
    async def later() -> None:
        await asyncio.sleep(0.05)
        await send(client, text_body("dari latar belakang"))

    task = asyncio.create_task(later())
    bodies = await graph.wait_for_sent(1, to=USER, timeout=1.0)
    await task
    assert bodies[0]["text"]["body"] == "dari latar belakang"
    with pytest.raises(TimeoutError):
        await graph.wait_for_sent(2, timeout=0.05)


async def test_status_webhook_for_accepted_message(graph, client):
    response = await send(client, text_body())
    message_id = response.json()["messages"][0]["id"]

    payload = graph.status_webhook(message_id, "read")

    [st] = wp.value_of(payload)["statuses"]
    assert (st["id"], st["status"], st["recipient_id"]) == (message_id, "read", USER)
    assert wp.value_of(payload)["metadata"]["phone_number_id"] == PHONE_ID


# --------------------------------------------------------------------------- payloads


def test_sign_matches_independent_hmac():
    body = wp.encode(wp.text("Halo"))
    secret = "app-secret-123"
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert wp.sign(body, secret) == f"sha256={expected}"
    # RFC 4231 test case 2, so the test does not only compare the code with itself.
    assert wp.sign(b"what do ya want for nothing?", "Jefe") == (
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


def test_encode_is_compact_ascii_json():
    payload = wp.text("Halo Bu 👋 https://x.org/a", name="Siti Nurhaliza")
    raw = wp.encode(payload)
    assert raw.isascii()
    assert b", " not in raw and b": " not in raw
    assert b"\\/" in raw and b"\\ud83d\\udc4b" in raw
    assert json.loads(raw) == payload
    assert json.loads(wp.encode(payload, escape_slashes=False)) == payload


def test_signed_request_headers():
    body, headers = wp.signed_request(wp.text("Halo"), "s3cret")
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Hub-Signature-256"] == wp.sign(body, "s3cret")


def _message_of(payload: dict[str, Any]) -> dict[str, Any]:
    [message] = wp.value_of(payload)["messages"]
    return message


CTX = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjNFQjAxMjM0NTY3ODlBQkNERUYA"

MESSAGE_BUILDERS: list[tuple[str, Callable[[], dict[str, Any]], str, dict[str, Any]]] = [
    # id, builder, type, expected subset of messages[0][type] (or of the message for some)
    ("text", lambda: wp.text("lapor"), "text", {"body": "lapor"}),
    (
        "button_reply",
        lambda: wp.button_reply("confirm:yes", "Ya, kirim", context_id=CTX),
        "interactive",
        {"type": "button_reply", "button_reply": {"id": "confirm:yes", "title": "Ya, kirim"}},
    ),
    (
        "list_reply",
        lambda: wp.list_reply("desa:3", "Desa 3", "Kec. Cilandak", context_id=CTX),
        "interactive",
        {
            "type": "list_reply",
            "list_reply": {"id": "desa:3", "title": "Desa 3", "description": "Kec. Cilandak"},
        },
    ),
    ("image", lambda: wp.image(caption="Foto KMS"), "image", {"caption": "Foto KMS"}),
    ("audio", wp.audio, "audio", {"voice": False}),
    ("voice", wp.voice, "audio", {"voice": True, "mime_type": "audio/ogg; codecs=opus"}),
    ("video", lambda: wp.video(caption="Senam"), "video", {"caption": "Senam"}),
    ("sticker", lambda: wp.sticker(animated=True), "sticker", {"animated": True}),
    (
        "location",
        lambda: wp.location(-6.29, 106.8, name_of_place="Posyandu Melati"),
        "location",
        {"latitude": -6.29, "longitude": 106.8, "name": "Posyandu Melati"},
    ),
    (
        "reaction",
        lambda: wp.reaction(CTX, "👍"),
        "reaction",
        {"message_id": CTX, "emoji": "👍"},
    ),
    ("unreaction", lambda: wp.reaction(CTX, None), "reaction", {"message_id": CTX}),
    ("contacts", wp.contacts, "contacts", {}),
    ("unsupported", wp.unsupported, "unsupported", {}),
]


@pytest.mark.parametrize(
    ("builder", "kind", "expected"),
    [case[1:] for case in MESSAGE_BUILDERS],
    ids=[case[0] for case in MESSAGE_BUILDERS],
)
def test_message_builders_produce_documented_fields(builder, kind, expected):
    payload = json.loads(wp.encode(builder()))  # must survive the wire format

    assert payload["object"] == "whatsapp_business_account"
    [entry] = payload["entry"]
    assert entry["id"] == wp.WABA_ID
    [change] = entry["changes"]
    assert change["field"] == "messages"
    value = change["value"]
    assert value["messaging_product"] == "whatsapp"
    assert value["metadata"] == {
        "display_phone_number": wp.DISPLAY_PHONE_NUMBER,
        "phone_number_id": wp.PHONE_NUMBER_ID,
    }
    [contact] = value["contacts"]
    assert contact["wa_id"] == wp.DEFAULT_WA_ID
    assert contact["profile"]["name"] == wp.DEFAULT_NAME
    assert contact["user_id"].startswith("ID.")

    message = _message_of(payload)
    assert message["from"] == contact["wa_id"]
    assert message["id"].startswith("wamid.HBg")
    assert message["timestamp"].isdigit()
    assert abs(int(message["timestamp"]) - time.time()) < 60
    assert message["type"] == kind

    if kind == "contacts":
        card = message["contacts"][0]
        assert card["name"]["formatted_name"] and card["phones"][0]["phone"]
    elif kind == "unsupported":
        [error] = message["errors"]
        assert error["code"] == 131051
        assert error["title"] == error["message"] == "Message type unknown"
        assert error["error_data"]["details"]
    else:
        obj = message[kind]
        assert expected.items() <= obj.items()
    if kind in ("image", "audio", "video", "sticker"):
        obj = message[kind]
        assert obj["id"].isdigit() and obj["mime_type"]
        assert len(base64.b64decode(obj["sha256"])) == 32
    if kind == "interactive":
        assert message["context"] == {"from": wp.DISPLAY_PHONE_NUMBER, "id": CTX}


@pytest.mark.parametrize("name", ["sent", "delivered", "read", "failed"])
def test_status_builders_produce_documented_fields(name):
    message_id = wp.wamid(USER, outgoing=True)
    payload = json.loads(wp.encode(getattr(wp, name)(message_id, recipient_id=USER)))

    value = wp.value_of(payload)
    assert value["messaging_product"] == "whatsapp"
    assert "messages" not in value
    assert value["contacts"][0]["wa_id"] == USER
    [st] = value["statuses"]
    assert (st["id"], st["status"], st["recipient_id"]) == (message_id, name, USER)
    assert st["timestamp"].isdigit()
    if name == "failed":
        [error] = st["errors"]
        assert error["code"] == 131047
        assert error["title"] == error["message"] == "Re-engagement message"
        assert "24 hours" in error["error_data"]["details"]
        assert "pricing" not in st and "conversation" not in st
    else:
        assert st["conversation"]["id"]
        assert st["conversation"]["origin"]["type"] == "service"
        assert ("expiration_timestamp" in st["conversation"]) == (name == "sent")
        assert st["pricing"] == {
            "billable": False,
            "pricing_model": "PMP",
            "category": "service",
            "type": "free_customer_service",
        }


def test_batch_has_two_senders_in_one_body():
    payload = wp.batch()
    value = wp.value_of(payload)
    senders = [m["from"] for m in value["messages"]]

    assert len(senders) >= 4 and set(senders) == {wp.DEFAULT_WA_ID, wp.OTHER_WA_ID}
    assert [c["wa_id"] for c in value["contacts"]] == [wp.DEFAULT_WA_ID, wp.OTHER_WA_ID]
    assert len({m["id"] for m in value["messages"]}) == len(senders)
    stamps = [int(m["timestamp"]) for m in value["messages"]]
    assert stamps == sorted(stamps)
    assert list(wp.iter_messages(payload)) == value["messages"]


def test_messages_payload_combines_messages_and_dedups_contacts():
    payload = wp.messages_payload(
        wp.text_message("a", wa_id="628111"),
        wp.text_message("b", wa_id="628222"),
        wp.text_message("c", wa_id="628111"),
        names={"628111": "Ani"},
        bsuid=False,
    )
    value = wp.value_of(payload)
    assert value["contacts"] == [
        {"profile": {"name": "Ani"}, "wa_id": "628111"},
        {"profile": {"name": "User 8222"}, "wa_id": "628222"},
    ]
    assert [m["text"]["body"] for m in value["messages"]] == ["a", "b", "c"]


def test_wamids_are_unique_and_encode_the_number():
    ids = {wp.wamid(USER) for _ in range(500)}
    assert len(ids) == 500
    raw = base64.b64decode(next(iter(ids))[len("wamid.") :])
    assert USER.encode() in raw

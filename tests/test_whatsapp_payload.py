"""The pure WhatsApp payload module: webhook bodies in, Cloud API request bodies out.

Every rendered request is also checked with the fake Graph API's own validator,
the same code that answers the channel tests over HTTP, so a body that passes
here has the shapes and limits the Cloud API demands.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels import whatsapp_payload as wp
from bot.channels.text import split_text
from conversations import Attachment, Choice, Reply
from conversations.messages import Location
from handlers.delivery import decode, encode
from tests import whatsapp_payloads as payloads
from tests.whatsapp_graph_fake import _validate_message

TO = payloads.DEFAULT_WA_ID
PHONE_ID = payloads.PHONE_NUMBER_ID
SECRET = "app-secret"
BODY = payloads.encode(payloads.text("Halo"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YES_NO = (Choice("ya", "Ya"), Choice("tidak", "Tidak"))


def valid(bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for body in bodies:
        _validate_message(body)
    return bodies


# --------------------------------------------------------------------------- signature


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        (BODY, payloads.sign(BODY, SECRET), True),
        (BODY, payloads.sign(BODY, SECRET).upper().replace("SHA256=", "sha256="), True),
        (BODY, payloads.sign(BODY, "old-secret"), False),
        (BODY + b" ", payloads.sign(BODY, SECRET), False),
        (BODY, None, False),
        (BODY, "", False),
        (BODY, payloads.sign(BODY, SECRET).replace("sha256=", "sha1="), False),
        (BODY, payloads.sign(BODY, SECRET)[:-1], False),
        (BODY, "sha256=ünïcödé", False),
    ],
    ids=[
        "valid",
        "upper-hex",
        "other-secret",
        "other-body",
        "missing",
        "empty",
        "sha1",
        "short",
        "non-ascii",
    ],
)
def test_signature(body, header, expected):
    assert wp.signature_valid(body, header, SECRET) is expected


# --------------------------------------------------------------------------- inbound


def without_number(message: dict[str, Any], *, bsuid: bool = True) -> dict[str, Any]:
    """A body whose sender WhatsApp shows only by business-scoped id (or, without, not at all)."""
    sender = {k: v for k, v in message.items() if k != "from"}
    contact = {"profile": {"name": "Tanpa Nomor"}}
    if bsuid:
        contact["user_id"] = payloads.bsuid_for(TO)
    return payloads.envelope({"contacts": [contact], "messages": [sender]})


CONTEXT = payloads.wamid(outgoing=True)
WITHOUT_ID = {k: v for k, v in payloads.text_message("x").items() if k != "id"}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (payloads.text("Halo  bu"), ("Halo  bu", None, None, True)),
        (payloads.button_reply("7:ya", "Ya", context_id=CONTEXT), ("Ya", "ya", "7", True)),
        (payloads.button_reply(":ya", "Ya", context_id=CONTEXT), ("Ya", "ya", None, True)),
        (payloads.button_reply("ya", "Ya", context_id=CONTEXT), ("Ya", "ya", None, True)),
        (
            payloads.list_reply("3:balita", "Bayi/balita", context_id=CONTEXT),
            ("Bayi/balita", "balita", "3", True),
        ),
        (
            payloads.list_reply(
                "4:lapor_nakes", "Lapor ke tenaga…", "Lapor ke tenaga kesehatan", context_id=CONTEXT
            ),
            ("Lapor ke tenaga…", "lapor_nakes", "4", True),
        ),
        (payloads.image(), ("", None, None, True)),
        (payloads.audio(), ("", None, None, False)),
        (payloads.voice(), ("", None, None, False)),
        (payloads.video(), ("", None, None, False)),
        (payloads.sticker(), ("", None, None, False)),
        (payloads.location(), ("", None, None, True)),
        (payloads.contacts(), ("", None, None, False)),
        (payloads.unsupported(unsupported_type="poll"), ("", None, None, False)),
        (payloads.messages_payload(payloads.document_message()), ("", None, None, True)),
        (
            payloads.messages_payload(
                {
                    **payloads.text_message("x"),
                    "type": "button",
                    "button": {"payload": "lapor", "text": "Lapor sekarang"},
                }
            ),
            ("Lapor sekarang", None, None, True),
        ),
        (
            payloads.messages_payload({**payloads.text_message("x"), "type": "future_kind"}),
            ("", None, None, False),
        ),
    ],
    ids=[
        "text",
        "button",
        "button-no-question",
        "button-bare-id",
        "list",
        "list-cut-title",
        "image",
        "audio",
        "voice",
        "video",
        "sticker",
        "location",
        "contacts",
        "unsupported",
        "document",
        "template-quick-reply",
        "unknown-kind",
    ],
)
def test_message_kinds(payload, expected):
    [message] = wp.parse_webhook(payload, PHONE_ID).messages
    inbound = message.inbound
    assert (inbound.text, inbound.choice, inbound.question_id, message.supported) == expected
    assert inbound.channel == "whatsapp"
    assert inbound.user_id == TO and inbound.phone == "+" + TO
    assert inbound.message_id.startswith("wamid.")


@pytest.mark.parametrize(
    "payload",
    [
        payloads.reaction(payloads.wamid(outgoing=True)),
        payloads.reaction(payloads.wamid(outgoing=True), None),
        payloads.messages_payload({**payloads.text_message("x"), "type": "system"}),
        payloads.text("Halo", business=payloads.Business(phone_number_id="999")),
        {**payloads.text("Halo"), "object": "page"},
        payloads.messages_payload(WITHOUT_ID),
        without_number(payloads.text_message("x", bsuid=False), bsuid=False),
        {"object": "whatsapp_business_account", "entry": "nonsense"},
        [],
    ],
    ids=[
        "reaction",
        "reaction-removed",
        "system",
        "other-number",
        "other-object",
        "no-id",
        "no-sender",
        "bad-entry",
        "not-an-object",
    ],
)
def test_ignored_bodies_give_no_messages(payload):
    assert wp.parse_webhook(payload, PHONE_ID).messages == []


def test_other_webhook_fields_are_skipped():
    payload = payloads.text("Halo")
    payload["entry"][0]["changes"][0]["field"] = "message_template_status_update"
    assert wp.parse_webhook(payload, PHONE_ID) == wp.Webhook([], [])


def test_sender_identity_phone_and_bsuid():
    payload = payloads.text("Halo")
    [message] = wp.parse_webhook(payload, PHONE_ID).messages
    value = payload["entry"][0]["changes"][0]["value"]
    assert value["contacts"][0]["user_id"] == payloads.bsuid_for(TO)
    raw = {"message": value["messages"][0], "contact": value["contacts"][0]}
    assert wp.parse_message(raw) == message
    assert (message.inbound.user_id, message.inbound.text) == (TO, "Halo")
    assert message.timestamp == int(value["messages"][0]["timestamp"])


def test_a_hidden_number_uses_the_business_scoped_id_and_vouches_for_no_phone():
    payload = without_number(payloads.text_message("Halo"))
    [message] = wp.parse_webhook(payload, PHONE_ID).messages
    assert message.inbound.user_id == payloads.bsuid_for(TO)
    assert message.inbound.phone is None


def test_photos_files_and_pins_reach_the_core_as_evidence():
    [photo] = wp.parse_webhook(payloads.image(), PHONE_ID).messages
    assert photo.inbound.media is not None and photo.inbound.media.mime_type == "image/jpeg"
    assert photo.inbound.media.file_id
    [pin] = wp.parse_webhook(payloads.location(), PHONE_ID).messages
    assert pin.inbound.location == Location(-6.2001, 106.8167)
    document = payloads.messages_payload(payloads.document_message())
    [file] = wp.parse_webhook(document, PHONE_ID).messages
    assert file.inbound.media is not None and file.inbound.media.mime_type == "application/pdf"


def test_a_location_question_is_a_location_request_message():
    [body] = valid(wp.render_reply(TO, Reply("Kirim lokasi kegiatan", request_location=True)))
    assert body["interactive"] == {
        "type": "location_request_message",
        "body": {"text": "Kirim lokasi kegiatan"},
        "action": {"name": "send_location"},
    }
    back = decode(encode(Reply("x", request_location=True)))
    assert back.request_location


def test_a_batch_keeps_order_and_senders():
    body = payloads.batch()
    messages = wp.parse_webhook(body, PHONE_ID).messages
    assert [(m.inbound.user_id, m.inbound.text, m.supported) for m in messages] == [
        (payloads.DEFAULT_WA_ID, "Halo", True),
        (payloads.OTHER_WA_ID, "lapor", True),
        (payloads.DEFAULT_WA_ID, "12", True),
        (payloads.OTHER_WA_ID, "", True),
        (payloads.OTHER_WA_ID, "batal", True),
    ]
    stamps = [message.timestamp for message in messages]
    assert all(stamps) and stamps == sorted(stamps)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (payloads.sent("wamid.A"), ("wamid.A", "sent", None)),
        (payloads.delivered("wamid.B"), ("wamid.B", "delivered", None)),
        (payloads.read("wamid.C"), ("wamid.C", "read", None)),
        (payloads.failed("wamid.D"), ("wamid.D", "failed", 131047)),
        (payloads.failed("wamid.E", code=131026), ("wamid.E", "failed", 131026)),
        (
            payloads.status("sent", message_id="wamid.F", include_contacts=False),
            ("wamid.F", "sent", None),
        ),
    ],
)
def test_statuses(payload, expected):
    [update] = wp.parse_webhook(payload, PHONE_ID).statuses
    assert (update.message_id, update.status, update.error_code) == expected


@pytest.mark.parametrize(
    ("question_id", "value"), [("7", "ya"), (None, "tidak ada"), ("12", "2026-10"), ("3", "a:b")]
)
def test_choice_ids_round_trip(question_id, value):
    assert wp.parse_choice_id(wp.choice_id(question_id, value)) == (question_id, value)


# --------------------------------------------------------------------------- outbound


def lines(count: int, width: int = 99) -> str:
    return "\n".join(f"{n:03d} " + "x" * (width - 4) for n in range(count))


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("Halo", [4]),
        (lines(40), [3999]),
        ("z" * 4096, [4096]),
        (lines(41), [3999, 99]),
        (lines(100), [3999, 3999, 1999]),
        ("y" * 5000, [4096, 904]),
        ("kata " * 1000, [4094, 905]),
        ("\n\nHalo\n\n", [6]),
        ("", []),
    ],
    ids=[
        "short",
        "forty-lines",
        "at-limit",
        "just-over",
        "three",
        "one-long-word",
        "long-line",
        "blank-lines",
        "empty",
    ],
)
def test_split_text(text, sizes):
    chunks = split_text(text, wp.TEXT_LIMIT)
    assert [len(c) for c in chunks] == sizes
    assert all(len(c) <= wp.TEXT_LIMIT for c in chunks)
    if "\n" in text.strip():
        assert "\n".join(chunks) == text.strip("\n")


@pytest.mark.parametrize(
    ("label", "limit", "expected"),
    [
        ("Ya", 20, "Ya"),
        ("Laporan bulanan Posyandu", 20, "Laporan bulanan…"),
        ("Ingatkan datang ke Posyandu", 24, "Ingatkan datang ke…"),
        ("Rujuk ke Pustu/Puskesmas", 24, "Rujuk ke Pustu/Puskesmas"),
        ("Supercalifragilisticexpialidocious", 20, "Supercalifragilisti…"),
        ("  spasi   ganda  ", 20, "spasi ganda"),
    ],
)
def test_shorten(label, limit, expected):
    assert wp.shorten(label, limit) == expected
    assert len(wp.shorten(label, limit)) <= limit


def test_plain_text_reply():
    [body] = valid(wp.render_reply(TO, Reply("Halo Siti")))
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": TO,
        "type": "text",
        "text": {"body": "Halo Siti", "preview_url": False},
    }


def test_up_to_three_choices_are_reply_buttons_with_question_ids():
    menu = (
        Choice("bulanan", "Laporan bulanan Posyandu"),
        Choice("kunjungan", "Kunjungan rumah"),
        Choice("luar_gedung", "Kegiatan luar gedung"),
    )
    [body] = valid(wp.render_reply(TO, Reply("Laporan apa?", menu, question_id="1")))
    interactive = body["interactive"]
    assert interactive["type"] == "button"
    assert interactive["body"] == {"text": "Laporan apa?"}
    assert [b["reply"] for b in interactive["action"]["buttons"]] == [
        {"id": "1:bulanan", "title": "Laporan bulanan…"},
        {"id": "1:kunjungan", "title": "Kunjungan rumah"},
        {"id": "1:luar_gedung", "title": "Kegiatan luar gedung"},
    ]


def test_titles_that_shorten_to_the_same_text_are_numbered():
    same = (Choice("a", "Posyandu Melati Satu Utara"), Choice("b", "Posyandu Melati Satu Selatan"))
    [body] = valid(wp.render_reply(TO, Reply("Yang mana?", same, question_id="2")))
    titles = [b["reply"]["title"] for b in body["interactive"]["action"]["buttons"]]
    assert titles == ["1. Posyandu Melati…", "2. Posyandu Melati…"]


def test_a_long_question_with_buttons_sends_the_lead_as_text():
    text = lines(15)  # 1,499 characters: over the 1,024 of a button body
    bodies = valid(wp.render_reply(TO, Reply(text, YES_NO, question_id="4")))
    assert [b["type"] for b in bodies] == ["text", "interactive"]
    assert bodies[0]["text"]["body"] + "\n" + bodies[1]["interactive"]["body"]["text"] == text


def test_four_to_ten_choices_are_a_list_with_full_labels_in_descriptions():
    choices = tuple(
        Choice(value, label)
        for value, label in [
            ("tidak_ada", "Tidak ada"),
            ("ingatkan", "Ingatkan datang ke Posyandu"),
            ("rujuk", "Rujuk ke Pustu/Puskesmas"),
            ("lapor_nakes", "Lapor ke tenaga kesehatan"),
        ]
    )
    [body] = valid(wp.render_reply(TO, Reply("Tindak lanjut?", choices, question_id="6")))
    interactive = body["interactive"]
    assert interactive["type"] == "list"
    assert interactive["action"]["button"] == "Pilih jawaban"
    assert interactive["action"]["sections"] == [
        {
            "rows": [
                {"id": "6:tidak_ada", "title": "Tidak ada"},
                {
                    "id": "6:ingatkan",
                    "title": "Ingatkan datang ke…",
                    "description": "Ingatkan datang ke Posyandu",
                },
                {"id": "6:rujuk", "title": "Rujuk ke Pustu/Puskesmas"},
                {
                    "id": "6:lapor_nakes",
                    "title": "Lapor ke tenaga…",
                    "description": "Lapor ke tenaga kesehatan",
                },
            ]
        }
    ]


def test_a_description_is_cut_to_its_limit_too():
    label = "Sangat " * 20
    choices = tuple(Choice(str(n), f"{n} {label}") for n in range(4))
    [body] = valid(wp.render_reply(TO, Reply("Pilih", choices, question_id="1")))
    row = body["interactive"]["action"]["sections"][0]["rows"][0]
    assert len(row["title"]) <= 24 and len(row["description"]) == 72


def many(count: int) -> tuple[Choice, ...]:
    return tuple(Choice(f"v{n}", f"Pilihan {n}") for n in range(1, count + 1))


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            Reply("Pilih:", many(11), question_id="1"),
            "Pilih:\n" + "\n".join(f"{n}. Pilihan {n}" for n in range(1, 12)),
        ),
        (
            Reply("Pilih:\n" + "\n".join(f"{n}. Pilihan {n}" for n in range(1, 12)), many(11)),
            "Pilih:\n" + "\n".join(f"{n}. Pilihan {n}" for n in range(1, 12)),
        ),
        (Reply("Berapa?", many(11), free_text=True), "Berapa?"),
        (
            Reply("Pilih:", (Choice("v" * 300, "Panjang"), Choice("b", "Pendek"))),
            "Pilih:\n1. Panjang\n2. Pendek",
        ),
    ],
    ids=["numbered", "already-numbered", "free-text", "value-too-long-for-an-id"],
)
def test_choices_that_fit_no_widget_become_numbered_text(reply, expected):
    [body] = valid(wp.render_reply(TO, reply))
    assert body["text"]["body"] == expected


def test_choices_without_text_get_a_prompt():
    [body] = valid(wp.render_reply(TO, Reply("", YES_NO)))
    assert body["interactive"]["body"]["text"] == "Silakan pilih:"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            Reply("Rekap November", attachment=Attachment("rekap.xlsx", b"x", XLSX)),
            [("document", {"id": "M1", "filename": "rekap.xlsx", "caption": "Rekap November"})],
        ),
        (
            Reply("", attachment=Attachment("grafik.png", b"x", "image/png", "photo")),
            [("image", {"id": "M1"})],
        ),
        (
            Reply("Grafik", attachment=Attachment("g.webp", b"x", "image/webp", "photo")),
            [("document", {"id": "M1", "filename": "g.webp", "caption": "Grafik"})],
        ),
        (
            Reply("Kirim?", YES_NO, attachment=Attachment("rekap.xlsx", b"x", XLSX)),
            [("interactive", None), ("document", {"id": "M1", "filename": "rekap.xlsx"})],
        ),
        (
            Reply("x" * 2000, attachment=Attachment("rekap.xlsx", b"x", XLSX)),
            [("text", None), ("document", {"id": "M1", "filename": "rekap.xlsx"})],
        ),
    ],
    ids=["document-with-caption", "photo", "photo-wa-cannot-show", "with-buttons", "long-text"],
)
def test_attachments(reply, expected):
    bodies = valid(wp.render_reply(TO, reply, media_id="M1"))
    assert [
        (b["type"], b[b["type"]] if b["type"] in ("document", "image") else None) for b in bodies
    ] == expected


def test_an_attachment_needs_its_upload_first():
    with pytest.raises(ValueError, match="upload"):
        wp.render_reply(TO, Reply("x", attachment=Attachment("a.pdf", b"x", "application/pdf")))


def test_template_message():
    body = wp.render_template(TO, "pemberitahuan", "id", "Pengingat laporan")
    assert valid([body])[0]["template"] == {
        "name": "pemberitahuan",
        "language": {"code": "id"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "Pengingat laporan"}]}
        ],
    }


@pytest.mark.parametrize(
    ("replies", "expected"),
    [
        (
            [Reply("Pengingat:\n\n  Laporan   bulan ini\tbelum dikirim.")],
            "Pengingat: · Laporan bulan ini belum dikirim.",
        ),
        ([Reply("Satu"), Reply("Dua\nTiga")], "Satu · Dua · Tiga"),
        ([Reply("", attachment=Attachment("rekap.xlsx", b"x", XLSX))], "rekap.xlsx"),
        ([Reply("")], "-"),
    ],
    ids=["flattened", "joined", "attachment-name", "empty"],
)
def test_template_text_is_one_line(replies, expected):
    assert wp.template_text(replies) == expected


def test_template_text_is_shortened():
    text = wp.template_text([Reply("kata " * 400)])
    assert len(text) <= wp.TEMPLATE_PARAMETER_LIMIT and text.endswith("…")


def test_replies_survive_storage():
    replies = [
        Reply("Pilih", YES_NO, question_id="3", free_text=True),
        Reply("Bagikan", request_contact=True),
        Reply("Rekap", attachment=Attachment("r.xlsx", b"\x00\xffdata", XLSX, "document")),
    ]
    assert [decode(encode(reply)) for reply in replies] == replies


def test_a_monospace_reply_is_wrapped_in_backticks_when_it_fits_one_message():
    [body] = wp.render_reply("628111", Reply("S   K   D\n80  70  60", monospace=True))
    assert body["text"]["body"] == "```S   K   D\n80  70  60```"
    [long_body, *_] = wp.render_reply("628111", Reply("x" * 4095, monospace=True))
    assert not long_body["text"]["body"].startswith("```")

"""The library-independent half of the Telegram channel: updates in, messages out."""

from __future__ import annotations

import pytest

from bot.channels import words as channel_words
from bot.channels.telegram_format import (
    CONTACT_COMMAND,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_MESSAGE_LENGTH,
    Button,
    Keyboard,
    Pressed,
    decode_callback,
    encode_callback,
    inline_rows,
    parse_update,
    render,
    render_reply,
    split_message,
    telegram_length,
)
from conversations import Attachment, Choice, Reply
from conversations.forms.menu import MENU_LABELS
from conversations.messages import Location, Media
from handlers import words as handler_words

SITI = {"id": 1001, "is_bot": False, "first_name": "Siti"}
PRIVATE = {"id": 1001, "type": "private", "first_name": "Siti"}


def message(**content) -> dict:
    return {
        "update_id": 7,
        "message": {"message_id": 5, "date": 1, "chat": PRIVATE, "from": SITI, **content},
    }


def press(data: str, chat: dict = PRIVATE) -> dict:
    bot_message = {"message_id": 4, "date": 1, "chat": chat, "text": "Pertanyaan"}
    query = {"id": "77", "from": SITI, "chat_instance": "1", "message": bot_message, "data": data}
    return {"update_id": 8, "callback_query": query}


# --- splitting --------------------------------------------------------------------------------


def test_short_text_is_one_message():
    assert split_message("Halo\nApa kabar?") == ["Halo\nApa kabar?"]


def test_long_text_is_cut_at_line_ends_and_nothing_is_lost():
    lines = [f"{n}. Posyandu nomor {n}: sudah dilaporkan" for n in range(1, 400)]
    text = "\n".join(lines)
    chunks = split_message(text)
    assert len(chunks) > 1
    assert all(telegram_length(chunk) <= MAX_MESSAGE_LENGTH for chunk in chunks)
    assert "\n".join(chunks) == text
    assert all(chunk.split("\n")[0] in lines for chunk in chunks)


def test_a_line_longer_than_a_message_is_cut_at_a_space():
    text = " ".join(["kata"] * 2000)
    chunks = split_message(text)
    assert all(telegram_length(chunk) <= MAX_MESSAGE_LENGTH for chunk in chunks)
    assert all(not chunk.startswith(" ") and not chunk.endswith(" ") for chunk in chunks)
    assert " ".join(chunks) == text


def test_a_line_without_spaces_is_cut_anywhere():
    chunks = split_message("x" * 10_000)
    assert [len(chunk) for chunk in chunks] == [4096, 4096, 1808]


def test_emoji_count_twice_like_telegram_counts_them():
    text = "✅" * 10 + "😀" * 3000
    chunks = split_message(text)
    assert telegram_length("😀") == 2
    assert all(telegram_length(chunk) <= MAX_MESSAGE_LENGTH for chunk in chunks)
    assert "".join(chunks) == text


def test_blank_chunks_are_dropped():
    assert split_message("\n \n") == []


# --- callback data ------------------------------------------------------------------------------


def test_callback_data_carries_question_and_value():
    data = encode_callback("12", "ya", 1, by_position=True)
    assert data == "12:ya"
    assert decode_callback(data) == Pressed("12", choice="ya")


def test_values_may_contain_the_separators():
    assert decode_callback(encode_callback("3", "a:b#c", 1, by_position=True)) == Pressed(
        "3", choice="a:b#c"
    )


def test_too_long_value_falls_back_to_its_position():
    value = "pilihan-" + "é" * 40  # 88 bytes in UTF-8, 48 characters
    data = encode_callback("12", value, 4, by_position=True)
    assert data == "12#4"
    assert decode_callback(data) == Pressed("12", position=4)


def test_too_long_shortcut_of_a_typed_answer_gets_no_button():
    assert encode_callback("12", "x" * 70, 1, by_position=False) is None


def test_data_this_bot_did_not_make_is_not_decoded():
    for data in (None, "", "no-separator", "3#0", "3#x"):
        assert decode_callback(data) is None


def test_question_without_id():
    assert decode_callback(encode_callback(None, "ya", 1, by_position=True)) == Pressed(
        None, choice="ya"
    )


# --- keyboards ----------------------------------------------------------------------------------


def test_short_labels_share_a_row_long_labels_get_their_own():
    yes_no = Reply("Buka?", (Choice("ya", "Ya"), Choice("tidak", "Tidak")), question_id="2")
    assert inline_rows(yes_no) == ((Button("Ya", "2:ya"), Button("Tidak", "2:tidak")),)
    menu = Reply(
        "Laporan apa?",
        tuple(Choice(key, label) for key, label in MENU_LABELS.items()),
        question_id="1",
    )
    assert [len(row) for row in inline_rows(menu)] == [1, 1, 1, 1]


def test_every_button_fits_telegram_limits():
    long_choices = tuple(Choice("v" * 80 + str(n), f"Pilihan {n}") for n in range(1, 8))
    reply = Reply("Pilih", long_choices, question_id="99")
    buttons = [button for row in inline_rows(reply) for button in row]
    assert len(buttons) == 7
    assert all(len(b.data.encode()) <= MAX_CALLBACK_DATA_BYTES for b in buttons)


def test_contact_request_is_a_reply_keyboard_button():
    [sent] = render_reply(Reply(handler_words.ASK_CONTACT, request_contact=True))
    assert sent.keyboard == Keyboard(contact_label=channel_words.BUTTON_SHARE_CONTACT)


def test_keyboard_goes_under_the_last_part_of_a_long_reply():
    reply = Reply("baris\n" * 2000, (Choice("kirim", "Kirim"),), question_id="5")
    sent = render_reply(reply)
    assert len(sent) > 1
    assert [m.keyboard is not None for m in sent] == [False] * (len(sent) - 1) + [True]


def test_attachment_text_is_its_caption_when_short_enough():
    file = Attachment("rekap.xlsx", b"PK", "application/vnd.ms-excel")
    [sent] = render_reply(Reply("Rekap November", attachment=file))
    assert (sent.text, sent.attachment) == ("Rekap November", file)
    long_text = "a" * (MAX_CAPTION_LENGTH + 1)
    *texts, last = render_reply(Reply(long_text, attachment=file))
    assert [m.text for m in texts] == [long_text] and (last.text, last.attachment) == ("", file)


def test_after_a_shared_contact_the_reply_keyboard_is_removed_once():
    greeting = Reply("Halo Siti")
    menu = Reply("Pilih", (Choice("a", "A"),), question_id="1")
    sent = render([menu, greeting, greeting], remove_reply_keyboard=True)
    assert [m.keyboard.remove if m.keyboard else None for m in sent] == [False, True, None]
    again = render(
        [Reply(handler_words.ASK_CONTACT, request_contact=True)], remove_reply_keyboard=True
    )
    assert again[0].keyboard == Keyboard(contact_label=channel_words.BUTTON_SHARE_CONTACT)


# --- updates ------------------------------------------------------------------------------------


def test_text_message_becomes_an_inbound_with_a_stable_id():
    received = parse_update(message(text="lapor"))
    assert received.chat_id == 1001 and received.update_id == 7
    inbound = received.inbound
    assert (inbound.channel, inbound.user_id, inbound.message_id, inbound.text) == (
        "telegram",
        "1001",
        "1001:5",
        "lapor",
    )
    assert inbound.phone is None


def test_own_contact_vouches_for_the_phone_number():
    contact = {"phone_number": "6281100000001", "first_name": "Siti", "user_id": 1001}
    received = parse_update(message(contact=contact))
    assert received.inbound.phone == "6281100000001"
    assert received.inbound.text == CONTACT_COMMAND
    assert received.contact_shared


@pytest.mark.parametrize("user_id", [999, None])
def test_someone_elses_contact_is_refused_without_reaching_the_core(user_id):
    contact = {"phone_number": "6281100000001", "first_name": "Kontak"}
    if user_id is not None:
        contact["user_id"] = user_id
    received = parse_update(message(contact=contact))
    assert received.inbound is None
    assert received.notice == Reply(channel_words.CONTACT_NOT_OWN, request_contact=True)


def test_a_sticker_gets_a_polite_note():
    sticker = {"sticker": {"file_id": "s", "file_unique_id": "t", "type": "regular"}}
    received = parse_update(message(**sticker))
    assert received.inbound is None
    assert received.notice == Reply(channel_words.TELEGRAM_NOT_TEXT)


def test_photos_files_and_pins_reach_the_core_as_evidence():
    sizes = [
        {"file_id": "small", "file_unique_id": "b", "width": 90, "height": 90, "file_size": 900},
        {"file_id": "big", "file_unique_id": "c", "width": 1280, "height": 960, "file_size": 9000},
    ]
    photo = parse_update(message(photo=sizes)).inbound
    assert photo is not None and photo.media == Media("big", "image/jpeg", 9000)
    document = {"file_id": "d", "file_unique_id": "e", "mime_type": "application/pdf"}
    file = parse_update(message(document=document)).inbound
    assert file is not None and file.media == Media("d", "application/pdf")
    pinned = parse_update(message(location={"latitude": -6.2, "longitude": 106.8}))
    assert pinned.inbound is not None and pinned.inbound.location == Location(-6.2, 106.8)
    assert pinned.contact_shared  # the location keyboard goes away


def test_a_location_question_shows_the_location_button():
    [sent] = render([Reply("Kirim lokasi", request_location=True)])
    assert sent.keyboard == Keyboard(location_label=channel_words.BUTTON_SHARE_LOCATION)


def test_edited_message_is_not_read():
    update = {"update_id": 9, "edited_message": message(text="80")["message"]}
    assert parse_update(update).notice == Reply(channel_words.TELEGRAM_EDITED)


@pytest.mark.parametrize("kind", ["group", "supergroup", "channel"])
def test_messages_outside_private_chats_are_ignored(kind):
    chat = {"id": -100, "type": kind, "title": "Grup Posyandu"}
    received = parse_update(
        {"update_id": 3, "message": {**message(text="lapor")["message"], "chat": chat}}
    )
    assert (received.chat_id, received.inbound, received.notice) == (None, None, None)


def test_button_press_carries_choice_and_question():
    received = parse_update(press("4:ya"))
    assert received.callback_query_id == "77" and received.pressed_message_id == 4
    inbound = received.inbound
    assert (inbound.message_id, inbound.choice, inbound.question_id) == ("cb:77", "ya", "4")


def test_press_by_position_reads_as_the_typed_number():
    inbound = parse_update(press("4#3")).inbound
    assert (inbound.text, inbound.choice, inbound.question_id) == ("3", None, "4")


def test_unknown_button_is_answered_but_not_passed_on():
    received = parse_update(press("something-old"))
    assert received.callback_query_id == "77" and received.inbound is None
    assert received.pressed_message_id == 4


def test_button_in_a_group_is_only_answered():
    received = parse_update(press("4:ya", chat={"id": -5, "type": "group", "title": "G"}))
    assert received.callback_query_id == "77" and received.chat_id is None


def test_a_monospace_reply_is_one_pre_entity_per_message():
    reply = Reply("Puskesmas Lapor D/S\nCibening   5/6  68% 📊", monospace=True)
    [message] = render_reply(reply)
    assert message.entities() == [
        {"type": "pre", "offset": 0, "length": telegram_length(reply.text)}
    ]
    assert render_reply(Reply("biasa"))[0].entities() == []

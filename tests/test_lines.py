"""Group lines: a section, or a whole report, in one message (conversations/lines.py).

Why: answering one number per message made the monthly report 30 messages; a kader
with the Posyandu book open types a section as one line. Every way of writing a line
is read the same, every value is checked as if typed alone, and nothing typed is lost:
a wrong number is named with its reason and asked again, an unknown label is named
back. The form here is a small one of this file's own, so the rules under test are
the engine's, not one form's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from conversations import Engine, Inbound, State
from conversations import words as T
from conversations.form import HISTORY, Block, Check, Field, Form, Kind, Section, Words
from conversations.forms._helpers import count
from conversations.lines import read
from conversations.state import SUMMARY
from tests.transcript import EngineChat

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def _count(name: str, section: str, short: str, **extra: Any) -> Field:
    field = count(name, Words(name.upper(), f"Berapa {name}?"), section, **extra)
    return Field(**{**{s: getattr(field, s) for s in field.__slots__}, "short": short})


def _weighed(answers: Any, _context: Any) -> bool:
    """N and T are asked once D is above 0 (or not yet answered)."""
    return answers.get("d") != 0


FORM = Form(
    id="uji",
    title="uji",
    period_field="periode",
    sections=(
        Section("umum", "Umum"),
        Section("balita", "Balita", short="BAL"),
        Section("bumil", "Ibu hamil", skippable=True, short="BUMIL"),
        Section("lansia", "Lansia", skippable=True, short="LANSIA"),
    ),
    fields=(
        Field("periode", Kind.MONTH, "Bulan", "Bulan apa?", section="umum", short="BULAN"),
        Field("buka", Kind.YES_NO, "Buka", "Buka?", section="umum", short="BUKA"),
        _count("kader", "umum", "KADER", minimum=1, maximum=50),
        _count("s", "balita", "S", maximum=500),
        _count("d", "balita", "D", maximum=500),
        _count("n", "balita", "N", maximum=500, ask_if=_weighed),
        _count("t", "balita", "T", maximum=500, ask_if=_weighed),
        _count("bumil_datang", "bumil", "DATANG", maximum=100),
        _count("bumil_kek", "bumil", "KEK", maximum=100),
        _count("lansia_datang", "lansia", "DATANG", maximum=100),
        _count("lansia_ht", "lansia", "HT", maximum=100),
    ),
    checks=(
        Check("d_le_s", ("d", "s"), lambda a, c: a["d"] <= a["s"], "D ({d}) lebih dari S ({s})."),
        Check(
            "nt_eq_d",
            ("n", "t", "d"),
            lambda a, c: a["n"] + a["t"] == a["d"],
            "N+T harus sama dengan D ({d}).",
        ),
        Check(
            "kek_le",
            ("bumil_kek", "bumil_datang"),
            lambda a, c: a["bumil_kek"] <= a["bumil_datang"],
            "KEK ({bumil_kek}) lebih dari yang datang ({bumil_datang}).",
        ),
        Check(
            "ds_low",
            ("d", "s"),
            lambda a, c: 2 * a["d"] >= a["s"],
            "Hanya sedikit balita ditimbang.",
            soft=True,
        ),
    ),
    blocks=(Block("dnt", ("d", "n", "t")),),
)
ENGINE = Engine({FORM.id: FORM})
LAST_MONTH = {"kader": 5, "s": 60, "d": 48, "n": 40, "t": 8, "bumil_datang": 9, "bumil_kek": 1}
REPORT = "bulan 2026-11\nbuka ya\nkader 6\nBAL 60 48 40 8\nBUMIL 9 1\nLANSIA 20 3"


class Chat:
    """One conversation on the test form; ``say`` returns the bot's reply."""

    def __init__(self, context: dict[str, Any] | None = None) -> None:
        history = {HISTORY: {"2026-10": LAST_MONTH}}
        turn = ENGINE.start(FORM.id, history if context is None else context, NOW)
        self.state: State | None = turn.state
        self.replies = turn.replies
        self.events = list(turn.events)
        self.sent = 0

    @property
    def last(self) -> str:
        return self.replies[-1].text

    def say(self, text: str) -> str:
        assert self.state is not None
        self.sent += 1
        inbound = Inbound("test", "u1", str(self.sent), text=text)
        turn = ENGINE.resume(State.from_json(self.state.to_json()), inbound, NOW)
        self.state, self.replies = turn.state, turn.replies
        self.events.extend(turn.events)
        assert len(self.replies) == 1
        return self.last

    @property
    def answers(self) -> dict[str, Any]:
        assert self.state is not None
        return self.state.answers


def at_balita() -> Chat:
    chat = Chat()
    chat.say("2026-11")
    chat.say("ya")
    chat.say("6")
    assert "Berapa s?" in chat.last
    return chat


@pytest.mark.parametrize(
    "line",
    [
        "60 48 40 8",
        "S 60 D 48 N 40 T 8",
        "s=60, d=48, n=40, t=8",
        "S: 60 · D: 48 · N: 40 · T: 8",
        "bal 60 48 40 8",
        "Balita 60 48 40 8",
        "t 8 n 40 d 48 s 60",
        "S 60\nD 48\nN 40\nT 8",
    ],
)
def test_a_section_in_one_line_reads_back_with_the_next_question(line):
    chat = at_balita()
    reply = chat.say(line)
    assert reply.startswith("Balita: S 60 · D 48 · N 40 · T 8\n")
    assert "Berapa bumil_datang?" in reply  # the next section's question, same message
    assert {k: chat.answers[k] for k in "sdnt"} == {"s": 60, "d": 48, "n": 40, "t": 8}


def test_numbers_at_a_later_question_start_there_unless_they_are_the_whole_section():
    chat = at_balita()
    chat.say("60")
    reply = chat.say("48 40 8")
    assert "Balita: D 48 · N 40 · T 8" in reply
    assert chat.answers["s"] == 60


def test_the_first_question_of_a_section_shows_the_line_once_with_last_months_numbers():
    chat = at_balita()
    assert "Sekaligus, mis.: BAL 60 48 40 8" in chat.last
    assert "Sekaligus" not in chat.say("60")
    without_history = Chat({})
    for answer in ("2026-11", "ya", "6"):
        without_history.say(answer)
    assert "Sekaligus: BAL lalu angka S D N T." in without_history.last


def test_every_field_with_a_value_last_month_offers_it_in_a_whatsapp_sized_button():
    chat = at_balita()
    seen = {}
    for answer in ("60", "48", "40", "8", "9", "1"):
        labels = [c.label for c in chat.replies[-1].choices]
        seen[chat.state.current] = labels
        chat.say(answer)
    assert seen["s"][0] == "60 (bln lalu)" and seen["bumil_kek"][0] == "1 (bln lalu)"
    assert all(len(label) <= 20 for labels in seen.values() for label in labels)


def test_a_whole_report_in_one_message_fills_every_named_field_then_the_summary():
    chat = Chat()
    reply = chat.say(REPORT)
    assert reply.startswith("Periksa dulu")  # no read-back: the summary shows every answer
    for shown in ("Bulan: November 2026", "S: 60", "T: 8", "BUMIL_KEK: 1", "LANSIA_HT: 3"):
        assert shown in reply
    assert chat.state.current == SUMMARY
    chat.say("kirim")
    [event] = chat.events
    assert event.answers["lansia_datang"] == 20 and event.answers["bumil_datang"] == 9


def test_a_report_missing_lines_asks_only_the_rest():
    chat = Chat()
    reply = chat.say("BAL 60 48 40 8\nBUMIL 9 1")
    assert "Bulan apa?" in reply
    chat.say("2026-11")
    chat.say("ya")
    assert "Berapa kader?" in chat.last
    chat.say("6")
    assert "Berapa lansia_datang?" in chat.last


def test_unknown_labels_are_named_back_and_the_rest_is_kept():
    chat = at_balita()
    reply = chat.say("S 60 X 5 D 48 FOO 3 N 40 T 8")
    assert "Tidak saya kenali, tidak disimpan: X, FOO." in reply
    assert chat.answers["t"] == 8 and "Berapa bumil_datang?" in reply


def test_too_many_numbers_are_refused_and_nothing_is_lost():
    chat = at_balita()
    chat.say("60")
    reply = chat.say("BAL 60 48 40 8 9 10")
    assert "Balita: ada 6 angka, padahal hanya 4 pertanyaan (S D N T)" in reply
    assert chat.answers["s"] == 60 and "d" not in chat.answers


def test_two_numbers_for_one_label_are_refused():
    chat = at_balita()
    reply = chat.say("S 60 70 D 48")
    assert "S: ada lebih dari satu angka" in reply
    assert "s" not in chat.answers and chat.answers["d"] == 48


def test_a_number_out_of_bounds_inside_a_line_is_named_and_asked_again():
    chat = at_balita()
    reply = chat.say("S 600 D 48 N 40 T 8")
    assert "S: Angka terlalu besar: paling banyak 500." in reply
    assert "Berapa s?" in reply
    assert chat.answers["d"] == 48 and "s" not in chat.answers


def test_a_broken_rule_asks_only_what_is_wrong():
    chat = at_balita()
    reply = chat.say("S 60 D 48 N 40 T 5")
    assert "T: N+T harus sama dengan D (48)." in reply
    assert "Berapa t?" in reply
    assert chat.say("8").startswith("(")  # a plain question follows: T is now right


def test_a_soft_warning_still_asks_before_going_on():
    chat = at_balita()
    reply = chat.say("S 100 D 40 N 30 T 10")
    assert "Hanya sedikit balita ditimbang." in reply and "Apakah angka ini sudah benar?" in reply
    assert "Berapa bumil_datang?" in chat.say("ya")
    assert chat.answers["d"] == 40


def test_a_shared_short_label_is_read_in_its_section():
    chat = at_balita()
    chat.say("60 48 40 8")
    assert "Ibu hamil: DATANG 9" in chat.say("DATANG 9 KEK 1")
    reply = chat.say("LANSIA DATANG 20 HT 3")
    assert "LANSIA_DATANG: 20" in reply and "LANSIA_HT: 3" in reply
    lost = Chat()
    assert "DATANG: ada di beberapa bagian" in lost.say("BAL 60 48 40 8\nDATANG 5")


def test_a_line_at_the_summary_changes_the_numbers_and_returns_to_it():
    chat = Chat()
    chat.say(REPORT)
    reply = chat.say("BAL 70 50 42 8")
    assert reply.startswith("Periksa dulu") and "S: 70" in reply and "N: 42" in reply
    assert chat.state.current == SUMMARY


def test_a_line_naming_part_of_a_block_asks_the_rest_of_it_again():
    chat = Chat()
    chat.say(REPORT)
    reply = chat.say("D 50")
    assert "Berapa n?" in reply and "Jawaban sebelumnya: 40." in reply
    assert "Berapa d?" in chat.say("kembali")
    assert "Periksa dulu" in chat.say("kembali")  # the edit undone: the numbers sent stay
    assert (chat.answers["d"], chat.answers["n"]) == (48, 40)


def test_code_labels_work_as_well_as_short_ones():
    chat = at_balita()
    chat.say("60 48 40 8")
    assert "Ibu hamil: DATANG 9 · KEK 1" in chat.say("bumil_datang 9 bumil_kek 1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("asdf qwer", "bukan angka"),
        ("😀😀😀", "bukan angka"),
        ("-5", "tidak boleh negatif"),
        ("9" * 5000, "Pesan terlalu panjang"),
        ("\n\n\n", "bukan angka"),
        ("BAL", "bukan angka"),
        ("S", "bukan angka"),
        ("BAL 60 48 ÷ 40", "Tidak saya kenali"),
        ("S -5 D 48", "S: Angka tidak boleh negatif"),
        ("S 99999999999999999999999 D 4", "S: Angka terlalu besar"),
        ("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", "ada 16 angka, padahal hanya 4"),
    ],
)
def test_garbage_gets_a_clear_answer_and_loses_nothing(text, expected):
    chat = at_balita()
    before = dict(chat.answers)
    reply = chat.say(text)
    assert expected in reply
    assert {k: v for k, v in chat.answers.items() if k in before} == before
    assert "Berapa " in reply  # and the open question again


def test_the_navigation_hint_is_shown_once_and_after_an_error():
    chat = Chat()
    shown = [chat.last]
    for answer in ("2026-11", "ya", "6", "60", "48", "40"):
        shown.append(chat.say(answer))
    assert [T.HINT_CONTROLS in text for text in shown] == [True] + [False] * 6
    assert T.HINT_CONTROLS in chat.say("banyak")


def test_reading_never_raises_on_odd_input():
    current = FORM.field("s")
    for text in ("", " ", "=", ":::", "·", "S", "S S S", "BAL BAL", "0" * 2000, "\x00 5"):
        read(FORM, text, current, {}, lambda item, answers: True)


def test_a_section_not_served_is_left_out_by_its_label_and_lewati():
    chat = Chat()
    reply = chat.say("bulan 2026-11\nbuka ya\nkader 6\nBAL 60 48 40 8\nBUMIL 9 1\nLANSIA lewati")
    assert chat.state.current == SUMMARY and "Lansia: dilewati" in reply
    refused = Chat()
    assert "Bagian Balita wajib diisi" in refused.say("bulan 2026-11\nBAL lewati")


def test_numbers_go_to_the_questions_their_earlier_numbers_leave_open():
    chat = at_balita()
    reply = chat.say("20 0 9 1")  # D 0: N and T are not asked, so 9 and 1 have no place
    assert "Balita: ada 4 angka, padahal hanya 2 pertanyaan (S D)." in reply
    assert "s" not in chat.answers
    assert "Hanya sedikit balita ditimbang." in chat.say("BAL 20 0")  # D/S still warns
    assert "Berapa bumil_datang?" in chat.say("ya")
    assert chat.answers["d"] == 0 and "n" not in chat.answers


def test_the_menu_does_not_read_lines():
    """A menu answers with its next question or its choice, never with nothing."""
    context = {"forms": [("uji", "Uji"), ("lain", "Lain")], "posyandu": [("P1", "A"), ("P2", "B")]}
    chat = EngineChat("pilih", context, NOW)
    assert "tidak ada" in chat.say("form 1\nposyandu 1")
    assert chat.events == [] and chat.state is not None


def test_the_example_line_leaves_out_what_last_month_s_numbers_did_not_ask():
    """Nobody weighed last month, so N and T were not asked: the example has S and D only,
    and the bot accepts its own example line."""
    nobody_weighed = {**LAST_MONTH, "d": 0, "n": 0, "t": 0}
    chat = Chat({HISTORY: {"2026-10": nobody_weighed}})
    chat.say("2026-11")
    chat.say("ya")
    example = chat.say("6")
    assert "BAL 60 0" in example and "BAL 60 0 0" not in example
    assert "Hanya sedikit balita ditimbang" in chat.say("BAL 60 0")  # read, then the soft rule
    chat.say("ya")
    assert chat.answers["s"] == 60 and chat.answers["d"] == 0 and "n" not in chat.answers

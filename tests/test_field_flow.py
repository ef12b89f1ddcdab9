"""Field-test defects in the flow of a form: editing, skipping, warnings, hints, wording.

Each test replays what a kader did in the field test (issue "Field-test defects")
through the pure engine or the real core service.
"""

from __future__ import annotations

import pytest

from bot.channels.console import render
from conversations import ALL_FORMS, Cancelled, Engine, Submitted
from conversations.forms import MONTHLY
from conversations.forms.monthly import MONTHLY_CHECKS
from tests.chat import ServiceChat
from tests.roster import KADER
from tests.test_engine import BALITA, GROUPS, HEADER, NOW, OCTOBER, monthly
from tests.transcript import EngineChat

SUMMARY = "Periksa dulu laporan"
NAVIGATION = "batal = berhenti"
# periode, buka, tanggal, kader, nakes, S, then the SKDN block D, N, T, O, B in the summary.
D_LINE, N_LINE, T_LINE, B_LINE = 7, 8, 9, 11


def at_summary(**context: object) -> EngineChat:
    chat = monthly(**context)
    chat.say_all(*OCTOBER, *GROUPS)
    assert chat.last.startswith(SUMMARY)
    return chat


def submitted(chat: EngineChat) -> Submitted:
    events = [e for e in chat.events if isinstance(e, Submitted)]
    assert len(events) == 1
    return events[0]


def button_labels(chat: EngineChat) -> list[str]:
    return [choice.label for choice in chat.replies[-1].choices]


# --- item 2: the SKDN block is edited as a unit --------------------------------------


@pytest.mark.parametrize("line", [D_LINE, N_LINE, T_LINE, B_LINE])
def test_editing_any_of_d_n_t_o_b_re_asks_the_whole_block(line):
    chat = at_summary()
    reply = chat.say(f"ubah {line}")
    assert "D: berapa balita yang ditimbang" in reply and "Jawaban sebelumnya: 60" in reply
    assert "60 (sebelumnya)" in button_labels(chat)
    assert "N: dari yang ditimbang" in chat.say("64")
    assert "40 (sebelumnya)" in button_labels(chat)
    assert "T: berapa" in chat.say("44")
    chat.say_all("10", "5")
    reply = chat.say("5")
    assert reply.startswith(SUMMARY)
    assert "7. D: ditimbang: 64" in reply and "8. N: berat badan naik: 44" in reply
    chat.say("kirim")
    answers = submitted(chat).answers
    assert [answers[name] for name in ("BAL_D", "BAL_N", "BAL_T", "BAL_O", "BAL_B")] == [
        64,
        44,
        10,
        5,
        5,
    ]


def test_the_old_values_are_one_tap_buttons_while_editing_the_block():
    chat = at_summary()
    chat.say(f"ubah {N_LINE}")
    for old in ("60", "40", "10", "5", "5"):
        previous = [c for c in chat.replies[-1].choices if c.label == f"{old} (sebelumnya)"]
        assert len(previous) == 1, chat.last
        chat.say(
            previous[0].value, choice=previous[0].value, question_id=chat.replies[-1].question_id
        )
    assert chat.last.startswith(SUMMARY)


def test_the_sum_is_checked_once_at_the_end_of_the_edited_block():
    chat = at_summary()
    chat.say_all(f"ubah {D_LINE}", "64", "44", "10", "5")
    reply = chat.say("4")
    assert "N+T+O+B harus sama dengan D (64), sekarang 63" in reply
    assert chat.say("5").startswith(SUMMARY)


def test_kembali_at_the_start_of_a_block_edit_keeps_the_old_block():
    chat = at_summary()
    chat.say_all(f"ubah {T_LINE}", "64")
    assert "N: dari yang ditimbang" in chat.last
    assert "D: berapa balita" in chat.say("kembali")
    reply = chat.say("kembali")
    assert reply.startswith(SUMMARY)
    assert "7. D: ditimbang: 60" in reply and "9. T: tidak naik: 10" in reply
    chat.say("kirim")
    answers = submitted(chat).answers
    assert [answers[name] for name in ("BAL_D", "BAL_N", "BAL_T", "BAL_O", "BAL_B")] == [
        60,
        40,
        10,
        5,
        5,
    ]


def test_kembali_while_editing_a_skipped_section_returns_to_the_summary():
    chat = monthly()
    chat.say_all(*OCTOBER, "lewati", *GROUPS[7:])
    assert "19. Ibu hamil: dilewati" in chat.last
    assert "Berapa ibu hamil sasaran" in chat.say("ubah 19")
    reply = chat.say("kembali")
    assert reply.startswith(SUMMARY) and "19. Ibu hamil: dilewati" in reply


# --- item 3: declining to replace never loses the draft --------------------------------


def test_declining_to_replace_while_editing_the_month_keeps_every_answer():
    chat = at_summary(existing={"2026-09": "dikirim 3 Okt 2026 oleh Siti"})
    chat.say("ubah 1")
    assert "Ganti dengan laporan baru?" in chat.say("2026-09")
    reply = chat.say("tidak")
    assert chat.state is not None, "the draft was thrown away"
    assert "tidak diganti" in reply and "Laporan bulan apa?" in reply
    assert chat.state.answers["BAL_S"] == 80 and chat.state.answers["POSY_KADER_HADIR"] == 5
    assert "Tanggal berapa Posyandu buka di bulan Oktober 2026?" in chat.say("2026-10")
    assert chat.say("12").startswith(SUMMARY)
    chat.say("kirim")
    answers = submitted(chat).answers
    assert answers["periode"] == "2026-10" and answers["BAL_D"] == 60 and "ganti" not in answers


def test_declining_to_replace_then_kembali_returns_to_the_summary_unchanged():
    chat = at_summary(existing={"2026-09": "dikirim 3 Okt 2026 oleh Siti"})
    chat.say_all("ubah 1", "2026-09", "tidak")
    reply = chat.say("kembali")
    assert reply.startswith(SUMMARY) and "1. Bulan laporan: Oktober 2026" in reply


def test_changing_the_month_to_another_filed_month_asks_again_whether_to_replace():
    filed = {"2026-09": "dikirim 3 Okt 2026 oleh Siti", "2026-10": "dikirim 3 Nov 2026 oleh Siti"}
    chat = monthly(existing=filed)
    chat.say_all("2026-10", "ya", *OCTOBER[1:], *GROUPS)
    assert chat.last.startswith(SUMMARY)
    chat.say("ubah 1")
    reply = chat.say("2026-09")
    assert "Laporan bulan September 2026 sudah pernah dikirim (dikirim 3 Okt 2026" in reply


def test_declining_to_replace_on_a_fresh_report_still_ends_it():
    """Only the month was given: "tidak" means keep the old report, so the talk ends."""
    chat = monthly(existing={"2026-10": "dikirim 3 Nov 2026 oleh Siti"})
    chat.say_all("2026-10", "tidak")
    assert chat.state is None
    assert [type(e) for e in chat.events] == [Cancelled]


def test_declining_to_replace_at_the_summary_through_the_service(service):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", *OCTOBER, *GROUPS, "kirim")
    chat.send_all("lapor", "1", "2026-11", *OCTOBER[1:], *GROUPS)
    assert chat.replies[-1].text.startswith(SUMMARY)
    chat.send_all("ubah 1", "2026-10")
    reply = chat.send("tidak")
    assert "dibatalkan" not in reply and "Laporan bulan apa?" in reply
    chat.send("2026-11")
    reply = chat.send("12")
    assert reply.startswith(SUMMARY) and "6. S: balita sasaran: 80" in reply


# --- item 8: skipping the rest of a section keeps what was answered -------------------------


def test_skipping_the_rest_of_a_section_keeps_the_answer_already_given():
    chat = monthly()
    chat.say_all(*OCTOBER, "8", "6")
    assert "LiLA kurang dari 23,5 cm" in chat.last
    chat.say("lewati")
    assert chat.state.answers["BUMIL_DATANG"] == 6
    reply = chat.say_all(*GROUPS[7:])
    assert "20. Ibu hamil datang: 6" in reply
    assert "21. Ibu hamil KEK (LiLA < 23,5 cm): dilewati" in reply
    chat.say("kirim")
    answers = submitted(chat).answers
    assert answers["BUMIL_DATANG"] == 6 and "BUMIL_KEK" not in answers


# --- item 9: partial sums of N, T, O, B above D are refused where they happen --------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["61"], "N (61) tidak boleh lebih dari D (60)"),
        (["40", "21"], "N+T (61) tidak boleh lebih dari D (60)"),
        (["40", "10", "11"], "N+T+O (61) tidak boleh lebih dari D (60)"),
        (["40", "10", "5", "6"], "N+T+O+B (61) tidak boleh lebih dari D (60)"),
    ],
)
def test_n_t_o_b_adding_up_to_more_than_d_is_refused_at_once(parts, expected):
    chat = monthly()
    chat.say_all(*HEADER, "80", "60", *parts[:-1])
    before = dict(chat.state.answers)
    reply = chat.say(parts[-1])
    assert expected in reply
    assert chat.state.answers == before


# --- item 10: a corrected number typed at a soft warning ------------------------------------


def test_a_number_typed_at_a_soft_warning_replaces_the_answer():
    chat = monthly()
    chat.say_all(*HEADER, "80")
    assert "Hanya 25% balita yang ditimbang" in chat.say("20")
    reply = chat.say("60")
    assert "N: dari yang ditimbang" in reply
    assert chat.state.answers["BAL_D"] == 60 and chat.state.pending is None


def test_a_number_typed_at_a_soft_warning_is_checked_again():
    chat = monthly()
    chat.say_all(*HEADER, "80")
    chat.say("20")
    assert "Hanya 38% balita yang ditimbang" in chat.say("30")
    assert "D (90) tidak boleh lebih dari S (80)" in chat.say("90")
    assert "BAL_D" not in chat.state.answers
    chat.say("ya")
    assert chat.state.answers["BAL_D"] == 30


# --- item 14: the navigation hint once per form, again after an error or on request ----------


def test_navigation_hint_is_shown_once_then_after_an_error():
    chat = monthly()
    assert NAVIGATION in chat.last
    chat.say_all(*HEADER)
    assert NAVIGATION not in chat.last
    assert NAVIGATION not in chat.say("80")
    reply = chat.say("banyak")
    assert "bukan angka" in reply and NAVIGATION in reply
    assert NAVIGATION not in chat.say("70")


def test_the_engine_can_show_the_navigation_hint_again_on_request():
    chat = monthly()
    chat.say_all(*HEADER, "80")
    engine = Engine(ALL_FORMS)
    assert NAVIGATION not in engine.reprompt(chat.state, NOW).replies[0].text
    reply = engine.reprompt(chat.state, NOW, hint=True).replies[0].text
    assert "D: berapa balita" in reply and NAVIGATION in reply


def test_reprompt_at_the_summary_and_at_a_warning_shows_what_is_open(service):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", *OCTOBER, *GROUPS)
    reply = chat.send("status")
    assert "Status laporan bulanan" in reply and SUMMARY in reply
    chat.send_all("batal", "lapor", "1", *HEADER, "80", "20")
    reply = chat.send("status")
    assert "Hanya 25% balita yang ditimbang" in reply


# --- item 21: each check says its own words --------------------------------------------------


def test_every_monthly_check_has_its_own_message():
    hard = [check.message for check in MONTHLY.checks if not check.soft]
    assert len(hard) == len(set(hard))
    named = {check.name for check in MONTHLY.checks}
    assert set(MONTHLY_CHECKS) - named <= {"jump", "above_target", "coverage_low"}


def test_too_many_vitamin_a_capsules_are_refused_with_the_vitamin_a_message():
    chat = monthly(default_period="2026-08")
    chat.say_all("2026-08", "ya", "12", "5", "1", *BALITA, "50")
    reply = chat.say("40")
    assert "Vitamin A biru + merah (90) tidak boleh lebih dari S (80)" in reply


# --- item 12: natural ways to say "send" at the summary --------------------------------------


@pytest.mark.parametrize("word", ["ya", "OK", "Sudah", "Kirim!", "kirim.", "Ya!", "oke"])
def test_natural_send_words_at_the_summary_send(word):
    chat = at_summary()
    assert chat.say(word).startswith("✅ Terima kasih")
    assert submitted(chat).answers["BAL_S"] == 80


# --- item 13: wording -----------------------------------------------------------------------


def test_questions_name_the_reported_month_not_bulan_ini():
    chat = monthly(existing={"2026-10": "dikirim 3 Nov 2026 oleh Siti"})
    questions = [chat.last]
    for answer in ["2026-10", "ya", *OCTOBER[1:], *GROUPS]:
        questions.append(chat.say(answer))
    assert not [q for q in questions if "bulan ini" in q]
    assert "Laporan bulan Oktober 2026 sudah pernah dikirim" in questions[1]
    assert any("ditimbang di bulan Oktober 2026?" in q for q in questions)
    assert any("Tanggal berapa Posyandu buka di bulan Oktober 2026?" in q for q in questions)


def test_kader_bertugas_hint_matches_its_bound():
    chat = monthly()
    chat.say_all(*HEADER[:3])
    reply = chat.say("0")
    assert "paling sedikit 1" in reply
    assert "0 jika tidak ada" not in reply


# --- measure: the monthly report's happy path ----------------------------------------------


def test_monthly_happy_path_is_short(service, capsys):
    """A practised kader files October question by question, every group with people and
    problems (the SKDN form took 30 messages, 5,744 characters, for far fewer figures)."""
    chat = ServiceChat(service, KADER)
    messages = characters = 0
    for line in ["lapor", "1", *OCTOBER, *GROUPS, "kirim"]:
        chat.send(line)
        messages += len(chat.replies)
        characters += sum(len(render(reply)) for reply in chat.replies)
    assert chat.replies[-1].text.startswith("✅ Terima kasih")
    with capsys.disabled():
        print(f"\nmonthly happy path: {messages} messages, {characters} characters")
    assert messages == 47
    assert characters <= 6100

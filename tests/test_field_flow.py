"""Field-test defects in the flow of a form: editing, skipping, warnings, hints, wording.

Each test replays what a kader did in the field test (issue "Field-test defects")
through the pure engine or the real core service.
"""

from __future__ import annotations

import pytest

from bot.channels.console import render
from bot.channels.telegram_format import inline_rows
from bot.channels.whatsapp_payload import ROW_TITLE_LIMIT, render_reply
from conversations import ALL_FORMS, Cancelled, Engine, Submitted
from conversations.forms import MONTHLY
from conversations.forms.monthly import MONTHLY_CHECKS
from handlers import Service, form_context
from tests.chat import ServiceChat
from tests.roster import KADER, KADER_TWO_POSYANDU, load_roster
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
    assert "(7) D 64" in reply and "(8) N 44" in reply
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
    assert "(7) D 60" in reply and "(9) T 10" in reply
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
    assert "(19) dilewati" in chat.last
    assert "Berapa ibu hamil sasaran" in chat.say("ubah 19")
    reply = chat.say("kembali")
    assert reply.startswith(SUMMARY) and "(19) dilewati" in reply


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
    assert reply.startswith(SUMMARY) and "(1) BULAN Oktober 2026" in reply


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
    assert reply.startswith(SUMMARY) and "(6) S 80" in reply


# --- item 8: skipping the rest of a section keeps what was answered -------------------------


def test_skipping_the_rest_of_a_section_keeps_the_answer_already_given():
    chat = monthly()
    chat.say_all(*OCTOBER, "8", "6")
    assert "LiLA kurang dari 23,5 cm" in chat.last
    chat.say("lewati")
    assert chat.state.answers["BUMIL_DATANG"] == 6
    reply = chat.say_all(*GROUPS[7:])
    assert "(20) DATANG 6" in reply
    assert "(21) KEK dilewati" in reply
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

# Every follow-up asked: a KEK mother (so KEK_MT), nifas mothers who came (so their problems
# and referrals). November is due on 22 Nov; the answers are October's, the date the 12th.
WORST = [*OCTOBER[1:], *GROUPS, "kirim"]
# Every group served, no KEK and no nifas mother that day: their follow-up counts are not
# asked (a datang of 0 skips the group's other counts, a KEK of 0 skips KEK_MT).
NO_FOLLOW_UPS = [*OCTOBER[1:], *("8", "6", "0", "6", "0", "1"), "0", *GROUPS[10:], "kirim"]


def file_october(service) -> None:
    """October, sent late and question by question: the month is asked, its last month is not
    in. Afterwards November, the due month, is clear and the menu's entry answers it."""
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor bulanan", OCTOBER[0], *WORST)
    assert chat.replies[-1].text.startswith("✅ Terima kasih")


def counted(service, script: list[str]) -> tuple[int, int]:
    """The messages and characters the bot prints (as the console does) for the kader's script."""
    chat = ServiceChat(service, KADER)
    messages = characters = 0
    for line in script:
        chat.send(line)
        messages += len(chat.replies)
        characters += sum(len(render(reply)) for reply in chat.replies)
    assert chat.replies[-1].text.startswith("✅ Terima kasih"), chat.replies[-1].text
    return messages, characters


def test_monthly_happy_path_is_short(service, capsys):
    """A practised kader files November question by question, every group with people and
    problems (the SKDN form took 30 messages, 5,744 characters, for far fewer figures; this
    report took 47 messages and 5,383 characters through the menu, asked its month).

    ``lapor bulanan`` opens the report without the menu, its month answered: November is
    due and October is in. Through the menu it is one message more (the tap).
    """
    file_october(service)
    script = ["lapor bulanan", *WORST]
    messages, characters = counted(service, script)
    with capsys.disabled():
        print(
            f"\nmonthly happy path: {len(script)} messages sent, {messages} printed,"
            f" {characters} characters"
        )
    assert (len(script), messages) == (45, 45)
    assert characters <= 6100


@pytest.mark.parametrize(
    ("scenario", "script", "october_in"),
    [
        ("worst case, lapor bulanan", ["lapor bulanan", *WORST], True),
        ("no follow-ups, the menu", ["lapor", "1", *NO_FOLLOW_UPS], True),
        (
            "no follow-ups, a late month, the menu",
            ["lapor", "1", OCTOBER[0], *NO_FOLLOW_UPS],
            False,
        ),
    ],
)
def test_question_by_question_in_the_default_profile_takes_at_most_45_messages(
    service, capsys, scenario, script, october_in
):
    """The kader's messages, every one answering the question asked, up to the thank-you.

    The month is answered when it is clear (last month in); a late month (or a Posyandu's
    first report) is asked, as before.
    """
    if october_in:
        file_october(service)
    _, characters = counted(service, script)
    with capsys.disabled():
        print(f"\n{scenario}: {len(script)} messages sent, {characters} characters")
    assert len(script) <= 45


# --- the menu: lapor bulanan, and the entry that names the due month ------------------------

MENU = "Laporan apa yang ingin Anda isi?"
DUE_ENTRY = "Laporan bulanan Nov 2026"
MONTH_ASKED = "Laporan bulan apa?"


def menu_labels(chat: ServiceChat) -> list[str]:
    return [choice.label for choice in chat.replies[-1].choices]


@pytest.mark.parametrize("words", ["lapor bulanan", "LAPOR 1", "/lapor bulan", "lapor Bulanan."])
def test_lapor_bulanan_opens_the_report_at_the_due_month(service, words):
    file_october(service)
    chat = ServiceChat(service, KADER)
    reply = chat.send(words)
    assert MENU not in reply and len(chat.replies) == 1
    assert reply.startswith("Laporan bulan November 2026. Bulan lain? Ketik kembali")
    assert "(2/44) Umum\nApakah Posyandu buka (hari buka dilaksanakan) di bulan November 2026?" in (
        reply
    )
    assert "kembali = mundur" in reply  # the first question asked shows the controls
    asked = chat.send("kembali")
    assert MONTH_ASKED in asked and "Jawaban sebelumnya: November 2026." in asked
    assert "Laporan bulan Oktober 2026 sudah pernah dikirim" in chat.send("oktober")


def test_another_month_in_one_message_as_the_note_says(service):
    file_october(service)
    chat = ServiceChat(service, KADER)
    assert "mis. bulan Oktober." in chat.send("lapor bulanan")
    assert "Laporan bulan Oktober 2026 sudah pernah dikirim" in chat.send("bulan oktober")


def test_the_menu_names_the_due_month_only_when_it_is_clear(service):
    """Clear: November (due on 22 Nov) is not in and October is. Otherwise the month is
    asked, as before: a late October is as likely, or replacing a November sent."""
    chat = ServiceChat(service, KADER)
    chat.send("lapor")
    assert menu_labels(chat)[0] == "Laporan bulanan Posyandu"
    assert MONTH_ASKED in chat.send("1")
    chat.send("batal")
    file_october(service)
    chat.send("lapor")
    assert menu_labels(chat)[0] == DUE_ENTRY
    assert "Laporan bulan November 2026" in chat.send("1")
    chat.send_all("batal", "lapor bulanan", *WORST)
    assert chat.replies[-1].text.startswith("✅ Terima kasih")
    chat.send("lapor")
    assert menu_labels(chat)[0] == "Laporan bulanan Posyandu"
    assert MONTH_ASKED in chat.send("1")


def test_the_due_month_fits_a_whatsapp_list_row_in_every_month():
    posyandu = [("PY1", "Posyandu Melati")]
    for month in range(1, 13):
        forms = form_context.menu(posyandu, {}, f"2026-{month:02d}")["forms"]
        assert len(forms[0][1]) <= ROW_TITLE_LIMIT, forms[0]


def test_lapor_with_other_words(service):
    chat = ServiceChat(service, KADER)
    assert "Tanggal berapa kunjungan rumah dilakukan?" in chat.send("lapor 2")
    chat.send("batal")
    assert MENU in chat.send("lapor xyz")  # words that name no entry: the menu, as asked
    assert chat.send("lapor kembali").startswith(MENU)


def test_lapor_bulanan_still_asks_which_posyandu(service):
    chat = ServiceChat(service, KADER_TWO_POSYANDU)
    assert "Untuk Posyandu yang mana?" in chat.send("lapor bulanan")
    assert MONTH_ASKED in chat.send("Posyandu Mawar")


def test_lapor_bulanan_continues_the_report_put_aside(service):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", *OCTOBER[:4], "lapor 2")
    reply = chat.send("lapor bulanan")
    assert "Anda sedang mengisi laporan bulanan" in reply and "Oktober 2026" in reply
    assert "(5/44) Umum\nBerapa tenaga kesehatan" in reply


def test_the_menu_on_whatsapp_and_telegram(database, clock):
    """The entry naming the month is a whole list row on WhatsApp, a button on Telegram; the
    Mini App button stays under the menu and not under a question ``lapor bulanan`` opens."""
    service = Service(
        database, Engine(ALL_FORMS), clock=clock, web_url="https://posyandu.example.go.id"
    )
    load_roster(database)
    file_october(service)
    whatsapp = ServiceChat(service, KADER, channel="whatsapp")
    whatsapp.send("lapor")
    [listed] = render_reply("628", whatsapp.replies[-1])
    row = listed["interactive"]["action"]["sections"][0]["rows"][0]
    assert row["title"] == DUE_ENTRY and "description" not in row
    telegram = ServiceChat(service, KADER, channel="telegram", user_id="7001")
    telegram.send("lapor")
    rows = inline_rows(telegram.replies[-1])
    assert rows[0][0].label == DUE_ENTRY and rows[-1][0].web_app is not None
    telegram.send("lapor bulanan")
    assert telegram.replies[-1].web_app is None

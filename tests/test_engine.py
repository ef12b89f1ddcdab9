"""Transcripts of the three forms through the pure engine, with a fixed clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from conversations import Cancelled, Submitted
from tests.transcript import EngineChat

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
MONTHLY_CONTEXT = {
    "posyandu_code": "PY1",
    "posyandu_name": "Posyandu Melati",
    "default_period": "2026-11",
    "history": {"2026-09": {"BAL_S": 80, "BUMIL_SASARAN": 8}},
    "existing": {},
}
K_ON = {"profile": {"BAL_K": True}}
# periode, buka, tanggal, kader, nakes
HEADER = ["2026-10", "ya", "12", "5", "1"]
# S D N T O B 2T BGM UKUR GIZI RUJUK
BALITA = ["80", "60", "40", "10", "5", "5", "2", "1", "50", "1", "2"]
OCTOBER = [*HEADER, *BALITA]
# bumil: sasaran datang KEK MT TTD HT rujuk;
# nifas: datang masalah rujuk; remaja: sasaran datang masalah TTD rujuk;
# dewasa: sasaran datang HT GDS rujuk; lansia: sasaran datang HT GDS AKS rujuk;
# TBC: skrining terduga
GROUPS = [
    *("8", "6", "1", "1", "6", "0", "1"),
    *("4", "0", "0"),
    *("30", "20", "3", "10", "1"),
    *("40", "25", "5", "2", "1"),
    *("20", "15", "4", "2", "1", "1"),
    *("30", "1"),
]


def monthly(**context: object) -> EngineChat:
    return EngineChat("bulanan", {**MONTHLY_CONTEXT, **context}, NOW)


def submitted(chat: EngineChat) -> Submitted:
    events = [e for e in chat.events if isinstance(e, Submitted)]
    assert len(events) == 1
    return events[0]


def test_full_monthly_report_is_submitted_with_every_answer():
    chat = monthly()
    assert "(1/" in chat.last and "Laporan bulan apa?" in chat.last
    chat.say_all(*OCTOBER, *GROUPS)
    assert chat.last.startswith("Periksa dulu laporan bulanan Posyandu Melati Oktober 2026")
    assert "6. S: balita sasaran: 80" in chat.last
    assert chat.say("kirim").startswith("✅ Terima kasih")
    event = submitted(chat)
    assert chat.state is None
    assert event.answers["periode"] == "2026-10"
    assert event.answers["POSY_TANGGAL"] == "2026-10-12"
    assert (event.answers["BAL_S"], event.answers["BAL_D"], event.answers["BAL_N"]) == (80, 60, 40)
    assert event.answers["POSY_KADER_HADIR"] == 5
    assert event.answers["TBC_TERDUGA"] == 1
    assert event.alerts == ()
    assert "BAL_VITA_BIRU" not in event.answers and "BAL_K" not in event.answers


def test_every_question_shows_position_out_of_total():
    chat = monthly()
    chat.say_all(*HEADER)
    assert chat.last.startswith("(6/44) Balita 0-59 bulan")
    chat = monthly(**K_ON)
    chat.say_all(*HEADER)
    assert chat.last.startswith("(6/45) Balita 0-59 bulan")


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["80", "70", "90"], "D (90) tidak boleh lebih dari S (80)"),
        (["80", "90"], "K (90) tidak boleh lebih dari S (80)"),
        (["80", "70", "60", "40", "10", "5", "4"], "N+T+O+B harus sama dengan D (60), sekarang 59"),
        (["80", "70", "60", "40", "10", "5", "5", "11"], "2T (11) tidak boleh lebih dari T (10)"),
        (
            ["80", "70", "60", "40", "10", "5", "5", "2", "61"],
            "BGM (61) tidak boleh lebih dari D (60)",
        ),
        (
            ["80", "70", "60", "40", "10", "5", "5", "2", "1", "61"],
            "Diukur panjang/tinggi badan (61) tidak boleh lebih dari D (60)",
        ),
        (["abc"], "'abc' bukan angka"),
        (["12a"], "'12a' bukan angka"),
        (["😀"], "bukan angka"),
        (["1; DROP TABLE report;--"], "bukan angka"),
        (["-5"], "Angka tidak boleh negatif"),
        (["1001"], "Angka terlalu besar: paling banyak 1000"),
    ],
)
def test_invalid_balita_answers_are_refused_and_nothing_is_lost(answers, expected):
    chat = monthly(**K_ON)
    chat.say_all(*HEADER, *answers[:-1])
    before = dict(chat.state.answers)
    reply = chat.say(answers[-1])
    assert expected in reply
    assert chat.state.answers == before, "an earlier answer was lost"
    assert reply.rstrip().endswith("batal = berhenti"), "the question is asked again"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            ["8", "6", "7"],
            "Ibu hamil KEK (LiLA < 23,5 cm) (7) tidak boleh lebih dari Ibu hamil datang (6)",
        ),
        (["8", "6", "2", "3"], "tidak boleh lebih dari Ibu hamil KEK (LiLA < 23,5 cm) (2)"),
        (["8", "6", "2", "1", "6", "0", "7"], "Ibu hamil dirujuk (7) tidak boleh lebih dari"),
    ],
)
def test_problem_and_referral_counts_are_at_most_the_group_that_came(answers, expected):
    chat = monthly()
    chat.say_all(*OCTOBER, *answers[:-1])
    before = dict(chat.state.answers)
    assert expected in chat.say(answers[-1])
    assert chat.state.answers == before


def test_tbc_presumptive_at_most_screened_and_skipped_when_nobody_was_screened():
    chat = monthly()
    chat.say_all(*OCTOBER, *GROUPS[:-2], "5")
    assert "Terduga TBC (6) tidak boleh lebih dari Diskrining TBC (5)" in chat.say("6")
    chat.say_all("kembali", "0")
    assert chat.last.startswith("Periksa dulu laporan")
    assert "Terduga TBC" not in chat.last


def test_a_group_with_nobody_coming_skips_its_other_counts():
    chat = monthly()
    chat.say_all(*OCTOBER, "8", "6", "1", "1", "6", "0", "1", "0")
    assert "usia sekolah dan remaja (6-18 tahun) sasaran" in chat.last


def test_datang_above_sasaran_and_low_coverage_are_confirmed():
    chat = monthly()
    chat.say_all(*OCTOBER, "8")
    reply = chat.say("10")
    assert "Ibu hamil datang (10) lebih banyak dari ibu hamil sasaran (8)" in reply
    chat.say("tidak")
    assert "Hanya 25% ibu hamil yang datang" in chat.say("2")
    chat.say("ya")
    assert chat.state.answers["BUMIL_DATANG"] == 2


def test_sasaran_is_offered_from_the_last_report_and_a_big_change_is_confirmed():
    chat = monthly()
    chat.say_all(*OCTOBER)
    assert "8 (seperti bulan lalu)" in [c.label for c in chat.replies[-1].choices]
    assert "Ibu hamil sasaran berubah lebih dari 20%" in chat.say("12")


def test_the_day_held_is_in_the_month_reported():
    chat = monthly()
    chat.say_all("2026-10", "ya")
    assert "tidak di bulan Oktober 2026" in chat.say("5/11")
    chat.say("12")
    assert chat.state.answers["POSY_TANGGAL"] == "2026-10-12"


def test_thousands_separators_and_zero_words_are_understood():
    chat = monthly()
    chat.say_all(*HEADER, "1.000")
    assert "S = 1000 balita" in chat.last  # soft warning: above 250
    assert "S berubah lebih dari 20% dari laporan terakhir (80 → 1000)" in chat.say("ya")
    chat.say("ya")
    assert chat.state.answers["BAL_S"] == 1000
    chat.say("nol")
    assert "Hanya 0% balita yang ditimbang" in chat.last


def test_a_five_thousand_character_message_is_refused_without_losing_answers():
    chat = monthly()
    chat.say_all(*HEADER, "80")
    reply = chat.say("9" * 5000)
    assert "Pesan terlalu panjang (5000 huruf)" in reply
    assert chat.state.answers["BAL_S"] == 80


def test_future_month_is_refused():
    chat = monthly()
    assert "Bulan Desember 2026 belum berjalan" in chat.say("2026-12")
    assert "periode" not in chat.state.answers


@pytest.mark.parametrize("month", ["2026-10", "10/2026", "Oktober", "bulan lalu", "okt 2026"])
def test_months_in_every_accepted_form(month):
    chat = monthly()
    chat.say(month)
    assert chat.state.answers["periode"] == "2026-10"


def test_soft_warning_can_be_confirmed_or_corrected():
    chat = monthly()
    chat.say_all(*HEADER, "80")
    reply = chat.say("20")
    assert "Hanya 25% balita yang ditimbang" in reply and "sudah benar?" in reply
    assert "silakan ketik ulang" in chat.say("tidak")
    assert "BAL_D" not in chat.state.answers
    chat.say("20")
    chat.say("ya")
    assert chat.state.answers["BAL_D"] == 20


def test_s_changing_more_than_twenty_percent_asks_for_confirmation():
    chat = monthly()
    chat.say_all(*HEADER)
    assert "80 (seperti bulan lalu)" in [c.label for c in chat.replies[-1].choices]
    assert "S berubah lebih dari 20% dari laporan terakhir (80 → 120)" in chat.say("120")


def test_back_goes_one_question_back_and_shows_the_earlier_answer():
    chat = monthly(**K_ON)
    chat.say_all(*HEADER, "80", "70")
    reply = chat.say("kembali")
    assert "K: berapa balita" in reply and "Jawaban sebelumnya: 70" in reply
    chat.say("75")
    assert chat.state.answers["BAL_K"] == 75
    assert "D: berapa balita" in chat.last


def test_skip_leaves_out_a_whole_group_section():
    chat = monthly()
    chat.say_all(*OCTOBER)
    assert "Lewati" in [choice.label for choice in chat.replies[-1].choices]
    chat.say("lewati")
    assert "ibu nifas atau menyusui" in chat.last
    assert {"BUMIL_SASARAN", "BUMIL_DATANG", "BUMIL_KEK"} <= set(chat.state.skipped)


def test_vitamin_a_outside_february_and_august_is_offered_and_a_confirmed_catch_up():
    chat = monthly()
    chat.say_all(*OCTOBER, *GROUPS)
    assert "17. Vitamin A biru (6-11 bln): tidak diisi (ubah untuk mengisi)" in chat.last
    assert "bukan bulan vitamin A" in chat.say("ubah 17")
    assert "Ini pemberian susulan?" in chat.say("3")
    assert chat.say("ya").startswith("Periksa dulu laporan")
    assert "17. Vitamin A biru (6-11 bln): 3" in chat.last
    chat.say_all("ubah 18", "20")
    assert chat.state.answers["BAL_VITA_MERAH"] == 20
    chat.say("kirim")
    assert submitted(chat).answers["BAL_VITA_BIRU"] == 3


def test_required_question_cannot_be_skipped():
    chat = monthly()
    chat.say_all(*HEADER)
    assert "wajib dijawab" in chat.say("lewati")


def test_edit_from_summary_returns_to_summary():
    chat = monthly()
    chat.say_all(*OCTOBER, *GROUPS)
    reply = chat.say("ubah 6")
    assert "S: berapa balita" in reply and "Jawaban sebelumnya: 80" in reply
    reply = chat.say("85")
    assert reply.startswith("Periksa dulu laporan")
    assert "6. S: balita sasaran: 85" in reply
    assert "ubah N" in chat.say("ubah 99") and "Nomor 99 tidak ada" in chat.last
    chat.say("kirim")
    assert submitted(chat).answers["BAL_S"] == 85


def test_edit_that_breaks_a_rule_is_refused_and_summary_stays_reachable():
    chat = monthly()
    chat.say_all(*OCTOBER, *GROUPS)
    assert "D (60) tidak boleh lebih dari S (50)" in chat.say_all("ubah 6", "50")
    assert chat.say("kembali").startswith("Periksa dulu laporan")
    chat = monthly(**K_ON)
    chat.say_all(*HEADER, "80", "70", *BALITA[1:], *GROUPS)
    assert "K (70) tidak boleh lebih dari S (50)" in chat.say_all("ubah 6", "50")
    assert chat.say("kembali").startswith("Periksa dulu laporan")


def test_cancel_saves_nothing():
    chat = monthly()
    chat.say_all(*HEADER, "80")
    assert "dibatalkan" in chat.say("batal")
    assert chat.state is None
    assert [type(e) for e in chat.events] == [Cancelled]


def test_not_held_path_asks_only_the_reason():
    chat = monthly()
    chat.say_all("2026-10", "tidak")
    assert "Mengapa Posyandu tidak buka?" in chat.last
    reply = chat.say("1")
    assert reply.startswith("Periksa dulu laporan")
    chat.say("kirim")
    assert submitted(chat).answers == {
        "periode": "2026-10",
        "POSY_BUKA": False,
        "POSY_ALASAN": "bencana",
    }


def test_vitamin_a_and_deworming_are_asked_in_august():
    chat = monthly(default_period="2026-08")
    chat.say_all("2026-08", "ya", "12", "5", "1", *BALITA)
    assert "vitamin A biru" in chat.last and "bukan bulan vitamin A" not in chat.last
    assert "tidak boleh lebih dari S" in chat.say_all("50", "40")
    chat.say("30")
    assert chat.state.answers["BAL_VITA_MERAH"] == 30
    assert "obat cacing" in chat.last


def test_existing_report_asks_to_replace_and_declining_ends_without_saving():
    chat = monthly(existing={"2026-10": "dikirim 3 Nov 2026 oleh Siti"})
    reply = chat.say("2026-10")
    assert "sudah pernah dikirim (dikirim 3 Nov 2026 oleh Siti)" in reply
    chat.say("tidak")
    assert chat.state is None
    assert [e.reason for e in chat.events] == ["declined"]


def test_stale_button_changes_nothing():
    chat = monthly()
    chat.say("2026-10")
    old_question = chat.replies[-1].question_id
    chat.say("ya", choice="ya", question_id=old_question)
    before = chat.state.answers.copy()
    reply = chat.say("tidak", choice="tidak", question_id=old_question)
    assert "sudah ditutup" in reply
    assert chat.state.answers == before


def test_state_survives_json_roundtrip_mid_form():
    chat = monthly(**K_ON)
    chat.say_all(*HEADER, "80")
    chat.roundtrip()
    assert "K: berapa balita" in chat.say("bukan angka")
    chat.say("70")
    assert chat.state.answers["BAL_K"] == 70


def test_draft_expires_after_seven_days():
    chat = monthly()
    chat.say("2026-10")
    chat.now = NOW.replace(day=30)
    assert "kedaluwarsa" in chat.say("ya")
    assert chat.state is None


# --- home visit ---------------------------------------------------------------


def visit() -> EngineChat:
    return EngineChat("kunjungan", {"posyandu_code": "PY1", "posyandu_name": "Melati"}, NOW)


def test_home_visit_with_danger_signs_needs_follow_up_and_alerts():
    chat = visit()
    assert "Tanggal berapa" in chat.last
    chat.say_all("kemarin", "bayi/balita", "4", "ya", "1, 3")
    assert "tidak ada" in chat.say("1").casefold() and "pilih tindak lanjut" in chat.last
    chat.say_all("3", "lewati", "kirim")
    event = submitted(chat)
    assert event.answers["tanggal"] == "2026-11-21"
    assert event.answers["sasaran"] == "balita"
    assert event.answers["tanda_bahaya_balita"] == ["napas_cepat", "demam"]
    assert event.answers["tindak_lanjut"] == "rujuk"
    assert "catatan" not in event.answers
    assert event.alerts == ("tanda_bahaya",)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("12", "2026-11-12"),
        ("12/11", "2026-11-12"),
        ("12-11-2026", "2026-11-12"),
        ("hari ini", "2026-11-22"),
        ("12 Nov", "2026-11-12"),
    ],
)
def test_visit_dates_in_every_accepted_form(typed, stored):
    chat = visit()
    chat.say(typed)
    assert chat.state.answers["tanggal"] == stored


def test_visit_date_in_the_future_is_refused():
    chat = visit()
    assert "belum lewat" in chat.say("30/11/2026")
    assert "Maaf, tanggal 'kapan-kapan' tidak dikenali" in chat.say("kapan-kapan")


def test_old_visit_warns():
    chat = visit()
    assert "lebih dari 14 hari" in chat.say("1/10/2026")


def test_visit_without_danger_has_no_alert():
    chat = visit()
    chat.say_all(
        "hari ini", "lansia", "absen", "tidak", "tidak", "ingatkan", "Sudah diingatkan", "kirim"
    )
    event = submitted(chat)
    assert event.alerts == ()
    assert event.answers["catatan"] == "Sudah diingatkan"


# --- outreach ----------------------------------------------------------------


def outreach() -> EngineChat:
    context = {"posyandu_code": "PY1", "posyandu_name": "Melati", "desa_name": "Sukamaju"}
    return EngineChat("luar_gedung", context, NOW)


def test_outreach_health_talk_with_topic_and_bok_funding():
    chat = outreach()
    chat.say_all("penyuluhan", "kemarin", "Sukamaju", "umum", "isi piringku")
    assert "1 sampai 300" not in chat.last
    chat.say_all("0", "0")
    assert "paling sedikit 1" in chat.last
    chat.say_all("kembali", "12", "20", "30")
    chat.say("31")
    assert "Orang dirujuk (31) tidak boleh lebih dari yang dilayani (30)" in chat.last
    chat.say_all("2", "1,5", "BOK", "kirim")
    event = submitted(chat)
    assert event.answers["jenis"] == "penyuluhan"
    assert event.answers["topik"] == "isi_piringku"
    assert (event.answers["peserta_l"], event.answers["peserta_p"]) == (12, 20)
    assert event.answers["durasi"] == 1.5
    assert event.answers["dana"] == "bok"


def test_outreach_duration_bounds_and_topic_only_for_talks():
    chat = outreach()
    chat.say_all("skrining ptm", "hari ini", "Sukamaju", "usia dewasa")
    assert "Berapa peserta laki-laki" in chat.last
    chat.say_all("350", "0")
    assert "Peserta 350 orang, lebih dari 300" in chat.last
    chat.say_all("ya", "300", "10")
    assert "paling banyak 12" in chat.say("13")
    assert "paling sedikit 0,5" in chat.say("0,25")


def test_a_stale_button_during_a_warning_shows_the_warning_again():
    chat = monthly()
    chat.say_all(*HEADER, "80")
    old_question = chat.replies[-1].question_id
    chat.say("20")
    reply = chat.say("0", choice="0", question_id=old_question)
    assert "sudah ditutup" in reply and "Hanya 25% balita" in reply
    assert "ya atau tidak" in chat.say("mungkin")
    chat.say("ya")
    assert chat.state.answers["BAL_D"] == 20


def test_two_soft_warnings_on_one_answer_are_each_confirmed():
    chat = monthly(**K_ON)
    chat.say_all(*HEADER, "80", "10")
    assert "Hanya 25% balita" in chat.say("20")
    assert "D (20) lebih besar dari K (10)" in chat.say("ya")
    chat.say("ya")
    assert chat.state.answers["BAL_D"] == 20

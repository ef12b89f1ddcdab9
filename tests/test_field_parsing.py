"""What kaders typed in the field test, understood the way they meant it (issue 9).

Each test replays a line that crashed the bot, stored a wrong answer, or was
refused although its meaning was plain: through the pure engine where the
form alone decides, through the core service where storage or a channel takes
part.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import cast
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.channels.console import ConsoleChannel
from bot.channels.telegram_format import decode_callback, parse_update
from conversations import Reply, Submitted
from conversations import words as engine_words
from conversations.messages import Choice
from conversations.parsing import parse_choice_number, parse_month
from handlers import words as handler_words
from handlers.delivery import Sender
from handlers.mailroom import Arrival, Mailroom
from handlers.rekap import args as rekap_args
from storage import Database
from storage.models import Inbox, Outbox, Report
from tests.chat import ServiceChat
from tests.roster import KADER
from tests.test_engine import GROUPS, HEADER, OCTOBER
from tests.transcript import EngineChat

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=JAKARTA)  # the field test: Sunday 29 Nov 2026
MONTHLY_CONTEXT = {
    "posyandu_code": "PY1",
    "posyandu_name": "Posyandu Melati",
    "default_period": "2026-11",
    "earliest_period": "2025-11",
    "history": {},
    "existing": {},
}
VISIT_CONTEXT = {"posyandu_code": "PY1", "posyandu_name": "Melati"}


def count(database: Database, table: type) -> int:
    with database.transaction() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def monthly(now: datetime = NOW) -> EngineChat:
    return EngineChat("bulanan", dict(MONTHLY_CONTEXT), now)


CALM_VISIT = ["lapor", "2", "hari ini", "1", "6", "1", "tidak", "tidak", "tidak", "2", "lewati"]


def visit(now: datetime = NOW) -> EngineChat:
    return EngineChat("kunjungan", dict(VISIT_CONTEXT), now)


def at_danger_signs() -> EngineChat:
    chat = visit()
    chat.say_all("hari ini", "1", "3", "1", "tidak", "tidak")
    assert "Tanda bahaya apa" in chat.last
    return chat


def submitted(chat: EngineChat) -> Submitted:
    [event] = [e for e in chat.events if isinstance(e, Submitted)]
    return event


# --- crashes: one numbered-choice parser for every place a number picks an option -------


@pytest.mark.parametrize(
    ("typed", "count", "number"),
    [
        ("2", 3, 2),
        (" 3 ", 3, 3),
        ("4", 3, None),
        ("0", 3, None),
        ("²", 3, None),
        ("①", 3, None),
        ("7²４", 9, None),
        ("٢", 3, None),
        ("1" * 5000, 3, None),
        ("12", None, 12),
        ("9" * 5000, None, None),
    ],
)
def test_only_short_ascii_numbers_pick_a_numbered_choice(typed, count, number):
    assert parse_choice_number(typed, count) == number


def test_long_number_at_a_date_question_is_refused_not_crashed():
    chat = visit()
    assert "tidak dikenali" in chat.say("74864993534")
    assert "tanggal" not in chat.state.answers


@pytest.mark.parametrize("typed", ["²", "①", "7²４", "１"])
def test_superscript_and_circled_digits_at_a_choice_are_refused(typed):
    chat = visit()
    chat.say("hari ini")
    assert "tidak ada" in chat.say(typed)
    assert "sasaran" not in chat.state.answers


@pytest.mark.parametrize("typed", ["²", "9" * 999])
def test_odd_digits_at_a_yes_no_question_are_refused(typed):
    chat = monthly()
    chat.say("2026-10")
    assert engine_words.ERR_YES_NO in chat.say(typed)


class _AskingMailroom:
    """A mailroom whose core always asks a yes/no question with numbered buttons."""

    def __init__(self) -> None:
        self.service = self
        self._sender: Sender | None = None

    def attach(self, sender: Sender) -> None:
        self._sender = sender

    def link(self, channel: str, user_id: str, phone: str) -> bool:
        return True

    async def settle(self, arrivals: Sequence[Arrival]) -> None:
        assert self._sender is not None
        question = Reply("Ya atau tidak?", (Choice("ya", "Ya"), Choice("tidak", "Tidak")), "1")
        for arrival in arrivals:
            await self._sender.send(arrival.lane.user_id, [question])


def test_thousands_of_digits_typed_in_the_console_at_a_choice_do_not_crash_it():
    out = io.StringIO()
    lines = "mulai\n" + "7" * 4301 + "\n" + "9" * 10_000 + "\n²\n"
    mailroom = cast(Mailroom, _AskingMailroom())
    console = ConsoleChannel(mailroom, "+6281100000001", io.StringIO(lines), out)
    assert console.run() == 0
    assert out.getvalue().count("Ya atau tidak?") == 4


@pytest.mark.parametrize("page", ["²", "①", "9" * 5000])
def test_rekap_page_with_odd_digits_is_no_page(page):
    request = rekap_args.parse(["hal", page], date(2026, 11, 29))
    assert request.page == 1


@pytest.mark.parametrize("page", ["²", "9" * 4400])
def test_rekap_hal_with_odd_digits_gets_a_reply(service, page):
    reply = ServiceChat(service, KADER).send(f"rekap hal {page}")
    assert reply and handler_words.UNEXPECTED_ERROR not in reply


@pytest.mark.parametrize("data", ["5#²", "5#①", "5#" + "9" * 5000, "5#0"])
def test_telegram_button_data_with_odd_digits_is_not_a_press(data):
    assert decode_callback(data) is None
    update = {
        "update_id": 1,
        "callback_query": {
            "id": "q1",
            "from": {"id": 1001, "is_bot": False},
            "data": data,
            "message": {"message_id": 9, "chat": {"id": 1001, "type": "private"}},
        },
    }
    assert parse_update(update).inbound is None


def test_unexpected_error_is_apologised_logged_without_text_and_rolled_back(
    service, database, monkeypatch, caplog
):
    def broken(turn):
        raise ValueError(f"cannot read {turn.inbound.text} from {turn.profile.phone}")

    monkeypatch.setattr("handlers.service.route", broken)
    with caplog.at_level(logging.ERROR, logger="handlers.service"):
        reply = ServiceChat(service, KADER).send("rahasia 12345")
    assert reply == handler_words.UNEXPECTED_ERROR
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    logged = record.getMessage() + (caplog.text or "")
    assert "ValueError" in logged
    assert "rahasia" not in logged and KADER[3:] not in logged and "81100000001" not in logged
    assert count(database, Inbox) == 0, "half a message was committed"


# --- item 1: a negation never becomes a danger sign --------------------------------------


def test_tidak_at_danger_signs_means_none(service, database):
    chat = ServiceChat(service, KADER)
    script = ["lapor", "2", "hari ini", "1", "3", "1", "tidak", "tidak", "tidak", "2", "lewati"]
    summary = chat.send_all(*script)
    assert "Tanda bahaya balita: Tidak ada" in summary
    assert "✅" in chat.send("kirim")
    with database.transaction() as session:
        [visit_report] = session.exec(select(Report)).all()
    assert visit_report.data["tanda_bahaya_balita"] == []
    assert count(database, Outbox) == 0, "a false danger alert went to the bidan"


@pytest.mark.parametrize(
    "typed",
    ["tidak", "Tidak.", "tdk", "nggak", "ga ada", "tidak ada", "normal", "sehat", "0", "9"],
)
def test_none_words_at_danger_signs_store_no_sign(typed):
    chat = at_danger_signs()
    assert "Apa tindak lanjutnya?" in chat.say(typed)
    assert chat.state.answers["tanda_bahaya_balita"] == []


def test_multi_select_lists_tidak_ada_as_a_numbered_option():
    chat = at_danger_signs()
    assert "8. Tidak mau makan/menyusu\n9. Tidak ada" in chat.last


@pytest.mark.parametrize(
    "typed",
    ["tid", "tida", "makan", "menyusu", "tidak makan", "tidak batuk", "batuk, tidak", "1,9", "ada"],
)
def test_negated_or_ambiguous_words_never_pick_a_danger_sign(typed):
    chat = at_danger_signs()
    assert "tidak dikenali" in chat.say(typed)
    assert "tanda_bahaya_balita" not in chat.state.answers


@pytest.mark.parametrize(
    ("typed", "signs"),
    [
        ("napas cepat", ["napas_cepat"]),
        ("Napas cepat, demam", ["napas_cepat", "demam"]),
        ("batuk dan diare", ["batuk", "diare"]),
        ("batuk demam", ["batuk", "demam"]),
        ("1,3", ["napas_cepat", "demam"]),
        ("1 3", ["napas_cepat", "demam"]),
        ("tidak mau makan", ["tidak_mau_makan"]),
        ("diare dan tidak mau makan", ["diare", "tidak_mau_makan"]),
        ("lemas", ["lemas"]),
    ],
)
def test_danger_signs_by_label_words_numbers_and_lists(typed, signs):
    chat = at_danger_signs()
    chat.say(typed)
    assert chat.state.answers["tanda_bahaya_balita"] == signs


def test_tidak_at_a_choice_with_a_tidak_ada_option_picks_it():
    chat = at_danger_signs()
    chat.say_all("tidak", "tidak")
    assert chat.state.answers["tindak_lanjut"] == "tidak_ada"


def test_tidak_at_a_choice_without_a_none_option_is_asked_again():
    chat = visit()
    chat.say_all("hari ini", "1", "3")
    assert "tidak ada" in chat.say("tidak")
    assert "alasan" not in chat.state.answers


# --- item 6: the report month ------------------------------------------------------------


def test_report_month_older_than_twelve_months_is_refused(service):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1")
    for typed in ("1990-01", "Januari 1990", "Oktober 2025"):
        reply = chat.send(typed)
        assert "hubungi bidan atau Puskesmas" in reply, typed
        assert "Laporan bulan apa?" in reply
    assert "Apakah Posyandu buka" in chat.send("November 2025")


def test_bare_month_name_means_the_most_recent_past_month_and_is_read_back_with_year():
    chat = monthly()
    chat.say("Desember")
    assert chat.state.answers["periode"] == "2025-12"
    chat.say_all("ya", "12", *OCTOBER[3:], *GROUPS)
    assert "Posyandu Melati Desember 2025" in chat.last
    assert "(1) BULAN Desember 2025" in chat.last


def test_bare_month_name_of_this_month_is_this_month():
    chat = monthly()
    chat.say("November")
    assert chat.state.answers["periode"] == "2026-11"


# --- item 7: dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("30/11", "Senin, 30 Nov 2026"),
        ("1 Desember", "Selasa, 1 Des 2026"),
        ("besok", "Senin, 30 Nov 2026"),
        ("31 Des", "Kamis, 31 Des 2026"),
    ],
)
def test_day_and_month_later_this_year_is_not_yet(typed, shown):
    chat = visit()
    assert f"Tanggal {shown} belum lewat" in chat.say(typed)
    assert "tanggal" not in chat.state.answers


@pytest.mark.parametrize("typed", ["13/13", "31/11", "30/2", "0/11", "32", "12/0", "12-13-2026"])
def test_impossible_date_is_refused(typed):
    chat = visit()
    assert "tidak dikenali" in chat.say(typed)
    assert "tanggal" not in chat.state.answers


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("kmrn", "2026-11-28"),
        ("kemarin", "2026-11-28"),
        ("tgl 12", "2026-11-12"),
        ("tanggal 12/11", "2026-11-12"),
        ("28/11", "2026-11-28"),
        ("15 Mei", "2026-05-15"),
        ("29 nov 2026", "2026-11-29"),
        ("2026-11-20", "2026-11-20"),
        ("3 hari lalu", "2026-11-26"),
    ],
)
def test_natural_dates_are_understood(typed, stored):
    chat = visit()
    chat.say(typed)
    old_visit = chat.state.pending or {}  # more than 14 days ago: confirmed first
    assert chat.state.answers.get("tanggal", old_visit.get("value")) == stored


def test_a_day_and_month_from_late_last_year_is_last_year_in_january():
    chat = visit(datetime(2027, 1, 2, 10, 0, tzinfo=JAKARTA))
    chat.say("30/12")
    assert chat.state.answers["tanggal"] == "2026-12-30"


def test_dates_are_read_back_with_weekday_and_the_warning_does_not_call_them_a_number():
    chat = visit()
    warning = chat.say("1/11")
    assert "Minggu, 1 Nov 2026" in warning
    assert "2026-11-01" not in warning and "angka" not in warning
    chat.say_all("ya", "rutin", "lansia", "absen", "tidak", "tidak", "tidak", "ingatkan", "lewati")
    assert "1. Tanggal kunjungan: Minggu, 1 Nov 2026" in chat.last


# --- item 12: natural answers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "held"),
    [
        ("buka", True),
        ("tidak buka", False),
        ("iyaa", True),
        ("yaa", True),
        ("ya dong", True),
        ("Iya, buka", True),
        ("ngga", False),
        ("engga", False),
        ("ndak", False),
        ("nda", False),
        ("tak", False),
        ("blm", False),
        ("belum", False),
        ("👍", True),
        ("👍🏽", True),
    ],
)
def test_natural_yes_and_no(typed, held):
    chat = monthly()
    chat.say_all("2026-10", typed)
    assert chat.state.answers["POSY_BUKA"] is held


@pytest.mark.parametrize("channel", ["whatsapp", "telegram", "console"])
@pytest.mark.parametrize(("typed", "held"), [("1", True), ("2", False)])
def test_typed_1_and_2_at_yes_no_work_on_every_channel(service, channel, typed, held):
    chat = ServiceChat(service, KADER, channel=channel, user_id=f"{channel}-1")
    chat.send_all("lapor", "1", "2026-10")
    reply = chat.send(typed)
    expected = "Tanggal berapa Posyandu buka" if held else "Mengapa Posyandu tidak buka?"
    assert expected in reply


@pytest.mark.parametrize(("typed", "stored"), [("25 orang", 25), ("60 balita", 60), ("0 orang", 0)])
def test_counts_with_a_unit_word_take_the_number(typed, stored):
    chat = monthly()
    chat.say_all(*HEADER, typed)
    assert chat.state.answers["BAL_S"] == stored


@pytest.mark.parametrize("typed", ["sekitar 30", "kira-kira 30", "kurang lebih 30", "±30"])
def test_an_approximate_count_takes_the_number_and_asks_to_confirm_it(typed):
    chat = monthly()
    chat.say_all(*HEADER)
    reply = chat.say(typed)
    assert "angka pasti" in reply and "dicatat 30" in reply and "sudah benar?" in reply
    assert "BAL_S" not in chat.state.answers
    chat.say("ya")
    assert chat.state.answers["BAL_S"] == 30


def test_an_exact_number_typed_at_the_approximate_confirmation_replaces_it():
    chat = monthly()
    chat.say_all(*HEADER, "sekitar 30")
    chat.say("32")
    assert chat.state.answers["BAL_S"] == 32


def test_a_guess_typed_again_at_the_confirmation_is_confirmed_again():
    chat = monthly()
    chat.say_all(*HEADER, "sekitar 30")
    assert "dicatat 35" in chat.say("kira-kira 35")
    chat.say("ya")
    assert chat.state.answers["BAL_S"] == 35


def test_an_approximate_count_is_not_taken_when_the_kader_says_no():
    chat = monthly()
    chat.say_all(*HEADER, "sekitar 30")
    assert "ketik ulang" in chat.say("tidak")
    assert "BAL_S" not in chat.state.answers


def test_negative_count_is_refused_as_negative_not_as_no_number():
    chat = monthly()
    chat.say_all(*HEADER)
    reply = chat.say("-5")
    assert "tidak boleh negatif" in reply and "bukan angka" not in reply


def test_luar_gedung_at_the_menu_opens_the_outreach_form(service):
    chat = ServiceChat(service, KADER)
    chat.send("lapor")
    assert "Kegiatan luar gedung apa" in chat.send("luar gedung")


@pytest.mark.parametrize(("typed", "target"), [("hamil", "bumil"), ("balita", "balita")])
def test_a_unique_word_of_a_label_picks_it(typed, target):
    chat = visit()
    chat.say_all("hari ini", "rutin", typed)
    assert chat.state.answers["sasaran"] == target


def test_an_ambiguous_word_of_several_labels_picks_nothing():
    chat = visit()
    chat.say_all("hari ini", "rutin", "ibu")
    assert "sasaran" not in chat.state.answers


# --- found by the property test: a command while the summary or a warning is open -----------


@pytest.mark.parametrize("command", ["bantuan", "status", "mulai"])
def test_a_command_at_the_summary_shows_the_summary_again(service, command):
    chat = ServiceChat(service, KADER)
    chat.send_all(*CALM_VISIT)
    reply = chat.send(command)
    assert handler_words.UNEXPECTED_ERROR not in reply
    assert "Periksa dulu laporan kunjungan rumah" in chat.replies[-1].text
    assert "✅" in chat.send("kirim")


def test_lapor_at_the_summary_offers_to_continue_the_report_and_shows_its_summary(service):
    chat = ServiceChat(service, KADER)
    chat.send_all(*CALM_VISIT)
    reply = chat.send("lapor")
    assert handler_words.UNEXPECTED_ERROR not in reply
    assert "2. Lanjutkan laporan kunjungan rumah" in chat.replies[-1].text
    assert "Periksa dulu laporan kunjungan rumah" in chat.send("2")
    assert "✅" in chat.send("kirim")


def test_a_command_at_a_soft_warning_asks_the_warning_again(service):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", *HEADER)
    assert "sudah benar?" in chat.send("300")
    chat.send("bantuan")
    assert "S = 300 balita" in chat.replies[-1].text and "sudah benar?" in chat.replies[-1].text


def test_an_accepted_date_is_read_back_at_once_with_its_weekday():
    reply = visit().say("kmrn")
    assert reply.startswith("Tanggal kunjungan: Sabtu, 28 Nov 2026.")


def test_an_accepted_month_is_read_back_at_once_with_its_year():
    reply = monthly().say("Desember")
    assert reply.startswith("Bulan laporan: Desember 2025.")


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("bulan kemarin", "2026-10"),
        ("bln lalu", "2026-10"),
        ("2 bulan lalu", "2026-09"),
        ("des", "2025-12"),
        ("Januari 1990", "1990-01"),
        ("januari 0000", None),
        ("desember 9999", None),
        ("13/2026", None),
    ],
)
def test_month_words_and_impossible_years(typed, period):
    assert parse_month(typed, NOW.date()) == period

"""The monthly report, fast: the demo kader files November with group lines, or in one
message, and every message and character the bot prints is counted.

Why: the issue's measure of the old form was 30 messages and 5,744 characters for a
practised kader. The goals: the full default-profile report with group lines in at
most 15 messages and 3,000 characters printed by the bot; a one-message report and
``kirim``, 2 messages after ``lapor``. The kader answers what the bot asks, section by
section, with last month's (October's) numbers, found in the demo data; the driver
reads which question is open from the saved draft, so it holds for any form version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from bot.channels.console import render
from conversations import ALL_FORMS, Engine, State
from conversations import words as T
from conversations.form import Field, Form, Kind
from conversations.forms import MONTHLY
from conversations.lines import is_line_field, section_label, short_of
from conversations.state import SUMMARY
from handlers import Service
from handlers.roster.demo import roster_rows, seed_demo
from storage import Database, people, reports
from storage.models import Conversation
from tests.chat import ServiceChat
from tests.conftest import Clock
from tests.roster import KADER_TWO_POSYANDU

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 22 Nov 2026, 10:00 in Jakarta
LAST, PERIOD = "2026-10", "2026-11"
HELD_DAY = 12


class Counted(ServiceChat):
    """A chat that counts what the kader sends and what the bot prints (as the console does)."""

    def __init__(self, service: Service, phone: str) -> None:
        super().__init__(service, phone)
        self.sent = self.messages = self.characters = 0
        self.transcript: list[str] = []

    def send(self, text: str, *, message_id: str | None = None, choice: str | None = None) -> str:
        reply = super().send(text, message_id=message_id, choice=choice)
        self.sent += 1
        self.messages += len(self.replies)
        self.characters += sum(len(render(r)) for r in self.replies)
        self.transcript += [f"> {text}", *(render(r) for r in self.replies)]
        return reply


@pytest.fixture
def demo(database: Database) -> Service:
    seed_demo(database, NOW)
    return Service(database, Engine(ALL_FORMS), clock=Clock(NOW))


def kader_phone() -> str:
    return next(row.phone for row in roster_rows() if row.role == "kader")


def last_month(database: Database, code: str | None = None) -> dict[str, Any]:
    """Last month's answers of ``code`` (the first demo kader's Posyandu by default)."""
    code = code or next(row.posyandu_code for row in roster_rows() if row.phone == kader_phone())
    with database.transaction() as session:
        report = reports.latest_for_period(session, MONTHLY.id, code, LAST)
        assert report is not None and report.held
        return dict(report.data)


def open_state(database: Database, phone: str | None = None) -> State | None:
    """The open conversation (of the person with ``phone``, when given)."""
    statement = select(Conversation.state).where(col(Conversation.paused_at).is_(None))
    with database.transaction() as session:
        if phone is not None:
            person = people.by_phone(session, phone)
            assert person is not None
            statement = statement.where(col(Conversation.person_id) == person.person_id)
        text = session.exec(statement).first()
    return State.from_json(text) if text else None


def typed(item: Field, data: dict[str, Any]) -> str:
    """What the kader types for one field that is not a number: the month, yes/no, the day."""
    if item.kind is Kind.MONTH:
        return PERIOD
    if item.kind is Kind.DATE:
        return f"{HELD_DAY}/{PERIOD[5:]}/{PERIOD[:4]}"
    if item.kind is Kind.YES_NO:
        return "ya" if data.get(item.name, True) else "tidak"
    return str(data.get(item.name, 0))


def section_line(form: Form, state: State, item: Field, data: dict[str, Any]) -> str:
    """The numbers of ``item``'s section from ``item`` on, in order: one group line."""
    members = [
        f
        for f in form.fields
        if f.section == item.section
        and is_line_field(f)
        and f.applies(state.answers, state.context)
    ]
    return " ".join(str(data.get(f.name, 0)) for f in members[members.index(item) :])


def file_with_group_lines(
    chat: ServiceChat, database: Database, data: dict[str, Any], opening: tuple[str, ...]
) -> None:
    """``opening`` (``lapor`` and the menu's entry, or ``lapor bulanan``), then whatever is
    open: a section's line, a lone answer, kirim. The month is answered by the opening:
    November is due and October is in."""
    chat.send_all(*opening)
    answer_with_group_lines(chat, database, data)


def answer_with_group_lines(
    chat: ServiceChat, database: Database, data: dict[str, Any], *, lines: bool = True
) -> None:
    """Answer the open monthly form to its end: a section's line (or, without ``lines``,
    one answer per question), a lone answer, kirim."""
    transcript = getattr(chat, "transcript", [])
    for _ in range(60):
        state = open_state(database, chat.phone)
        assert state is not None, transcript
        if state.pending is not None:
            chat.send("ya")
        elif state.current == SUMMARY:
            chat.send("kirim")
            return
        else:
            item = MONTHLY.field(state.current)
            section = MONTHLY.section(item.section)
            answered = any(f.section == item.section and f.name in data for f in MONTHLY.fields)
            if section is not None and section.skippable and not answered:
                chat.send("lewati")
            elif lines and is_line_field(item):
                chat.send(section_line(MONTHLY, state, item, data))
            else:
                chat.send(typed(item, data))
    raise AssertionError("\n".join(transcript))


def one_message_report(form: Form, data: dict[str, Any]) -> str:
    """Every section as one labelled line (fields the report had no answer for: lewati)."""
    lines = []
    for section in form.sections:
        members = [f for f in form.fields if f.section == section.name and f.stop_when is None]
        parts = [
            f"{short_of(f)} {typed(f, data)}"
            for f in members
            if f.name in data or f.kind in (Kind.MONTH, Kind.DATE)
        ]
        if parts:
            lines.append(f"{section_label(section)} {' '.join(parts)}")
        elif section.skippable:
            lines.append(f"{section_label(section)} lewati")
    return "\n".join(lines)


def stored(database: Database) -> dict[str, Any]:
    code = next(row.posyandu_code for row in roster_rows() if row.phone == kader_phone())
    with database.transaction() as session:
        report = reports.latest_for_period(session, MONTHLY.id, code, PERIOD)
        assert report is not None
        return dict(report.data)


def same_numbers(sent: dict[str, Any], last: dict[str, Any]) -> None:
    numbers = {k: v for k, v in last.items() if isinstance(v, int) and not isinstance(v, bool)}
    assert {k: sent.get(k) for k in numbers} == numbers


@pytest.mark.parametrize("opening", [("lapor", "1"), ("lapor bulanan",)])
def test_the_full_report_with_group_lines_is_short(demo, database, capsys, opening):
    data = last_month(database)
    chat = Counted(demo, kader_phone())
    file_with_group_lines(chat, database, data, opening)
    assert chat.replies[-1].text.startswith("✅ Terima kasih"), "\n".join(chat.transcript)
    same_numbers(stored(database), data)
    with capsys.disabled():
        print(
            f"\ngroup lines after {' + '.join(opening)}: {chat.sent} messages from the kader,"
            f" {chat.messages} from the bot, {chat.characters} characters printed"
        )
    assert chat.sent <= 15, "\n".join(chat.transcript)
    assert chat.characters <= 3000, "\n".join(chat.transcript)


def test_a_one_message_report_is_stored_in_two_messages_after_lapor(demo, database, capsys):
    data = last_month(database)
    chat = Counted(demo, kader_phone())
    chat.send("lapor")
    summary = chat.send(one_message_report(MONTHLY, data))
    assert "Periksa dulu laporan" in summary, "\n".join(chat.transcript)
    assert "✅ Terima kasih" in chat.send("kirim")
    assert chat.sent == 3  # lapor, the report, kirim
    same_numbers(stored(database), data)
    with capsys.disabled():
        print(f"\none message: {chat.characters} characters printed after lapor and the report")


def test_a_report_pasted_without_lapor_is_read_as_one(demo, database):
    data = last_month(database)
    chat = Counted(demo, kader_phone())
    chat.send("halo")  # the first message links the number and greets
    assert "Periksa dulu laporan" in chat.send(one_message_report(MONTHLY, data))
    assert "✅ Terima kasih" in chat.send("kirim")
    same_numbers(stored(database), data)


def test_a_report_pasted_at_the_menu_asks_which_posyandu_first(service):
    month = next(f for f in MONTHLY.fields if f.kind is Kind.MONTH)
    held = next(f for f in MONTHLY.fields if f.kind is Kind.YES_NO and f.stop_when is None)
    chat = ServiceChat(service, KADER_TWO_POSYANDU)
    chat.send("lapor")
    asked = chat.send(f"{short_of(month)} 2026-10\n{short_of(held)} ya")
    assert "Untuk Posyandu yang mana?" in asked
    reply = chat.send("1")
    assert f"{short_of(month)} Oktober 2026" in reply and f"{short_of(held)} Ya" in reply
    assert month.prompt not in reply and "(3/" in reply  # the month and "held?" are answered


def test_every_suggestion_fits_a_whatsapp_button():
    for item in MONTHLY.fields:
        if item.kind is Kind.COUNT and item.maximum is not None:
            shown = f"{item.maximum:,}".replace(",", ".")
            assert len(T.SUGGESTION.format(value=shown)) <= 20, item.name


@pytest.mark.parametrize("text", ["BAL 60 48\n" * 200, "x\n" * 5000, "\n\n\n", "BAL\nBUMIL"])
def test_odd_messages_at_the_menu_get_an_answer_and_keep_the_menu(service, text):
    chat = ServiceChat(service, KADER_TWO_POSYANDU)
    chat.send("lapor")
    reply = chat.send(text)
    assert reply and "Laporan apa yang ingin Anda isi?" in reply


def test_a_field_code_is_a_label_anywhere_in_the_form(demo, database):
    tied = {name for check in MONTHLY.checks for name in check.fields}
    item = next(
        f
        for f in MONTHLY.fields
        if f.kind is Kind.COUNT and f.name not in tied and (f.minimum or 0) <= 3 and f.ask_if
    )
    chat = Counted(demo, kader_phone())
    assert "Laporan bulan November 2026" in chat.send_all("lapor", "1")  # the due month
    reply = chat.send(f"{item.name.lower()} = 3\nXYZ 4")
    assert "Tidak saya kenali, tidak disimpan: XYZ." in reply
    assert f"{short_of(item)} 3" in reply
    state = open_state(database)
    assert state is not None and state.answers[item.name] == 3

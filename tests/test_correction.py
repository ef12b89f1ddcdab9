"""Correcting a report already sent (``ubah laporan``, replacing through ``lapor``) and
reading it back (``lihat laporan``), on the demo district as its kader and supervisors see it.

Why: a correction used to mean typing the whole report again; it must be "change one
number": ``ubah laporan``, ``ubah N``, the number, ``kirim``, four messages, and the
revision before stays for audit. The tests find the field and its summary line from the
form, so they hold whatever the form's fields are.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from conversations import ALL_FORMS, Engine, State
from conversations.form import Field, Kind
from conversations.forms import MONTHLY
from handlers import Service
from handlers.roster.demo import roster_rows, seed_demo
from storage import Database, reports
from storage.models import Conversation, Report
from tests.chat import ServiceChat
from tests.conftest import Clock

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 22 Nov 2026, 10:00 in Jakarta
OCTOBER = "2026-10"


def phone_of(role: str, index: int = 0) -> str:
    return [row.phone for row in roster_rows() if row.role == role][index]


def posyandu_of(phone: str) -> str:
    return next(row.posyandu_code for row in roster_rows() if row.phone == phone)


@pytest.fixture
def demo(database: Database) -> Service:
    seed_demo(database, NOW)
    return Service(database, Engine(ALL_FORMS), clock=Clock(NOW))


def free_count_field() -> Field:
    """A count no rule and no block ties to another field: changing it alone is valid."""
    tied = {name for check in MONTHLY.checks for name in check.fields}
    tied |= {name for block in MONTHLY.blocks for name in block.fields}
    return next(
        f
        for f in MONTHLY.fields
        if f.kind is Kind.COUNT and f.name not in tied and not f.optional and f.ask_if is not None
    )


def summary_number(summary: str, item: Field) -> int:
    """The number ``ubah N`` takes for ``item``: ``4. Kader bertugas: 6`` or ``(4) KADER 6``."""
    listed = re.search(rf"^(\d+)\. {re.escape(item.label)}:", summary, re.MULTILINE)
    compact = re.search(rf"\((\d+)\) {re.escape(item.short or item.label)} ", summary)
    match = listed or compact
    assert match, summary
    return int(match.group(1))


def answers(report: Report) -> dict[str, object]:
    """What a report says, without "replace the report already sent?" (asked to replace it)."""
    consent = {f.name for f in MONTHLY.fields if f.stop_when is not None}
    return {code: value for code, value in report.data.items() if code not in consent}


def latest(database: Database, posyandu: str, period: str) -> list[Report]:
    with database.transaction() as session:
        found = reports.latest_for_period(session, MONTHLY.id, posyandu, period)
        assert found is not None
        return reports.revisions(session, found.report_key)


def test_one_number_is_corrected_in_four_messages(demo, database):
    kader = phone_of("kader")
    posyandu = posyandu_of(kader)
    before = latest(database, posyandu, OCTOBER)[-1]
    item = free_count_field()
    chat = ServiceChat(demo, kader)

    summary = chat.send("ubah laporan oktober")
    assert "dibuka untuk diubah" in summary and "Periksa dulu laporan" in summary
    number = summary_number(summary, item)
    new_value = before.data[item.name] + 1
    sent = [f"ubah {number}", str(new_value), "kirim"]
    replies = [chat.send(line) for line in sent]

    assert summary_number(replies[1], item) == number
    assert f"{item.label}: {new_value}" in replies[1] or f"{item.short} {new_value}" in replies[1]
    assert "✅ Terima kasih" in replies[2]
    history = latest(database, posyandu, OCTOBER)
    assert [r.revision for r in history] == [before.revision, before.revision + 1]
    assert answers(history[-1]) == {**answers(before), item.name: new_value}
    assert history[0].data == before.data  # the revision before stays, for audit


def test_lapor_replacing_a_sent_month_opens_what_was_sent(demo, database):
    kader = phone_of("kader")
    posyandu = posyandu_of(kader)
    before = latest(database, posyandu, OCTOBER)[-1]
    chat = ServiceChat(demo, kader)
    assert "Laporan bulan November 2026" in chat.send_all("lapor", "1")  # the due month
    assert "sudah pernah dikirim" in chat.send_all("kembali", OCTOBER)
    summary = chat.send("ya")
    assert "dibuka untuk diubah" in summary and "Periksa dulu laporan" in summary
    assert "✅" in chat.send("kirim")
    assert answers(latest(database, posyandu, OCTOBER)[-1]) == answers(before)


def test_lihat_laporan_shows_what_was_sent_to_everyone_who_may_see_it(demo, database):
    kader = phone_of("kader")
    posyandu = posyandu_of(kader)
    sent = latest(database, posyandu, OCTOBER)[-1]
    name = next(row.posyandu_name for row in roster_rows() if row.phone == kader)
    asked = ((kader, "lihat laporan oktober"), (phone_of("bidan"), f"lihat {name} oktober"))
    for phone, words in asked:
        shown = ServiceChat(demo, phone).send(words)
        assert f"Laporan bulanan {name} Oktober 2026" in shown
        assert f"revisi ke-{sent.revision}" in shown
    puskesmas = ServiceChat(demo, phone_of("puskesmas")).send(f"lihat laporan oktober {name}")
    assert f"Laporan bulanan {name} Oktober 2026" in puskesmas
    assert "ubah laporan" not in puskesmas  # only those who report are invited to correct


def test_a_kader_cannot_see_another_posyandu(demo):
    kader = phone_of("kader")
    others = [row for row in roster_rows() if row.role == "kader" and row.posyandu_code]
    other = next(row for row in others if row.posyandu_code != posyandu_of(kader))
    reply = ServiceChat(demo, kader).send(f"lihat laporan oktober {other.posyandu_name}")
    assert f"Tidak ada Posyandu '{other.posyandu_name}'" in reply
    assert "Laporan bulanan" not in reply


def test_correction_waits_for_the_report_being_filled(demo, database):
    chat = ServiceChat(demo, phone_of("kader"))
    assert "di bulan November 2026?" in chat.send_all("lapor", "1")
    with database.transaction() as session:
        state = State.from_json(session.exec(select(Conversation.state)).one())
    reply = chat.send("ubah laporan oktober")
    assert "Selesaikan (kirim) atau ketik batal dulu" in reply
    assert "Apakah Posyandu buka" in reply  # and the question it waits at, again
    with database.transaction() as session:
        kept = State.from_json(session.exec(select(Conversation.state)).one())
    assert (kept.answers, kept.current) == (state.answers, state.current)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ubah laporan januari", "belum dikirim"),
        ("ubah 3", "ketik ubah laporan dan bulannya"),
        ("ubah laporan oktober Entah", "Tidak ada Posyandu 'Entah'"),
    ],
)
def test_what_cannot_be_corrected_is_explained(demo, text, expected):
    assert expected in ServiceChat(demo, phone_of("kader")).send(text)


def test_roles_that_do_not_report_cannot_correct(demo):
    reply = ServiceChat(demo, phone_of("puskesmas")).send("ubah laporan oktober")
    assert "tidak mengirim laporan" in reply


def test_ubah_n_inside_a_form_still_edits_the_summary(demo):
    held = next(f for f in MONTHLY.fields if f.kind is Kind.YES_NO and f.stop_when is None)
    chat = ServiceChat(demo, phone_of("kader"))
    summary = chat.send("ubah laporan oktober")
    asked = chat.send(f"ubah {summary_number(summary, held)}")
    assert held.prompt.split("{")[0] in asked

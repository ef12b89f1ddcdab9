"""No text crashes the bot: arbitrary input at every question kind and every command.

Found by fuzzing in the field test (issue 9): a long number at a date, ``²`` at
a choice, ``rekap hal ²``, 4,300 digits. Here hypothesis feeds arbitrary text
(Unicode digits, superscripts, circled numbers, 10,000-digit numbers, control
characters, emoji, very long lines, nothing at all, and the words the bot
listens for) to the pure engine at every question kind, and to the core
service (``Service.handle``) at every question kind and with every chat
command. Every message must get a non-empty reply, and the service's
last-resort guard must never have been needed: its ERROR record would mean
an exception escaped the code that should have handled the input.

Generated cases: 10,000 (engine) + 8,000 (service, questions) + 4,000 (service,
commands) = 22,000, 12,000 of them through ``Service.handle``.
"""

from __future__ import annotations

import itertools
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from conversations import ALL_FORMS, Engine, Inbound, Reply, State
from handlers import Service
from handlers.commands import COMMANDS
from storage import Database, drafts
from storage.models import Person
from tests.chat import ServiceChat
from tests.roster import BIDAN, DINKES, KADER, KADER_TWO_POSYANDU, PUSKESMAS, load_roster
from tests.test_engine import GROUPS, HEADER, OCTOBER
from tests.transcript import EngineChat

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 22 Nov 2026, 10:00 in Jakarta
ENGINE_CASES = 10_000
SERVICE_QUESTION_CASES = 8_000
COMMAND_CASES = 4_000
GUARD = "unexpected"
"""How the service's last-resort guard starts its ERROR record."""

# --- what people (and fuzzers) type -----------------------------------------------------------

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
WORDS = (
    *("ya", "tidak", "tdk", "iyaa", "👍", "kembali", "lewati", "batal", "kirim", "ubah 3"),
    *("ubah 99", "ubah ²", "hari ini", "kmrn", "tgl 12", "13/13", "30/11", "1 Desember"),
    *("74864993534", "-5", "sekitar 30", "25 orang", "1,5", "napas cepat", "tidak ada"),
    *("bulan lalu", "Desember", "1990-01", "0", "1", "2", "9", "luar gedung", "hamil"),
    *("hal", "hal 2", "excel", "csv", "Mawar", "PY1", "oktober", "2026-10", "bantuan"),
)

any_digits = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Nd", "No", "Nl"]),
        st.sampled_from("0123456789" + SUPERSCRIPTS + CIRCLED + "٠١٢٣０１２３"),
    ),
    min_size=1,
    max_size=12,
)
huge_number = st.integers(min_value=4_300, max_value=10_000).map(
    lambda size: ("9876543210" * (size // 10 + 1))[:size]
)
control = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=20)
emoji = st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=8)
long_line = st.tuples(st.sampled_from("a9 ²,"), st.integers(900, 5_000)).map(lambda p: p[0] * p[1])
word = st.sampled_from(WORDS)
piece = st.one_of(word, any_digits, emoji, control, st.text(max_size=10))
phrase = st.lists(piece, min_size=1, max_size=4).map(" ".join)
TEXT = st.one_of(
    st.text(),
    any_digits,
    huge_number,
    control,
    emoji,
    long_line,
    word,
    phrase,
    st.just(""),
)
QUESTION_ID = st.one_of(st.none(), st.integers(0, 60).map(str), st.text(max_size=5))


@dataclass(frozen=True, slots=True)
class Typed:
    """One message: typed text, or a button press carrying ``choice`` for ``question_id``."""

    text: str
    choice: str | None
    question_id: str | None


MESSAGE = st.builds(
    Typed,
    TEXT,
    st.one_of(st.none(), st.none(), TEXT),
    QUESTION_ID,
)


def readable(replies: list[Reply]) -> bool:
    """At least one reply, and every reply says something (text or a file)."""
    return bool(replies) and all(r.text.strip() or r.attachment for r in replies)


# --- the engine alone, at every question kind -------------------------------------------------

MONTHLY_CONTEXT = {
    "posyandu_code": "PY1",
    "posyandu_name": "Posyandu Melati",
    "default_period": "2026-11",
    "earliest_period": "2025-11",
    "history": {"2026-09": {"BAL_S": 80}},
    "existing": {},
}
VISIT_CONTEXT = {"posyandu_code": "PY1", "posyandu_name": "Melati"}
OUTREACH_CONTEXT = {**VISIT_CONTEXT, "desa_name": "Sukamaju"}
MENU_CONTEXT = {
    "forms": [("bulanan", "Laporan bulanan"), ("kunjungan", "Kunjungan rumah")],
    "posyandu": [("PY1", "Melati"), ("PY2", "Mawar")],
}
MONTHLY = OCTOBER
TO_S = len(HEADER)
VISIT_TO_NOTE = ["hari ini", "3", "1", "tidak", "tidak", "2"]
OUTREACH_TO_HOURS = ["1", "hari ini", "Balai Desa", "1", "1", "5", "5", "10", "0"]

# kind -> (form, context, answers that lead to it, words of the question it must be at)
ENGINE_POSITIONS: dict[str, tuple[str, dict[str, Any], list[str], str]] = {
    "count": ("bulanan", MONTHLY_CONTEXT, MONTHLY[:TO_S], "S: berapa"),
    "decimal": ("luar_gedung", OUTREACH_CONTEXT, OUTREACH_TO_HOURS, "Berapa jam"),
    "yes_no": ("bulanan", MONTHLY_CONTEXT, MONTHLY[:1], "Apakah Posyandu buka"),
    "date": ("kunjungan", VISIT_CONTEXT, [], "Tanggal berapa"),
    "month": ("bulanan", MONTHLY_CONTEXT, [], "Laporan bulan apa"),
    "choice": ("kunjungan", VISIT_CONTEXT, VISIT_TO_NOTE[:1], "Siapa sasaran"),
    "multi": ("kunjungan", VISIT_CONTEXT, VISIT_TO_NOTE[:4], "Tanda bahaya apa"),
    "text": ("kunjungan", VISIT_CONTEXT, VISIT_TO_NOTE, "Catatan singkat"),
    "summary": ("bulanan", MONTHLY_CONTEXT, [*MONTHLY, *GROUPS], "Periksa dulu"),
    "warning": ("bulanan", MONTHLY_CONTEXT, [*MONTHLY[:TO_S], "300"], "sudah benar?"),
    "menu": ("pilih", MENU_CONTEXT, [], "Laporan apa"),
}


@pytest.fixture(scope="module")
def engine_states() -> dict[str, State]:
    """The state at each question kind, reached once by answering like a kader."""
    states = {}
    for kind, (form, context, answers, question) in ENGINE_POSITIONS.items():
        chat = EngineChat(form, dict(context), NOW)
        chat.say_all(*answers)
        assert question in chat.last, (kind, chat.last)
        assert chat.state is not None
        states[kind] = chat.state
    return states


def test_any_text_at_any_question_kind_gets_an_answer_from_the_engine(engine_states):
    engine = Engine(ALL_FORMS)
    ids = itertools.count()
    cases = []

    @settings(max_examples=ENGINE_CASES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(kind=st.sampled_from(sorted(ENGINE_POSITIONS)), typed=MESSAGE)
    def answer(kind: str, typed: Typed) -> None:
        inbound = Inbound("test", "u1", str(next(ids)), typed.text, typed.choice, typed.question_id)
        turn = engine.resume(engine_states[kind], inbound, NOW)
        assert readable(turn.replies), (kind, typed)
        if turn.state is not None:
            State.from_json(turn.state.to_json())
        cases.append(kind)

    answer()
    assert len(cases) >= ENGINE_CASES * 0.95
    assert set(cases) == set(ENGINE_POSITIONS)


# --- the core service, at every question kind and with every command --------------------------

# kind -> (messages that lead to it, words of the question it must be at)
SERVICE_POSITIONS: dict[str, tuple[list[str], str]] = {
    "menu": (["lapor"], "Laporan apa"),
    "month": (["lapor", "1"], "Laporan bulan apa"),
    "yes_no": (["lapor", "1", *MONTHLY[:1]], "Apakah Posyandu buka"),
    "count": (["lapor", "1", *MONTHLY[:TO_S]], "S: berapa"),
    "warning": (["lapor", "1", *MONTHLY[:TO_S], "300"], "sudah benar?"),
    "summary": (["lapor", "1", *MONTHLY, *GROUPS], "Periksa dulu"),
    "date": (["lapor", "2"], "Tanggal berapa"),
    "choice": (["lapor", "2", *VISIT_TO_NOTE[:1]], "Siapa sasaran"),
    "multi": (["lapor", "2", *VISIT_TO_NOTE[:4]], "Tanda bahaya apa"),
    "text": (["lapor", "2", *VISIT_TO_NOTE], "Catatan singkat"),
    "decimal": (["lapor", "3", *OUTREACH_TO_HOURS], "Berapa jam"),
    "none": (["batal"], ""),
}
PEOPLE = (KADER, KADER_TWO_POSYANDU, BIDAN, PUSKESMAS, DINKES)
CHANNELS = ("console", "whatsapp", "telegram")


@pytest.fixture(scope="module")
def fuzz_database(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[Database]:
    """One SQLite database with the small roster for all generated cases of this module."""
    path = tmp_path_factory.mktemp("fuzz") / "bot.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    load_roster(database)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def service(fuzz_database: Database) -> Service:
    return Service(fuzz_database, Engine(ALL_FORMS), clock=lambda: NOW)


def guard_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The service's last-resort ERROR records: each is an exception that escaped a handler."""
    return [r for r in caplog.records if r.getMessage().startswith(GUARD)]


def _person_id(database: Database, phone: str) -> int:
    with database.transaction() as session:
        return session.exec(select(Person.id).where(Person.phone == phone)).one()


def _set_draft(database: Database, person_id: int, saved: drafts.Draft | None) -> None:
    """Put the kader back at the snapshot's question (or with no open form)."""
    with database.transaction() as session:
        current = drafts.load(session, person_id)
        if saved is None:
            if current is not None:
                drafts.discard(session, person_id, current)
            return
        expires_at = datetime.fromisoformat(State.from_json(saved.state).expires_at)
        drafts.save(session, person_id, saved.form, saved.state, expires_at, NOW, current)


def test_any_text_at_any_question_kind_gets_an_answer_from_the_service(
    service, fuzz_database, caplog
):
    caplog.set_level(logging.ERROR, logger="handlers.service")
    person = _person_id(fuzz_database, KADER)
    chat = ServiceChat(service, KADER)
    snapshots: dict[str, drafts.Draft | None] = {}
    for kind, (messages, question) in SERVICE_POSITIONS.items():
        _set_draft(fuzz_database, person, None)
        assert question in chat.send_all(*messages), kind
        with fuzz_database.transaction() as session:
            snapshots[kind] = drafts.load(session, person)
    ids = itertools.count()
    cases = []

    @settings(
        max_examples=SERVICE_QUESTION_CASES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(kind=st.sampled_from(sorted(SERVICE_POSITIONS)), typed=MESSAGE)
    def answer(kind: str, typed: Typed) -> None:
        _set_draft(fuzz_database, person, snapshots[kind])
        inbound = Inbound(
            "console",
            KADER,
            f"q{next(ids)}",
            typed.text,
            typed.choice,
            typed.question_id,
            phone=KADER,
        )
        assert readable(service.handle(inbound)), (kind, typed)
        cases.append(kind)

    answer()
    assert len(cases) >= SERVICE_QUESTION_CASES * 0.95
    assert set(cases) == set(SERVICE_POSITIONS)
    escaped = [r.getMessage() for r in guard_records(caplog)]
    assert escaped == [], "\n\n".join(escaped[:3])


def test_every_command_with_any_arguments_gets_an_answer_from_the_service(service, caplog):
    caplog.set_level(logging.ERROR, logger="handlers.service")
    ids = itertools.count()
    cases = []
    spelled = st.sampled_from(sorted(COMMANDS)).flatmap(
        lambda name: st.sampled_from([name, f"/{name}", name.upper(), f"/{name}@LaporBot"])
    )
    free = st.lists(st.one_of(word, any_digits, huge_number, TEXT), max_size=4)
    page = st.tuples(
        st.lists(st.one_of(word, TEXT), max_size=2),
        st.sampled_from(["hal", "halaman", "HAL"]),
        st.one_of(any_digits, huge_number, TEXT),
        st.sampled_from(["", "excel", "csv"]),
    ).map(lambda p: [*p[0], p[1], p[2], p[3]])
    arguments = st.one_of(free, page).map(" ".join)

    @settings(max_examples=COMMAND_CASES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        who=st.sampled_from(PEOPLE),
        channel=st.sampled_from(CHANNELS),
        command=spelled,
        args=arguments,
        question_id=QUESTION_ID,
        pressed=st.booleans(),
    )
    def command(
        who: str, channel: str, command: str, args: str, question_id: str | None, pressed: bool
    ) -> None:
        text = f"{command} {args}"
        inbound = Inbound(
            channel,
            f"{channel}-{who}",
            f"c{next(ids)}",
            text=text,
            choice=text if pressed else None,
            question_id=question_id if pressed else None,
            phone=who,
        )
        assert readable(service.handle(inbound)), (who, text)
        cases.append(command.lstrip("/").split("@")[0].casefold())

    command()
    assert len(cases) >= COMMAND_CASES * 0.95
    assert set(cases) == set(COMMANDS)
    escaped = [r.getMessage() for r in guard_records(caplog)]
    assert escaped == [], "\n\n".join(escaped[:3])

"""Drafts saved on an older version of a form (or of an unknown shape) resume, never raise.

A test form goes through three versions: version 2 renames ``a`` to ``A``,
removes ``b`` and adds ``d``; version 3 renames ``A`` to ``AA`` and adds
``e``. A draft of each older version is resumed by the engine of version 3.
The real monthly form's version 1 (the SKDN form) is resumed the same way.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from conversations import ALL_FORMS, Cancelled, Engine, Inbound, State, Submitted
from conversations import words as T
from conversations.form import Field, Form, Kind, Migration, Section
from conversations.forms import MONTHLY
from storage.models import Conversation
from tests.chat import ServiceChat
from tests.roster import KADER

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def count(code: str, label: str) -> Field:
    return Field(code, Kind.COUNT, label, f"Berapa {label.lower()}?", section="isi", minimum=0)


SECTIONS = (Section("isi", "Isi"),)
V1 = Form(
    "uji",
    "uji",
    (count("a", "Anak"), count("b", "Bayi"), count("c", "Cucu")),
    SECTIONS,
)
V2 = Form(
    "uji",
    "uji",
    (count("A", "Anak"), count("c", "Cucu"), count("d", "Dewasa")),
    SECTIONS,
    version=2,
    migrations=(Migration(2, renamed={"a": "A"}, removed={"b": "Bayi"}, added=("d",)),),
)
V3 = Form(
    "uji",
    "uji",
    (count("AA", "Anak"), count("c", "Cucu"), count("d", "Dewasa"), count("e", "Eyang")),
    SECTIONS,
    version=3,
    migrations=(*V2.migrations, Migration(3, renamed={"A": "AA"}, added=("e",))),
)


def started(form: Form, *answers: str) -> State:
    """A draft of ``form`` with ``answers`` given, as the engine of that version saved it."""
    engine = Engine({form.id: form})
    state = engine.start(form.id, {}, NOW).state
    for number, text in enumerate(answers):
        assert state is not None
        state = engine.resume(state, Inbound("t", "u", str(number), text), NOW).state
    assert state is not None
    return State.from_json(state.to_json())


def resume(state: State, text: str, forms: dict[str, Form] | None = None):
    engine = Engine(forms if forms is not None else {V3.id: V3})
    return engine.resume(state, Inbound("t", "u", "next", text), NOW)


def test_a_draft_of_version_1_is_renamed_twice_and_told_what_was_dropped():
    state = started(V1, "3", "4")  # a and b answered, c open
    assert state.form_version == 1
    turn = resume(state, "5")
    [reply] = turn.replies
    assert T.FORM_UPDATED_LOST.format(labels="Bayi").split("{")[0] in reply.text
    assert "Bayi" in reply.text and "Berapa cucu?" in reply.text
    assert turn.state is not None and turn.state.form_version == 3
    assert turn.state.answers == {"AA": 3}
    state = turn.state
    for text in ("5", "6", "7"):
        turn = resume(state, text)
        assert turn.state is not None
        state = turn.state
    assert "Periksa dulu" in turn.replies[-1].text
    turn = resume(state, "kirim")
    [event] = turn.events
    assert isinstance(event, Submitted)
    assert event.answers == {"AA": 3, "c": 5, "d": 6, "e": 7}


def test_a_draft_of_version_2_keeps_everything_and_asks_the_new_question():
    state = started(V2, "3", "4", "5")  # A, c, d answered: the summary
    turn = resume(state, "kirim")
    assert turn.events == []  # the message answered what may be gone: nothing is sent unseen
    [reply] = turn.replies
    assert reply.text.startswith(T.FORM_UPDATED) and "Berapa eyang?" in reply.text
    assert turn.state is not None and turn.state.answers == {"AA": 3, "c": 4, "d": 5}


def test_a_draft_whose_open_question_was_removed_goes_on_with_the_next_one():
    state = started(V1, "3")  # the open question is b, which version 2 removed
    assert state.current == "b"
    [reply] = resume(state, "4").replies
    assert "Berapa cucu?" in reply.text


def test_cancel_on_a_migrated_draft_cancels():
    turn = resume(started(V1, "3"), "batal")
    assert turn.state is None and [type(e) for e in turn.events] == [Cancelled]


def test_a_draft_of_a_form_that_is_gone_ends_with_a_clear_message():
    state = started(V1, "3")
    turn = resume(state, "4", forms={})
    assert turn.state is None
    assert [r.text for r in turn.replies] == [T.FORM_GONE]
    assert [(e.form, e.reason) for e in turn.events] == [("uji", "outdated")]
    assert Engine({}).reprompt(state, NOW).replies[0].text == T.FORM_GONE


ODD_SHAPES: list[dict[str, Any]] = [
    {"answers": {"zz": 1, "AA": "tiga", "c": -4, "d": True}},
    {"answers": {"a": 3}, "current": "hilang", "form_version": 9},
    {"answers": {"a": 3, "c": 4}, "pending": {"field": "b", "value": 2, "check": "x"}},
    {"skipped": ["b", "zz"], "remembered": {"b": 4, "zz": 1}, "confirmed": {"x": "1"}},
    {"answers": {"a": 3}, "edit": {"b": 1, "zz": None}, "current": "@summary"},
    {"form_version": 0, "current": "a"},
]


@pytest.mark.parametrize("shape", ODD_SHAPES)
@pytest.mark.parametrize("text", ["5", "kembali", "lewati", "ubah 1", "kirim", "ya"])
def test_drafts_of_unknown_shapes_never_raise(shape, text):
    data = {"form": "uji", "current": "a", "expires_at": "2026-11-29T00:00:00+07:00", **shape}
    state = State.from_json(json.dumps(data))
    turn = resume(state, text)
    assert turn.replies and all(reply.text for reply in turn.replies)
    if turn.state is not None:
        assert set(turn.state.answers) <= {f.name for f in V3.fields}
        Engine({V3.id: V3}).reprompt(turn.state, NOW)


# --- the monthly form: a draft of the SKDN form (version 1) ------------------------------------

SKDN_DRAFT = {
    "form": "bulanan",
    "context": {
        "posyandu_code": "PY1",
        "posyandu_name": "Posyandu Melati",
        "default_period": "2026-11",
        "previous_s": {"2026-09": 80},
        "existing": {},
    },
    "answers": {
        "periode": "2026-10",
        "buka": True,
        "s": 80,
        "k": 70,
        "d": 60,
        "n": 40,
        "t": 10,
        "o": 5,
        "b": 5,
        "t2": 2,
        "bgm": 1,
        "bumil_hadir": 6,
        "lahir": 1,
        "mati_bayi": 0,
    },
    "skipped": [],
    "current": "mati_ibu",
    "turn": 17,
    "expires_at": "2026-11-29T10:00:00+07:00",
    "schema": 2,
}


def test_a_monthly_draft_of_the_skdn_form_resumes_on_the_ilp_form():
    state = State.from_json(json.dumps(SKDN_DRAFT))
    turn = Engine(ALL_FORMS).resume(state, Inbound("t", "u", "1", "0"), NOW)
    [reply] = turn.replies
    assert "Formulir ini sudah diperbarui" in reply.text
    assert "K: punya KMS/Buku KIA, Kelahiran, Kematian bayi" in reply.text
    assert "Tanggal berapa Posyandu buka di bulan Oktober 2026?" in reply.text
    assert turn.state is not None and turn.state.form_version == MONTHLY.version
    answers = turn.state.answers
    assert (answers["BAL_S"], answers["BAL_D"], answers["BUMIL_DATANG"]) == (80, 60, 6)
    assert answers["POSY_BUKA"] is True and "lahir" not in answers and "BAL_K" not in answers


def test_a_monthly_draft_of_the_skdn_form_resumes_through_the_service(service, database):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", "2026-10")
    with database.transaction() as session:
        row = session.exec(select(Conversation)).one()
        row.state = json.dumps(SKDN_DRAFT)
        session.add(row)
    reply = chat.send("ya")
    assert "Formulir ini sudah diperbarui" in reply and "Kelahiran" in reply
    assert "Tanggal berapa Posyandu buka" in reply

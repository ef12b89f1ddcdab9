"""Field-test defects of the command handlers, replayed as chats (issue 9, items 11-13, 19, 20, 22).

Why: each of these was met by a real kader, bidan or district officer trying
the bot end to end. A kader with half a monthly report must be able to file an
urgent home visit without losing it; a bidan alerted about a danger sign must
be able to call the kader back; people must not be greeted with a doubled title
or told to report when they cannot.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select
from typer.testing import CliRunner

from bot.channels import console
from bot.channels.console import ConsoleChannel
from bot.cli import app
from conversations import ALL_FORMS, Engine
from conversations import words as engine_words
from handlers import Service
from handlers.mailroom import Mailroom
from handlers.reminders.dispatcher import deliver_pending
from handlers.reminders.tick import TickConfig, tick
from handlers.reminders.timing import Calendar
from storage import Database, drafts
from storage.db import alembic_config
from storage.models import Conversation, Outbox, Person, PersonPosyandu, Report
from tests.chat import ServiceChat
from tests.conftest import fresh_postgres
from tests.roster import BIDAN, DINKES, KADER, KADER_TWO_POSYANDU, PUSKESMAS, load_roster
from tests.test_engine import BALITA, GROUPS, HEADER

MONTHLY_START = ["lapor", "1", *HEADER, "80"]
MONTHLY_REST = BALITA[1:]
# lapor, home visit, yesterday, special visit, a child, danger sign, fever, no TB symptom,
# fast breathing, referred
DANGER_VISIT = ["lapor", "2", "kemarin", "2", "3", "4", "ya", "tidak", "1", "3"]
CALM_VISIT = [
    *("lapor", "2", "kemarin", "1", "3", "4", "tidak", "tidak", "tidak ada", "1", "lewati"),
    "kirim",
]


def count(database: Database, table: type) -> int:
    with database.transaction() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def person_id(database: Database, phone: str) -> int:
    with database.transaction() as session:
        return session.exec(select(Person.id).where(Person.phone == phone)).one()


def rename(database: Database, phone: str, name: str) -> None:
    with database.transaction() as session:
        session.exec(update(Person).where(Person.phone == phone).values(name=name))


def labels(chat: ServiceChat) -> list[str]:
    return [choice.label for reply in chat.replies for choice in reply.choices]


# --- item 11: an urgent home visit does not cost the open monthly draft --------------------


def test_home_visit_during_a_monthly_report_keeps_the_monthly_draft(service, database):
    chat = ServiceChat(service, KADER)
    chat.send_all(*MONTHLY_START)
    offer = chat.send("lapor")
    assert "Lanjutkan laporan bulanan Posyandu Melati Oktober 2026" in labels(chat)
    assert "Kunjungan rumah" in labels(chat) and "laporan pilihan" not in offer
    visit = chat.send("2")
    assert "Laporan bulanan Posyandu Melati Oktober 2026 Anda disimpan" in visit
    assert "ketik lapor untuk melanjutkan" in visit and "kunjungan rumah dilakukan" in visit
    done = chat.send_all(*CALM_VISIT[2:])
    assert "✅" in done and "Anda disimpan; ketik lapor untuk melanjutkan" in done
    chat.send("lapor")
    assert "D: berapa balita" in chat.send("1")
    assert "✅" in chat.send_all(*MONTHLY_REST, *GROUPS, "kirim")
    with database.transaction() as session:
        kinds = sorted(session.exec(select(Report.kind)).all())
    assert kinds == ["bulanan", "kunjungan"]
    assert count(database, Conversation) == 0


@pytest.mark.backends
def test_lapor_offers_the_paused_draft_after_a_restart(database, clock):
    load_roster(database)
    first = Service(database, Engine(ALL_FORMS), clock=clock)
    chat = ServiceChat(first, KADER)
    chat.send_all(*MONTHLY_START, "lapor", "2")
    restarted = ServiceChat(Service(Database(database.url), Engine(ALL_FORMS), clock=clock), KADER)
    restarted.send("batal")
    clock.advance(days=2)
    offer = restarted.send("lapor")
    assert "Laporan apa yang ingin Anda isi?" in offer
    assert labels(restarted)[0] == "Lanjutkan laporan bulanan Posyandu Melati Oktober 2026"
    assert "D: berapa balita" in restarted.send("Lanjutkan laporan bulanan")


def test_a_paused_draft_of_a_bidan_continues_without_asking_the_posyandu_again(service):
    chat = ServiceChat(service, BIDAN)
    chat.send_all("lapor", "1", "Posyandu Mawar", *HEADER, "80", "lapor")
    assert "Untuk Posyandu yang mana?" in chat.send("2")
    chat.send("batal")
    chat.send("lapor")
    assert "D: berapa balita" in chat.send("1")


def test_one_paused_draft_per_form_lapor_offers_to_continue_not_a_second_one(service):
    chat = ServiceChat(service, KADER)
    chat.send_all(*MONTHLY_START, "lapor")
    assert labels(chat) == [
        "Lanjutkan laporan bulanan Posyandu Melati Oktober 2026",
        "Kunjungan rumah",
        "Kegiatan luar gedung",
        "Kejadian (kelahiran/kematian)",
    ]


def test_cancelling_the_menu_or_a_visit_keeps_the_paused_draft(service, database):
    chat = ServiceChat(service, KADER)
    chat.send_all(*MONTHLY_START, "lapor")
    reply = chat.send("batal")
    assert "Laporan bulanan Posyandu Melati Oktober 2026 Anda disimpan" in reply
    chat.send_all("lapor", "2")
    assert "Anda disimpan" in chat.send("batal")
    assert "Anda disimpan" in chat.send("batal")
    assert count(database, Conversation) == 1
    chat.send("lapor")
    assert "D: berapa balita" in chat.send("1")


def test_a_paused_draft_expires_like_an_open_one(service, database, clock):
    chat = ServiceChat(service, KADER)
    chat.send_all(*MONTHLY_START, "lapor", "2")
    clock.advance(days=8)
    reply = chat.send("lapor")
    assert "Draf laporan bulanan sudah kedaluwarsa" in reply
    assert labels(chat) == [
        "Laporan bulanan Posyandu",
        "Kunjungan rumah",
        "Kegiatan luar gedung",
        "Kejadian (kelahiran/kematian)",
    ]
    assert count(database, Conversation) == 1  # the new menu only


@pytest.mark.backends
def test_the_expiring_reminder_reaches_a_paused_draft_and_never_a_menu(service, database, clock):
    ServiceChat(service, KADER).send_all(*MONTHLY_START, "lapor", "2")
    ServiceChat(service, KADER_TWO_POSYANDU).send("lapor")
    config = TickConfig(Calendar(frozenset()), (console.INFO,))
    tick(database, clock.now + timedelta(days=6, hours=2), config, only="draft_expiring")
    with database.transaction() as session:
        rows = session.exec(select(Outbox).where(Outbox.rule == "draft_expiring")).all()
    texts = sorted(row.payload["text"] for row in rows)
    assert [t.split(" Anda")[0] for t in texts] == [
        "⏳ Laporan bulanan",
        "⏳ Laporan kunjungan rumah",
    ]


# --- storage: one open conversation, paused drafts, versions ---------------------------------


NOW = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=7)


@pytest.mark.backends
def test_pausing_keeps_the_draft_and_frees_the_person_for_another_form(database):
    load_roster(database)
    kader = person_id(database, KADER)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", '{"m":1}', LATER, NOW, None)
    with database.transaction() as session:
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
        assert drafts.load(session, kader) is None
        drafts.save(session, kader, "kunjungan", '{"v":1}', LATER, NOW, None)
    with database.transaction() as session:
        assert drafts.load(session, kader).form == "kunjungan"
        [paused] = drafts.paused(session, kader, NOW)
    assert (paused.form, paused.state) == ("bulanan", '{"m":1}')


@pytest.mark.backends
def test_a_second_open_conversation_is_refused_by_the_database(database):
    load_roster(database)
    kader = person_id(database, KADER)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", "{}", LATER, NOW, None)
    with pytest.raises(IntegrityError), database.transaction() as session:
        drafts.save(session, kader, "kunjungan", "{}", LATER, NOW, None)


@pytest.mark.backends
def test_pause_and_resume_detect_a_concurrent_writer(database):
    load_roster(database)
    kader = person_id(database, KADER)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", "{}", LATER, NOW, None)
        read = drafts.load(session, kader)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", '{"a":1}', LATER, NOW, read)
    with pytest.raises(drafts.StaleDraftError), database.transaction() as session:
        drafts.pause(session, kader, read, NOW)
    with database.transaction() as session:
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
        [paused] = drafts.paused(session, kader, NOW)
    with database.transaction() as session:
        drafts.resume(session, kader, paused, NOW)
    with pytest.raises(drafts.StaleDraftError), database.transaction() as session:
        drafts.resume(session, kader, paused, NOW)
    with database.transaction() as session:
        assert drafts.load(session, kader).state == '{"a":1}'


@pytest.mark.backends
def test_expired_paused_drafts_are_dropped_and_named(database):
    load_roster(database)
    kader = person_id(database, KADER)
    with database.transaction() as session:
        drafts.save(session, kader, "bulanan", "{}", NOW + timedelta(hours=1), NOW, None)
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
        drafts.save(session, kader, "kunjungan", "{}", LATER, NOW, None)
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
    later = NOW + timedelta(hours=2)
    with database.transaction() as session:
        assert drafts.drop_expired(session, kader, later) == ["bulanan"]
        assert [d.form for d in drafts.paused(session, kader, later)] == ["kunjungan"]


@pytest.fixture
def database_at_0004(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A database migrated only to revision 0004, as a deployed bot has it before the upgrade."""
    if backend == "sqlite":
        db = Database(f"sqlite:///{tmp_path}/old.db")
        db.upgrade("0004")
        yield db
        db.dispose()
        return
    with fresh_postgres("0004") as url:
        db = Database(url)
        yield db
        db.dispose()


def conversation_differences(db: Database) -> list[object]:
    """What autogenerate would still change in the conversation table: nothing, if the
    migration built what the model declares."""

    def ours(item: object, name: str | None, kind: str, *_: object) -> bool:
        table = item if kind == "table" else getattr(item, "table", None)
        return getattr(table, "name", name) == "conversation"

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": ours})
        return compare_metadata(context, SQLModel.metadata)


@pytest.mark.backends
def test_the_migration_keeps_the_open_drafts_of_a_running_bot(database_at_0004):
    db = database_at_0004
    load_roster(db)
    kader = person_id(db, KADER)
    insert = text(
        "INSERT INTO conversation (person_id, form, state, version, updated_at, expires_at) "
        "VALUES (:p, 'bulanan', :state, 3, :now, :later)"
    )
    with db.engine.begin() as connection:
        connection.execute(insert, {"p": kader, "state": '{"x":1}', "now": NOW, "later": LATER})
    db.upgrade()
    assert conversation_differences(db) == []
    with db.transaction() as session:
        assert drafts.load(session, kader) == drafts.Draft("bulanan", '{"x":1}', 3)
        assert drafts.paused(session, kader, NOW) == []
        drafts.pause(session, kader, drafts.load(session, kader), NOW)
        drafts.save(session, kader, "kunjungan", '{"v":1}', LATER, NOW, None)
    command.downgrade(alembic_config(db.url), "0004")
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT form, state FROM conversation")).all()
    assert [tuple(row) for row in rows] == [("kunjungan", '{"v":1}')]


# --- item 13: wording --------------------------------------------------------------------


def test_lapor_at_the_menu_shows_the_menu_without_its_internal_title(service):
    chat = ServiceChat(service, KADER)
    chat.send("lapor")
    for typed in ("lapor", "status", "bantuan", "jadwal", "mulai"):
        reply = chat.send(typed)
        assert "laporan pilihan" not in reply, (typed, reply)
        assert "Laporan apa yang ingin Anda isi?" in reply, typed


def test_a_title_in_the_roster_name_is_not_doubled(service, database):
    assert "Halo Bu Nur, bidan desa" in ServiceChat(service, BIDAN).send("mulai")
    for name in ("Bd. Nurhayati", "dr. Nur", "Ibu Nur", "Bapak Nur", "Bdn. Nur", "bu Nur"):
        rename(database, BIDAN, name)
        reply = ServiceChat(service, BIDAN).send("mulai")
        assert reply.startswith(f"Halo {name}, bidan desa"), reply


@pytest.mark.parametrize("phone", [PUSKESMAS, DINKES])
def test_status_does_not_ask_offices_to_report(service, phone):
    reply = ServiceChat(service, phone).send("status")
    assert "Batas waktu laporan: 5 Des 2026" in reply
    assert "Ketik lapor" not in reply


def test_status_still_asks_a_kader_to_report(service):
    assert "Ketik lapor bulanan untuk mengisi" in ServiceChat(service, KADER).send("status")


def test_bantuan_is_written_for_each_role(service, database):
    def help_for(phone: str) -> str:
        return ServiceChat(service, phone).send("bantuan")

    kader, bidan = help_for(KADER), help_for(BIDAN)
    puskesmas, dinkes = help_for(PUSKESMAS), help_for(DINKES)
    for words in (kader, bidan):
        assert "• lapor" in words and "• status" in words and "• jadwal" in words
        assert "tinjau" not in words
    assert "• rekap" in bidan and "desa" in bidan.split("• rekap")[1].split("\n")[0]
    for words in (puskesmas, dinkes):
        assert "• lapor" not in words and "• rekap" in words and "• jadwal" in words
    assert "• tinjau" in dinkes and "tinjau" not in puskesmas
    assert len({kader, bidan, puskesmas, dinkes}) == 4
    with database.transaction() as session:
        session.exec(update(Person).where(Person.phone == DINKES).values(role="admin"))
    admin = help_for(DINKES)
    assert "python -m bot" in admin and "• lapor" not in admin


# --- item 12: thanks and okays outside a form ------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "terima kasih",
        "Terima kasih!",
        "makasih bu",
        "ok",
        "Oke",
        "siap",
        "🙏",
        "👍",
        "👍🏽",
        "🙏🙏",
    ],
)
def test_thanks_and_okays_outside_a_form_get_a_friendly_short_answer(service, said):
    chat = ServiceChat(service, KADER)
    chat.send("halo")
    reply = chat.send(said)
    assert "tidak mengerti" not in reply and len(reply) < 80, reply


def test_thanks_do_not_answer_for_an_open_form(service):
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", "2026-10")
    assert "jawab dengan ya atau tidak" in chat.send("ok makasih")


def test_real_nonsense_is_still_not_understood(service):
    chat = ServiceChat(service, KADER)
    chat.send("halo")
    assert "tidak mengerti 'ok tapi caranya'" in chat.send("ok tapi caranya")


# --- item 19: jadwal in a form ---------------------------------------------------------------


def test_jadwal_in_the_middle_of_a_form_asks_the_question_again(service):
    chat = ServiceChat(service, KADER)
    chat.send_all(*MONTHLY_START)
    reply = chat.send("jadwal")
    assert "Jadwal Anda" in reply
    assert "Anda sedang mengisi laporan bulanan" in reply and "D: berapa balita" in reply
    assert "N: dari yang ditimbang" in chat.send("70")


# --- item 20: the danger alert can be acted on, the kader knows it went out -------------------


def alerts(database: Database) -> list[str]:
    with database.transaction() as session:
        rows = session.exec(select(Outbox).where(col(Outbox.rule).startswith("alert_")))
        return [row.payload["text"] for row in sorted(rows, key=lambda row: row.id or 0)]


def test_the_danger_alert_carries_the_kader_phone_and_note(service, database):
    chat = ServiceChat(service, KADER)
    chat.send_all(*DANGER_VISIT, "Anak lemas, rumah dekat masjid")
    reply = chat.send("kirim")
    [alert] = alerts(database)
    assert "Siti (0811-0000-0001)" in alert
    assert "Catatan: Anak lemas, rumah dekat masjid" in alert
    assert "Bidan Nur sudah diberi tahu." in reply


def test_a_visit_without_a_note_makes_no_empty_note_line(service, database):
    ServiceChat(service, KADER).send_all(*DANGER_VISIT, "lewati", "kirim")
    [alert] = alerts(database)
    assert "Catatan" not in alert and "0811-0000-0001" in alert


def test_a_titled_bidan_is_named_as_written_when_the_kader_is_told(service, database):
    rename(database, BIDAN, "Bd. Nurhayati")
    reply = ServiceChat(service, KADER).send_all(*DANGER_VISIT, "lewati", "kirim")
    assert "Bd. Nurhayati sudah diberi tahu." in reply and "Bidan Bd." not in reply


def test_several_bidan_alerted_are_named_together(service, database):
    with database.transaction() as session:
        second = Person(
            phone="+6281100000102",
            name="Rina",
            role="bidan",
            area_code="32.98.01.2002",
            kabupaten_code="32.98",
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(second)
        session.flush()
        session.add(PersonPosyandu(person_id=second.id, posyandu_code="PY1"))
    reply = ServiceChat(service, KADER).send_all(*DANGER_VISIT, "lewati", "kirim")
    assert "Bidan desa sudah diberi tahu." in reply
    assert len(alerts(database)) == 2


def test_no_bidan_on_the_roster_means_the_kader_is_told_to_call(service, database):
    reply = ServiceChat(service, KADER_TWO_POSYANDU).send_all(
        "lapor", "2", "1", *DANGER_VISIT[2:], "lewati", "kirim"
    )
    assert "✅" in reply and "sudah diberi tahu" not in reply
    assert "Belum ada bidan desa" in reply
    assert alerts(database) == []


def test_a_bidan_reporting_a_danger_sign_is_not_alerted_about_her_own_visit(service, database):
    reply = ServiceChat(service, BIDAN).send_all(
        "lapor", "2", "Posyandu Melati", *DANGER_VISIT[2:], "lewati", "kirim"
    )
    assert "✅" in reply and "diberi tahu" not in reply and "Belum ada bidan" not in reply
    assert alerts(database) == []


def test_a_calm_visit_alerts_nobody_and_says_nothing_about_it(service, database):
    reply = ServiceChat(service, KADER).send_all(*CALM_VISIT)
    assert "✅" in reply and "diberi tahu" not in reply and alerts(database) == []


# --- items 19 and 22: the console at start-up --------------------------------------------


def test_the_console_shows_queued_alerts_before_the_first_line(service, database):
    ServiceChat(service, KADER).send_all(*DANGER_VISIT, "lewati", "kirim")
    out = io.StringIO()
    phone = "081100000101"
    console = ConsoleChannel(
        Mailroom(service),
        phone,
        io.StringIO(""),
        out,
        check_outbox=lambda: deliver_pending(database, console, phone),
    )
    assert console.run() == 0
    assert out.getvalue().startswith("🔔 🚨 Kunjungan rumah Posyandu Melati")


def test_the_console_start_up_line_is_indonesian(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/demo.db", "LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(app, ["console"], input="", env=env)
    assert result.exit_code == 0, result.output
    assert "Basis data masih kosong: data demo sudah dimuat" in result.stderr


def test_bantuan_in_a_form_shows_the_navigation_hint_under_the_question_again(service):
    chat = ServiceChat(service, KADER)
    chat.send_all(*MONTHLY_START)
    assert engine_words.HINT_CONTROLS not in chat.replies[-1].text
    chat.send("bantuan")
    assert "D: berapa balita" in chat.replies[-1].text
    assert engine_words.HINT_CONTROLS in chat.replies[-1].text

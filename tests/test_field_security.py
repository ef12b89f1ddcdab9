"""Security defects found in the field test, each replayed the way it was found.

Foreign numbers taking over roster accounts, what an unknown sender leaves
behind, phone numbers in logs, and roster numbers that cannot exist. The
webhook fuzzing lives in ``test_webhook_fuzz.py``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import phonenumbers
import pytest
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select
from typer.testing import CliRunner

from bot.channels import words as channel_words
from bot.cli import app, seed_demo_command
from conversations import ALL_FORMS, Engine
from conversations.phone import is_indonesian_mobile, normalize_phone, platform_phone
from handlers import Service
from handlers import words as handler_words
from handlers.roster.demo import roster_rows
from handlers.roster.file import import_file
from storage import Database, inbox, people
from storage import whatsapp as store
from storage.models import Inbox, Person
from storage.models_whatsapp import WhatsAppMessage
from tests import whatsapp_payloads as payloads
from tests.conftest import Clock
from tests.roster import KADER, load_roster
from tests.telegram_emulator import TelegramEmulator
from tests.test_console import bot as run_cli
from tests.test_roster_import import INVALID, NOW, ROWS, write_csv
from tests.test_telegram_channel import TOKEN as TELEGRAM_TOKEN
from tests.test_telegram_channel import Kader, polling_bot
from tests.test_whatsapp_channel import KADER_WA, PHONE_ID, TEMPLATE, running, shown
from tests.test_whatsapp_channel import TOKEN as WHATSAPP_TOKEN
from tests.whatsapp_graph_fake import FakeGraphAPI

# PTB 22 warns inside its own RetryAfter constructor that retry_after will become a timedelta.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

# A real mobile number of every country whose code starts with 8, as WhatsApp gives it
# (international, no "+"). Read the national Indonesian way, each is an Indonesian number:
# 85251234567 (Hong Kong +852 5123 4567) became +62 852-5123-4567.
COLLIDING = {
    "81": "819012345678",  # Japan, 090-1234-5678
    "82": "821020000000",  # South Korea, 010-2000-0000
    "84": "84912345678",  # Vietnam, 091 234 56 78
    "86": "8613123456789",  # China, 131 2345 6789
    "852": "85251234567",  # Hong Kong, 5123 4567
    "853": "85366123456",  # Macau, 6612 3456
    "855": "85591234567",  # Cambodia, 091 234 567
    "856": "8562023123456",  # Laos, 020 23 123 456
    "880": "8801812345678",  # Bangladesh, 01812-345678
    "886": "886912345678",  # Taiwan, 0912 345 678
}


def lookalike(foreign: str) -> str:
    """The Indonesian number the old national reading made of a foreign one."""
    return "+62" + foreign


def row_counts(database: Database) -> dict[str, int]:
    """Rows of every table: "nothing stored" means none of these moved."""
    with database.transaction() as session:
        return {
            table.name: session.exec(select(func.count()).select_from(table)).one()
            for table in SQLModel.metadata.sorted_tables
        }


def add_lookalikes(database: Database) -> None:
    """Roster people whose numbers are the Indonesian readings of every colliding number.

    The Dinkes officer is the worst case: whoever takes over the account reads the rekap of
    the whole kabupaten.
    """
    created = datetime(2026, 1, 1, tzinfo=UTC)
    with database.transaction() as session:
        for code, foreign in COLLIDING.items():
            session.add(
                Person(
                    phone=lookalike(foreign),
                    name=f"Petugas {code}",
                    role="dinkes",
                    area_code="32.98",
                    kabupaten_code="32.98",
                    created_at=created,
                    updated_at=created,
                )
            )


@pytest.fixture
def service(database: Database, clock: Clock) -> Service:
    load_roster(database)
    add_lookalikes(database)
    return Service(database, Engine(ALL_FORMS), clock=clock)


# --- foreign numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "phone"),
    [
        ("6281234567001", "+6281234567001"),
        ("+6281234567001", "+6281234567001"),
        ("+62 812-3456-7001", "+6281234567001"),
        ("081234567001", "+6281234567001"),
        ("0062 812 3456 7001", "+6281234567001"),
        ("85251234567", None),
        ("+85251234567", None),
        ("0085251234567", None),
        ("+1 202 555 0100", None),
        ("62812³4567001", None),
        ("", None),
    ],
)
def test_a_number_from_a_platform_is_international(given, phone):
    assert platform_phone(given) == phone


def test_a_typed_number_is_national():
    """What an admin or the operator types: 0852… and a 852… whose 0 Excel dropped."""
    assert normalize_phone("0852 9123 4567") == "+6285291234567"
    assert normalize_phone("85291234567") == "+6285291234567"


@pytest.mark.parametrize(("code", "foreign"), COLLIDING.items())
def test_the_colliding_numbers_are_real_foreign_mobiles(code, foreign):
    number = phonenumbers.parse("+" + foreign)
    assert number.country_code == int(code)
    assert phonenumbers.is_valid_number(number)
    assert phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    async with FakeGraphAPI(PHONE_ID, WHATSAPP_TOKEN) as fake:
        fake.register_template(TEMPLATE, "id", body_params=1)
        yield fake


async def test_foreign_whatsapp_numbers_are_refused_and_leave_nothing(
    graph, service, database, clock
):
    before = row_counts(database)
    async with running(graph, service, clock) as bot:
        for code, foreign in COLLIDING.items():
            response = await bot.post(payloads.text("rekap", wa_id=foreign))
            assert response.status_code == 200, code
            [reply] = [shown(body) for body in graph.sent_to(foreign)]
            assert reply == handler_words.UNKNOWN_NUMBER.format(phone="+" + foreign), code
    assert row_counts(database) == before


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator(token=TELEGRAM_TOKEN) as emulator:
        yield emulator


@pytest.mark.parametrize("library", ["ptb", "aiogram"])
async def test_foreign_telegram_contacts_are_refused_and_leave_nothing(
    tg, library, service, database
):
    before = row_counts(database)
    async with polling_bot(tg, library, service):
        for user_id, (code, foreign) in enumerate(COLLIDING.items(), start=5001):
            # Telegram clients send the number as stored, often without the "+".
            person = Kader(tg.user(user_id, f"Tamu {code}", phone=foreign))
            await person.says("/start", expect=handler_words.ASK_CONTACT)
            await person.user.tap(channel_words.BUTTON_SHARE_CONTACT)
            await person.hears(handler_words.UNKNOWN_NUMBER.format(phone="+" + foreign))
    assert row_counts(database) == before


@pytest.mark.parametrize("library", ["ptb", "aiogram"])
async def test_an_indonesian_contact_without_plus_still_registers(tg, library, service, database):
    async with polling_bot(tg, library, service):
        siti = Kader(tg.user(1001, "Siti", phone="6281100000001"))
        await siti.says("/start", expect=handler_words.ASK_CONTACT)
        await siti.user.tap(channel_words.BUTTON_SHARE_CONTACT)
        await siti.hears("Halo Siti, kader Posyandu Melati")
    assert row_counts(database)["channel_identity"] == 1


def test_the_console_phone_is_read_as_typed_in_indonesia(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db", "LOG_LEVEL": "WARNING"}
    typed = run_cli(env, "console", "--phone", "0812 0000 0003", stdin="status\n")
    assert typed.returncode == 0, typed.stderr
    assert "Kenanga" in typed.stdout
    nonsense = run_cli(env, "console", "--phone", "halo", stdin="status\n")
    assert nonsense.returncode == 2
    assert "not an Indonesian number" in nonsense.stderr


# --- what an unknown sender leaves ------------------------------------------------------------


def everything_stored(database: Database) -> str:
    """Every value of every row of every table, as one text to search."""
    with database.transaction() as session:
        return "\n".join(
            repr(tuple(row))
            for table in SQLModel.metadata.sorted_tables
            for row in session.execute(select(table)).all()
        )


async def test_an_unknown_whatsapp_sender_leaves_no_number_name_or_text(
    graph, service, database, clock
):
    stranger = "6289912345678"
    payload = payloads.text("Anak saya demam tinggi", wa_id=stranger, name="Ibu Ratna Wijaya")
    async with running(graph, service, clock) as bot:
        assert (await bot.post(payload)).status_code == 200
        assert (await bot.post(payload)).status_code == 200  # Meta re-delivers
        [wamid, *_] = [sent["message_id"] for sent in graph.sent if sent["to"] == stranger]
        await bot.post(payloads.delivered(wamid, recipient_id=stranger))
    [refusal, *_] = [shown(body) for body in graph.sent_to(stranger)]
    assert "belum terdaftar" in refusal
    stored = everything_stored(database)
    for secret in (stranger, "89912345678", "Ratna", "demam", payloads.bsuid_for(stranger)):
        assert secret not in stored


async def test_finished_whatsapp_messages_are_purged_after_the_retention_period(
    graph, service, database, clock
):
    day = timedelta(days=1)
    with database.transaction() as session:
        siti = session.exec(select(Person).where(Person.phone == KADER)).one()
        people.link_identity(session, siti.id, "whatsapp", KADER_WA, clock.now - 60 * day)
        lane = inbox.Lane("whatsapp", KADER_WA)
        for name, age in (("old", 31), ("recent", 29)):
            finished = clock.now - age * day
            inbox.keep(session, lane, f"wamid.{name}", age, {}, finished, status=inbox.DONE)
            store.record_sent(session, f"wamid.out-{name}", KADER_WA, "text", finished)
    async with running(graph, service, clock) as bot:
        for _ in range(100):
            if len(bot.inbox()) == 1:
                break
            await asyncio.sleep(0.02)
    with database.transaction() as session:
        kept = session.exec(select(Inbox.external_id)).all()
        sent = session.exec(select(WhatsAppMessage.wamid)).all()
    assert (kept, sent) == (["wamid.recent"], ["wamid.out-recent"])


# --- phone numbers in logs --------------------------------------------------------------------


def test_a_database_error_does_not_write_the_phone_number_into_the_log(database, caplog):
    load_roster(database)
    now = datetime(2026, 11, 22, tzinfo=UTC)
    twin = Person(
        phone=KADER,
        name="Siti",
        role="kader",
        kabupaten_code="32.98",
        created_at=now,
        updated_at=now,
    )
    log = logging.getLogger("bot.test")
    with pytest.raises(IntegrityError) as error, database.transaction() as session:
        session.add(twin)
    log.error("saving failed", exc_info=error.value)
    assert "UNIQUE constraint failed: person.phone" in caplog.text
    assert KADER not in caplog.text and KADER.removeprefix("+62") not in caplog.text


def test_seed_demo_prints_no_full_phone_number(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/demo.db")
    seed_demo_command()
    printed = capsys.readouterr()
    assert "Loaded the demo district" in printed.out
    assert "+62812****0001" in printed.out
    assert not re.search(r"\d{8,}", printed.out + printed.err)


# --- roster numbers and the admin's messages ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("0812345", "too short for any operator"),
        ("0812 0000 0000 0000", "too long"),
        ("021 5550 1234", "a Jakarta landline"),
        ("0800 123 4567", "a toll-free number"),
    ],
)
def test_a_roster_number_that_is_not_an_indonesian_mobile_is_refused_on_its_line(
    database, tmp_path, typed, why
):
    rows = [dict(row) for row in ROWS]
    rows[1]["phone"] = typed
    errors, summary = import_file(database, write_csv(tmp_path / "roster.csv", rows), NOW)
    assert summary == ""
    assert [error.split(":")[0] for error in errors] == ["baris 3"], why
    assert f"phone '{typed}'" in errors[0] and "nomor HP" in errors[0]
    with database.transaction() as session:
        assert session.exec(select(func.count()).select_from(Person)).one() == 0


def test_every_demo_and_readme_number_is_a_valid_indonesian_mobile():
    assert all(is_indonesian_mobile(row.phone) for row in roster_rows())


ENGLISH = re.compile(r"\b(line|missing|must|is|empty|appears|already|only|here|but)\b")


def test_roster_import_errors_are_in_indonesian(database, tmp_path):
    """Every kind of error the import test suite provokes, plus the file-level ones."""
    files = [write_csv(tmp_path / f"{n}.csv", rows) for n, (rows, _) in enumerate(INVALID.values())]
    header_only = tmp_path / "judul.csv"
    header_only.write_text("phone,nama,peran\n")
    empty = tmp_path / "kosong.csv"
    empty.write_text("\n")
    errors = [
        error
        for path in [*files, header_only, empty]
        for error in import_file(database, path, NOW)[0]
    ]
    assert len(errors) >= len(INVALID) + 2
    for error in errors:
        assert error.startswith("baris "), error
        assert not ENGLISH.search(error), error


def test_the_import_command_says_in_indonesian_that_nothing_was_imported(tmp_path):
    path = write_csv(tmp_path / "roster.csv", [{**ROWS[0], "phone": "0812345"}])
    database_url = f"sqlite:///{tmp_path}/bot.db"
    result = CliRunner().invoke(app, ["import", str(path)], env={"DATABASE_URL": database_url})
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 kesalahan; tidak ada yang diimpor."

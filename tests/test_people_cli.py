"""``python -m bot people link|unlink PHONE --telegram USER_ID`` in-process on a SQLite file.

Why: support staff link a kader's Telegram account by hand; a typo must not
hand one person's account to another, and every change must be on record.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import app
from conversations import Inbound
from handlers import Service
from storage import Database, identities, people
from tests.roster import BIDAN, KADER, STRANGER


@pytest.fixture
def cli(service: Service, database: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name, value in {"DATABASE_URL": database.url, "LOG_LEVEL": "WARNING"}.items():
        monkeypatch.setenv(name, value)
    return CliRunner()


def holder(database: Database, user_id: str) -> int | None:
    with database.transaction() as session:
        return identities.owner(session, "telegram", user_id)


def person(database: Database, phone: str) -> int:
    with database.transaction() as session:
        found = people.by_phone(session, phone)
        assert found is not None
        return found.person_id


def test_a_linked_account_is_the_person_in_chat_and_the_change_is_recorded(cli, database, service):
    result = cli.invoke(app, ["people", "link", "081100000001", "--telegram", "5550001"])
    assert result.exit_code == 0, result.output
    assert "terhubung ke Siti" in result.output
    assert holder(database, "5550001") == person(database, KADER)
    replies = service.handle(Inbound("telegram", "5550001", "m1", "mulai"))
    assert "Siti" in replies[0].text  # known at once: no contact to share
    again = cli.invoke(app, ["people", "link", KADER, "--telegram", "5550001"])
    assert again.exit_code == 0 and "tidak ada perubahan" in again.output
    with database.transaction() as session:
        audit = identities.changes(session, person(database, KADER))
    assert [(c.action, c.external_id, c.actor.startswith("cli:")) for c in audit] == [
        ("link", "5550001", True)
    ]


def test_an_account_linked_to_someone_else_is_refused(cli, database):
    assert cli.invoke(app, ["people", "link", KADER, "--telegram", "5550002"]).exit_code == 0
    refused = cli.invoke(app, ["people", "link", BIDAN, "--telegram", "5550002"])
    assert refused.exit_code == 1
    assert "orang lain" in refused.output
    assert holder(database, "5550002") == person(database, KADER)


def test_unlink_removes_the_account_and_is_recorded(cli, database):
    cli.invoke(app, ["people", "link", KADER, "--telegram", "5550003"])
    wrong = cli.invoke(app, ["people", "unlink", BIDAN, "--telegram", "5550003"])
    assert wrong.exit_code == 1 and "tidak terhubung" in wrong.output
    done = cli.invoke(app, ["people", "unlink", KADER, "--telegram", "5550003"])
    assert done.exit_code == 0 and "dilepas" in done.output
    assert holder(database, "5550003") is None
    with database.transaction() as session:
        actions = [c.action for c in identities.changes(session, person(database, KADER))]
    assert actions == ["link", "unlink"]


def test_bad_input_gets_a_clear_answer_and_changes_nothing(cli, database):
    unknown = cli.invoke(app, ["people", "link", STRANGER, "--telegram", "5550004"])
    assert unknown.exit_code == 1 and "tidak ada di roster" in unknown.output
    not_a_number = cli.invoke(app, ["people", "link", KADER, "--telegram", "@siti"])
    assert not_a_number.exit_code == 2 and "harus angka" in not_a_number.output
    assert holder(database, "5550004") is None

"""Targets per indicator and kabupaten, and the bands of the achievement review, on the CLI."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import app
from handlers.exports.targets import national, targeted
from tests.rekap_district import KABUPATEN


@pytest.fixture
def cli(fresh_district, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", fresh_district.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_every_indicator_has_a_national_target():
    assert set(national()) == {m.code for m in targeted()}


def test_bands_are_national_until_a_kabupaten_sets_its_own(cli):
    shown = cli("targets", "show", "--kabupaten", KABUPATEN)
    assert shown.exit_code == 0, shown.output
    assert "baik > 91%, cukup > 80%, kurang <= 80%" in shown.stdout
    saved = cli("targets", "bands", KABUPATEN, "--baik", "95", "--cukup", "85")
    assert saved.exit_code == 0, saved.output
    assert "baik > 95%, cukup > 85%" in cli("targets", "show", "--kabupaten", KABUPATEN).stdout
    assert "baik > 91%" in cli("targets", "show").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bands", KABUPATEN, "--baik", "80", "--cukup", "90"], "lebih tinggi dari batas 'cukup'"),
        (["bands", "99.99"], "Kabupaten '99.99' tidak ada di daftar wilayah."),
        (["set", "99.99", "X", "80"], "Kabupaten '99.99' tidak ada di daftar wilayah."),
        (["set", KABUPATEN, "TIDAK_ADA", "80"], "Indikator 'TIDAK_ADA' tidak dikenal"),
    ],
)
def test_bad_targets_get_a_clear_answer(cli, args, message):
    result = cli("targets", *args)
    assert result.exit_code == 1 and message in result.stderr


def test_an_import_with_bad_lines_saves_nothing(cli, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("kabupaten,indicator,target\n99.99,X,80\n\n", encoding="utf-8")
    result = cli("targets", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Baris 2: Kabupaten '99.99' tidak ada")
    path.write_text("kab,ind\n", encoding="utf-8")
    headless = cli("targets", "import", str(path))
    assert headless.exit_code == 1
    assert "Baris pertama file target harus: kabupaten,indicator,target" in headless.stderr

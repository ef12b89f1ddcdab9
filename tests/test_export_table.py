"""The long table of the demo district and the Excel views pivoted from it, read back."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli import app
from conversations.forms import MONTHLY
from handlers.exports.table import HEADERS, measures
from handlers.exports.workbook import groups
from handlers.roster.demo import seed_demo

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
KABUPATEN = "32.99"


@pytest.fixture(scope="module")
def demo(module_database):
    seed_demo(module_database, NOW)
    return module_database


@pytest.fixture
def cli(demo, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result

    return run


def _table(cli, *args: str) -> list[dict[str, str]]:
    text = cli("export", "table", "--area", KABUPATEN, *args).stdout
    assert text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    assert tuple(reader.fieldnames or ()) == HEADERS
    return list(reader)


def test_one_row_per_measure_month_and_posyandu_with_every_region(cli):
    rows = _table(cli, "--period", "2026-10", "--months", "3")
    keys = Counter((r["Kode indikator"], r["Bulan"], r["Kode Posyandu"]) for r in rows)
    assert max(keys.values()) == 1
    assert {r["Bulan"] for r in rows} == {"2026-08", "2026-09", "2026-10"}
    for row in rows:
        assert row["Kode kabupaten"] == KABUPATEN and row["Kabupaten"] == "Kabupaten Sukamaju"
        assert row["Kode provinsi"] == "32" and row["Provinsi"] == "Jawa Barat"
        assert row["Kode desa"].startswith(row["Kode kecamatan"])
        assert all(row[h] for h in ("Kecamatan", "Puskesmas", "Kode Puskesmas", "Desa"))
    # Seruni has not reported October, Dahlia did not open in September: no rows, no zeros.
    assert not [r for r in rows if r["Kode Posyandu"] == "PY-010" and r["Bulan"] == "2026-10"]
    assert not [r for r in rows if r["Kode Posyandu"] == "PY-006" and r["Bulan"] == "2026-09"]


def test_the_data_rows_are_the_dhis2_values(cli):
    rows = _table(cli, "--period", "2026-10")
    dhis2 = json.loads(cli("export", "dhis2", "--period", "2026-10", "--area", KABUPATEN).stdout)[
        "dataValues"
    ]
    data = {
        (r["Kode indikator"], r["Kode Posyandu"]): r["Pembilang"]
        for r in rows
        if r["Jenis"] == "data"
    }
    assert data == {(v["dataElement"], v["orgUnit"]): v["value"] for v in dhis2}
    assert all(r["Nilai"] == r["Pembilang"] for r in rows if r["Jenis"] == "data")


def test_the_workbook_recap_is_a_pivot_of_the_long_table(cli, tmp_path):
    out = tmp_path / "tabel.xlsx"
    cli("export", "table", "--period", "2026-10", "--area", KABUPATEN, "--format", "xlsx",
        "--out", str(out))  # fmt: skip
    rows = _table(cli, "--period", "2026-10")
    book = load_workbook(out)
    long_sheet = book["Tabel panjang"]
    assert [c.value for c in long_sheet[1]] == list(HEADERS)
    assert long_sheet.max_row == len(rows) + 1

    sheet = book["Rekap Posyandu"]
    assert sheet["A1"].value == "Rekapitulasi Posyandu Kabupaten Sukamaju, 2026-10"
    header = [c.value for c in sheet[2]]
    assert header[:5] == ["Bulan", "Puskesmas", "Desa", "Kode Posyandu", "Posyandu"]
    listed = list(sheet.iter_rows(min_row=3, values_only=True))
    body, total = listed[:-1], listed[-1]
    reported = {r["Kode Posyandu"] for r in rows}
    assert {line[3] for line in body} == reported and total[0] == "Total"
    for column, measure in enumerate(measures(MONTHLY), start=5):
        assert header[column] == measure.label
        parts = {
            r["Kode Posyandu"]: (int(r["Pembilang"]), int(r["Penyebut"] or 0))
            for r in rows
            if r["Kode indikator"] == measure.code
        }
        shown = {line[3]: line[column] for line in body if line[column] is not None}
        summed = (sum(t for t, _ in parts.values()), sum(b for _, b in parts.values()))
        if measure.denominator is None:
            assert shown == {code: top for code, (top, _) in parts.items()}
            assert total[column] == (summed[0] if parts else None)
        else:
            # A ratio of a group is the ratio of its sums, never the mean of the ratios.
            scale = 100 if measure.percent else 1
            assert shown == {
                code: round(scale * top / bottom, 1)
                for code, (top, bottom) in parts.items()
                if bottom
            }
            expected = round(scale * summed[0] / summed[1], 1) if summed[1] else None
            assert total[column] == expected


def test_the_open_day_recap_has_a_block_per_group(cli, tmp_path):
    out = tmp_path / "tabel.xlsx"
    cli("export", "table", "--period", "2026-10", "--area", KABUPATEN, "--format", "xlsx",
        "--out", str(out))  # fmt: skip
    rows = _table(cli, "--period", "2026-10")
    sheet = load_workbook(out)["Rekap hari buka"]
    blocks = groups(MONTHLY)
    fields = [field for _, members in blocks for field in members]
    first = 5
    column = first
    for section, members in blocks:
        assert sheet.cell(row=2, column=column).value == section.title
        column += len(members)
    assert [sheet.cell(row=3, column=first + i).value for i in range(len(fields))] == [
        f.label for f in fields
    ]
    counts = {(r["Kode Posyandu"], r["Kode indikator"]): int(r["Pembilang"]) for r in rows}
    body = list(sheet.iter_rows(min_row=4, values_only=True))
    assert {line[2] for line in body} == {code for code, _ in counts}
    for line in body:
        for offset, field in enumerate(fields):
            assert line[first - 1 + offset] == counts.get((line[2], field.name)), field.name

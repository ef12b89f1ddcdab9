"""DHIS2 exports of the demo district: the dataValueSets shape, the rekap's numbers, three formats.

The demo district (handlers/roster/demo.py) has three months of reports, one
Posyandu not held, one report corrected and one Posyandu that has not
reported for the last month: exactly the cases an export must not turn into
numbers (no zeros for non-reporters, latest revisions only).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, datetime
from xml.etree import ElementTree

import jsonschema
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from conversations.forms import MONTHLY
from handlers.exports.dhis2 import ADX_NAMESPACE, CSV_COLUMNS
from handlers.exports.values import data_elements
from handlers.roster.demo import seed_demo
from storage.models import Posyandu

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
KABUPATEN = "32.99"
PERIODS = ("2026-08", "2026-09", "2026-10")
ELEMENTS = [field.name for field in data_elements(MONTHLY)]

# The shape DHIS2's /api/dataValueSets import reads (JSON), as far as an aggregate export uses it.
DATA_VALUE_SET = {
    "type": "object",
    "required": ["dataValues"],
    "additionalProperties": False,
    "properties": {
        "dataSet": {"type": "string"},
        "dataValues": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["dataElement", "period", "orgUnit", "value"],
                "additionalProperties": False,
                "properties": {
                    "dataElement": {"type": "string", "minLength": 1},
                    "period": {"type": "string", "pattern": "^[0-9]{6}$"},
                    "orgUnit": {"type": "string", "minLength": 1},
                    "categoryOptionCombo": {"type": "string"},
                    "attributeOptionCombo": {"type": "string"},
                    "value": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
                    "storedBy": {"type": "string"},
                    "lastUpdated": {"type": "string", "format": "date-time"},
                    "comment": {"type": "string"},
                    "followup": {"type": "boolean"},
                },
            },
        },
    },
}


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
        return runner.invoke(app, list(args))

    return run


def _export(cli, period: str, fmt: str, *extra: str) -> str:
    result = cli(
        "export", "dhis2", "--period", period, "--area", KABUPATEN, "--format", fmt, *extra
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def _json_triples(text: str) -> Counter:
    document = json.loads(text)
    return Counter(
        (row["dataElement"], row["orgUnit"], row["period"], row["value"])
        for row in document["dataValues"]
    )


def _csv_triples(text: str) -> Counter:
    reader = csv.reader(io.StringIO(text))
    assert tuple(next(reader)) == CSV_COLUMNS
    return Counter((row[0], row[2], row[1], row[5]) for row in reader)


def _adx_triples(text: str) -> Counter:
    root = ElementTree.fromstring(text.encode("utf-8"))
    ns = {"adx": ADX_NAMESPACE}
    assert root.tag == f"{{{ADX_NAMESPACE}}}adx"
    found: Counter = Counter()
    for group in root.findall("adx:group", ns):
        assert group.get("dataSet")
        start, duration = group.get("period").split("/")
        assert duration == "P1M" and start.endswith("-01")
        period = start[:7].replace("-", "")
        for value in group.findall("adx:dataValue", ns):
            found[(value.get("dataElement"), group.get("orgUnit"), period, value.get("value"))] += 1
    return found


def _rekap_rows(cli, period: str) -> list[dict[str, str]]:
    result = cli("rekap", "--period", period, "--area", KABUPATEN, "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _column_elements(columns: list[str]) -> dict[str, str]:
    """Rekap CSV columns that are data elements of the form: column -> field code."""
    by_code = {name.casefold(): name for name in ELEMENTS}
    return {
        column: by_code[column.casefold()] for column in columns if column.casefold() in by_code
    }


@pytest.mark.parametrize("period", PERIODS)
def test_json_is_a_data_value_set_with_the_rekap_numbers(cli, period):
    document = json.loads(_export(cli, period, "json"))
    jsonschema.validate(document, DATA_VALUE_SET, format_checker=jsonschema.FormatChecker())
    values = {
        (row["orgUnit"], row["dataElement"]): row["value"]
        for row in document["dataValues"]
        if row["period"] == period.replace("-", "")
    }
    assert len(values) == len(document["dataValues"])

    rows = _rekap_rows(cli, period)
    compared = _column_elements(list(rows[0]))
    assert len(compared) >= 4
    for row in rows:
        posyandu = row["posyandu_code"]
        if row["reported"] == "1" and row["held"] == "1":
            for column, element in compared.items():
                # A section the kader skipped is empty in the CSV and absent here: never a zero.
                assert values.get((posyandu, element), "") == row[column], (posyandu, column)
        else:
            # Not reported, or the Posyandu did not open: no value at all, never a zero.
            assert not [key for key in values if key[0] == posyandu], posyandu
    exported_units = {unit for unit, _ in values}
    assert exported_units == {
        row["posyandu_code"] for row in rows if row["reported"] == "1" and row["held"] == "1"
    }


def test_the_demo_gaps_send_nothing(cli):
    """Seruni (PY-010) has not reported October; Dahlia (PY-006) did not open in September."""
    october = _json_triples(_export(cli, "2026-10", "json"))
    september = _json_triples(_export(cli, "2026-09", "json"))
    assert october and september
    assert not [t for t in october if t[1] == "PY-010"]
    assert not [t for t in september if t[1] == "PY-006"]


@pytest.mark.parametrize("level", ["posyandu", "desa"])
def test_csv_and_adx_carry_the_same_values_as_json(cli, level):
    json_text = _export(cli, "2026-10", "json", "--level", level)
    csv_text = _export(cli, "2026-10", "csv", "--level", level)
    adx_text = _export(cli, "2026-10", "adx", "--level", level)
    triples = _json_triples(json_text)
    assert triples and max(triples.values()) == 1
    assert _csv_triples(csv_text) == triples
    assert _adx_triples(adx_text) == triples


def test_desa_values_are_the_sums_of_their_posyandu(cli, demo):
    posyandu = _json_triples(_export(cli, "2026-10", "json"))
    desa = _json_triples(_export(cli, "2026-10", "json", "--level", "desa"))
    with demo.transaction() as session:
        desa_of = dict(session.exec(select(Posyandu.code, Posyandu.desa_code)).all())
    expected: Counter = Counter()
    for element, unit, period, value in posyandu:
        expected[(element, desa_of[unit], period)] += int(value)
    assert {(e, u, p): int(v) for e, u, p, v in desa} == dict(expected)


def _mapping_file(tmp_path, cli, drop: tuple[str, ...] = ()) -> str:
    """A mapping of every code in October's export to made-up DHIS2 UIDs, less ``drop``."""
    triples = _json_triples(_export(cli, "2026-10", "json"))
    lines = ["kind,code,dhis2,catoptcombo"]
    for number, element in enumerate(sorted({t[0] for t in triples})):
        if element not in drop:
            lines.append(f"dataElement,{element},DE{number:09d},HllvX50cXC0")
    for number, unit in enumerate(sorted({t[1] for t in triples})):
        if unit not in drop:
            lines.append(f"orgUnit,{unit},OU{number:09d},")
    path = tmp_path / "mapping.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_full_mapping_sends_the_instance_codes(cli, tmp_path):
    mapping = _mapping_file(tmp_path, cli)
    out = tmp_path / "dhis2.json"
    result = cli(
        "export", "dhis2", "--period", "2026-10", "--area", KABUPATEN, "--mapping", mapping,
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(document, DATA_VALUE_SET)
    rows = document["dataValues"]
    assert rows and all(row["dataElement"].startswith("DE") for row in rows)
    assert all(row["orgUnit"].startswith("OU") for row in rows)
    assert {row["categoryOptionCombo"] for row in rows} == {"HllvX50cXC0"}
    unmapped_values = sorted(t[3] for t in _json_triples(_export(cli, "2026-10", "json")))
    assert sorted(row["value"] for row in rows) == unmapped_values
    csv_rows = list(csv.reader(io.StringIO(_export(cli, "2026-10", "csv", "--mapping", mapping))))
    assert {row[3] for row in csv_rows[1:]} == {"HllvX50cXC0"}


def test_an_unmapped_code_is_listed_and_nothing_is_written(cli, tmp_path):
    element = ELEMENTS[0]
    mapping = _mapping_file(tmp_path, cli, drop=(element, "PY-001"))
    out = tmp_path / "dhis2.json"
    result = cli(
        "export", "dhis2", "--period", "2026-10", "--area", KABUPATEN, "--mapping", mapping,
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Belum ada di file pemetaan, jadi tidak ada yang ditulis:" in result.stderr
    assert f"dataElement (1): {element}" in result.stderr
    assert "orgUnit (1): PY-001" in result.stderr
    assert not out.exists() and result.stdout == ""


def test_a_bad_mapping_file_says_which_lines(cli, tmp_path):
    path = tmp_path / "mapping.csv"
    path.write_text(
        "kind,code,dhis2,catoptcombo\n"
        "dataElement,x,ABC,\n"
        "orgunit,PY-001,DEF,\n"
        "orgUnit,PY-002,,\n"
        "dataElement,x,GHI,\n",
        encoding="utf-8",
    )
    result = cli("export", "dhis2", "--period", "2026-10", "--mapping", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Baris 3: jenis 'orgunit' tidak dikenal; pakai salah satu: dataElement, orgUnit.",
        "Baris 4: kolom code dan dhis2 wajib diisi.",
        "Baris 5: dataElement x sudah dipetakan di baris sebelumnya.",
    ]
    path.write_text("code,dhis2\nx,y\n", encoding="utf-8")
    headless = cli("export", "dhis2", "--period", "2026-10", "--mapping", str(path))
    assert headless.exit_code == 2
    assert "Baris pertama file pemetaan harus: kind,code,dhis2,catoptcombo" in headless.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--period", "2026-13"], 2, "Bulan '2026-13' tidak dikenal; tulis YYYY-MM"),
        (["--period", "oktober"], 2, "Bulan 'oktober' tidak dikenal"),
        (["--period", "2026-10", "--area", "99.99"], 1, "Tidak ada wilayah atau Posyandu"),
        (["--period", "2026-10", "--format", "xml"], 2, "Format 'xml' tidak dikenal"),
        (["--period", "2026-10", "--level", "kabupaten"], 2, "Tingkat 'kabupaten' tidak dikenal"),
    ],
)
def test_bad_options_get_a_clear_answer(cli, args, code, message):
    result = cli("export", "dhis2", *args)
    assert result.exit_code == code and message in result.stderr and result.stdout == ""


def test_a_month_without_reports_is_an_empty_set(cli):
    assert json.loads(_export(cli, "2025-01", "json")) == {"dataValues": []}
    assert _csv_triples(_export(cli, "2025-01", "csv")) == Counter()

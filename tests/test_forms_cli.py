"""``python -m bot forms show`` (the schema contract) and ``forms profile show|set``."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from bot.cli import app
from tests.chat import ServiceChat
from tests.roster import KADER
from tests.test_engine import HEADER

ISSUE_CODES = (
    *("POSY_BUKA", "POSY_TANGGAL", "POSY_KADER_HADIR", "POSY_NAKES_HADIR"),
    *(
        "BAL_S",
        "BAL_K",
        "BAL_D",
        "BAL_N",
        "BAL_T",
        "BAL_O",
        "BAL_B",
        "BAL_2T",
        "BAL_BGM",
        "BAL_TB_UKUR",
        "BAL_GIZI_MASALAH",
        "BAL_RUJUK",
        "BAL_VITA_BIRU",
        "BAL_VITA_MERAH",
        "BAL_CACING",
    ),
    *(
        "BUMIL_SASARAN",
        "BUMIL_DATANG",
        "BUMIL_KEK",
        "BUMIL_KEK_MT",
        "BUMIL_TTD",
        "BUMIL_HT",
        "BUMIL_RUJUK",
    ),
    *("NIFAS_DATANG", "NIFAS_MASALAH", "NIFAS_RUJUK"),
    *("REMAJA_SASARAN", "REMAJA_DATANG", "REMAJA_MASALAH", "REMAJA_RUJUK"),
    *("REMATRI_TTD",),
    *("DEWASA_SASARAN", "DEWASA_DATANG", "DEWASA_HT", "DEWASA_GDS", "DEWASA_RUJUK"),
    *(
        "LANSIA_SASARAN",
        "LANSIA_DATANG",
        "LANSIA_HT",
        "LANSIA_GDS",
        "LANSIA_TERGANTUNG",
        "LANSIA_RUJUK",
    ),
    *("TBC_SKRINING", "TBC_TERDUGA"),
)
FIELD_KEYS = {"code", "kind", "section", "label", "prompt", "short", "min", "max", "optional"}


def run(database, monkeypatch, *args: str):
    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    return CliRunner().invoke(app, ["forms", *args])


def test_forms_show_json_is_the_schema_contract_with_every_code(database, monkeypatch):
    result = run(database, monkeypatch, "show", "bulanan", "--format", "json")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert set(schema) == {"id", "version", "sections", "fields", "indicators"}
    assert (schema["id"], schema["version"]) == ("bulanan", 2)
    codes = [field["code"] for field in schema["fields"]]
    assert set(ISSUE_CODES) <= set(codes) and len(codes) == len(set(codes))
    assert all(set(field) == FIELD_KEYS for field in schema["fields"])
    sections = {section["code"] for section in schema["sections"]}
    assert all(field["section"] in sections for field in schema["fields"])
    [s] = [field for field in schema["fields"] if field["code"] == "BAL_S"]
    assert (s["kind"], s["min"], s["max"], s["short"], s["optional"]) == (
        "count",
        0,
        1000,
        "S",
        False,
    )
    [k] = [field for field in schema["fields"] if field["code"] == "BAL_K"]
    assert k["optional"] is True
    indicators = {i["code"]: i for i in schema["indicators"]}
    assert indicators["BAL_DS"] == {
        "code": "BAL_DS",
        "label": "D/S",
        "numerator": ["BAL_D"],
        "denominator": ["BAL_S"],
    }
    assert indicators["HIPERTENSI"]["denominator"] is None


def test_forms_show_text_and_its_default_form(database, monkeypatch):
    result = run(database, monkeypatch, "show")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("bulanan (version 2)")
    assert "TBC_TERDUGA" in result.output and "BAL_DS" in result.output
    other = run(database, monkeypatch, "show", "kunjungan")
    assert other.exit_code == 0 and "tindak_lanjut" in other.output


def test_forms_show_refuses_an_unknown_form_or_format(database, monkeypatch):
    assert run(database, monkeypatch, "show", "pilih").exit_code == 2
    assert "one of: bulanan" in run(database, monkeypatch, "show", "rapat").output
    assert run(database, monkeypatch, "show", "--format", "xml").exit_code == 2


def test_a_profile_switch_is_read_when_the_next_form_starts(service, database, monkeypatch):
    shown = run(database, monkeypatch, "profile", "show", "32.98")
    assert shown.exit_code == 0 and "BAL_K" in shown.output and " off " in shown.output
    chat = ServiceChat(service, KADER)
    assert "D: berapa balita" in chat.send_all("lapor", "1", *HEADER, "80")
    chat.send("batal")

    switched = run(database, monkeypatch, "profile", "set", "32.98", "BAL_K", "on")
    assert switched.exit_code == 0 and "BAL_K is now on in 32.98" in switched.output
    again = run(database, monkeypatch, "profile", "set", "32.98", "BAL_K", "on")
    assert "was already on" in again.output
    assert (
        "changed from the default" in run(database, monkeypatch, "profile", "show", "32.98").output
    )
    assert "K: berapa balita yang punya KMS" in chat.send_all("lapor", "1", *HEADER, "80")


def test_profile_errors_are_clear(database, monkeypatch):
    unknown = run(database, monkeypatch, "profile", "set", "99.99", "BAL_K", "on")
    assert unknown.exit_code == 1 and "No kabupaten has the code 99.99" in unknown.output
    fixed = run(database, monkeypatch, "profile", "set", "32.98", "BAL_S", "off")
    assert fixed.exit_code == 1 and "it can: BAL_K" in fixed.output
    assert run(database, monkeypatch, "profile", "set", "32.98", "BAL_K", "maybe").exit_code == 2
    assert run(database, monkeypatch, "profile", "show", "99.99").exit_code == 1

"""The form is the one place a field lives: a field added to a copy reaches every output.

A test copy of the monthly form gains one count (balita given ORS, ``BAL_ORALIT``)
with a rule and an indicator, declared only in the copy. The kader is asked it
in chat, and it shows in the rekap text, the CSV, the Excel ``Posyandu`` sheet
and the long table, with no other module changed: each of them is handed the
form, as the service is handed its engine.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date

from openpyxl import load_workbook

from conversations import ALL_FORMS, Engine
from conversations.form import Field, Indicator, Kind
from conversations.forms import MONTHLY
from conversations.forms.monthly import AT_MOST
from handlers import Service
from handlers.rekap import files as rekap_files
from storage.rekap import Area
from tests.chat import ServiceChat
from tests.roster import KADER, load_roster
from tests.test_engine import BALITA, GROUPS, HEADER

ORALIT = Field(
    "BAL_ORALIT",
    Kind.COUNT,
    "Dapat oralit",
    "Berapa balita diare yang mendapat oralit?",
    section="balita",
    short="ORALIT",
    minimum=0,
    maximum=1000,
)
AFTER = MONTHLY.fields.index(MONTHLY.field("BAL_RUJUK")) + 1
WITH_ORALIT = dataclasses.replace(
    MONTHLY,
    fields=(*MONTHLY.fields[:AFTER], ORALIT, *MONTHLY.fields[AFTER:]),
    checks=(
        *MONTHLY.checks,
        dataclasses.replace(
            MONTHLY.checks[0],
            name="oralit_le_d",
            fields=("BAL_ORALIT", "BAL_D"),
            holds=lambda a, c: a["BAL_ORALIT"] <= a["BAL_D"],
            message=AT_MOST.format(
                part="Dapat oralit", part_value="{BAL_ORALIT}", whole="D", whole_value="{BAL_D}"
            ),
        ),
    ),
    indicators=(
        *MONTHLY.indicators,
        Indicator("BAL_ORALIT_D", "Oralit/D", ("BAL_ORALIT",), ("BAL_D",)),
    ),
)
PERIOD = "2026-10"
MADE = date(2026, 11, 22)


def test_a_field_added_to_the_form_reaches_chat_and_every_rekap_output(database, clock):
    load_roster(database)
    service = Service(database, Engine({**ALL_FORMS, MONTHLY.id: WITH_ORALIT}), clock=clock)
    chat = ServiceChat(service, KADER)
    chat.send_all("lapor", "1", *HEADER, *BALITA)
    assert "Berapa balita diare yang mendapat oralit?" in chat.replies[-1].text
    assert "Dapat oralit (61) tidak boleh lebih dari D (60)" in chat.send("61")
    summary = chat.send_all("6", *GROUPS)
    assert "17. Dapat oralit: 6" in summary
    assert "✅" in chat.send("kirim")

    area = Area("kabupaten", "32.98", "Kabupaten Uji")
    with database.transaction() as session:

        def made(output: str) -> bytes:
            return rekap_files.file_bytes(session, area, PERIOD, output, MADE, form=WITH_ORALIT)

        text, table, long = made("text").decode(), made("csv").decode(), made("long").decode()
        book = rekap_files.attachment(session, area, PERIOD, "xlsx", MADE, form=WITH_ORALIT)

    assert "RUJUK 2 · ORALIT 6" in text and "Oralit/D 10%" in text
    [melati] = [r for r in csv.DictReader(io.StringIO(table)) if r["posyandu_code"] == "PY1"]
    assert (melati["BAL_ORALIT"], melati["BAL_ORALIT_D"]) == ("6", "0.1")
    sheet = load_workbook(io.BytesIO(book.content))["Posyandu"]
    header = [cell.value for cell in sheet[1]]
    [row] = [[c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[0].value == "PY1"]
    assert row[header.index("Dapat oralit")] == 6 and row[header.index("Oralit/D")] == 0.1
    long_rows = list(csv.DictReader(io.StringIO(long)))
    assert {"code": "BAL_ORALIT", "label": "Dapat oralit", "value": "6"}.items() <= next(
        r for r in long_rows if r["code"] == "BAL_ORALIT"
    ).items()


def test_the_copy_changes_nothing_for_the_form_the_bot_runs():
    assert not MONTHLY.has("BAL_ORALIT") and WITH_ORALIT.has("BAL_ORALIT")
    assert WITH_ORALIT.version == MONTHLY.version and MONTHLY.has("BAL_RUJUK")

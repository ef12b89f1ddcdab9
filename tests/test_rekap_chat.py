"""``rekap`` and ``tinjau`` in chat through the real core: who may see what, buttons, pages.

Every role asks for its own area, one below it and one outside it; a refusal
names what the person may see and shows no figures. Tests that only read the
district share one (``service``); the two that change it (a review, more
Posyandu) get their own (``fresh_service``). The name search's SQL is a storage
contract test in tests/test_rekap.py.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from bot.channels.console import ConsoleChannel
from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers.mailroom import Mailroom
from handlers.rekap import args as rekap_args
from handlers.rekap import words as W
from storage import Database
from storage.models import Posyandu
from tests.chat import ServiceChat
from tests.rekap_district import (
    ADMIN,
    BIDAN_SUKARAME,
    DINKES,
    KABUPATEN,
    KADER_MELATI,
    OTHER_ADMIN,
    PUSKESMAS_A,
)

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
KABUPATEN_ONLY = W.REKAP_NOT_FOUND.format(area="Kabupaten Uji Rekap")
KOTA_ONLY = W.REKAP_NOT_FOUND.format(area="Kota Lain")
PUSKESMAS_ONLY = W.REKAP_NOT_FOUND.format(area="Puskesmas Anggrek")
DESA_ONLY = W.REKAP_NOT_FOUND.format(area="Desa Sukarame")
KADER_ONLY = W.REKAP_NOT_FOUND_KADER.format(posyandu="Melati")


@pytest.fixture(scope="module")
def service(district: Database) -> Service:
    """The core service on the district shared by the module's tests."""
    return Service(district, Engine(ALL_FORMS), clock=lambda: NOW)


@pytest.fixture
def fresh_service(fresh_district: Database) -> Service:
    """The core service on a district of this test's own, for a test that changes it."""
    return Service(fresh_district, Engine(ALL_FORMS), clock=lambda: NOW)


def title(text: str) -> str:
    """The area line of a rekap (its second line)."""
    return text.split("\n")[1]


@pytest.mark.parametrize(
    ("phone", "typed", "shown"),
    [
        (DINKES, "rekap", "Kabupaten Uji Rekap"),
        (DINKES, "rekap oktober Bakung", "Puskesmas Bakung"),
        (DINKES, "rekap Karanganyar", "Desa Karanganyar"),
        (DINKES, "REKAP PB1", "Posyandu Dahlia"),
        (ADMIN, "/rekap bulan lalu", "Kabupaten Uji Rekap"),
        (ADMIN, "rekap puskesmas anggrek", "Puskesmas Anggrek"),
        (OTHER_ADMIN, "rekap", "Kota Lain"),
        (PUSKESMAS_A, "rekap", "Puskesmas Anggrek"),
        (PUSKESMAS_A, "rekap sukadana", "Desa Sukadana"),
        (PUSKESMAS_A, "rekap Mawar 10/2026", "Posyandu Mawar"),
        (BIDAN_SUKARAME, "rekap", "Desa Sukarame"),
        (BIDAN_SUKARAME, "rekap 2026-10 melati", "Posyandu Melati"),
        (KADER_MELATI, "rekap", "Posyandu Melati"),
        (KADER_MELATI, "rekap oktober melati", "Posyandu Melati"),
    ],
)
def test_each_role_sees_its_area_and_below(service, phone, typed, shown):
    text = ServiceChat(service, phone).send(typed)
    assert text.startswith("📊 Rekap Oktober 2026"), text
    assert title(text) == shown


@pytest.mark.parametrize(
    ("phone", "typed", "refusal"),
    [
        (DINKES, "rekap 35.91", KABUPATEN_ONLY),
        (DINKES, "rekap seberang", KABUPATEN_ONLY),
        (OTHER_ADMIN, "rekap 35.90", KOTA_ONLY),
        (OTHER_ADMIN, "rekap bakung", KOTA_ONLY),
        (PUSKESMAS_A, "rekap 35.90", PUSKESMAS_ONLY),
        (PUSKESMAS_A, "rekap puskesmas bakung", PUSKESMAS_ONLY),
        (PUSKESMAS_A, "rekap dahlia", PUSKESMAS_ONLY),
        (BIDAN_SUKARAME, "rekap sukadana", DESA_ONLY),
        (BIDAN_SUKARAME, "rekap PKA", DESA_ONLY),
        (KADER_MELATI, "rekap 35.90", KADER_ONLY),
        (KADER_MELATI, "rekap kabupaten uji rekap", KADER_ONLY),
        (KADER_MELATI, "rekap desa sukarame", KADER_ONLY),
        (KADER_MELATI, "rekap mawar", KADER_ONLY),
        (KADER_MELATI, "rekap 2026-10 PKA excel", KADER_ONLY),
    ],
)
def test_asking_for_another_area_is_refused_without_figures(service, phone, typed, refusal):
    chat = ServiceChat(service, phone)
    assert chat.send(typed) == refusal
    assert [reply.attachment for reply in chat.replies] == [None]


def test_unknown_area_and_future_month_are_explained(service):
    chat = ServiceChat(service, DINKES)
    assert chat.send("rekap atlantis") == KABUPATEN_ONLY
    assert chat.send("rekap desember 2026") == W.REKAP_FUTURE.format(month="Desember 2026")


def test_a_name_shared_by_several_areas_offers_a_choice(service):
    chat = ServiceChat(service, DINKES)
    assert chat.send("rekap suka") == W.REKAP_WHICH_AREA.format(text="suka")
    [reply] = chat.replies
    assert [(c.label, c.value) for c in reply.choices] == [
        ("Desa Sukadana", "rekap 2026-10 35.90.01.2002"),
        ("Desa Sukarame", "rekap 2026-10 35.90.01.2001"),
    ]
    assert title(chat.send("rekap 2026-10 35.90.01.2001", choice=reply.choices[1].value)) == (
        "Desa Sukarame"
    )


def test_buttons_drill_down_and_send_the_files(service):
    chat = ServiceChat(service, DINKES)
    chat.send("rekap")
    summary, actions = chat.replies
    assert [(c.label, c.value) for c in summary.choices] == [
        ("Puskesmas Anggrek", "rekap 2026-10 PKA"),
        ("Puskesmas Bakung", "rekap 2026-10 PKB"),
    ]
    assert summary.question_id is None and actions.question_id is None
    assert [c.label for c in actions.choices] == [W.BUTTON_EXCEL, W.BUTTON_CHART]

    bakung = chat.send("", choice=summary.choices[1].value)
    assert title(bakung) == "Puskesmas Bakung" and "Karanganyar   1/2 50% -11" in bakung
    desa = chat.replies[0].choices[0].value
    dahlia = chat.send("", choice=desa)
    assert "Dahlia   60 30 50% telat" in dahlia and "Teratai   -  -   - belum" in dahlia

    excel = chat.send("", choice=actions.choices[0].value)
    [file_reply] = chat.replies
    assert excel == "📥 Rekap Oktober 2026 — Kabupaten Uji Rekap (Excel)"
    assert file_reply.attachment is not None
    assert file_reply.attachment.filename == "rekap-35.90-2026-10.xlsx"
    book = load_workbook(io.BytesIO(file_reply.attachment.content))
    assert (book["Ringkasan"]["A5"].value, book["Ringkasan"]["B5"].value) == ("Posyandu aktif", 5)

    chart = chat.send("", choice=actions.choices[1].value)
    assert chart.startswith("📈") and chat.replies[0].attachment.kind == "photo"
    assert chat.send("rekap csv").endswith("(CSV, satu baris per Posyandu)")
    assert chat.replies[0].attachment.filename.endswith(".csv")


def test_long_tables_come_in_pages_of_ten(fresh_service, database):
    with database.transaction() as session:
        session.execute(
            insert(Posyandu),
            [
                {
                    "code": f"PZ{number:02d}",
                    "name": f"Tambahan {number:02d}",
                    "desa_code": "35.90.02.2001",
                    "puskesmas_code": "PKB",
                    "kecamatan_code": "35.90.02",
                    "kabupaten_code": KABUPATEN,
                    "provinsi_code": "35",
                }
                for number in range(1, 11)
            ],
        )
    chat = ServiceChat(fresh_service, DINKES)
    first = chat.send("rekap karanganyar")
    assert "(hal 1/2)" in first and "Belum lapor (11):" in first
    assert "… dan 1 lainnya (lengkapnya di Excel)" in first
    summary, actions = chat.replies
    assert len(summary.choices) == 10
    assert actions.text == W.REKAP_ACTIONS_MORE
    assert actions.choices[-1].value == "rekap 2026-10 35.90.02.2001 hal 2"
    second = chat.send("", choice=actions.choices[-1].value)
    assert second.startswith("📊 Rekap Oktober 2026 — Desa Karanganyar (hal 2/2)")
    assert "Teratai" in second and "Dahlia" not in second
    assert chat.replies[1].text == W.REKAP_ACTIONS


def test_district_officer_marks_the_month_reviewed(fresh_service):
    chat = ServiceChat(fresh_service, DINKES)
    assert "Belum ditinjau. Ketik tinjau 2026-10" in chat.send("rekap")
    assert chat.send("tinjau 2026-10") == (
        "✅ Rekap Oktober 2026 Kabupaten Uji Rekap ditandai sudah ditinjau oleh Agus."
    )
    assert chat.send("tinjau oktober") == (
        "Rekap Oktober 2026 Kabupaten Uji Rekap sudah ditinjau Agus, 22 Nov 2026."
    )
    puskesmas = ServiceChat(fresh_service, PUSKESMAS_A)
    assert "✔️ Sudah ditinjau Agus, 22 Nov 2026" in puskesmas.send("rekap")
    assert chat.send("tinjau november") == (
        "Rekap November 2026 belum bisa ditinjau: batas laporan 5 Des 2026 belum lewat."
    )
    assert chat.send("tinjau kapan-kapan").startswith("Maaf, bulan 'kapan-kapan'")


@pytest.mark.parametrize("phone", [ADMIN, PUSKESMAS_A, BIDAN_SUKARAME, KADER_MELATI])
def test_only_the_district_office_reviews(service, phone):
    assert ServiceChat(service, phone).send("tinjau 2026-10") == W.TINJAU_NOT_ALLOWED


def test_console_channel_shows_the_rekap_and_names_the_file(service, tmp_path):
    out = io.StringIO()
    lines = io.StringIO("rekap\nrekap excel\n")
    console = ConsoleChannel(Mailroom(service), DINKES, lines, out, files_dir=tmp_path)
    assert console.run() == 0
    printed = out.getvalue()
    assert "Laporan masuk: 4/5 Posyandu (80%)" in printed
    assert "1. 📥 Excel   2. 📈 Grafik" in printed
    assert f"📎 Berkas disimpan: {tmp_path / 'rekap-35.90-2026-10.xlsx'}" in printed


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], rekap_args.Request()),
        (["oktober"], rekap_args.Request("2026-10")),
        (["bulan", "lalu", "Cibening"], rekap_args.Request("2026-10", "Cibening")),
        (["Mawar", "10/2026"], rekap_args.Request("2026-10", "Mawar")),
        (["2026-10", "P3299010", "hal", "2"], rekap_args.Request("2026-10", "P3299010", 2)),
        (["bulan", "ini", "excel"], rekap_args.Request("2026-11", output="xlsx")),
        (["desa", "sukarame", "grafik"], rekap_args.Request(None, "desa sukarame", output="png")),
    ],
)
def test_words_after_rekap_in_any_order(words, expected):
    assert rekap_args.parse(words, NOW.date()) == expected


def test_button_values_fit_telegram_callback_data():
    assert rekap_args.command("2026-10", "P" * 40, "hal", "12") is None
    value = rekap_args.command("2026-10", "32.99.01.2001", "hal", "12")
    assert value is not None and len(value.encode()) <= rekap_args.MAX_VALUE_BYTES

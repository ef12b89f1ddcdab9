"""``rekap kinerja`` in chat: who may ask, which area each sees, and what a bad period gets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers.exports import words as W
from tests.chat import ServiceChat
from tests.rekap_district import ADMIN, BIDAN_SUKARAME, DINKES, KADER_MELATI, PUSKESMAS_A

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def service(district) -> Service:
    return Service(district, Engine(ALL_FORMS), clock=lambda: NOW)


@pytest.mark.parametrize("phone", [KADER_MELATI, BIDAN_SUKARAME])
def test_kader_and_bidan_are_refused(service, phone):
    chat = ServiceChat(service, phone)
    for typed in ("rekap kinerja", "REKAP KINERJA grafik", "rekap capaian 2026 excel"):
        assert chat.send(typed) == W.KINERJA_NOT_ALLOWED
        assert [reply.attachment for reply in chat.replies] == [None]


@pytest.mark.parametrize(
    ("phone", "area"),
    [
        (PUSKESMAS_A, "Puskesmas Anggrek"),
        (DINKES, "Kabupaten Uji Rekap"),
        (ADMIN, "Kabupaten Uji Rekap"),
    ],
)
def test_puskesmas_and_dinkes_see_their_own_area_year_to_date(service, phone, area):
    text = ServiceChat(service, phone).send("rekap kinerja")
    lines = text.split("\n")
    assert lines[:3] == [
        W.KINERJA_TITLE.format(area=area),
        "Januari 2026 s.d. Oktober 2026",
        W.KINERJA_PRO_RATA.format(months=10, share=83),
    ]
    assert W.PROXY_NOTE in lines


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("rekap kinerja oktober", "Oktober 2026"),
        ("rekap kinerja 2026-09", "September 2026"),
        ("rekap kinerja 2025", "Januari 2025 s.d. Desember 2025"),
    ],
)
def test_a_month_or_a_year_may_be_asked_for(service, typed, span):
    lines = ServiceChat(service, DINKES).send(typed).split("\n")
    assert lines[1] == span and not lines[2].startswith("Target tahunan; pro-rata")


@pytest.mark.parametrize(
    "typed", ["rekap kinerja 2027", "rekap kinerja november", "rekap kinerja x"]
)
def test_a_month_not_closed_or_unknown_is_explained(service, typed):
    words = typed.split(" ", 2)[2]
    assert ServiceChat(service, DINKES).send(typed) == W.KINERJA_BAD_PERIOD.format(text=words)

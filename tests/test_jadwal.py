"""The ``jadwal`` chat command: the dates a person works towards.

Why: kader and bidan plan around the Posyandu day, the report deadline and
the lokakarya mini; the bot should answer "when?" from the same data its
reminders use.
"""

from __future__ import annotations

from tests.chat import ServiceChat
from tests.roster import BIDAN, DINKES, KADER


def test_a_kader_sees_her_posyandu_day_the_deadline_and_the_lokmin(service):
    reply = ServiceChat(service, KADER).send("JADWAL")
    assert reply.splitlines() == [
        "📅 Jadwal Anda:",
        "• Hari Posyandu Posyandu Melati: Sabtu, 12 Des 2026",
        "• Batas laporan bulanan November 2026: Sabtu, 5 Des 2026",
        "• Lokakarya mini bulanan Puskesmas Uji: Kamis, 3 Des 2026",
    ]


def test_a_bidan_sees_every_posyandu_of_her_desa(service):
    reply = ServiceChat(service, BIDAN).send("/jadwal")
    assert "Posyandu Mawar: Sabtu, 12 Des 2026" in reply
    assert "Posyandu Melati: Sabtu, 12 Des 2026" in reply


def test_a_district_officer_sees_the_deadline_only(service):
    reply = ServiceChat(service, DINKES).send("jadwal")
    assert reply.splitlines()[1:] == ["• Batas laporan bulanan November 2026: Sabtu, 5 Des 2026"]

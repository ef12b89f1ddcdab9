"""A home visit (kunjungan rumah): who, why, what was found, what was done.

No names or NIK are asked: counts and categories are what reports need. Any
fever or danger sign needs a follow-up other than "none" and alerts the bidan.
Under ILP the bidan reviews the week's visits in four categories
(:data:`WEEKLY_REVIEW`): not accessing services, not adhering to treatment,
danger signs, TB symptoms. Its words (each field's label and question, the
options, the check messages) are at the top of this module; the target groups
are shared with the outreach form and the rekap.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

from conversations.form import (
    Alert,
    Answers,
    Check,
    Context,
    Field,
    Form,
    Kind,
    Migration,
    Section,
    Words,
)
from conversations.forms._helpers import options
from conversations.periods import format_day

# --- words ----------------------------------------------------------------------------
SECTION_TITLES = {"sasaran": "Sasaran"}
VISIT_FIELDS = {
    "tanggal": Words("Tanggal kunjungan", "Tanggal berapa kunjungan rumah dilakukan?"),
    "jenis_kunjungan": Words("Jenis kunjungan", "Kunjungan ini termasuk jenis apa?"),
    "sasaran": Words("Sasaran", "Siapa sasaran kunjungan?"),
    "alasan": Words("Alasan kunjungan", "Apa alasan kunjungan?"),
    "demam": Words("Demam ≥ 37,5°C", "Apakah ada demam (suhu 37,5°C atau lebih)?"),
    "gejala_tbc": Words(
        "Gejala TBC",
        "Apakah ada gejala TBC (batuk 2 minggu atau lebih, demam lama, berat badan turun, "
        "keringat malam)?",
    ),
    "tanda_bahaya_balita": Words(
        "Tanda bahaya balita", "Tanda bahaya apa yang ditemukan pada balita?"
    ),
    "tanda_bahaya": Words("Ada tanda bahaya", "Apakah ditemukan tanda bahaya?"),
    "tindak_lanjut": Words("Tindak lanjut", "Apa tindak lanjutnya?"),
    "catatan": Words("Catatan", "Catatan singkat (tanpa nama atau NIK), atau ketik lewati."),
}
TARGET_GROUPS = {
    "bumil": "Ibu hamil",
    "nifas": "Ibu nifas",
    "balita": "Bayi/balita",
    "remaja": "Anak sekolah/remaja",
    "dewasa": "Usia dewasa",
    "lansia": "Lansia",
    "tbc": "Pasien/terduga TBC",
}
VISIT_REASONS = {
    "absen": "Tidak datang ke Posyandu",
    "layanan": "Belum dapat layanan",
    "obat": "Tidak minum obat/TTD",
    "bahaya": "Tanda bahaya",
    "nifas": "Bayi baru lahir/nifas",
    "gizi": "Tindak lanjut gizi",
    "tbc": "Gejala TBC",
    "lainnya": "Lainnya",
}
VISIT_TYPES = {
    "rutin": "Rutin (semua rumah)",
    "khusus": "Khusus (ada masalah)",
    "bersama_nakes": "Bersama tenaga kesehatan",
}
REVIEW_LABELS = {
    "tidak_akses": "Tidak mengakses layanan",
    "tidak_patuh": "Tidak patuh pengobatan",
    "tanda_bahaya": "Tanda bahaya",
    "gejala_tbc": "Gejala TBC",
}
DANGER_SIGNS = {
    "napas_cepat": "Napas cepat",
    "batuk": "Batuk",
    "demam": "Demam",
    "diare": "Diare",
    "kencing": "Kencing sedikit/gelap",
    "kulit": "Kulit kuning/biru",
    "lemas": "Lemas/tidak sadar",
    "tidak_mau_makan": "Tidak mau makan/menyusu",
}
FOLLOW_UPS = {
    "tidak_ada": "Tidak ada",
    "ingatkan": "Ingatkan datang ke Posyandu",
    "rujuk": "Rujuk ke Pustu/Puskesmas",
    "lapor_nakes": "Lapor ke tenaga kesehatan",
}
VISIT_CHECKS = {
    "follow_up_needed": "Ada demam atau tanda bahaya: pilih tindak lanjut selain 'Tidak ada'.",
    "visit_old": "Kunjungan ini sudah lebih dari 14 hari yang lalu ({tanggal}).",
}

W = VISIT_FIELDS
OLD_VISIT = timedelta(days=14)


def _danger(answers: Answers) -> bool:
    return bool(
        answers.get("demam") or answers.get("tanda_bahaya_balita") or answers.get("tanda_bahaya")
    )


class ReviewCategory(NamedTuple):
    """One of the weekly review's categories: a visit counts in it when ``holds``."""

    code: str
    label: str
    holds: Callable[[Answers], bool]


WEEKLY_REVIEW = (
    ReviewCategory(
        "tidak_akses",
        REVIEW_LABELS["tidak_akses"],
        lambda a: a.get("alasan") in ("absen", "layanan"),
    ),
    ReviewCategory(
        "tidak_patuh", REVIEW_LABELS["tidak_patuh"], lambda a: a.get("alasan") == "obat"
    ),
    ReviewCategory(
        "tanda_bahaya",
        REVIEW_LABELS["tanda_bahaya"],
        lambda a: _danger(a) or a.get("alasan") == "bahaya",
    ),
    ReviewCategory(
        "gejala_tbc",
        REVIEW_LABELS["gejala_tbc"],
        lambda a: bool(a.get("gejala_tbc")) or a.get("alasan") == "tbc",
    ),
)
"""The ILP weekly review of home visits; a visit may count in several categories."""


def _recent(answers: Answers, context: Context) -> bool:
    """The engine puts ``today`` in every form's context."""
    return (
        date.fromisoformat(context["today"]) - date.fromisoformat(answers["tanggal"]) <= OLD_VISIT
    )


HOME_VISIT = Form(
    id="kunjungan",
    title="kunjungan rumah",
    # Version 2 (ILP weekly review): the visit type and the TB symptom flag; a draft of
    # version 1 keeps its answers and is asked the two new questions.
    version=2,
    migrations=(Migration(2, added=("jenis_kunjungan", "gejala_tbc")),),
    sections=(Section("sasaran", SECTION_TITLES["sasaran"]),),
    fields=(
        Field(
            "tanggal",
            Kind.DATE,
            W["tanggal"].label,
            W["tanggal"].prompt,
            not_future=True,
            suggest=lambda a, c: c.get("today"),
        ),
        Field(
            "jenis_kunjungan",
            Kind.CHOICE,
            W["jenis_kunjungan"].label,
            W["jenis_kunjungan"].prompt,
            options=options(VISIT_TYPES),
        ),
        Field(
            "sasaran",
            Kind.CHOICE,
            W["sasaran"].label,
            W["sasaran"].prompt,
            options=options(TARGET_GROUPS),
        ),
        Field(
            "alasan",
            Kind.CHOICE,
            W["alasan"].label,
            W["alasan"].prompt,
            options=options(VISIT_REASONS),
        ),
        Field("demam", Kind.YES_NO, W["demam"].label, W["demam"].prompt),
        Field(
            "gejala_tbc",
            Kind.YES_NO,
            W["gejala_tbc"].label,
            W["gejala_tbc"].prompt,
            # A visit made because of TB symptoms has them: no need to ask.
            ask_if=lambda a, c: a.get("alasan") != "tbc",
        ),
        Field(
            "tanda_bahaya_balita",
            Kind.MULTI,
            W["tanda_bahaya_balita"].label,
            W["tanda_bahaya_balita"].prompt,
            options=options(DANGER_SIGNS),
            ask_if=lambda a, c: a.get("sasaran") == "balita",
        ),
        Field(
            "tanda_bahaya",
            Kind.YES_NO,
            W["tanda_bahaya"].label,
            W["tanda_bahaya"].prompt,
            ask_if=lambda a, c: a.get("sasaran") != "balita",
        ),
        Field(
            "tindak_lanjut",
            Kind.CHOICE,
            W["tindak_lanjut"].label,
            W["tindak_lanjut"].prompt,
            options=options(FOLLOW_UPS),
        ),
        Field(
            "catatan",
            Kind.TEXT,
            W["catatan"].label,
            W["catatan"].prompt,
            optional=True,
            maximum=300,
        ),
    ),
    checks=(
        Check(
            "follow_up_needed",
            ("tindak_lanjut",),
            lambda a, c: not _danger(a) or a["tindak_lanjut"] != "tidak_ada",
            VISIT_CHECKS["follow_up_needed"],
        ),
        Check(
            "visit_old",
            ("tanggal",),
            _recent,
            VISIT_CHECKS["visit_old"],
            soft=True,
            facts=lambda a, c: {"tanggal": format_day(date.fromisoformat(a["tanggal"]))},
        ),
    ),
    alerts=(
        Alert(
            "tanda_bahaya",
            _danger,
            details=(
                "tanggal",
                "sasaran",
                "demam",
                "tanda_bahaya_balita",
                "tanda_bahaya",
                "catatan",
                "tindak_lanjut",
            ),
        ),
    ),
)

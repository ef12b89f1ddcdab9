"""A birth or a death (kejadian), reported at once: what, when, where.

Births and deaths are events, not monthly counts: a desa with several
Posyandu would count one birth in each of their monthly reports, and a death
cannot wait a month. Every death (a stillbirth is a perinatal death) alerts
the desa's bidan and the Puskesmas staff of its area at once; a live birth
alerts no one. The rekap counts these reports by kind (``tally_by``), under
the kinds' codes below. Its words are at the top of this module.
"""

from __future__ import annotations

from datetime import date, timedelta

from conversations.form import Alert, Answers, Check, Context, Field, Form, Kind, Words
from conversations.forms._helpers import options
from conversations.periods import format_day

# --- words ----------------------------------------------------------------------------
EVENT_FIELDS = {
    "jenis": Words("Jenis kejadian", "Kejadian apa yang ingin Anda laporkan?"),
    "tanggal": Words("Tanggal kejadian", "Tanggal berapa kejadiannya?"),
    "desa": Words("Desa", "Di desa mana kejadiannya?"),
    "tempat": Words("Tempat", "Di mana tempat kejadiannya?"),
}
EVENT_KINDS = {
    "LAHIR_HIDUP": "Kelahiran hidup",
    "LAHIR_MATI": "Lahir mati",
    "MATI_BAYI": "Kematian bayi (0-11 bulan)",
    "MATI_BALITA": "Kematian balita (1-4 tahun)",
    "MATI_IBU": "Kematian ibu (hamil/bersalin/nifas)",
}
EVENT_PLACES = {
    "rumah": "Rumah",
    "fasyankes": "Fasilitas kesehatan",
    "perjalanan": "Dalam perjalanan",
}
EVENT_CHECKS = {
    "event_too_old": (
        "Tanggal {tanggal} sudah lebih dari setahun yang lalu. Kejadian selama setahun "
        "terakhir saja yang dilaporkan di sini; yang lebih lama, sampaikan langsung ke bidan "
        "atau Puskesmas. Ketik tanggal lain."
    ),
}

W = EVENT_FIELDS
LIVE_BIRTH = "LAHIR_HIDUP"
OLDEST_EVENT = timedelta(days=366)
"""A report of an older event is refused: it belongs to a closed year's figures."""


def is_death(answers: Answers) -> bool:
    """Every kind but a live birth is a death (a stillbirth is a perinatal death)."""
    return answers.get("jenis") not in (None, LIVE_BIRTH)


def _within_a_year(answers: Answers, context: Context) -> bool:
    """The engine puts ``today`` in every form's context."""
    age = date.fromisoformat(context["today"]) - date.fromisoformat(answers["tanggal"])
    return age <= OLDEST_EVENT


VITAL_EVENT = Form(
    id="kejadian",
    title="kejadian (kelahiran/kematian)",
    fields=(
        Field(
            "jenis", Kind.CHOICE, W["jenis"].label, W["jenis"].prompt, options=options(EVENT_KINDS)
        ),
        Field(
            "tanggal",
            Kind.DATE,
            W["tanggal"].label,
            W["tanggal"].prompt,
            not_future=True,
            suggest=lambda a, c: c.get("today"),
        ),
        # The reporter's own desa comes first; the others of the Puskesmas area follow.
        Field("desa", Kind.CHOICE, W["desa"].label, W["desa"].prompt, options_from="desa"),
        Field(
            "tempat",
            Kind.CHOICE,
            W["tempat"].label,
            W["tempat"].prompt,
            options=options(EVENT_PLACES),
        ),
    ),
    checks=(
        Check(
            "event_too_old",
            ("tanggal",),
            _within_a_year,
            EVENT_CHECKS["event_too_old"],
            facts=lambda a, c: {"tanggal": format_day(date.fromisoformat(a["tanggal"]))},
        ),
    ),
    alerts=(
        Alert(
            "kejadian_kematian",
            is_death,
            details=("jenis", "tanggal", "desa", "tempat"),
            audience=("bidan", "puskesmas"),
            desa_from="desa",
        ),
    ),
    tally_by="jenis",
)

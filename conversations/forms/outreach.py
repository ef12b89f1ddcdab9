"""An outreach activity (kegiatan luar gedung), often paid from BOK or Dana Desa.

Participants at least 1 (warn above 300), referred <= served, 0.5-12 hours.
The topic is asked only for health talks.
"""

from __future__ import annotations

from decimal import Decimal

from conversations import catalogue as T
from conversations.form import Check, Field, Form, Kind, Section
from conversations.forms._helpers import count, options, total

W = T.OUTREACH_FIELDS
C = T.OUTREACH_CHECKS

OUTREACH = Form(
    id="luar_gedung",
    title=T.FORM_TITLES["luar_gedung"],
    sections=(
        Section("kegiatan", T.SECTION_TITLES["kegiatan"]),
        Section("peserta", T.SECTION_TITLES["peserta"]),
    ),
    fields=(
        Field(
            "jenis",
            Kind.CHOICE,
            W["jenis"].label,
            W["jenis"].prompt,
            section="kegiatan",
            options=options(T.OUTREACH_TYPES),
        ),
        Field(
            "tanggal",
            Kind.DATE,
            W["tanggal"].label,
            W["tanggal"].prompt,
            section="kegiatan",
            not_future=True,
            suggest=lambda a, c: c.get("today"),
        ),
        Field(
            "tempat",
            Kind.TEXT,
            W["tempat"].label,
            W["tempat"].prompt,
            section="kegiatan",
            maximum=100,
            suggest=lambda a, c: c.get("desa_name"),
        ),
        Field(
            "sasaran",
            Kind.CHOICE,
            W["sasaran"].label,
            W["sasaran"].prompt,
            section="kegiatan",
            options=options(T.OUTREACH_TARGETS),
        ),
        Field(
            "topik",
            Kind.CHOICE,
            W["topik"].label,
            W["topik"].prompt,
            section="kegiatan",
            options=options(T.OUTREACH_TOPICS),
            ask_if=lambda a, c: a.get("jenis") == "penyuluhan",
        ),
        count("peserta_l", W["peserta_l"], "peserta", maximum=5000),
        count("peserta_p", W["peserta_p"], "peserta", maximum=5000),
        count("dilayani", W["dilayani"], "peserta", maximum=5000),
        count("dirujuk", W["dirujuk"], "peserta", maximum=5000),
        Field(
            "durasi",
            Kind.DECIMAL,
            W["durasi"].label,
            W["durasi"].prompt,
            section="kegiatan",
            minimum=Decimal("0.5"),
            maximum=Decimal(12),
        ),
        Field(
            "dana",
            Kind.CHOICE,
            W["dana"].label,
            W["dana"].prompt,
            section="kegiatan",
            options=options(T.FUNDING),
        ),
    ),
    checks=(
        Check(
            "participants_min",
            ("peserta_l", "peserta_p"),
            lambda a, c: total(a, "peserta_l", "peserta_p") >= 1,
            C["participants_min"],
        ),
        Check(
            "participants_many",
            ("peserta_l", "peserta_p"),
            lambda a, c: total(a, "peserta_l", "peserta_p") <= 300,
            C["participants_many"],
            soft=True,
            facts=lambda a, c: {"total": total(a, "peserta_l", "peserta_p")},
        ),
        Check(
            "referred_le_served",
            ("dirujuk", "dilayani"),
            lambda a, c: a["dirujuk"] <= a["dilayani"],
            C["referred_le_served"],
        ),
    ),
)

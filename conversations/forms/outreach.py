"""An outreach activity (kegiatan luar gedung), often paid from BOK or Dana Desa.

Participants at least 1 (warn above 300), referred <= served, 0.5-12 hours.
The topic is asked only for health talks. Its words (each field's label and
question, the options, the check messages) are at the top of this module; the
target groups are the home visit's, plus the public at large.
"""

from __future__ import annotations

from decimal import Decimal

from conversations.form import (
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
from conversations.forms._helpers import count, options, total
from conversations.forms.home_visit import TARGET_GROUPS

# --- words ----------------------------------------------------------------------------
SECTION_TITLES = {"kegiatan": "Kegiatan", "peserta": "Peserta", "bukti": "Bukti kegiatan"}
OUTREACH_FIELDS = {
    "jenis": Words("Jenis kegiatan", "Kegiatan luar gedung apa yang dilakukan?"),
    "tanggal": Words("Tanggal kegiatan", "Tanggal berapa kegiatan dilakukan?"),
    "mulai": Words("Jam mulai", "Jam berapa kegiatan mulai? Tekan Sekarang saat kegiatan dimulai."),
    "selesai": Words(
        "Jam selesai", "Jam berapa kegiatan selesai? Tekan Sekarang saat kegiatan selesai."
    ),
    "tempat": Words("Tempat (desa)", "Di desa mana kegiatan dilakukan?"),
    "sasaran": Words("Sasaran", "Siapa sasaran utama kegiatan?"),
    "topik": Words("Topik penyuluhan", "Apa topik penyuluhannya?"),
    "peserta_l": Words("Peserta laki-laki", "Berapa peserta laki-laki?"),
    "peserta_p": Words("Peserta perempuan", "Berapa peserta perempuan?"),
    "dilayani": Words(
        "Orang dilayani", "Berapa orang yang mendapat layanan (diperiksa, diberi PMT, dll.)?"
    ),
    "dirujuk": Words("Orang dirujuk", "Berapa orang yang dirujuk?"),
    "durasi": Words("Lama kegiatan (jam)", "Berapa jam lama kegiatan? (0,5 sampai 12)"),
    "dana": Words("Sumber dana", "Dari mana sumber dananya?"),
    "menu_bok": Words("Menu BOK", "Kegiatan ini masuk menu BOK yang mana?"),
    "menu_bok_teks": Words("Menu BOK", "Tulis menu BOK kegiatan ini (sesuai rencana Puskesmas)."),
    "petugas": Words("Kader/petugas terlibat", "Siapa saja kader atau petugas yang terlibat?"),
    "lokasi": Words(
        "Lokasi", "Kirim lokasi tempat kegiatan: tekan tombol Kirim lokasi saat berada di tempat."
    ),
    "foto": Words(
        "Foto bukti",
        "Kirim foto kegiatan dan foto daftar hadir yang sudah ditandatangani (paling banyak 5).",
    ),
}
OUTREACH_TYPES = {
    "penyuluhan": "Penyuluhan",
    "sweeping": "Sweeping sasaran absen",
    "pmt_lokal": "PMT lokal",
    "pmt_pemulihan": "PMT pemulihan",
    "skrining_ptm": "Skrining PTM",
    "skrining_tbc": "Skrining TBC",
    "kelas_bumil": "Kelas ibu hamil",
    "kelas_balita": "Kelas ibu balita",
    "vitamin_a": "Pembagian vitamin A",
    "pelacakan": "Pelacakan kasus",
    "lainnya": "Lainnya",
}
OUTREACH_TOPICS = {
    "germas": "GERMAS",
    "isi_piringku": "Isi Piringku (gizi seimbang)",
    "anemia": "Anemia",
    "aktivitas_fisik": "Aktivitas fisik",
    "rokok": "Bahaya merokok",
    "phbs": "PHBS (hidup bersih dan sehat)",
    "mpasi": "MP-ASI",
    "lainnya": "Lainnya",
}
OUTREACH_TARGETS = {**TARGET_GROUPS, "umum": "Masyarakat umum"}
FUNDING = {
    "bok": "BOK",
    "dana_desa": "Dana Desa/APBDes",
    "apbd": "APBD",
    "swadaya": "Swadaya",
    "lainnya": "Lainnya",
}
OUTREACH_CHECKS = {
    "participants_min": "Jumlah peserta (laki-laki + perempuan) paling sedikit 1.",
    "participants_many": "Peserta {total} orang, lebih dari 300.",
    "referred_le_served": "Orang dirujuk ({dirujuk}) tidak boleh lebih dari yang dilayani "
    "({dilayani}).",
    "end_after_start": "Jam selesai ({selesai}) harus sesudah jam mulai ({mulai}).",
}
KIND_FIELD = "jenis"
"""The field naming what kind of activity it was (lists show it)."""
BOK_FUNDED = ("dana", "bok")
"""The field and answer that make an activity BOK-funded (its evidence is then checked)."""
PHOTOS_FIELD = "foto"
LOCATION_FIELD = "lokasi"
BOK_EVIDENCE = ("mulai", "selesai", LOCATION_FIELD, PHOTOS_FIELD)
"""The answers a BOK-funded activity needs as evidence, besides its menu item."""
BOK_MENU_FIELDS = ("menu_bok", "menu_bok_teks")
BOK_MENU = "bok_menu"
"""The context key holding the Puskesmas' BOK menu: ``[(code, name), ...]`` (may be empty)."""
STAFF = "petugas"
"""The context key holding the people who may be named as involved: ``[(id, name), ...]``."""


def _bok(answers: Answers, context: Context, *, planned: bool) -> bool:
    return answers.get("dana") == "bok" and bool(context.get(BOK_MENU)) is planned


def _hours(answers: Answers, _context: Context) -> Decimal | None:
    """The duration the start and end times give, to offer as a one-tap answer."""
    start, end = answers.get("mulai"), answers.get("selesai")
    if not start or not end or end <= start:
        return None
    minutes = (int(end[:2]) * 60 + int(end[3:])) - (int(start[:2]) * 60 + int(start[3:]))
    return Decimal(max(1, round(minutes / 30))) / 2


W = OUTREACH_FIELDS
C = OUTREACH_CHECKS

OUTREACH = Form(
    id="luar_gedung",
    title="kegiatan luar gedung",
    version=2,
    migrations=(
        Migration(
            2,
            added=(
                "mulai",
                "selesai",
                "menu_bok",
                "menu_bok_teks",
                LOCATION_FIELD,
                PHOTOS_FIELD,
                STAFF,
            ),
        ),
    ),
    sections=(
        Section("kegiatan", SECTION_TITLES["kegiatan"]),
        Section("peserta", SECTION_TITLES["peserta"]),
        Section("bukti", SECTION_TITLES["bukti"]),
    ),
    fields=(
        Field(
            "jenis",
            Kind.CHOICE,
            W["jenis"].label,
            W["jenis"].prompt,
            section="kegiatan",
            options=options(OUTREACH_TYPES),
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
        Field("mulai", Kind.TIME, W["mulai"].label, W["mulai"].prompt, section="kegiatan"),
        Field("selesai", Kind.TIME, W["selesai"].label, W["selesai"].prompt, section="kegiatan"),
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
            options=options(OUTREACH_TARGETS),
        ),
        Field(
            "topik",
            Kind.CHOICE,
            W["topik"].label,
            W["topik"].prompt,
            section="kegiatan",
            options=options(OUTREACH_TOPICS),
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
            suggest=_hours,
        ),
        Field(
            "dana",
            Kind.CHOICE,
            W["dana"].label,
            W["dana"].prompt,
            section="kegiatan",
            options=options(FUNDING),
        ),
        Field(
            "menu_bok",
            Kind.CHOICE,
            W["menu_bok"].label,
            W["menu_bok"].prompt,
            section="kegiatan",
            options_from=BOK_MENU,
            ask_if=lambda a, c: _bok(a, c, planned=True),
        ),
        Field(
            "menu_bok_teks",
            Kind.TEXT,
            W["menu_bok_teks"].label,
            W["menu_bok_teks"].prompt,
            section="kegiatan",
            maximum=200,
            ask_if=lambda a, c: _bok(a, c, planned=False),
        ),
        Field(
            "lokasi",
            Kind.LOCATION,
            W["lokasi"].label,
            W["lokasi"].prompt,
            section="bukti",
            optional=True,
        ),
        Field(
            "foto",
            Kind.PHOTOS,
            W["foto"].label,
            W["foto"].prompt,
            section="bukti",
            optional=True,
            maximum=5,
        ),
        Field(
            "petugas",
            Kind.MULTI,
            W["petugas"].label,
            W["petugas"].prompt,
            section="peserta",
            options_from=STAFF,
            ask_if=lambda a, c: bool(c.get(STAFF)),
        ),
    ),
    checks=(
        Check(
            "end_after_start",
            ("mulai", "selesai"),
            lambda a, c: a["selesai"] > a["mulai"],
            C["end_after_start"],
            facts=lambda a, c: {
                "mulai": a["mulai"].replace(":", "."),
                "selesai": a["selesai"].replace(":", "."),
            },
        ),
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

"""The monthly Posyandu report in the ILP shape: one section per life-cycle group.

Since the 2023 primary-care reform the Posyandu serves every group, and its
recap (*kartu/buku rekapitulasi hari buka*) asks per group how many were
targeted (sasaran), came (datang), had a problem and were referred. This
module is the one owner of the report's vocabulary: every field's code (the
key of stored answers, exports and DHIS2 mappings; keep them), its short
label (typed and shown in example lines), its Indonesian label and question,
bounds and rules, the indicators the rekap shows and the contract columns of
the CSV. Storage, the rekap and the demo read them from :data:`MONTHLY`.

Rules. Hard: SKDN as before (K <= S, D <= S, N + T + O + B = D, 2T <= T,
BGM <= D), every problem or referral count of a group at most its datang,
``BAL_TB_UKUR`` <= D, ``TBC_TERDUGA`` <= ``TBC_SKRINING``, the day held
within the month. Soft (the kader confirms): D/S or any group's coverage
below 50%, a sasaran more than 20% off its last value, datang above sasaran
(people from outside the area come too), S above 250, D > K. Vitamin A is
asked in February and August; in other months it is offered, not asked (its
summary lines say "not filled": ``ubah`` fills them), and a number above 0 is
confirmed as a catch-up. Deworming
is asked in August. A group's counts after a datang of 0 are not asked.
``BAL_K`` is switched off in the default profile (districts that still use
the old F2 recap switch it on). Births and deaths are not part of this report
any more (version 2): they are events, reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from random import Random
from typing import Any

from conversations.form import (
    Answers,
    Block,
    Check,
    Context,
    Field,
    Form,
    Indicator,
    Kind,
    Migration,
    Section,
    Words,
)
from conversations.forms._helpers import count, options, pct, total
from conversations.periods import format_day, format_month, month_of
from conversations.words import CANCELLED

VERSION = 2
PERIOD = "periode"
REPLACE = "ganti"
HISTORY = "history"
"""Context key: earlier reports of the Posyandu, ``{period: {code: count}}``."""
VITAMIN_A_MONTHS = ("02", "08")
DEWORMING_MONTHS = ("08",)
MAX_BALITA = 1000
MAX_GROUP = 2000
WEIGHED_PARTS = ("BAL_N", "BAL_T", "BAL_O", "BAL_B")
"""The parts of D (N + T + O + B = D)."""

# --- words shared by several fields or rules ---------------------------------------------
REPLACE_DECLINED = (
    "Baik, laporan yang sudah dikirim tidak diganti. Pilih bulan lain, atau ketik batal."
)
CLOSED_REASONS = {
    "bencana": "Bencana/cuaca buruk",
    "libur": "Hari libur/bertepatan acara desa",
    "kader": "Kader tidak cukup",
    "tempat": "Tempat tidak tersedia",
    "lainnya": "Lainnya",
}
AT_MOST = "{part} ({part_value}) tidak boleh lebih dari {whole} ({whole_value})."
MONTHLY_CHECKS = {
    "ntob_le_d": "{parts} ({ntob}) tidak boleh lebih dari D ({BAL_D}).",
    "ntob_eq_d": "N+T+O+B harus sama dengan D ({BAL_D}), sekarang {ntob}. Periksa lagi N, T, O "
    "dan B (ketik kembali untuk mengubah angka sebelumnya).",
    "vita_le_s": "Vitamin A biru + merah ({vita}) tidak boleh lebih dari S ({BAL_S}).",
    "day_in_month": "Tanggal {day} tidak di bulan {month}. Ketik tanggal Posyandu buka di bulan "
    "laporan.",
    "ds_low": "Hanya {ds}% balita yang ditimbang (D/S). Biasanya lebih dari 50%.",
    "s_high": "S = {BAL_S} balita, jarang ada Posyandu dengan lebih dari 250 balita.",
    "d_gt_k": "D ({BAL_D}) lebih besar dari K ({BAL_K}): ada balita ditimbang tanpa KMS/Buku KIA.",
    "jump": "{label} berubah lebih dari 20% dari laporan terakhir ({previous} → {value}).",
    "above_target": "{came} ({came_value}) lebih banyak dari {target} ({target_value}). Ada yang "
    "datang dari luar wilayah?",
    "coverage_low": "Hanya {percent}% {group} yang datang (datang/sasaran). Biasanya lebih dari "
    "50%.",
    "catch_up": "Vitamin A biasanya dibagikan bulan Februari dan Agustus. Ini pemberian susulan?",
}
OFF_SEASON_NOTE = " (Bulan ini bukan bulan vitamin A: isi hanya jika ada pemberian susulan.)"
C = MONTHLY_CHECKS

# --- when a question applies ----------------------------------------------------------------


def _held(answers: Answers, _context: Context) -> bool:
    """Held unless the kader said otherwise, so the question count is right from the start."""
    return answers.get("POSY_BUKA") is not False


def _month_is(answers: Answers, months: tuple[str, ...]) -> bool:
    return str(answers.get(PERIOD, ""))[5:] in months


def _vitamin_month(answers: Answers, _context: Context) -> bool:
    return _month_is(answers, VITAMIN_A_MONTHS)


def _came(datang: str) -> Any:
    """A group's other counts apply once its datang is above 0 (or not yet answered)."""
    return lambda a, c: _held(a, c) and a.get(datang) != 0


def _existing(answers: Answers, context: Context) -> bool:
    return answers.get(PERIOD) in context.get("existing", {})


def last_value(code: str, answers: Answers, context: Context) -> Any:
    """The latest earlier report's answer to ``code``, before the month being reported."""
    period = answers.get(PERIOD)
    history = context.get(HISTORY) or {}
    if not period or not isinstance(history, Mapping):
        return None
    for month in sorted(history, reverse=True):
        value = history[month].get(code) if isinstance(history[month], Mapping) else None
        if month < period and isinstance(value, int):
            return value
    return None


def _remembered(code: str) -> Any:
    """The one-tap default of a sasaran: its latest reported value."""
    return lambda a, c: last_value(code, a, c)


def _parts_so_far(answers: Answers, _context: Context) -> dict[str, object]:
    """N+T+O+B as far as answered, named by their letters (``N+T``), for the message."""
    answered = [name for name in WEIGHED_PARTS if answers.get(name) is not None]
    return {
        "parts": "+".join(name.removeprefix("BAL_") for name in answered),
        "ntob": total(answers, *answered),
    }


def _day_facts(answers: Answers, _context: Context) -> dict[str, object]:
    return {
        "day": format_day(date.fromisoformat(answers["POSY_TANGGAL"])),
        "month": format_month(answers[PERIOD]),
    }


def _tanggal_suggestion(answers: Answers, context: Context) -> str | None:
    """The Posyandu's usual day in the month reported, if the roster has one and it is past."""
    day, period = context.get("posyandu_day"), answers.get(PERIOD)
    if not isinstance(day, int) or not period or not 1 <= day <= 28:
        return None
    held = f"{period}-{day:02d}"
    return held if held <= str(context.get("today", held)) else None


# --- the fields --------------------------------------------------------------------------


def _balita(code: str, short: str, label: str, prompt: str, **extra: Any) -> Field:
    return count(code, Words(label, prompt), "balita", short=short, maximum=MAX_BALITA, **extra)


def _group(section: str, code: str, short: str, label: str, prompt: str, **extra: Any) -> Field:
    settings = {"maximum": MAX_GROUP, "ask_if": _held, **extra}
    return count(code, Words(label, prompt), section, short=short, **settings)


_IN_BALITA = _came("BAL_D")
_IN_BUMIL = _came("BUMIL_DATANG")
_IN_NIFAS = _came("NIFAS_DATANG")
_IN_REMAJA = _came("REMAJA_DATANG")
_IN_DEWASA = _came("DEWASA_DATANG")
_IN_LANSIA = _came("LANSIA_DATANG")

FIELDS = (
    Field(
        PERIOD,
        Kind.MONTH,
        "Bulan laporan",
        "Laporan bulan apa?",
        section="umum",
        short="BULAN",
        not_future=True,
        earliest_from="earliest_period",
        suggest=lambda a, c: c.get("default_period"),
    ),
    Field(
        REPLACE,
        Kind.YES_NO,
        "Ganti laporan lama",
        "Laporan bulan {periode} sudah pernah dikirim ({existing}). Ganti dengan laporan baru?",
        section="umum",
        ask_if=_existing,
        facts=lambda a, c: {"existing": c.get("existing", {}).get(a.get(PERIOD), "")},
        stop_when=False,
        stop_text=CANCELLED,
        stop_back_text=REPLACE_DECLINED,
    ),
    Field(
        "POSY_BUKA",
        Kind.YES_NO,
        "Posyandu buka",
        "Apakah Posyandu buka (hari buka dilaksanakan) di bulan {periode}?",
        section="umum",
        short="BUKA",
    ),
    Field(
        "POSY_ALASAN",
        Kind.CHOICE,
        "Alasan tidak buka",
        "Mengapa Posyandu tidak buka?",
        section="umum",
        short="ALASAN",
        options=options(CLOSED_REASONS),
        ask_if=lambda a, c: a.get("POSY_BUKA") is False,
    ),
    Field(
        "POSY_TANGGAL",
        Kind.DATE,
        "Tanggal buka",
        "Tanggal berapa Posyandu buka di bulan {periode}?",
        section="umum",
        short="TANGGAL",
        ask_if=_held,
        not_future=True,
        month_from=PERIOD,
        suggest=_tanggal_suggestion,
    ),
    count(
        "POSY_KADER_HADIR",
        Words("Kader bertugas", "Berapa kader yang bertugas hari itu?"),
        "umum",
        short="KADER",
        ask_if=_held,
        minimum=1,
        maximum=100,
    ),
    count(
        "POSY_NAKES_HADIR",
        Words(
            "Tenaga kesehatan hadir",
            "Berapa tenaga kesehatan (bidan, perawat, dll.) yang mendampingi?",
        ),
        "umum",
        short="NAKES",
        ask_if=_held,
        maximum=20,
    ),
    _balita(
        "BAL_S",
        "S",
        "S: balita sasaran",
        "S: berapa balita (0-59 bulan) sasaran di wilayah Posyandu?",
        ask_if=_held,
        suggest=_remembered("BAL_S"),
    ),
    _balita(
        "BAL_K",
        "K",
        "K: punya KMS/Buku KIA",
        "K: berapa balita yang punya KMS atau Buku KIA?",
        ask_if=_held,
        optional=True,
        switch=False,
    ),
    _balita(
        "BAL_D",
        "D",
        "D: ditimbang",
        "D: berapa balita yang ditimbang di bulan {periode}?",
        ask_if=_held,
    ),
    _balita(
        "BAL_N",
        "N",
        "N: berat badan naik",
        "N: dari yang ditimbang, berapa yang berat badannya naik?",
        ask_if=_IN_BALITA,
    ),
    _balita(
        "BAL_T",
        "T",
        "T: tidak naik",
        "T: berapa yang ditimbang tetapi berat badannya tidak naik?",
        ask_if=_IN_BALITA,
    ),
    _balita(
        "BAL_O",
        "O",
        "O: bulan lalu tidak ditimbang",
        "O: berapa yang ditimbang sekarang tetapi tidak di bulan sebelumnya?",
        ask_if=_IN_BALITA,
    ),
    _balita(
        "BAL_B",
        "B",
        "B: baru pertama ditimbang",
        "B: berapa balita yang baru pertama kali ditimbang?",
        ask_if=_IN_BALITA,
    ),
    _balita(
        "BAL_2T",
        "2T",
        "2T: 2 kali tidak naik",
        "2T: dari yang tidak naik, berapa yang 2 bulan berturut-turut tidak naik?",
        ask_if=lambda a, c: _IN_BALITA(a, c) and a.get("BAL_T") != 0,
    ),
    _balita(
        "BAL_BGM",
        "BGM",
        "BGM: di bawah garis merah",
        "BGM: berapa balita di bawah garis merah?",
        ask_if=_IN_BALITA,
    ),
    _balita(
        "BAL_TB_UKUR",
        "UKUR",
        "Diukur panjang/tinggi badan",
        "Berapa balita yang diukur panjang atau tinggi badannya?",
        ask_if=_IN_BALITA,
    ),
    _balita(
        "BAL_GIZI_MASALAH",
        "GIZI",
        "Masalah gizi (kata nakes)",
        "Berapa balita yang dinyatakan nakes kurang gizi atau stunting?",
        ask_if=_IN_BALITA,
    ),
    _balita(
        "BAL_RUJUK",
        "RUJUK",
        "Balita dirujuk",
        "Berapa balita yang dirujuk ke Pustu/Puskesmas?",
        ask_if=_IN_BALITA,
    ),
    count(
        "BAL_VITA_BIRU",
        Words(
            "Vitamin A biru (6-11 bln)",
            "Berapa bayi 6-11 bulan yang mendapat kapsul vitamin A biru?{note}",
        ),
        "vitamin",
        short="BIRU",
        ask_if=_held,
        asked_if=_vitamin_month,
        maximum=MAX_BALITA,
        facts=lambda a, c: {"note": "" if _month_is(a, VITAMIN_A_MONTHS) else OFF_SEASON_NOTE},
    ),
    count(
        "BAL_VITA_MERAH",
        Words(
            "Vitamin A merah (12-59 bln)",
            "Berapa balita 12-59 bulan yang mendapat kapsul vitamin A merah?",
        ),
        "vitamin",
        short="MERAH",
        ask_if=_held,
        asked_if=_vitamin_month,
        maximum=MAX_BALITA,
    ),
    count(
        "BAL_CACING",
        Words("Obat cacing", "Berapa balita yang mendapat obat cacing?"),
        "vitamin",
        short="CACING",
        ask_if=lambda a, c: _held(a, c) and _month_is(a, DEWORMING_MONTHS),
        maximum=MAX_BALITA,
    ),
    _group(
        "bumil",
        "BUMIL_SASARAN",
        "SASARAN",
        "Ibu hamil sasaran",
        "Berapa ibu hamil sasaran di wilayah Posyandu?",
        suggest=_remembered("BUMIL_SASARAN"),
    ),
    _group("bumil", "BUMIL_DATANG", "DATANG", "Ibu hamil datang", "Berapa ibu hamil yang datang?"),
    _group(
        "bumil",
        "BUMIL_KEK",
        "KEK",
        "Ibu hamil KEK (LiLA < 23,5 cm)",
        "Berapa ibu hamil dengan LiLA kurang dari 23,5 cm (KEK)?",
        ask_if=_IN_BUMIL,
    ),
    _group(
        "bumil",
        "BUMIL_KEK_MT",
        "MT",
        "Ibu hamil KEK dapat makanan tambahan",
        "Dari ibu hamil KEK, berapa yang mendapat makanan tambahan?",
        ask_if=lambda a, c: _IN_BUMIL(a, c) and a.get("BUMIL_KEK") != 0,
    ),
    _group(
        "bumil",
        "BUMIL_TTD",
        "TTD",
        "Ibu hamil dapat TTD",
        "Berapa ibu hamil yang mendapat tablet tambah darah (TTD)?",
        ask_if=_IN_BUMIL,
    ),
    _group(
        "bumil",
        "BUMIL_HT",
        "HT",
        "Ibu hamil tekanan darah tinggi",
        "Berapa ibu hamil dengan tekanan darah 140/90 atau lebih?",
        ask_if=_IN_BUMIL,
    ),
    _group(
        "bumil",
        "BUMIL_RUJUK",
        "RUJUK",
        "Ibu hamil dirujuk",
        "Berapa ibu hamil yang dirujuk?",
        ask_if=_IN_BUMIL,
    ),
    _group(
        "nifas",
        "NIFAS_DATANG",
        "DATANG",
        "Ibu nifas/menyusui datang",
        "Berapa ibu nifas atau menyusui yang datang?",
    ),
    _group(
        "nifas",
        "NIFAS_MASALAH",
        "MASALAH",
        "Ibu nifas/menyusui bermasalah",
        "Berapa ibu nifas atau menyusui yang punya masalah kesehatan?",
        ask_if=_IN_NIFAS,
    ),
    _group(
        "nifas",
        "NIFAS_RUJUK",
        "RUJUK",
        "Ibu nifas/menyusui dirujuk",
        "Berapa ibu nifas atau menyusui yang dirujuk?",
        ask_if=_IN_NIFAS,
    ),
    _group(
        "remaja",
        "REMAJA_SASARAN",
        "SASARAN",
        "Usia sekolah/remaja sasaran",
        "Berapa anak usia sekolah dan remaja (6-18 tahun) sasaran di wilayah Posyandu?",
        suggest=_remembered("REMAJA_SASARAN"),
    ),
    _group(
        "remaja",
        "REMAJA_DATANG",
        "DATANG",
        "Usia sekolah/remaja datang",
        "Berapa anak usia sekolah dan remaja yang datang?",
    ),
    _group(
        "remaja",
        "REMAJA_MASALAH",
        "MASALAH",
        "Remaja bermasalah (anemia, gizi, dll.)",
        "Berapa yang punya masalah kesehatan (mis. anemia, kegemukan)?",
        ask_if=_IN_REMAJA,
    ),
    _group(
        "remaja",
        "REMATRI_TTD",
        "TTD",
        "Remaja putri minum TTD",
        "Berapa remaja putri yang minum tablet tambah darah (TTD)?",
        ask_if=_IN_REMAJA,
    ),
    _group(
        "remaja",
        "REMAJA_RUJUK",
        "RUJUK",
        "Usia sekolah/remaja dirujuk",
        "Berapa anak usia sekolah dan remaja yang dirujuk?",
        ask_if=_IN_REMAJA,
    ),
    _group(
        "dewasa",
        "DEWASA_SASARAN",
        "SASARAN",
        "Usia dewasa sasaran",
        "Berapa orang usia dewasa (19-59 tahun) sasaran di wilayah Posyandu?",
        suggest=_remembered("DEWASA_SASARAN"),
    ),
    _group(
        "dewasa",
        "DEWASA_DATANG",
        "DATANG",
        "Usia dewasa datang",
        "Berapa orang usia dewasa yang datang?",
    ),
    _group(
        "dewasa",
        "DEWASA_HT",
        "HT",
        "Dewasa tekanan darah tinggi",
        "Berapa orang dewasa dengan tekanan darah 140/90 atau lebih?",
        ask_if=_IN_DEWASA,
    ),
    _group(
        "dewasa",
        "DEWASA_GDS",
        "GDS",
        "Dewasa gula darah tinggi",
        "Berapa orang dewasa dengan gula darah tinggi?",
        ask_if=_IN_DEWASA,
    ),
    _group(
        "dewasa",
        "DEWASA_RUJUK",
        "RUJUK",
        "Usia dewasa dirujuk",
        "Berapa orang usia dewasa yang dirujuk?",
        ask_if=_IN_DEWASA,
    ),
    _group(
        "lansia",
        "LANSIA_SASARAN",
        "SASARAN",
        "Lansia sasaran",
        "Berapa lansia (60 tahun ke atas) sasaran di wilayah Posyandu?",
        suggest=_remembered("LANSIA_SASARAN"),
    ),
    _group("lansia", "LANSIA_DATANG", "DATANG", "Lansia datang", "Berapa lansia yang datang?"),
    _group(
        "lansia",
        "LANSIA_HT",
        "HT",
        "Lansia tekanan darah tinggi",
        "Berapa lansia dengan tekanan darah 140/90 atau lebih?",
        ask_if=_IN_LANSIA,
    ),
    _group(
        "lansia",
        "LANSIA_GDS",
        "GDS",
        "Lansia gula darah tinggi",
        "Berapa lansia dengan gula darah tinggi?",
        ask_if=_IN_LANSIA,
    ),
    _group(
        "lansia",
        "LANSIA_TERGANTUNG",
        "AKS",
        "Lansia perlu bantuan (AKS B/C)",
        "Berapa lansia yang perlu bantuan untuk kegiatan sehari-hari (AKS B atau C)?",
        ask_if=_IN_LANSIA,
    ),
    _group(
        "lansia",
        "LANSIA_RUJUK",
        "RUJUK",
        "Lansia dirujuk",
        "Berapa lansia yang dirujuk?",
        ask_if=_IN_LANSIA,
    ),
    _group(
        "tbc",
        "TBC_SKRINING",
        "SKRINING",
        "Diskrining TBC",
        "Berapa orang yang ditanya gejala TBC (skrining)?",
    ),
    _group(
        "tbc",
        "TBC_TERDUGA",
        "TERDUGA",
        "Terduga TBC",
        "Berapa orang dengan gejala TBC (batuk 2 minggu atau lebih, dll.)?",
        ask_if=lambda a, c: _held(a, c) and a.get("TBC_SKRINING") != 0,
    ),
)
_BY_CODE = {f.name: f for f in FIELDS}
SECTIONS = (
    Section("umum", "Umum"),
    Section("balita", "Balita 0-59 bulan", short="BAL"),
    Section("vitamin", "Vitamin A dan obat cacing", skippable=True, short="VITA"),
    Section("bumil", "Ibu hamil", skippable=True, short="BUMIL"),
    Section("nifas", "Ibu nifas/menyusui", skippable=True, short="NIFAS"),
    Section("remaja", "Usia sekolah dan remaja (6-18 th)", skippable=True, short="REMAJA"),
    Section("dewasa", "Usia dewasa (19-59 th)", skippable=True, short="DEWASA"),
    Section("lansia", "Lansia (60 th ke atas)", skippable=True, short="LANSIA"),
    Section("tbc", "TBC", skippable=True, short="TBC"),
)
GROUPS = (
    ("bumil", "BUMIL_SASARAN", "BUMIL_DATANG"),
    ("remaja", "REMAJA_SASARAN", "REMAJA_DATANG"),
    ("dewasa", "DEWASA_SASARAN", "DEWASA_DATANG"),
    ("lansia", "LANSIA_SASARAN", "LANSIA_DATANG"),
)
"""Groups with a sasaran: (section, sasaran code, datang code)."""
AT_MOST_RULES = (
    ("BAL_K", "BAL_S"),
    ("BAL_D", "BAL_S"),
    ("BAL_2T", "BAL_T"),
    ("BAL_BGM", "BAL_D"),
    ("BAL_TB_UKUR", "BAL_D"),
    ("BAL_GIZI_MASALAH", "BAL_D"),
    ("BAL_RUJUK", "BAL_D"),
    ("BAL_CACING", "BAL_S"),
    ("BUMIL_KEK", "BUMIL_DATANG"),
    ("BUMIL_KEK_MT", "BUMIL_KEK"),
    ("BUMIL_TTD", "BUMIL_DATANG"),
    ("BUMIL_HT", "BUMIL_DATANG"),
    ("BUMIL_RUJUK", "BUMIL_DATANG"),
    ("NIFAS_MASALAH", "NIFAS_DATANG"),
    ("NIFAS_RUJUK", "NIFAS_DATANG"),
    ("REMAJA_MASALAH", "REMAJA_DATANG"),
    ("REMATRI_TTD", "REMAJA_DATANG"),
    ("REMAJA_RUJUK", "REMAJA_DATANG"),
    ("DEWASA_HT", "DEWASA_DATANG"),
    ("DEWASA_GDS", "DEWASA_DATANG"),
    ("DEWASA_RUJUK", "DEWASA_DATANG"),
    ("LANSIA_HT", "LANSIA_DATANG"),
    ("LANSIA_GDS", "LANSIA_DATANG"),
    ("LANSIA_TERGANTUNG", "LANSIA_DATANG"),
    ("LANSIA_RUJUK", "LANSIA_DATANG"),
    ("TBC_TERDUGA", "TBC_SKRINING"),
)
"""Hard rules ``part <= whole``: a problem, referral or subset never exceeds its group."""


def _named(code: str) -> str:
    """How a rule's message names a field: SKDN letters as kader know them, else its label."""
    field = _BY_CODE[code]
    return field.short if field.section == "balita" and len(field.short) <= 3 else field.label


def _at_most(part: str, whole: str) -> Check:
    message = AT_MOST.format(
        part=_named(part),
        part_value=f"{{{part}}}",
        whole=_named(whole),
        whole_value=f"{{{whole}}}",
    )
    return Check(f"{part}_le_{whole}", (part, whole), lambda a, c: a[part] <= a[whole], message)


def _section_title(name: str | None) -> str:
    return next(s.title for s in SECTIONS if s.name == name)


def _stable(code: str) -> Check:
    """Soft: a sasaran more than 20% off its latest reported value."""

    def holds(answers: Answers, context: Context) -> bool:
        previous = last_value(code, answers, context)
        return not previous or abs(answers[code] - previous) <= 0.2 * previous

    def facts(answers: Answers, context: Context) -> dict[str, object]:
        previous = last_value(code, answers, context)
        return {"label": _named(code), "previous": previous, "value": answers[code]}

    return Check(f"{code}_jump", (code,), holds, C["jump"], soft=True, facts=facts)


def _group_checks(section: str, target: str, came: str) -> tuple[Check, Check]:
    """Soft: datang above sasaran, and coverage (datang/sasaran) below 50%."""
    title = _section_title(section).lower()

    def above_facts(answers: Answers, _context: Context) -> dict[str, object]:
        return {
            "came": _BY_CODE[came].label,
            "came_value": answers[came],
            "target": _BY_CODE[target].label.lower(),
            "target_value": answers[target],
        }

    above = Check(
        f"{came}_above_target",
        (came, target),
        lambda a, c: a[came] <= a[target],
        C["above_target"],
        soft=True,
        facts=above_facts,
    )
    low = Check(
        f"{came}_coverage_low",
        (came, target),
        lambda a, c: a[target] == 0 or 2 * a[came] >= a[target],
        C["coverage_low"],
        soft=True,
        facts=lambda a, c: {"percent": pct(a[came], a[target]), "group": title},
    )
    return above, low


CHECKS = (
    *(_at_most(part, whole) for part, whole in AT_MOST_RULES),
    Check(
        "ntob_le_d",
        (*WEIGHED_PARTS, "BAL_D"),
        lambda a, c: total(a, *WEIGHED_PARTS) <= a["BAL_D"],
        C["ntob_le_d"],
        facts=_parts_so_far,
        needs=("BAL_D",),
    ),
    Check(
        "ntob_eq_d",
        (*WEIGHED_PARTS, "BAL_D"),
        lambda a, c: total(a, *WEIGHED_PARTS) == a["BAL_D"],
        C["ntob_eq_d"],
        facts=_parts_so_far,
    ),
    Check(
        "vita_le_s",
        ("BAL_VITA_BIRU", "BAL_VITA_MERAH", "BAL_S"),
        lambda a, c: total(a, "BAL_VITA_BIRU", "BAL_VITA_MERAH") <= a["BAL_S"],
        C["vita_le_s"],
        facts=lambda a, c: {"vita": total(a, "BAL_VITA_BIRU", "BAL_VITA_MERAH")},
    ),
    Check(
        "day_in_month",
        ("POSY_TANGGAL", PERIOD),
        lambda a, c: month_of(date.fromisoformat(a["POSY_TANGGAL"])) == a[PERIOD],
        C["day_in_month"],
        facts=_day_facts,
    ),
    Check(
        "catch_up",
        ("BAL_VITA_BIRU",),
        lambda a, c: _month_is(a, VITAMIN_A_MONTHS) or a["BAL_VITA_BIRU"] == 0,
        C["catch_up"],
        soft=True,
    ),
    Check(
        "catch_up_merah",
        ("BAL_VITA_MERAH",),
        lambda a, c: (
            _month_is(a, VITAMIN_A_MONTHS)
            or a["BAL_VITA_MERAH"] == 0
            or bool(a.get("BAL_VITA_BIRU"))
        ),
        C["catch_up"],
        soft=True,
    ),
    Check("s_high", ("BAL_S",), lambda a, c: a["BAL_S"] <= 250, C["s_high"], soft=True),
    *(_stable(code) for code in ("BAL_S", *(target for _, target, _ in GROUPS))),
    Check(
        "ds_low",
        ("BAL_D", "BAL_S"),
        lambda a, c: a["BAL_S"] == 0 or 2 * a["BAL_D"] >= a["BAL_S"],
        C["ds_low"],
        soft=True,
        facts=lambda a, c: {"ds": pct(a["BAL_D"], a["BAL_S"])},
    ),
    Check(
        "d_gt_k", ("BAL_D", "BAL_K"), lambda a, c: a["BAL_D"] <= a["BAL_K"], C["d_gt_k"], soft=True
    ),
    *(check for group in GROUPS for check in _group_checks(*group)),
)


RUJUK = tuple(f.name for f in FIELDS if f.short == "RUJUK")
INDICATORS = (
    Indicator("BAL_DS", "D/S", ("BAL_D",), ("BAL_S",)),
    Indicator("BAL_KS", "K/S", ("BAL_K",), ("BAL_S",)),
    Indicator("BAL_ND", "N/D", ("BAL_N",), ("BAL_D",)),
    Indicator("BUMIL_CAKUPAN", "Cakupan bumil", ("BUMIL_DATANG",), ("BUMIL_SASARAN",)),
    Indicator("REMAJA_CAKUPAN", "Cakupan remaja", ("REMAJA_DATANG",), ("REMAJA_SASARAN",)),
    Indicator("DEWASA_CAKUPAN", "Cakupan dewasa", ("DEWASA_DATANG",), ("DEWASA_SASARAN",)),
    Indicator("LANSIA_CAKUPAN", "Cakupan lansia", ("LANSIA_DATANG",), ("LANSIA_SASARAN",)),
    Indicator("HIPERTENSI", "Hipertensi", ("BUMIL_HT", "DEWASA_HT", "LANSIA_HT"), percent=False),
    Indicator("RUJUK_TOTAL", "Dirujuk", RUJUK, percent=False),
)

VERSION_2 = Migration(
    version=2,
    renamed={
        "buka": "POSY_BUKA",
        "alasan_tutup": "POSY_ALASAN",
        "kader_hadir": "POSY_KADER_HADIR",
        "s": "BAL_S",
        "k": "BAL_K",
        "d": "BAL_D",
        "n": "BAL_N",
        "t": "BAL_T",
        "o": "BAL_O",
        "b": "BAL_B",
        "t2": "BAL_2T",
        "bgm": "BAL_BGM",
        "balita_dirujuk": "BAL_RUJUK",
        "vit_a_biru": "BAL_VITA_BIRU",
        "vit_a_merah": "BAL_VITA_MERAH",
        "bumil_hadir": "BUMIL_DATANG",
        "bumil_kek": "BUMIL_KEK",
        "bumil_ttd": "BUMIL_TTD",
        "nifas_hadir": "NIFAS_DATANG",
        "remaja_hadir": "REMAJA_DATANG",
        "dewasa_hadir": "DEWASA_DATANG",
        "dewasa_ht": "DEWASA_HT",
        "lansia_hadir": "LANSIA_DATANG",
        "lansia_ht": "LANSIA_HT",
        "terduga_tbc": "TBC_TERDUGA",
    },
    removed={
        "lahir": "Kelahiran",
        "mati_bayi": "Kematian bayi",
        "mati_ibu": "Kematian ibu",
        "dirujuk": "Total dirujuk",
    },
    added=(
        "POSY_TANGGAL",
        "POSY_NAKES_HADIR",
        "BAL_TB_UKUR",
        "BAL_GIZI_MASALAH",
        "BAL_CACING",
        "BUMIL_SASARAN",
        "BUMIL_KEK_MT",
        "BUMIL_HT",
        "BUMIL_RUJUK",
        "NIFAS_MASALAH",
        "NIFAS_RUJUK",
        "REMAJA_SASARAN",
        "REMAJA_MASALAH",
        "REMATRI_TTD",
        "REMAJA_RUJUK",
        "DEWASA_SASARAN",
        "DEWASA_GDS",
        "DEWASA_RUJUK",
        "LANSIA_SASARAN",
        "LANSIA_GDS",
        "LANSIA_TERGANTUNG",
        "LANSIA_RUJUK",
        "TBC_SKRINING",
    ),
)
"""Version 1 was the pre-2023 SKDN form with births and deaths."""

MONTHLY = Form(
    id="bulanan",
    title="bulanan",
    version=VERSION,
    migrations=(VERSION_2,),
    sections=SECTIONS,
    fields=FIELDS,
    checks=CHECKS,
    blocks=(
        Block(PERIOD, (PERIOD, REPLACE, "POSY_TANGGAL")),
        Block("skdn", ("BAL_D", *WEIGHED_PARTS)),
    ),
    indicators=INDICATORS,
    period_field=PERIOD,
    held_field="POSY_BUKA",
    columns=("BAL_S", "BAL_K", "BAL_D", "BAL_N"),
    headline="BAL_DS",
)


# --- plausible reports (demo district, benchmarks) --------------------------------------------


def closed(period: str, reason: str) -> dict[str, Any]:
    """The answers of a month the Posyandu did not open."""
    return {PERIOD: period, "POSY_BUKA": False, "POSY_ALASAN": reason}


def example(
    rng: Random,
    period: str,
    held_on: date,
    targets: Mapping[str, int],
    skipped: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A held Posyandu day's answers drawn from ``rng``, obeying every hard rule of the form.

    ``targets`` gives each group's sasaran by section name (``balita``,
    ``bumil``, ``remaja``, ``dewasa``, ``lansia``); ``skipped`` the sections the
    Posyandu does not serve. D/S comes out at 62-88%, coverage at 50-100%.
    """
    s = targets["balita"]
    d = round(s * rng.uniform(0.62, 0.88))
    b, o = rng.randint(0, 2), rng.randint(0, 3)
    n = round((d - b - o) * rng.uniform(0.65, 0.85))
    t = d - n - o - b
    bgm = rng.randint(0, 2)
    data: dict[str, Any] = {
        PERIOD: period,
        "POSY_BUKA": True,
        "POSY_TANGGAL": held_on.isoformat(),
        "POSY_KADER_HADIR": rng.randint(4, 7),
        "POSY_NAKES_HADIR": rng.randint(1, 2),
        "BAL_S": s,
        "BAL_D": d,
        "BAL_N": n,
        "BAL_T": t,
        "BAL_O": o,
        "BAL_B": b,
        "BAL_2T": rng.randint(0, min(t, 3)),
        "BAL_BGM": bgm,
        "BAL_TB_UKUR": round(d * rng.uniform(0.3, 0.9)),
        "BAL_GIZI_MASALAH": rng.randint(0, min(2, d)),
        "BAL_RUJUK": min(d, bgm + rng.randint(0, 1)),
    }
    if _month_is(data, VITAMIN_A_MONTHS):
        data["BAL_VITA_BIRU"] = round(s * rng.uniform(0.10, 0.14))
        data["BAL_VITA_MERAH"] = round(s * rng.uniform(0.70, 0.80))
    if _month_is(data, DEWORMING_MONTHS):
        data["BAL_CACING"] = round(s * rng.uniform(0.5, 0.7))
    bumil = targets["bumil"]
    came = rng.randint(-(-bumil // 2), bumil)
    kek = rng.randint(0, min(2, came))
    data |= {
        "BUMIL_SASARAN": bumil,
        "BUMIL_DATANG": came,
        "BUMIL_KEK": kek,
        "BUMIL_KEK_MT": rng.randint(0, kek),
        "BUMIL_TTD": rng.randint(came // 2, came),
        "BUMIL_HT": rng.randint(0, min(1, came)),
        "BUMIL_RUJUK": min(came, kek + rng.randint(0, 1)),
    }
    nifas = rng.randint(1, 5)
    problem = rng.randint(0, 1)
    data |= {"NIFAS_DATANG": nifas, "NIFAS_MASALAH": problem, "NIFAS_RUJUK": problem}
    if "remaja" not in skipped:
        target = targets["remaja"]
        came = rng.randint(-(-target // 2), target)
        problem = rng.randint(0, came // 5)
        data |= {
            "REMAJA_SASARAN": target,
            "REMAJA_DATANG": came,
            "REMAJA_MASALAH": problem,
            "REMATRI_TTD": rng.randint(0, came // 2),
            "REMAJA_RUJUK": rng.randint(0, problem),
        }
    for section in ("dewasa", "lansia"):
        target = targets[section]
        came = rng.randint(-(-target // 2), target)
        prefix = section.upper()
        data |= {
            f"{prefix}_SASARAN": target,
            f"{prefix}_DATANG": came,
            f"{prefix}_HT": rng.randint(1, max(1, came // 4)),
            f"{prefix}_GDS": rng.randint(0, came // 8),
        }
        if section == "lansia":
            data["LANSIA_TERGANTUNG"] = rng.randint(0, came // 6)
        data[f"{prefix}_RUJUK"] = rng.randint(0, 2)
    screened = rng.randint(10, 40)
    data |= {"TBC_SKRINING": screened, "TBC_TERDUGA": rng.choice((0, 0, 0, 1))}
    return data

"""The monthly Posyandu report: SKDN for balita, then one short section per group.

Rules from the SKDN method: K <= S, D <= S, N + T + O + B = D, 2T <= T,
BGM <= D (hard); D/S below 50%, S more than 20% off last month, S above 250 and
D > K (soft: the kader confirms). N, T, O and B are refused as soon as their
running total passes D, and D with N, T, O, B is one block: changing any of
them from the summary asks all five again. The month and "replace the report
already sent?" are a block too, so a new month is asked about again. Vitamin
A is asked only in February and August. Any death alerts the bidan.

The form's words (section titles, each field's label and question, the
reasons for not opening, the check messages) are at the top of this module.
"""

from __future__ import annotations

from conversations.form import (
    Alert,
    Answers,
    Block,
    Check,
    Context,
    Field,
    Form,
    Kind,
    Section,
    Words,
)
from conversations.forms._helpers import count, options, pct, total
from conversations.periods import shift_month
from conversations.words import CANCELLED

# --- words ----------------------------------------------------------------------------
SECTION_TITLES = {
    "umum": "Umum",
    "balita": "Balita (SKDN)",
    "vitamin_a": "Vitamin A",
    "bumil": "Ibu hamil",
    "nifas": "Ibu nifas/menyusui",
    "remaja": "Remaja",
    "dewasa": "Usia dewasa",
    "lansia": "Lansia",
    "tbc": "TBC",
    "vital": "Kelahiran dan kematian",
    "rujukan": "Rujukan",
}
MONTHLY_FIELDS = {
    "periode": Words("Bulan laporan", "Laporan bulan apa?"),
    "ganti": Words(
        "Ganti laporan lama",
        "Laporan bulan {periode} sudah pernah dikirim ({existing}). Ganti dengan laporan baru?",
    ),
    "buka": Words("Posyandu buka", "Apakah Posyandu buka (dilaksanakan) di bulan {periode}?"),
    "alasan_tutup": Words("Alasan tidak buka", "Mengapa Posyandu tidak buka?"),
    "s": Words(
        "S (balita di wilayah)", "S: berapa jumlah balita (0-59 bulan) di wilayah Posyandu?"
    ),
    "k": Words("K (punya KMS/Buku KIA)", "K: berapa balita yang punya KMS atau Buku KIA?"),
    "d": Words("D (ditimbang)", "D: berapa balita yang ditimbang di bulan {periode}?"),
    "n": Words("N (naik berat badan)", "N: dari yang ditimbang, berapa yang berat badannya naik?"),
    "t": Words("T (tidak naik)", "T: berapa yang ditimbang tetapi berat badannya tidak naik?"),
    "o": Words(
        "O (tidak ditimbang bulan lalu)",
        "O: berapa yang ditimbang di bulan {periode} tetapi tidak di bulan sebelumnya?",
    ),
    "b": Words("B (baru pertama ditimbang)", "B: berapa balita yang baru pertama kali ditimbang?"),
    "t2": Words(
        "2T (2 kali tidak naik)", "2T: berapa balita yang 2 bulan berturut-turut tidak naik?"
    ),
    "bgm": Words("BGM (di bawah garis merah)", "BGM: berapa balita di bawah garis merah?"),
    "vit_a_biru": Words(
        "Vitamin A biru (6-11 bln)", "Berapa bayi 6-11 bulan yang mendapat kapsul vitamin A biru?"
    ),
    "vit_a_merah": Words(
        "Vitamin A merah (12-59 bln)",
        "Berapa balita 12-59 bulan yang mendapat kapsul vitamin A merah?",
    ),
    "bumil_hadir": Words("Ibu hamil datang", "Berapa ibu hamil yang datang?"),
    "bumil_kek": Words(
        "Ibu hamil KEK (LiLA < 23,5 cm)", "Berapa ibu hamil dengan LiLA kurang dari 23,5 cm (KEK)?"
    ),
    "bumil_ttd": Words(
        "Ibu hamil dapat TTD", "Berapa ibu hamil yang mendapat tablet tambah darah (TTD)?"
    ),
    "nifas_hadir": Words(
        "Ibu nifas/menyusui datang", "Berapa ibu nifas atau menyusui yang datang?"
    ),
    "remaja_hadir": Words("Remaja datang", "Berapa remaja yang datang?"),
    "dewasa_hadir": Words(
        "Usia dewasa datang", "Berapa orang usia dewasa (15-59 tahun) yang datang?"
    ),
    "dewasa_ht": Words(
        "Dewasa tekanan darah tinggi", "Berapa orang dewasa dengan tekanan darah 140/90 atau lebih?"
    ),
    "lansia_hadir": Words("Lansia datang", "Berapa lansia (60 tahun ke atas) yang datang?"),
    "lansia_ht": Words(
        "Lansia tekanan darah tinggi", "Berapa lansia dengan tekanan darah 140/90 atau lebih?"
    ),
    "terduga_tbc": Words(
        "Terduga TBC", "Berapa orang dengan gejala TBC (batuk 2 minggu atau lebih, dll.)?"
    ),
    "lahir": Words("Kelahiran", "Berapa bayi yang lahir di bulan {periode}?"),
    "mati_bayi": Words("Kematian bayi", "Berapa bayi yang meninggal di bulan {periode}?"),
    "mati_ibu": Words(
        "Kematian ibu", "Berapa ibu (hamil, bersalin, nifas) yang meninggal di bulan {periode}?"
    ),
    "balita_dirujuk": Words(
        "Balita dirujuk", "Berapa balita yang dirujuk (mis. karena 2T atau BGM)?"
    ),
    "dirujuk": Words("Total dirujuk", "Berapa orang seluruhnya yang dirujuk ke Pustu/Puskesmas?"),
    "kader_hadir": Words("Kader bertugas", "Berapa kader yang bertugas hari itu?"),
}
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
MONTHLY_CHECKS = {
    "k_le_s": "K ({k}) tidak boleh lebih dari S ({s}).",
    "d_le_s": "D ({d}) tidak boleh lebih dari S ({s}).",
    "ntob_le_d": "{parts} ({ntob}) tidak boleh lebih dari D ({d}).",
    "ntob_eq_d": "N+T+O+B harus sama dengan D ({d}), sekarang {ntob}. Periksa lagi N, T, O dan B "
    "(ketik kembali untuk mengubah angka sebelumnya).",
    "t2_le_t": "2T ({t2}) tidak boleh lebih dari T ({t}).",
    "bgm_le_d": "BGM ({bgm}) tidak boleh lebih dari D ({d}).",
    "vit_a_le_s": "Vitamin A biru + merah ({vit_a}) tidak boleh lebih dari S ({s}).",
    "kek_le_hadir": "Ibu hamil KEK ({bumil_kek}) tidak boleh lebih dari yang datang "
    "({bumil_hadir}).",
    "ttd_le_hadir": "Ibu hamil dapat TTD ({bumil_ttd}) tidak boleh lebih dari yang datang "
    "({bumil_hadir}).",
    "dewasa_ht_le": "Dewasa dengan tekanan darah tinggi ({dewasa_ht}) tidak boleh lebih dari yang "
    "datang ({dewasa_hadir}).",
    "lansia_ht_le": "Lansia dengan tekanan darah tinggi ({lansia_ht}) tidak boleh lebih dari yang "
    "datang ({lansia_hadir}).",
    "balita_rujuk_le_d": "Balita dirujuk ({balita_dirujuk}) tidak boleh lebih dari D ({d}).",
    "rujuk_ge_balita": "Total dirujuk ({dirujuk}) tidak boleh kurang dari balita dirujuk "
    "({balita_dirujuk}).",
    "ds_low": "Hanya {ds}% balita yang ditimbang (D/S). Biasanya lebih dari 50%.",
    "s_jump": "S berubah lebih dari 20% dari bulan lalu ({previous} → {s}).",
    "s_high": "S = {s} balita, jarang ada Posyandu dengan lebih dari 250 balita.",
    "d_gt_k": "D ({d}) lebih besar dari K ({k}): ada balita ditimbang tanpa KMS/Buku KIA.",
}

W = MONTHLY_FIELDS
C = MONTHLY_CHECKS
VITAMIN_A_MONTHS = ("02", "08")
MAX_BALITA = 1000
WEIGHED_PARTS = ("n", "t", "o", "b")
"""The parts of D; their field codes are the SKDN letters the messages show."""


def _held(answers: Answers, _context: Context) -> bool:
    """Held unless the kader said otherwise, so the question count is right from the start."""
    return answers.get("buka") is not False


def _vitamin_a(answers: Answers, context: Context) -> bool:
    return _held(answers, context) and str(answers.get("periode", ""))[5:] in VITAMIN_A_MONTHS


def _previous_s(answers: Answers, context: Context) -> int | None:
    """S of the month before the one being reported, if it was reported."""
    period = answers.get("periode")
    if not period:
        return None
    return context.get("previous_s", {}).get(shift_month(period, -1))


def _s_stable(answers: Answers, context: Context) -> bool:
    previous = _previous_s(answers, context)
    return not previous or abs(answers["s"] - previous) <= 0.2 * previous


def _existing(answers: Answers, context: Context) -> bool:
    return answers.get("periode") in context.get("existing", {})


def _parts_so_far(answers: Answers, _context: Context) -> dict[str, object]:
    """N+T+O+B as far as answered, named by their letters (``N+T``), for the message."""
    answered = [name for name in WEIGHED_PARTS if answers.get(name) is not None]
    return {
        "parts": "+".join(name.upper() for name in answered),
        "ntob": total(answers, *answered),
    }


MONTHLY = Form(
    id="bulanan",
    title="bulanan",
    sections=tuple(
        Section(name, title, skippable=name not in ("umum", "balita"))
        for name, title in SECTION_TITLES.items()
    ),
    fields=(
        Field(
            "periode",
            Kind.MONTH,
            W["periode"].label,
            W["periode"].prompt,
            section="umum",
            not_future=True,
            earliest_from="earliest_period",
            suggest=lambda a, c: c.get("default_period"),
        ),
        Field(
            "ganti",
            Kind.YES_NO,
            W["ganti"].label,
            W["ganti"].prompt,
            section="umum",
            ask_if=_existing,
            facts=lambda a, c: {"existing": c.get("existing", {}).get(a.get("periode"), "")},
            stop_when=False,
            stop_text=CANCELLED,
            stop_back_text=REPLACE_DECLINED,
        ),
        Field("buka", Kind.YES_NO, W["buka"].label, W["buka"].prompt, section="umum"),
        Field(
            "alasan_tutup",
            Kind.CHOICE,
            W["alasan_tutup"].label,
            W["alasan_tutup"].prompt,
            section="umum",
            options=options(CLOSED_REASONS),
            ask_if=lambda a, c: a.get("buka") is False,
        ),
        count(
            "s",
            W["s"],
            "balita",
            ask_if=_held,
            maximum=MAX_BALITA,
            suggest=_previous_s,
        ),
        count("k", W["k"], "balita", ask_if=_held, maximum=MAX_BALITA),
        count("d", W["d"], "balita", ask_if=_held, maximum=MAX_BALITA),
        count("n", W["n"], "balita", ask_if=_held, maximum=MAX_BALITA),
        count("t", W["t"], "balita", ask_if=_held, maximum=MAX_BALITA),
        count("o", W["o"], "balita", ask_if=_held, maximum=MAX_BALITA),
        count("b", W["b"], "balita", ask_if=_held, maximum=MAX_BALITA),
        count("t2", W["t2"], "balita", ask_if=_held, maximum=MAX_BALITA),
        count("bgm", W["bgm"], "balita", ask_if=_held, maximum=MAX_BALITA),
        count("vit_a_biru", W["vit_a_biru"], "vitamin_a", ask_if=_vitamin_a, maximum=MAX_BALITA),
        count("vit_a_merah", W["vit_a_merah"], "vitamin_a", ask_if=_vitamin_a, maximum=MAX_BALITA),
        count("bumil_hadir", W["bumil_hadir"], "bumil", ask_if=_held, maximum=500),
        count("bumil_kek", W["bumil_kek"], "bumil", ask_if=_held, maximum=500),
        count("bumil_ttd", W["bumil_ttd"], "bumil", ask_if=_held, maximum=500),
        count("nifas_hadir", W["nifas_hadir"], "nifas", ask_if=_held, maximum=500),
        count("remaja_hadir", W["remaja_hadir"], "remaja", ask_if=_held, maximum=2000),
        count("dewasa_hadir", W["dewasa_hadir"], "dewasa", ask_if=_held, maximum=2000),
        count("dewasa_ht", W["dewasa_ht"], "dewasa", ask_if=_held, maximum=2000),
        count("lansia_hadir", W["lansia_hadir"], "lansia", ask_if=_held, maximum=2000),
        count("lansia_ht", W["lansia_ht"], "lansia", ask_if=_held, maximum=2000),
        count("terduga_tbc", W["terduga_tbc"], "tbc", ask_if=_held, maximum=500),
        count("lahir", W["lahir"], "vital", ask_if=_held, maximum=200),
        count("mati_bayi", W["mati_bayi"], "vital", ask_if=_held, maximum=200),
        count("mati_ibu", W["mati_ibu"], "vital", ask_if=_held, maximum=200),
        count("balita_dirujuk", W["balita_dirujuk"], "rujukan", ask_if=_held, maximum=MAX_BALITA),
        count("dirujuk", W["dirujuk"], "rujukan", ask_if=_held, maximum=5000),
        count("kader_hadir", W["kader_hadir"], "umum", ask_if=_held, minimum=1, maximum=100),
    ),
    checks=(
        Check("k_le_s", ("k", "s"), lambda a, c: a["k"] <= a["s"], C["k_le_s"]),
        Check("d_le_s", ("d", "s"), lambda a, c: a["d"] <= a["s"], C["d_le_s"]),
        Check(
            "ntob_le_d",
            (*WEIGHED_PARTS, "d"),
            lambda a, c: total(a, *WEIGHED_PARTS) <= a["d"],
            C["ntob_le_d"],
            facts=_parts_so_far,
            needs=("d",),
        ),
        Check(
            "ntob_eq_d",
            (*WEIGHED_PARTS, "d"),
            lambda a, c: total(a, *WEIGHED_PARTS) == a["d"],
            C["ntob_eq_d"],
            facts=_parts_so_far,
        ),
        Check("t2_le_t", ("t2", "t"), lambda a, c: a["t2"] <= a["t"], C["t2_le_t"]),
        Check("bgm_le_d", ("bgm", "d"), lambda a, c: a["bgm"] <= a["d"], C["bgm_le_d"]),
        Check(
            "vit_a_le_s",
            ("vit_a_biru", "vit_a_merah", "s"),
            lambda a, c: total(a, "vit_a_biru", "vit_a_merah") <= a["s"],
            C["vit_a_le_s"],
            facts=lambda a, c: {"vit_a": total(a, "vit_a_biru", "vit_a_merah")},
        ),
        Check(
            "kek_le_hadir",
            ("bumil_kek", "bumil_hadir"),
            lambda a, c: a["bumil_kek"] <= a["bumil_hadir"],
            C["kek_le_hadir"],
        ),
        Check(
            "ttd_le_hadir",
            ("bumil_ttd", "bumil_hadir"),
            lambda a, c: a["bumil_ttd"] <= a["bumil_hadir"],
            C["ttd_le_hadir"],
        ),
        Check(
            "dewasa_ht_le",
            ("dewasa_ht", "dewasa_hadir"),
            lambda a, c: a["dewasa_ht"] <= a["dewasa_hadir"],
            C["dewasa_ht_le"],
        ),
        Check(
            "lansia_ht_le",
            ("lansia_ht", "lansia_hadir"),
            lambda a, c: a["lansia_ht"] <= a["lansia_hadir"],
            C["lansia_ht_le"],
        ),
        Check(
            "balita_rujuk_le_d",
            ("balita_dirujuk", "d"),
            lambda a, c: a["balita_dirujuk"] <= a["d"],
            C["balita_rujuk_le_d"],
        ),
        Check(
            "rujuk_ge_balita",
            ("dirujuk", "balita_dirujuk"),
            lambda a, c: a["dirujuk"] >= a["balita_dirujuk"],
            C["rujuk_ge_balita"],
        ),
        Check(
            "s_high",
            ("s",),
            lambda a, c: a["s"] <= 250,
            C["s_high"],
            soft=True,
        ),
        Check(
            "s_jump",
            ("s",),
            _s_stable,
            C["s_jump"],
            soft=True,
            facts=lambda a, c: {"previous": _previous_s(a, c)},
        ),
        Check(
            "ds_low",
            ("d", "s"),
            lambda a, c: a["s"] == 0 or 2 * a["d"] >= a["s"],
            C["ds_low"],
            soft=True,
            facts=lambda a, c: {"ds": pct(a["d"], a["s"])},
        ),
        Check("d_gt_k", ("d", "k"), lambda a, c: a["d"] <= a["k"], C["d_gt_k"], soft=True),
    ),
    blocks=(Block("periode", ("periode", "ganti")), Block("skdn", ("d", *WEIGHED_PARTS))),
    alerts=(Alert("kematian", lambda a: total(a, "mati_bayi", "mati_ibu") > 0),),
)

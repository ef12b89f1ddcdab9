"""The monthly Posyandu report: SKDN for balita, then one short section per group.

Rules from the SKDN method: K <= S, D <= S, N + T + O + B = D, 2T <= T,
BGM <= D (hard); D/S below 50%, S more than 20% off last month, S above 250 and
D > K (soft: the kader confirms). N, T, O and B are refused as soon as their
running total passes D, and D with N, T, O, B is one block: changing any of
them from the summary asks all five again. The month and "replace the report
already sent?" are a block too, so a new month is asked about again. Vitamin
A is asked only in February and August. Any death alerts the bidan.
"""

from __future__ import annotations

from conversations import catalogue as T
from conversations.form import Alert, Answers, Block, Check, Context, Field, Form, Kind, Section
from conversations.forms._helpers import count, options, pct, total
from conversations.periods import shift_month

W = T.MONTHLY_FIELDS
C = T.MONTHLY_CHECKS
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
    title=T.FORM_TITLES["bulanan"],
    sections=tuple(
        Section(name, T.SECTION_TITLES[name], skippable=name not in ("umum", "balita"))
        for name in (
            "umum",
            "balita",
            "vitamin_a",
            "bumil",
            "nifas",
            "remaja",
            "dewasa",
            "lansia",
            "tbc",
            "vital",
            "rujukan",
        )
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
            stop_text=T.CANCELLED,
            stop_back_text=T.REPLACE_DECLINED,
        ),
        Field("buka", Kind.YES_NO, W["buka"].label, W["buka"].prompt, section="umum"),
        Field(
            "alasan_tutup",
            Kind.CHOICE,
            W["alasan_tutup"].label,
            W["alasan_tutup"].prompt,
            section="umum",
            options=options(T.CLOSED_REASONS),
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

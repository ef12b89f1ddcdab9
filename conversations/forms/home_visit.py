"""A home visit (kunjungan rumah): who, why, what was found, what was done.

No names or NIK are asked: counts and categories are what reports need. Any
fever or danger sign needs a follow-up other than "none" and alerts the bidan.
"""

from __future__ import annotations

from datetime import date, timedelta

from conversations import catalogue as T
from conversations.form import Alert, Answers, Check, Context, Field, Form, Kind, Section
from conversations.forms._helpers import options
from conversations.periods import format_day

W = T.VISIT_FIELDS
OLD_VISIT = timedelta(days=14)


def _danger(answers: Answers) -> bool:
    return bool(
        answers.get("demam") or answers.get("tanda_bahaya_balita") or answers.get("tanda_bahaya")
    )


def _recent(answers: Answers, context: Context) -> bool:
    """The engine puts ``today`` in every form's context."""
    return (
        date.fromisoformat(context["today"]) - date.fromisoformat(answers["tanggal"]) <= OLD_VISIT
    )


HOME_VISIT = Form(
    id="kunjungan",
    title=T.FORM_TITLES["kunjungan"],
    sections=(Section("sasaran", T.SECTION_TITLES["sasaran"]),),
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
            "sasaran",
            Kind.CHOICE,
            W["sasaran"].label,
            W["sasaran"].prompt,
            options=options(T.TARGET_GROUPS),
        ),
        Field(
            "alasan",
            Kind.CHOICE,
            W["alasan"].label,
            W["alasan"].prompt,
            options=options(T.VISIT_REASONS),
        ),
        Field("demam", Kind.YES_NO, W["demam"].label, W["demam"].prompt),
        Field(
            "tanda_bahaya_balita",
            Kind.MULTI,
            W["tanda_bahaya_balita"].label,
            W["tanda_bahaya_balita"].prompt,
            options=options(T.DANGER_SIGNS),
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
            options=options(T.FOLLOW_UPS),
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
            T.VISIT_CHECKS["follow_up_needed"],
        ),
        Check(
            "visit_old",
            ("tanggal",),
            _recent,
            T.VISIT_CHECKS["visit_old"],
            soft=True,
            facts=lambda a, c: {"tanggal": format_day(date.fromisoformat(a["tanggal"]))},
        ),
    ),
    alerts=(Alert("tanda_bahaya", _danger),),
)

"""A meeting invitation (``rapat baru``): what, when, where, who is invited.

The organiser answers a short form on the same engine as the reports; the
summary shows the invitation as the invitees will read it and how many get
it, and ``kirim`` sends it. Who may be invited comes in the context: one-tap
groups of the organiser's area (``groups``: value, label; ``members``: value
-> person ids) and the people who may be named one by one (``people``: id,
name). ``now`` (local ISO time) keeps a meeting out of the past.

Its words (labels, questions, checks, the invitation) are at the top.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from conversations.form import Answers, Check, Context, Field, Form, Kind, Words
from conversations.forms._helpers import options
from conversations.periods import format_day

# --- words ----------------------------------------------------------------------------
MEETING_FIELDS = {
    "jenis": Words("Jenis rapat", "Rapat apa yang akan diadakan?"),
    "judul": Words("Judul", "Apa judul rapatnya? (tekan tombol untuk memakai usulan)"),
    "tanggal": Words("Tanggal", "Tanggal berapa rapatnya? (mis. 3/12 atau besok)"),
    "jam": Words("Jam mulai", "Jam berapa mulai? (mis. 09.00)"),
    "hari": Words("Lama (hari)", "Berapa hari kegiatannya? (1 sampai 14)"),
    "selesai": Words("Jam selesai", "Jam berapa selesai (pada hari terakhir)? (mis. 12.00)"),
    "tempat": Words("Tempat", "Di mana tempatnya?"),
    "nama": Words(
        "Undangan per nama",
        "Ada orang tertentu yang diundang? Tulis namanya, pisahkan dengan koma, atau ketik lewati.",
    ),
    "undangan": Words("Kelompok diundang", "Siapa yang diundang? Pilih satu atau beberapa."),
    "agenda": Words("Agenda", "Agendanya apa? (boleh dilewati: ketik lewati)"),
}
KIND_LABELS = {
    "lokmin_bulanan": "Lokakarya mini bulanan",
    "lokmin_tribulanan": "Lokakarya mini tribulanan",
    "koordinasi": "Rapat koordinasi",
    "workshop": "Workshop/pelatihan",
    "pendampingan": "Pendampingan",
    "evaluasi": "Evaluasi",
    "lainnya": "Lainnya",
}
MEETING_CHECKS = {
    "not_past": "Tanggal {tanggal} sudah lewat. Rapat hanya bisa dibuat untuk hari ini atau nanti.",
    "clock": "Jam belum terbaca. Tulis seperti 09.00 atau 13.30.",
    "start_future": "Jam mulai itu sudah lewat. Tulis jam yang belum lewat.",
    "end_clock": "Jam selesai belum terbaca. Tulis seperti 12.00 atau 15.30.",
    "end_after_start": "Jam selesai ({selesai}) harus sesudah jam mulai ({jam}).",
    "names_known": "Nama {unknown} tidak ada di daftar petugas wilayah Anda. "
    "Periksa ejaannya, atau ketik lewati.",
    "names_many": "Nama {unknown} cocok dengan lebih dari satu orang. Tulis nama lengkapnya.",
    "invitees_any": "Belum ada yang diundang. Pilih kelompok yang ada orangnya "
    "(jumlah orang di dalam kurung).",
}
SUMMARY_HEADER = "Periksa dulu undangan rapat ini:"
PREVIEW = "Undangan yang akan dikirim:\n\n{invitation}\n\nDiundang: {count} orang."
INVITATION = (
    "📅 Undangan {kind}{number}\n{title}\nWaktu: {when}\nTempat: {place}\nDari: {organiser}"
)
INVITATION_AGENDA = "Agenda: {agenda}"
NUMBER = " #{id}"
TIME_RANGE = "{day}, {start}–{end} {zone}"
DAYS_RANGE = "{first} {start} – {last} {end} {zone}"

W = MEETING_FIELDS
C = MEETING_CHECKS

_CLOCK = re.compile(r"^(?:jam|pukul|pk\.?)?\s*(\d{1,2})(?:[.:](\d{2}))?\s*(?:wib|wita|wit)?$")
_NAME_SPLIT = re.compile(r"\s*(?:[,;]|\bdan\b)\s*")


def parse_clock(text: str) -> time | None:
    """``09.00``, ``9:30``, ``jam 13``, ``14.00 WIB`` -> a time of day; None if not one."""
    match = _CLOCK.match(" ".join(text.casefold().split()))
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_clock(moment: time) -> str:
    return f"{moment.hour:02d}.{moment.minute:02d}"


def times(answers: Answers) -> tuple[datetime, datetime]:
    """Start and end as naive local times of the venue, from the answers."""
    day = date.fromisoformat(answers["tanggal"])
    start = datetime.combine(day, parse_clock(answers["jam"]) or time(0))
    last = day + timedelta(days=(answers.get("hari") or 1) - 1)
    end = datetime.combine(last, parse_clock(answers["selesai"]) or time(0))
    return start, end


def when_text(start: datetime, end: datetime, zone: str) -> str:
    """``Senin, 7 Des 2026, 09.00–12.00 WIB``, or the first and last day of a longer one."""
    if start.date() == end.date():
        return TIME_RANGE.format(
            day=format_day(start.date()),
            start=format_clock(start.time()),
            end=format_clock(end.time()),
            zone=zone,
        )
    return DAYS_RANGE.format(
        first=format_day(start.date()),
        start=format_clock(start.time()),
        last=format_day(end.date()),
        end=format_clock(end.time()),
        zone=zone,
    )


def invitation(
    *,
    kind: str,
    title: str,
    when: str,
    place: str,
    organiser: str,
    agenda: str | None,
    meeting_id: int | None = None,
) -> str:
    """The invitation as every invitee reads it (``meeting_id`` once the meeting is stored)."""
    text = INVITATION.format(
        kind=KIND_LABELS.get(kind, kind).lower(),
        number=NUMBER.format(id=meeting_id) if meeting_id is not None else "",
        title=title,
        when=when,
        place=place,
        organiser=organiser,
    )
    return f"{text}\n{INVITATION_AGENDA.format(agenda=agenda)}" if agenda else text


def named_people(answers: Answers, context: Context) -> tuple[list[int], list[str], list[str]]:
    """People named in ``nama``: (ids found, names not found, names matching several)."""
    found: list[int] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    people: Sequence[Sequence[Any]] = context.get("people", ())
    for wanted in _NAME_SPLIT.split(answers.get("nama") or ""):
        if not wanted:
            continue
        key = wanted.casefold()
        exact = [pid for pid, name in people if name.casefold() == key]
        matches = exact or [pid for pid, name in people if key in name.casefold()]
        if not matches:
            unknown.append(wanted)
        elif len(matches) > 1:
            ambiguous.append(wanted)
        else:
            found.append(matches[0])
    return found, unknown, ambiguous


def invitees(answers: Answers, context: Context) -> list[int]:
    """Everyone invited: the chosen groups' members and the people named, once each."""
    members: Mapping[str, Sequence[int]] = context.get("members", {})
    chosen = [pid for group in answers.get("undangan") or () for pid in members.get(group, ())]
    named, _, _ = named_people(answers, context)
    return list(dict.fromkeys([*chosen, *named]))


def _preview(answers: Answers, context: Context) -> str:
    start, end = times(answers)
    text = invitation(
        kind=answers["jenis"],
        title=answers["judul"],
        when=when_text(start, end, context.get("zone", "")),
        place=answers["tempat"],
        organiser=context.get("organiser", ""),
        agenda=answers.get("agenda"),
    )
    return PREVIEW.format(invitation=text, count=len(invitees(answers, context)))


def _start_future(answers: Answers, context: Context) -> bool:
    start = datetime.combine(
        date.fromisoformat(answers["tanggal"]), parse_clock(answers["jam"]) or time(0)
    )
    return "now" not in context or start > datetime.fromisoformat(context["now"])


def _end_after_start(answers: Answers, context: Context) -> bool:
    if parse_clock(answers["jam"]) is None or parse_clock(answers["selesai"]) is None:
        return True  # the format checks answer first
    start, end = times(answers)
    return end > start


def _names_known(answers: Answers, context: Context) -> bool:
    return not named_people(answers, context)[1]


def _names_unique(answers: Answers, context: Context) -> bool:
    return not named_people(answers, context)[2]


def _suggest_title(answers: Answers, context: Context) -> str | None:
    kind = KIND_LABELS.get(answers.get("jenis", ""))
    return f"{kind} {context['area_name']}" if kind and context.get("area_name") else kind


MEETING = Form(
    id="rapat",
    title="rapat",
    summary_header=SUMMARY_HEADER,
    preview=_preview,
    submitted="",
    fields=(
        Field(
            "jenis", Kind.CHOICE, W["jenis"].label, W["jenis"].prompt, options=options(KIND_LABELS)
        ),
        Field(
            "judul",
            Kind.TEXT,
            W["judul"].label,
            W["judul"].prompt,
            maximum=120,
            suggest=_suggest_title,
        ),
        Field("tanggal", Kind.DATE, W["tanggal"].label, W["tanggal"].prompt),
        Field("jam", Kind.TEXT, W["jam"].label, W["jam"].prompt, maximum=20),
        Field(
            "hari",
            Kind.COUNT,
            W["hari"].label,
            W["hari"].prompt,
            minimum=1,
            maximum=14,
            ask_if=lambda a, c: a.get("jenis") == "workshop",
            suggest=lambda a, c: 1,
        ),
        Field("selesai", Kind.TEXT, W["selesai"].label, W["selesai"].prompt, maximum=20),
        Field("tempat", Kind.TEXT, W["tempat"].label, W["tempat"].prompt, maximum=120),
        Field("nama", Kind.TEXT, W["nama"].label, W["nama"].prompt, optional=True, maximum=500),
        Field(
            "undangan",
            Kind.MULTI,
            W["undangan"].label,
            W["undangan"].prompt,
            options_from="groups",
        ),
        Field(
            "agenda",
            Kind.TEXT,
            W["agenda"].label,
            W["agenda"].prompt,
            optional=True,
            maximum=500,
        ),
    ),
    checks=(
        Check(
            "not_past",
            ("tanggal",),
            lambda a, c: a["tanggal"] >= c["today"],
            C["not_past"],
            facts=lambda a, c: {"tanggal": format_day(date.fromisoformat(a["tanggal"]))},
        ),
        Check("clock", ("jam",), lambda a, c: parse_clock(a["jam"]) is not None, C["clock"]),
        Check("start_future", ("tanggal", "jam"), _start_future, C["start_future"]),
        Check(
            "end_clock",
            ("selesai",),
            lambda a, c: parse_clock(a["selesai"]) is not None,
            C["end_clock"],
        ),
        Check(
            "end_after_start",
            ("tanggal", "jam", "hari", "selesai"),
            _end_after_start,
            C["end_after_start"],
            needs=("tanggal", "jam", "selesai"),
        ),
        Check(
            "names_known",
            ("nama",),
            _names_known,
            C["names_known"],
            facts=lambda a, c: {"unknown": ", ".join(named_people(a, c)[1])},
        ),
        Check(
            "names_unique",
            ("nama",),
            _names_unique,
            C["names_many"],
            facts=lambda a, c: {"unknown": ", ".join(named_people(a, c)[2])},
        ),
        Check("invitees_any", ("undangan",), lambda a, c: bool(invitees(a, c)), C["invitees_any"]),
    ),
)

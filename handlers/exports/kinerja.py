"""``rekap kinerja [BULAN|TAHUN] [grafik|excel]``: the achievement review in chat, for the review
meeting.

For Puskesmas staff (their Puskesmas, desa by desa) and the Dinkes (the
kabupaten, Puskesmas by Puskesmas): each indicator's coverage against its
target with its band (✅ baik, ⚠️ cukup, ❌ kurang), year to date by default
(annual targets, with the share of the year elapsed as the pro-rata line),
or one month, or a whole year. ``grafik`` sends the radar chart of the
sub-areas, ``excel`` the PKP achievement table. Always labelled as a proxy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from conversations import Attachment, Choice, Reply
from conversations.forms import MONTHLY
from conversations.parsing import parse_month
from conversations.periods import format_month, shift_month
from handlers.exports import words as W
from handlers.exports.achievement import Bands, Line, lines, review
from handlers.exports.table import Row, measures, pivot, rows
from handlers.exports.targets import bands_of, percents
from handlers.turn import TurnContext
from storage.exports import filed_monthly
from storage.rekap import Area, last_closed_period, own_area
from storage.rekap.areas import kabupaten_of

ROLES = ("puskesmas", "dinkes", "admin")
SUB_LEVEL = {"puskesmas": "desa", "kabupaten": "puskesmas"}
_YEAR = re.compile(r"(20[0-9]{2})")
MONTHS_PER_YEAR = 12


@dataclass(frozen=True, slots=True)
class Span:
    """The months reviewed, how people read them, and whether the targets are pro-rata."""

    months: list[str]
    label: str
    year_to_date: bool


@dataclass(frozen=True, slots=True)
class Review:
    """An area's review: its lines, its sub-areas' lines, the months and bands it used."""

    area: Area
    span: Span
    lines: list[Line]
    sub_areas: list[tuple[str, list[Line]]]
    bands: Bands


def show(turn: TurnContext, args: list[str]) -> list[Reply]:
    """The review of the person's own area, as text with buttons, a radar chart or a workbook."""
    profile = turn.profile
    if profile.role not in ROLES:
        return [Reply(W.KINERJA_NOT_ALLOWED)]
    words = [word.casefold() for word in args]
    output = W.KINERJA_OUTPUTS.get(words[-1]) if words else None
    if output is not None:
        words = words[:-1]
    closed = last_closed_period(turn.now, profile.deadline_day, profile.timezone)
    span = span_of(" ".join(words), closed, turn.now.date())
    if span is None:
        return [Reply(W.KINERJA_BAD_PERIOD.format(text=" ".join(args)))]
    found = build(turn, span)
    if output is not None and not any(line.sasaran for line in found.lines):
        return [Reply(f"{W.KINERJA_TITLE.format(area=found.area.name)}\n{W.KINERJA_EMPTY}")]
    if output == "grafik":
        from handlers.exports.radar import MIME, radar

        title = W.RADAR_TITLE.format(area=found.area.name, span=span.label)
        content = radar(title, found.sub_areas)
        name = f"kinerja-{found.area.code}-{span.months[-1]}.png"
        attachment = Attachment(name, content, MIME, "photo")
        return [Reply(W.RADAR_CAPTION.format(area=found.area.name), attachment=attachment)]
    if output == "excel":
        from handlers.exports.workbook import MIME as XLSX
        from handlers.exports.workbook import achievement_workbook

        title = W.ACHIEVEMENT_TITLE.format(area=found.area.name, span=span.label)
        content = achievement_workbook(title, found.lines, found.sub_areas)
        name = f"capaian-{found.area.code}-{span.months[-1]}.xlsx"
        return [Reply(W.ACHIEVEMENT_CAPTION, attachment=Attachment(name, content, XLSX))]
    return [Reply(text(found), choices=_buttons(words))]


def span_of(text: str, closed: str, today: date) -> Span | None:
    """The months asked for: none (year to date), a month, or a year (to date if it is this one)."""
    if not text:
        return _year(closed[:4], closed)
    year = _YEAR.fullmatch(text)
    if year:
        if year.group(1) > closed[:4]:
            return None
        return _year(year.group(1), closed)
    period = parse_month(text, today)
    if period is None or period > closed:
        return None
    return Span([period], format_month(period), year_to_date=False)


def build(turn: TurnContext, span: Span) -> Review:
    """The review of the person's own area over ``span``: the area, then each sub-area."""
    session = turn.session
    area = own_area(session, turn.profile)
    kabupaten = kabupaten_of(session, area)
    targets = percents(session, kabupaten)
    bands = bands_of(session, kabupaten)
    table = rows(filed_monthly(session, area.where, span.months), MONTHLY)
    every = measures(MONTHLY)
    below = SUB_LEVEL.get(area.level or "", "desa")
    by_sub = pivot(table, lambda row: _sub_name(row, below))
    sub_areas = [(name, lines(totals, every, targets, bands)) for name, totals in by_sub.items()]
    return Review(area, span, review(table, every, targets, bands), sorted(sub_areas), bands)


def text(found: Review) -> str:
    """The review as one chat message."""
    span = found.span
    head = [W.KINERJA_TITLE.format(area=found.area.name), span.label]
    if span.year_to_date:
        elapsed = len(span.months)
        share = round(100 * elapsed / MONTHS_PER_YEAR)
        head.append(W.KINERJA_PRO_RATA.format(months=elapsed, share=share))
    body = [_line(line) for line in found.lines]
    if not any(line.sasaran for line in found.lines):
        body = [W.KINERJA_EMPTY]
    bands = found.bands
    legend = W.KINERJA_LEGEND.format(good=f"{bands.good_above:g}", fair=f"{bands.fair_above:g}")
    return "\n".join([*head, "", *body, "", legend, W.PROXY_NOTE, W.KINERJA_MORE])


def _line(line: Line) -> str:
    if line.coverage is None:
        return W.KINERJA_LINE_NONE.format(label=line.measure.label)
    coverage = f"{line.coverage:.0f}%"
    if line.target is None or line.of_target is None:
        return W.KINERJA_LINE_NO_TARGET.format(label=line.measure.label, coverage=coverage)
    return W.KINERJA_LINE.format(
        mark=W.BAND_MARK[line.band or ""],
        label=line.measure.label,
        coverage=coverage,
        target=f"{line.target:g}%",
        of_target=f"{line.of_target:.0f}%",
    )


def _buttons(words: list[str]) -> tuple[Choice, ...]:
    base = " ".join([W.KINERJA_COMMAND, *words])
    return tuple(Choice(f"{base} {word}", label) for word, label in W.KINERJA_BUTTONS)


def _sub_name(row: Row, level: str) -> str:
    return row.place.desa if level == "desa" else row.place.puskesmas


def _year(year: str, closed: str) -> Span:
    last = closed if closed[:4] == year else f"{year}-12"
    months = [f"{year}-01"]
    while months[-1] < last:
        months.append(shift_month(months[-1], 1))
    label = W.KINERJA_SPAN.format(first=format_month(months[0]), last=format_month(last))
    return Span(months, label, year_to_date=last < f"{year}-12")

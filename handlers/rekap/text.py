"""The rekap as chat text: a short headline, then a narrow table of the sub-areas, page by page.

Channel-neutral plain text: the table is aligned with spaces and kept within
:data:`TABLE_WIDTH` characters, the width of a cheap phone held upright, so
it reads in a monospace block where a channel has one and stays legible where
it does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from conversations.form import Form, Indicator
from conversations.forms.home_visit import TARGET_GROUPS
from conversations.forms.outreach import FUNDING, OUTREACH_TYPES
from conversations.periods import format_date, format_month, shift_month, short_month
from handlers.rekap import format as F
from handlers.rekap import words as W
from storage.rekap import Figures, Rekap, Row

TABLE_WIDTH = 32
PAGE_SIZE = 10
MIN_NAME_WIDTH = 8
BREAKDOWN_ITEMS = 4
"""Target groups, activity types and funding sources listed in the headline (largest first)."""


def page_count(rekap: Rekap, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-len(rekap.rows) // page_size))


def page_rows(rekap: Rekap, page: int, page_size: int = PAGE_SIZE) -> list[Row]:
    start = (page - 1) * page_size
    return rekap.rows[start : start + page_size]


def render(
    rekap: Rekap,
    page: int = 1,
    *,
    today: date,
    invite_review: bool = False,
    page_size: int = PAGE_SIZE,
) -> str:
    """One page of the rekap: page 1 has the headline and the missing list, later pages the table.

    ``today`` (the area's local date) tells whether the month is still in
    progress. ``invite_review`` adds the "type tinjau" hint for district
    officers on a closed month nobody has reviewed yet. The command line
    prints every row on one page (``page_size`` of the row count).
    """
    pages = page_count(rekap, page_size)
    area = F.area_label(rekap.area)
    month = format_month(rekap.period)
    open_until = rekap.deadline if rekap.in_progress(today) else None
    closed = open_until is None
    if page > 1:
        title = W.REKAP_TITLE_PAGE.format(month=month, area=area, page=page, pages=pages)
        return "\n".join([title, "", *table(rekap, page, page_size, compare=closed)])
    lines = [W.REKAP_TITLE.format(month=month, area=area)]
    if open_until is not None:
        lines.append(W.REKAP_IN_PROGRESS.format(deadline=format_date(open_until)))
    lines.extend(headline(rekap, compare=closed))
    lines.extend(_deadline_comparison(rekap))
    lines.extend(_review(rekap, invite_review and closed))
    lines.extend(["", *table(rekap, 1, page_size, compare=closed)])
    if pages > 1:
        lines.append(f"(hal 1/{pages})")
    lines.extend(["", *_missing(rekap)])
    return "\n".join(lines)


def headline(rekap: Rekap, *, compare: bool = True) -> list[str]:
    """Completeness, timeliness and D/S with their change, then the other figures in short lines.

    Without ``compare`` (a month in progress) nothing is compared with last
    month and timeliness, which the deadline decides, is left out.
    """
    now, before = rekap.total, rekap.previous
    previous_month = short_month(shift_month(rekap.period, -1))

    def change(current: float | None, previous: float | None) -> str:
        return _change(current, previous, previous_month) if compare else ""

    lines = [
        W.REKAP_REPORTED.format(
            reported=F.count(now.reported),
            expected=F.count(now.expected),
            percent=F.percent(now.completeness),
            change=change(now.completeness, before.completeness),
        )
    ]
    if compare:
        lines.append(
            W.REKAP_ON_TIME.format(count=F.count(now.on_time), percent=F.percent(now.timeliness))
        )
    if now.not_held:
        lines.append(W.REKAP_NOT_HELD.format(count=F.count(now.not_held)))
    lines.extend(figures_lines(now, rekap.form, change(now.ds, before.ds)))
    return lines


INDICATORS_PER_LINE = 3


def figures_lines(figures: Figures, form: Form, ds_change: str = "") -> list[str]:
    """The report figures of one area: the form's indicators, then its counts section by section.

    The headline indicator (D/S) comes first, with ``ds_change``; a figure
    nobody reported is ``-``.
    """
    indicators = sorted(form.indicators, key=lambda item: item.code != form.headline)
    shown = [
        W.REKAP_FIGURE.format(label=item.label, value=indicator_text(figures, item))
        + (ds_change if item.code == form.headline else "")
        for item in indicators
    ]
    lines = [
        W.REKAP_SEPARATOR.join(shown[start : start + INDICATORS_PER_LINE])
        for start in range(0, len(shown), INDICATORS_PER_LINE)
    ]
    for section in form.sections:
        counts = [f for f in form.counts if f.section == section.name]
        if counts:
            cells = W.REKAP_SEPARATOR.join(
                W.REKAP_FIGURE.format(
                    label=f.short or f.label, value=F.count(figures.answer(f.name))
                )
                for f in counts
            )
            lines.append(W.REKAP_GROUP.format(title=section.title, figures=cells))
    lines += [
        W.REKAP_VISITS.format(
            count=F.count(figures.visit_count), danger=F.count(figures.visit_danger)
        ),
    ]
    if figures.visits:
        lines.append(_visit_breakdown(figures.visits))
    lines.append(
        W.REKAP_OUTREACH.format(
            count=F.count(figures.outreach_sessions),
            people=F.count(figures.outreach_participants),
        )
    )
    for table_, labels in (
        (figures.outreach_by_type, OUTREACH_TYPES),
        (figures.outreach_by_fund, FUNDING),
    ):
        if table_:
            lines.append(_outreach_breakdown(table_, labels))
    return lines


def table(
    rekap: Rekap, page: int, page_size: int = PAGE_SIZE, *, compare: bool = True
) -> list[str]:
    """The sub-areas of one page: Posyandu with S, D, D/S and status; areas with reports and D/S.

    Areas show the change of D/S from last month unless ``compare`` is off.
    """
    rows = page_rows(rekap, page, page_size)
    level = rekap.child_level
    header = W.REKAP_LEVELS[level]
    names = [F.without_level(level, row.name) for row in rows]
    form = rekap.form
    headline = form.indicator(form.headline)
    titles = {**W.REKAP_COLUMNS, "ds": headline.label}
    if level == "posyandu":
        parts = [form.field(name) for name in (*(headline.denominator or ()), *headline.numerator)]
        headers = [header, *(f.short for f in parts), titles["ds"], titles["status"]]
        cells = [
            [name, *_posyandu_cells(row.figures, [f.name for f in parts])]
            for name, row in zip(names, rows, strict=True)
        ]
    else:
        keys = ("reported", "ds", "change") if compare else ("reported", "ds")
        headers = [header, *(titles[key] for key in keys)]
        cells = [[name, *_area_cells(row, compare)] for name, row in zip(names, rows, strict=True)]
    return aligned(headers, cells)


def aligned(
    headers: Sequence[str], rows: Sequence[Sequence[str]], width: int = TABLE_WIDTH
) -> list[str]:
    """Rows as fixed-width lines: the first column left and cut to fit, the others right."""
    widths = [max(len(line[i]) for line in (headers, *rows)) for i in range(len(headers))]
    rest = sum(widths[1:]) + len(widths) - 1
    first = max(MIN_NAME_WIDTH, min(widths[0], width - rest))
    lines = []
    for cells in (headers, *rows):
        name = cells[0] if len(cells[0]) <= first else cells[0][: first - 1] + "…"
        others = "".join(f" {cell:>{w}}" for cell, w in zip(cells[1:], widths[1:], strict=True))
        lines.append((name.ljust(first) + others).rstrip())
    return lines


def status(figures: Figures) -> str:
    """One Posyandu's monthly report: on time, late, not held, or missing."""
    if not figures.reported:
        return W.REKAP_STATUS["missing"]
    if figures.not_held:
        return W.REKAP_STATUS["not_held"]
    return W.REKAP_STATUS["on_time" if figures.on_time else "late"]


def indicator_text(figures: Figures, indicator: Indicator) -> str:
    """An indicator as shown: a percentage for a ratio, a whole number for a sum."""
    value = figures.value(indicator)
    if indicator.denominator is not None and indicator.percent:
        return F.percent(None if value is None else float(value))
    return F.count(None if value is None else int(value))


def _posyandu_cells(figures: Figures, parts: list[str]) -> list[str]:
    numbers = [F.count(figures.answer(name)) for name in parts]
    return [*numbers, F.percent(figures.ds), status(figures)]


def _area_cells(row: Row, compare: bool) -> list[str]:
    now, before = row.figures, row.previous
    cells = [f"{F.count(now.reported)}/{F.count(now.expected)}", F.percent(now.ds)]
    return [*cells, F.signed(F.points(now.ds, before.ds))] if compare else cells


def _change(current: float | None, previous: float | None, month: str) -> str:
    points = F.points(current, previous)
    if points is None:
        return ""
    if points > 0:
        return W.REKAP_CHANGE_UP.format(points=points, month=month)
    if points < 0:
        return W.REKAP_CHANGE_DOWN.format(points=-points, month=month)
    return W.REKAP_CHANGE_SAME.format(month=month)


def _visit_breakdown(visits: dict[str, list[int]]) -> str:
    items = []
    for group, (count, danger) in _largest(visits):
        label = TARGET_GROUPS.get(group, group)
        template = W.REKAP_VISIT_ITEM_DANGER if danger else W.REKAP_VISIT_ITEM
        items.append(template.format(label=label, count=F.count(count), danger=F.count(danger)))
    return "  " + ", ".join(items)


def _outreach_breakdown(table_: dict[str, list[int]], labels: dict[str, str]) -> str:
    items = [
        W.REKAP_OUTREACH_ITEM.format(
            label=labels.get(key, key), count=F.count(sessions), people=F.count(people)
        )
        for key, (sessions, people) in _largest(table_)
    ]
    return "  " + ", ".join(items)


def _largest(table_: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
    ordered = sorted(table_.items(), key=lambda item: (-item[1][0], item[0]))
    return ordered[:BREAKDOWN_ITEMS]


def _deadline_comparison(rekap: Rekap) -> list[str]:
    """ "At the deadline" next to "now", when late reports or corrections changed the figures."""
    stored = rekap.at_deadline
    if stored is None or rekap.deadline is None or not rekap.total.differs_from(stored.figures):
        return []
    then, now = stored.figures, rekap.total
    return [
        W.REKAP_AT_DEADLINE.format(
            date=format_date(rekap.deadline),
            reported=F.count(then.reported),
            expected=F.count(then.expected),
            ds=F.percent(then.ds),
        ),
        W.REKAP_NOW.format(
            reported=F.count(now.reported), expected=F.count(now.expected), ds=F.percent(now.ds)
        ),
    ]


def _review(rekap: Rekap, invite: bool) -> list[str]:
    if rekap.review is not None:
        zone = ZoneInfo(rekap.timezone or "UTC")
        when = format_date(rekap.review.reviewed_at.astimezone(zone).date())
        return [W.REKAP_REVIEWED.format(name=rekap.review.reviewer, date=when)]
    if invite and rekap.kabupaten_code is not None:
        return [W.REKAP_NOT_REVIEWED.format(period=rekap.period)]
    return []


def _missing(rekap: Rekap) -> list[str]:
    count = rekap.total.missing
    if not count:
        return [W.REKAP_ALL_REPORTED]
    lines = [W.REKAP_MISSING_HEADER.format(count=F.count(count))]
    lines.extend(
        W.REKAP_MISSING_LINE.format(posyandu=place.name, desa=place.desa) for place in rekap.missing
    )
    if count > len(rekap.missing):
        lines.append(W.REKAP_MISSING_MORE.format(count=F.count(count - len(rekap.missing))))
    return lines

"""The rekap as a picture: D/S and completeness per sub-area, and the area's six-month trend.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display,
no global state), so it is safe in the service's worker threads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as PlotFigure

from conversations.periods import format_date, format_month, short_month
from handlers.rekap import format as F
from handlers.rekap import words as W
from storage.rekap import Figures, Rekap, Row

MIME = "image/png"
MAX_BARS = 30
"""More sub-areas than this: only those with the lowest D/S (the ones to talk about)."""
WIDTH_INCHES = 8.0
DPI = 100
DS_COLOUR = "#1f77b4"
COMPLETENESS_COLOUR = "#ff7f0e"


def chart(rekap: Rekap, trend: Sequence[tuple[str, Figures | None]], today: date) -> bytes:
    """The PNG: bars per sub-area on top, the trend below (see :func:`figure`)."""
    buffer = BytesIO()
    figure(rekap, trend, today).savefig(buffer, format="png")
    return buffer.getvalue()


def figure(rekap: Rekap, trend: Sequence[tuple[str, Figures | None]], today: date) -> PlotFigure:
    """The chart as a matplotlib figure; ``today`` (local) tells a month in progress."""
    rows = _shown(rekap.rows)
    bars_height = 1.2 + 0.32 * max(len(rows), 1)
    drawing = PlotFigure(figsize=(WIDTH_INCHES, bars_height + 3.2), dpi=DPI, layout="constrained")
    FigureCanvasAgg(drawing)
    grid = drawing.add_gridspec(2, 1, height_ratios=[bars_height, 3.2])
    area, month = F.area_label(rekap.area), format_month(rekap.period)
    open_until = rekap.deadline if rekap.in_progress(today) else None
    if open_until is not None:
        month = W.CHART_IN_PROGRESS.format(month=month, deadline=format_date(open_until))
    drawing.suptitle(W.CHART_TITLE.format(area=area, month=month), fontweight="bold")
    _bars(drawing.add_subplot(grid[0]), rekap, rows)
    _trend(drawing.add_subplot(grid[1]), trend, rekap.period if open_until else None)
    handles, labels = drawing.axes[1].get_legend_handles_labels()
    drawing.legend(handles, labels, loc="outside lower center", ncols=2)
    return drawing


def _shown(rows: list[Row]) -> list[Row]:
    """Every row, or the :data:`MAX_BARS` with the lowest D/S, listed top-down."""
    if len(rows) <= MAX_BARS:
        return list(reversed(rows))
    ranked = sorted(rows, key=lambda row: (row.figures.ds is not None, row.figures.ds or 0.0))
    return list(reversed(ranked[:MAX_BARS]))


def _bars(axes: Axes, rekap: Rekap, rows: list[Row]) -> None:
    level = W.REKAP_LEVELS[rekap.child_level].lower()
    positions = range(len(rows))
    for offset, colour, ratio in (
        (0.2, DS_COLOUR, lambda row: row.figures.ds),
        (-0.2, COMPLETENESS_COLOUR, lambda row: row.figures.completeness),
    ):
        values = [_percent(ratio(row)) for row in rows]
        bars = axes.barh([p + offset for p in positions], values, height=0.4, color=colour)
        axes.bar_label(bars, [F.percent(ratio(row)) for row in rows], padding=2, fontsize=7)
    axes.set_yticks(list(positions), [F.without_level(rekap.child_level, r.name) for r in rows])
    axes.set_xlim(0, 110)
    axes.set_xlabel("%")
    axes.grid(axis="x", alpha=0.3)
    if len(rekap.rows) > MAX_BARS:
        axes.set_title(W.CHART_LOWEST.format(count=MAX_BARS, level=level))
    else:
        axes.set_title(W.CHART_BY_AREA.format(level=level))


def _trend(
    axes: Axes, trend: Sequence[tuple[str, Figures | None]], in_progress: str | None
) -> None:
    """Two lines over the months, every month on the axis.

    A month before the area was in the system is a gap marked as having no
    data. The month ``in_progress`` (if any) is labelled so and drawn as a
    hollow point, not joined to the line: its figures are partial, and a line
    down to them would read as a drop.
    """
    positions = list(range(len(trend)))
    labels = []
    for period, _ in trend:
        label = f"{short_month(period)} {period[2:4]}"
        if period == in_progress:
            label = W.CHART_MONTH_IN_PROGRESS.format(month=label)
        labels.append(label)
    known = [Figures() if figures is None else figures for _, figures in trend]
    open_at = [period for period, _ in trend].index(in_progress) if in_progress else None
    for ratio, marker, colour, name in (
        (lambda f: f.ds, "o", DS_COLOUR, W.CHART_DS),
        (lambda f: f.completeness, "s", COMPLETENESS_COLOUR, W.CHART_COMPLETENESS),
    ):
        values = [_percent(ratio(figures), gap=True) for figures in known]
        closed = [math.nan if i == open_at else value for i, value in enumerate(values)]
        axes.plot(positions, closed, marker=marker, color=colour, label=name)
        if open_at is not None:
            axes.plot(
                [open_at],
                [values[open_at]],
                linestyle="none",
                marker=marker,
                markerfacecolor="white",
                color=colour,
            )
    before = next((i for i, (_, figures) in enumerate(trend) if figures is not None), len(trend))
    if before:
        axes.text((before - 1) / 2, 50, W.CHART_NO_DATA, ha="center", va="center", color="grey")
    axes.set_xticks(positions, labels)
    axes.set_xlim(-0.5, len(trend) - 0.5)
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    axes.grid(alpha=0.3)
    axes.set_title(W.CHART_TREND.format(months=len(trend)))


def _percent(value: float | None, *, gap: bool = False) -> float:
    """A ratio as a percentage for plotting.

    Unknown is 0 for a bar (nothing reported) and, with ``gap``, a hole in a
    trend line (no D/S without weighings, no completeness before the area was
    in the system: neither is 0).
    """
    if value is None:
        return math.nan if gap else 0.0
    return 100 * value

"""The rekap as a picture: D/S and completeness per sub-area, and the area's six-month trend.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display,
no global state), so it is safe in the service's worker threads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as PlotFigure

from conversations import catalogue as T
from conversations.engine import format_month
from handlers import rekap_format as F
from storage.rekap import Rekap, Row
from storage.rekap_figures import Figures

MIME = "image/png"
MAX_BARS = 30
"""More sub-areas than this: only those with the lowest D/S (the ones to talk about)."""
WIDTH_INCHES = 8.0
DPI = 100
DS_COLOUR = "#1f77b4"
COMPLETENESS_COLOUR = "#ff7f0e"


def chart(rekap: Rekap, trend: Sequence[tuple[str, Figures]]) -> bytes:
    """The PNG: bars per sub-area on top, the trend below."""
    rows = _shown(rekap.rows)
    bars_height = 1.2 + 0.32 * max(len(rows), 1)
    figure = PlotFigure(figsize=(WIDTH_INCHES, bars_height + 3.2), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 1, height_ratios=[bars_height, 3.2])
    area, month = F.area_label(rekap.area), format_month(rekap.period)
    figure.suptitle(T.CHART_TITLE.format(area=area, month=month), fontweight="bold")
    _bars(figure.add_subplot(grid[0]), rekap, rows)
    _trend(figure.add_subplot(grid[1]), trend)
    figure.legend(*figure.axes[1].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _shown(rows: list[Row]) -> list[Row]:
    """Every row, or the :data:`MAX_BARS` with the lowest D/S, listed top-down."""
    if len(rows) <= MAX_BARS:
        return list(reversed(rows))
    ranked = sorted(rows, key=lambda row: (row.figures.ds is not None, row.figures.ds or 0.0))
    return list(reversed(ranked[:MAX_BARS]))


def _bars(axes: Axes, rekap: Rekap, rows: list[Row]) -> None:
    level = T.REKAP_LEVELS[rekap.child_level].lower()
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
        axes.set_title(T.CHART_LOWEST.format(count=MAX_BARS, level=level))
    else:
        axes.set_title(T.CHART_BY_AREA.format(level=level))


def _trend(axes: Axes, trend: Sequence[tuple[str, Figures]]) -> None:
    labels = [f"{F.short_month(period)} {period[2:4]}" for period, _ in trend]
    ds = [_percent(figures.ds, gap=True) for _, figures in trend]
    completeness = [_percent(figures.completeness) for _, figures in trend]
    axes.plot(labels, ds, marker="o", color=DS_COLOUR, label=T.CHART_DS)
    axes.plot(
        labels, completeness, marker="s", color=COMPLETENESS_COLOUR, label=T.CHART_COMPLETENESS
    )
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    axes.grid(alpha=0.3)
    axes.set_title(T.CHART_TREND.format(months=len(trend)))


def _percent(value: float | None, *, gap: bool = False) -> float:
    """A ratio as a percentage for plotting.

    Unknown is 0 for a bar (nothing reported) and, with ``gap``, a hole in a
    trend line (no D/S without weighings, not a D/S of 0).
    """
    if value is None:
        return math.nan if gap else 0.0
    return 100 * value

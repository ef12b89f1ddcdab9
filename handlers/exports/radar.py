"""The achievement review as a radar chart: coverage per indicator, one outline per sub-area.

For the review meeting: each desa (or each Puskesmas, for the district) is
an outline over the indicators, the target a dashed outline, so the gaps
between villages show at a glance. Drawn on the Agg canvas without pyplot,
as the rekap chart is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from io import BytesIO
from typing import cast

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as PlotFigure
from matplotlib.projections.polar import PolarAxes

from handlers.exports import words as W
from handlers.exports.achievement import Line

MIME = "image/png"
MAX_OUTLINES = 12
"""More sub-areas than this: the ones with the lowest mean coverage (the ones to talk about)."""
CEILING = 120.0
"""Coverage drawn at most this far out (a % above it is drawn at the edge)."""


def radar(title: str, areas: Sequence[tuple[str, list[Line]]]) -> bytes:
    """The PNG of ``(area name, its review lines)``, each with lines for the same indicators."""
    shown = _drawable(_shown(areas))
    measures = [line.measure for line in shown[0][1]] if shown else []
    count = max(len(measures), 3)
    angles = [2 * math.pi * index / count for index in range(count)]
    drawing = PlotFigure(figsize=(8.0, 8.0), dpi=100, layout="constrained")
    FigureCanvasAgg(drawing)
    axes = cast(PolarAxes, drawing.add_subplot(projection="polar"))
    drawing.suptitle(title, fontweight="bold")
    axes.set_title(W.PROXY_NOTE_SHORT, fontsize="small", style="italic", pad=28)
    closed = [*angles, angles[0]]
    targets = [_capped(line.target) for line in shown[0][1]] if shown else []
    if targets:
        drawn = [math.nan if t is None else t for t in [*targets, targets[0]]]
        axes.plot(closed[: len(targets) + 1], drawn, "k--", label=W.RADAR_TARGET)
    for name, lines in shown:
        values = [_capped(line.coverage) for line in lines]
        if values:
            drawn = [math.nan if v is None else v for v in [*values, values[0]]]
            axes.plot(closed[: len(values) + 1], drawn, linewidth=1.5, label=name)
    axes.set_xticks(angles[: len(measures)], [m.label for m in measures])
    axes.set_ylim(0, CEILING)
    axes.set_yticks([25, 50, 75, 100], ["25%", "50%", "75%", "100%"], fontsize="small")
    axes.set_rlabel_position(180 / count)
    drawing.legend(loc="outside lower center", ncols=3, fontsize="small")
    buffer = BytesIO()
    drawing.savefig(buffer, format="png")
    return buffer.getvalue()


def _capped(value: float | None) -> float | None:
    return None if value is None else min(value, CEILING)


def _drawable(areas: list[tuple[str, list[Line]]]) -> list[tuple[str, list[Line]]]:
    """Only the indicators some area has a coverage for: an axis nobody reported is left out."""
    if not areas:
        return areas
    keep = [
        index
        for index in range(len(areas[0][1]))
        if any(lines[index].coverage is not None for _, lines in areas)
    ]
    return [(name, [lines[index] for index in keep]) for name, lines in areas]


def _shown(areas: Sequence[tuple[str, list[Line]]]) -> list[tuple[str, list[Line]]]:
    with_lines = [(name, lines) for name, lines in areas if lines]
    if len(with_lines) <= MAX_OUTLINES:
        return with_lines

    def mean(lines: list[Line]) -> float:
        values = [line.coverage for line in lines if line.coverage is not None]
        return sum(values) / len(values) if values else 0.0

    return sorted(with_lines, key=lambda item: mean(item[1]))[:MAX_OUTLINES]

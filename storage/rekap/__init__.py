"""The rekap's storage wing: its tables, the grouped queries and the figures they add up to.

A rekap is an area and the level below it for one month (:mod:`.summary`),
counted by a handful of set-based queries (:mod:`.queries`) into
:class:`Figures` (:mod:`.figures`), for an area found and checked by
:mod:`.areas`. The figures as they stood at the deadline are kept in
:mod:`.snapshots`, the district's reviews in :mod:`.reviews`, both tables in
:mod:`.models`; :mod:`.export` is the contract's one-row-per-Posyandu table and
the long table of every stored answer. What is counted and shown comes from
the monthly form (:mod:`conversations.forms.monthly`), passed in as ``form``.
"""

from storage.rekap.areas import SEARCH_ORDER, Area, by_code, by_name, own_area, visible
from storage.rekap.export import LONG_COLUMNS, columns, long_rows, monthly_rows
from storage.rekap.figures import Figures
from storage.rekap.models import SummaryReview, SummarySnapshot
from storage.rekap.reviews import Review, mark_reviewed, review_of
from storage.rekap.snapshots import Stored, stored
from storage.rekap.summary import (
    Level,
    Rekap,
    Row,
    build,
    default_period,
    detail,
    last_closed_period,
    take_snapshot,
    trend,
)

__all__ = [
    "LONG_COLUMNS",
    "SEARCH_ORDER",
    "Area",
    "Figures",
    "Level",
    "Rekap",
    "Review",
    "Row",
    "Stored",
    "SummaryReview",
    "SummarySnapshot",
    "build",
    "by_code",
    "by_name",
    "columns",
    "default_period",
    "detail",
    "last_closed_period",
    "long_rows",
    "mark_reviewed",
    "monthly_rows",
    "own_area",
    "review_of",
    "stored",
    "take_snapshot",
    "trend",
    "visible",
]

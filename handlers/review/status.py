"""Supervision in the rekap: the counts per status in chat and the ``Kinerja kader`` sheet."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from conversations.forms import HOME_VISIT, OUTREACH
from conversations.periods import format_date
from handlers.review import words as W
from storage import Transaction, regions, review
from storage.rekap import Area

if TYPE_CHECKING:  # openpyxl loads only when a workbook is made (see handlers.rekap.files)
    from openpyxl import Workbook

KINERJA_LEVELS = ("kecamatan", "puskesmas", "desa", "posyandu")
"""Areas whose workbook has the ``Kinerja kader`` sheet: a Puskesmas' size, not a district's."""


def rekap_lines(session: Transaction, area: Area, period: str) -> str:
    """Supervision in the chat rekap: the counts per status; for a kabupaten, each Puskesmas'
    approval of the month (Dinkes sees which Puskesmas have closed it)."""
    lines = [counts_line(session, area, period)]
    if area.level == "kabupaten" and area.code is not None:
        for puskesmas, approval in review.approvals_in(session, area.code, period):
            if approval is None:
                lines.append(W.REKAP_NOT_APPROVED.format(puskesmas=puskesmas))
            else:
                day = format_date(approval.approved_at.date())
                lines.append(
                    W.REKAP_APPROVED.format(puskesmas=puskesmas, name=approval.approver, date=day)
                )
    return "\n".join(lines)


def counts_line(session: Transaction, area: Area, period: str) -> str:
    """``Status: 3 masuk · 2 diperiksa · …``: every status, in the order reports move through."""
    found = Counter(
        item.status for item in review.standings_in(session, area.where, period).values()
    )
    counts = W.COUNT_JOIN.join(
        W.REKAP_STATUS_ITEM.format(count=found[status], status=W.STATUS_SHORT[status])
        for status in review.STATUSES
    )
    return W.REKAP_STATUS.format(counts=counts)


def kinerja_sheet(
    session: Transaction, area: Area, period: str
) -> Callable[[Workbook], None] | None:
    """A writer of the ``Kinerja kader`` sheet for a Puskesmas-sized area (None for larger ones)."""
    if area.level not in KINERJA_LEVELS or area.code is None:
        return None
    codes = [code for code, _ in regions.posyandu_in(session, area.level, area.code)]
    rows = review.kinerja(session, codes, period)

    def write(book: Workbook) -> None:
        sheet = book.create_sheet(W.KINERJA_SHEET)
        sheet.append(W.KINERJA_COLUMNS)
        for place in rows:
            sheet.append(
                [
                    place.code,
                    place.name,
                    W.KINERJA_ALL_KADER,
                    place.on_time,
                    place.returned,
                    sum(k.filed[HOME_VISIT.id] for k in place.kader.values()),
                    sum(k.filed[OUTREACH.id] for k in place.kader.values()),
                    place.streak,
                ]
            )
            for kader in place.kader.values():
                sheet.append(
                    [
                        place.code,
                        place.name,
                        kader.name,
                        kader.on_time,
                        kader.returned,
                        kader.filed[HOME_VISIT.id],
                        kader.filed[OUTREACH.id],
                        None,
                    ]
                )
        sheet.freeze_panes = "A2"

    return write

"""Monthly summary snapshots, taken once per kabupaten and month after the reporting deadline.

Reports can still be corrected after the deadline; a snapshot keeps what the
district knew at the deadline, which is what monthly meetings and
timeliness figures are judged on. The scheduler's ``summary_snapshot`` job
calls :func:`store_monthly_summaries`; it is the one place to extend.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.rekap import take_snapshot
from storage.reminders.models import SummaryRun
from storage.sql import InsertIgnore

_RUN = InsertIgnore(SummaryRun.__table__, ("kabupaten_code", "period"))


def store_monthly_summaries(
    session: Session, kabupaten_code: str, period: str, now: datetime
) -> bool:
    """Snapshot the monthly summaries of ``period`` for one kabupaten; False if already taken.

    Called by the scheduler inside its transaction, once the kabupaten's
    deadline for ``period`` has passed (``now`` is the scheduler's clock).
    Must stay idempotent: a second call for the same kabupaten and month
    changes nothing. It records that the snapshot ran (the ``summary_run``
    table) and, only when that record is new, stores the rekap's per-area
    figures as known at the deadline (:func:`storage.rekap.take_snapshot`),
    in the same transaction.
    """
    taken = _RUN(session, {"kabupaten_code": kabupaten_code, "period": period, "ran_at": now})
    if taken:
        take_snapshot(session, kabupaten_code, period, now)
    return taken

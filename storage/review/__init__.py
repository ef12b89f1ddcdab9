"""Supervision's storage wing: review states, the Puskesmas' lock, the audit, kader performance.

:mod:`.state` holds where each Posyandu's month stands and the lock (taken
in the same transaction as a new revision), :mod:`.audit` the trail
``riwayat`` shows, :mod:`.kinerja` the six-month performance, :mod:`.models`
the tables.
"""

from storage.review import notices
from storage.review.audit import Entry, history
from storage.review.kinerja import MONTHS, KaderWork, PosyanduWork, kinerja, kinerja_start
from storage.review.models import ACTIONS, STATUSES, MonthApproval, ReportReview, ReviewEvent
from storage.review.state import (
    Actor,
    Approval,
    Outcome,
    Standing,
    Waiting,
    approvals,
    approvals_in,
    approve,
    judge,
    latest_period,
    puskesmas_staff,
    record,
    refused,
    revision,
    revision_stored,
    standings,
    standings_in,
    take,
    unlock,
    waiting,
)

__all__ = [
    "ACTIONS",
    "MONTHS",
    "STATUSES",
    "Actor",
    "Approval",
    "Entry",
    "KaderWork",
    "MonthApproval",
    "Outcome",
    "PosyanduWork",
    "ReportReview",
    "ReviewEvent",
    "Standing",
    "Waiting",
    "approvals",
    "approvals_in",
    "approve",
    "history",
    "judge",
    "kinerja",
    "kinerja_start",
    "latest_period",
    "notices",
    "puskesmas_staff",
    "record",
    "refused",
    "revision",
    "revision_stored",
    "standings",
    "standings_in",
    "take",
    "unlock",
    "waiting",
]

"""Supervision's tables: where each monthly report stands, the approved months, the audit trail.

Kept apart from ``storage.models`` because only supervision (and the rekap's
``status`` column, through :mod:`storage.review.state`) uses them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

STATUSES = ("belum", "masuk", "diperiksa", "dikembalikan", "disetujui")
"""Where a Posyandu's month stands: no report, received, verified, returned, approved (locked)."""
ACTIONS = ("submitted", "corrected", "verified", "returned", "approved", "unlocked", "refused")
"""What the audit trail records: every step of a report through supervision."""


class ReportReview(SQLModel, table=True):
    """One Posyandu's month in supervision: its review status and whether the month is locked.

    ``status`` is one of ``belum``, ``masuk``, ``diperiksa``, ``dikembalikan``
    and refers to ``revision`` (the latest when it was set); ``locked`` is the
    Puskesmas' approval. The row is also the lock a correction takes before its
    revision is stored, so an approval and a correction never both win.
    """

    __tablename__ = "report_review"

    posyandu_code: str = Field(foreign_key="posyandu.code", primary_key=True, max_length=40)
    period: str = Field(primary_key=True, max_length=7)
    status: str = Field(default="belum", max_length=12)
    revision: int | None = None
    locked: bool = False
    updated_at: datetime = Field(sa_type=UTCDateTime)


class MonthApproval(SQLModel, table=True):
    """A Puskesmas approved a month for its area (``setujui``); the latest approval counts."""

    __tablename__ = "month_approval"

    puskesmas_code: str = Field(foreign_key="puskesmas.code", primary_key=True, max_length=40)
    period: str = Field(primary_key=True, max_length=7)
    approved_by: int = Field(foreign_key="person.id")
    approved_at: datetime = Field(sa_type=UTCDateTime)


class ReviewEvent(SQLModel, table=True):
    """One step of supervision: who did what to which Posyandu's month, when, where, and why."""

    __tablename__ = "review_event"
    __table_args__ = (Index("ix_review_event_posyandu_period", "posyandu_code", "period", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    posyandu_code: str = Field(foreign_key="posyandu.code", max_length=40)
    period: str = Field(max_length=7)
    action: str = Field(max_length=12)
    person_id: int = Field(foreign_key="person.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    channel: str = Field(max_length=16)
    revision: int | None = None
    reason: str | None = None

"""The rekap's own tables: monthly summary snapshots and the district's reviews of them.

Kept apart from ``storage.models`` because only the rekap (and the
scheduler's ``summary_snapshot`` job, through ``storage.reminders.summaries``) uses
them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class SummarySnapshot(SQLModel, table=True):
    """One area's figures for one month as they stood at its kabupaten's reporting deadline.

    Reports can still arrive or be corrected afterwards; the live rekap shows
    them, while this row keeps what the district knew at the deadline (the
    figures monthly meetings and timeliness are judged on). ``figures`` is
    :class:`storage.rekap.figures.Figures` as JSON; ``as_of`` is the end of the
    deadline day; ``parent_code`` is the area one level up, for drill-down.
    """

    __tablename__ = "summary_snapshot"
    __table_args__ = (
        Index("ix_summary_snapshot_kabupaten_period", "kabupaten_code", "period"),
        Index("ix_summary_snapshot_parent", "period", "level", "parent_code"),
    )

    period: str = Field(primary_key=True, max_length=7)
    level: str = Field(primary_key=True, max_length=12)
    code: str = Field(primary_key=True, max_length=40)
    parent_code: str | None = Field(default=None, max_length=40)
    kabupaten_code: str = Field(foreign_key="kabupaten.code", max_length=40)
    name: str
    figures: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    as_of: datetime = Field(sa_type=UTCDateTime)
    computed_at: datetime = Field(sa_type=UTCDateTime)


class SummaryReview(SQLModel, table=True):
    """A district officer marked a kabupaten's month as reviewed (``tinjau``)."""

    __tablename__ = "summary_review"

    kabupaten_code: str = Field(foreign_key="kabupaten.code", primary_key=True, max_length=40)
    period: str = Field(primary_key=True, max_length=7)
    reviewed_by: int = Field(foreign_key="person.id")
    reviewed_at: datetime = Field(sa_type=UTCDateTime)

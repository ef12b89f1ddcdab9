"""The scheduler's own tables: per-kabupaten rule settings, occurrences already run, snapshots.

Kept apart from ``storage.models`` because only the scheduler (and the
``schedule`` command) uses them. Reminder state lives here rather than in
APScheduler's job store: a run record is written in the same transaction as
the outbox rows it produced, so a restart, a second scheduler or a manual
``jobs run`` can tell what is already done.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class ScheduleSetting(SQLModel, table=True):
    """One kabupaten's override of one rule's defaults; a None column keeps the default.

    ``days`` and ``months`` are comma-separated integers; what a day number
    means depends on the rule (see ``handlers.reminders.rules``).
    """

    __tablename__ = "schedule_setting"

    kabupaten_code: str = Field(foreign_key="kabupaten.code", primary_key=True, max_length=40)
    rule: str = Field(primary_key=True, max_length=32)
    enabled: bool = True
    days: str | None = Field(default=None, max_length=64)
    hour: int | None = None
    months: str | None = Field(default=None, max_length=64)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ScheduleRun(SQLModel, table=True):
    """An occurrence of a rule that has run for one kabupaten and one recipient time zone."""

    __tablename__ = "schedule_run"

    rule: str = Field(primary_key=True, max_length=32)
    occurrence: str = Field(primary_key=True, max_length=64)
    kabupaten_code: str = Field(foreign_key="kabupaten.code", primary_key=True, max_length=40)
    timezone: str = Field(primary_key=True, max_length=40)
    ran_at: datetime = Field(sa_type=UTCDateTime)
    messages: int = 0
    unreachable: int = 0


class SummaryRun(SQLModel, table=True):
    """A monthly summary snapshot taken for a kabupaten after its reporting deadline."""

    __tablename__ = "summary_run"

    kabupaten_code: str = Field(foreign_key="kabupaten.code", primary_key=True, max_length=40)
    period: str = Field(primary_key=True, max_length=7)
    ran_at: datetime = Field(sa_type=UTCDateTime)

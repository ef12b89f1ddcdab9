"""The meetings' tables: meetings, who is invited (and answered, and came), follow-up items.

A meeting has a short numeric id people type (``rapat 12``) and a check-in
code read out in the room (``hadir 4821``). ``series`` ties the meetings that
follow one another (the monthly lokmin of one Puskesmas; a workshop and its
mentoring visits), so the next one can show what the last one left open.
``source`` names what created a meeting automatically (the lokmin schedule),
so the scheduler creates each one once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

KINDS = (
    "lokmin_bulanan",
    "lokmin_tribulanan",
    "koordinasi",
    "workshop",
    "pendampingan",
    "evaluasi",
    "lainnya",
)
RSVP = ("hadir", "tidak", "wakil")
SCHEDULED = "scheduled"
CANCELLED = "cancelled"


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Meeting(SQLModel, table=True):
    """One meeting; times in UTC, shown in each reader's zone; ``timezone`` is the venue's."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    title: str = Field(max_length=120)
    organiser_id: int = Field(foreign_key="person.id", index=True)
    area_code: str = Field(max_length=40)
    kabupaten_code: str = Field(foreign_key="kabupaten.code", index=True)
    timezone: str = Field(max_length=40)
    starts_at: datetime = _utc(index=True)
    ends_at: datetime = _utc()
    place: str = Field(max_length=120)
    agenda: str | None = None
    series: str | None = Field(default=None, max_length=80, index=True)
    parent_id: int | None = Field(default=None, foreign_key="meeting.id")
    source: str | None = Field(default=None, max_length=80, unique=True)
    status: str = Field(default=SCHEDULED, max_length=12)
    code: str = Field(max_length=8)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class MeetingInvitee(SQLModel, table=True):
    """One person invited: their answer (``rsvp``: hadir, tidak, wakil), and their check-in.

    ``delegate`` names who comes instead (``wakil``); ``marked_by`` is the
    organiser who marked the person present (None: checked in with the code).
    """

    __tablename__ = "meeting_invitee"

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True)
    rsvp: str | None = Field(default=None, max_length=8)
    delegate: str | None = Field(default=None, max_length=80)
    answered_at: datetime | None = _utc(default=None)
    checked_in_at: datetime | None = _utc(default=None)
    marked_by: int | None = Field(default=None, foreign_key="person.id")


class ActionItem(SQLModel, table=True):
    """A follow-up item (rencana tindak lanjut) agreed in a meeting, with its owner and due date."""

    __tablename__ = "action_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    what: str = Field(max_length=200)
    owner_id: int = Field(foreign_key="person.id", index=True)
    due: date
    done_at: datetime | None = _utc(default=None)
    note: str | None = Field(default=None, max_length=200)
    created_at: datetime = _utc()


class MentoringAnswer(SQLModel, table=True):
    """The monitoring form of a mentoring visit, answered by one participant."""

    __tablename__ = "mentoring_answer"

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    answers: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    answered_at: datetime = _utc()

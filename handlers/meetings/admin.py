"""Meetings from the command line (``python -m bot meetings ...``), for Dinkes admins.

Each function opens its own transaction; the command line needs nothing of
the storage layer but the database. Errors are raised as
:class:`MeetingError` with a message for the admin (in English, like the
rest of the command line) and store nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from conversations import Attachment
from conversations.phone import normalize_phone
from handlers.meetings import invitations
from handlers.meetings.attendance import render, sheet
from storage import Database, people
from storage.meetings import store
from storage.meetings.models import KINDS
from storage.meetings.store import MeetingView, NewMeeting

GROUP_ROLES = ("bidan", "puskesmas", "dinkes", "mitra", "kader")


class MeetingError(ValueError):
    """What the admin asked for cannot be done; the message says why."""


@dataclass(frozen=True, slots=True)
class Created:
    meeting_id: int
    invited: int
    notes: list[str]


def create(
    database: Database,
    now: datetime,
    *,
    organiser_phone: str,
    kind: str,
    title: str,
    start: datetime,
    end: datetime,
    place: str,
    groups: Sequence[str],
    phones: Sequence[str],
    agenda: str | None = None,
) -> Created:
    """Create a meeting and queue its invitations, like ``rapat baru`` in chat."""
    if kind not in KINDS:
        raise MeetingError(f"unknown kind {kind!r}; one of: {', '.join(KINDS)}")
    if start <= now:
        raise MeetingError("the meeting starts in the past")
    if end <= start:
        raise MeetingError("the meeting ends before it starts")
    with database.transaction() as session:
        organiser = people.by_phone(session, normalize_phone(organiser_phone) or organiser_phone)
        if organiser is None:
            raise MeetingError(f"no active person with phone {organiser_phone!r}")
        invited: list[int] = []
        for group in groups:
            role, _, area = group.partition(":")
            if role not in GROUP_ROLES:
                raise MeetingError(f"unknown group {group!r}; ROLE or ROLE:PUSKESMAS_CODE")
            kabupaten = organiser.kabupaten_code
            if role == "kader":
                if not area:
                    raise MeetingError("kader invitations need a Puskesmas: kader:CODE")
                members = store.kader_per_posyandu(session, area)
            else:
                members = store.people(session, kabupaten, role, area or None)
            invited.extend(member.person_id for member in members)
        for phone in phones:
            person = people.by_phone(session, normalize_phone(phone) or phone)
            if person is None:
                raise MeetingError(f"no active person with phone {phone!r}")
            invited.append(person.person_id)
        if not invited:
            raise MeetingError("nobody is invited: give --invite or --person")
        new = NewMeeting(
            kind=kind,
            title=title,
            organiser_id=organiser.person_id,
            area_code=organiser.area_code or organiser.kabupaten_code,
            kabupaten_code=organiser.kabupaten_code,
            timezone=organiser.timezone,
            starts_at=start,
            ends_at=end,
            place=place,
            agenda=agenda,
            code=invitations.new_code(),
        )
        meeting_id = store.create(session, new, invited, now)
        replies = invitations.announce(session, meeting_id, now)
        count = len(store.invitees(session, meeting_id))
    return Created(meeting_id, count, [reply.text for reply in replies[1:]])


def upcoming(database: Database, now: datetime) -> list[tuple[MeetingView, dict[str | None, int]]]:
    """Every meeting not yet over, with its answer counts."""
    with database.transaction() as session:
        meetings = store.upcoming(session, now, limit=200)
        counts = store.counts(session, [meeting.id for meeting in meetings])
    return [(meeting, counts.get(meeting.id, {})) for meeting in meetings]


def show(database: Database, meeting_id: int) -> tuple[MeetingView, list[store.Invitee]]:
    with database.transaction() as session:
        meeting = store.get(session, meeting_id)
        if meeting is None:
            raise MeetingError(f"no meeting {meeting_id}")
        return meeting, store.invitees(session, meeting_id)


def attendance(database: Database, meeting_id: int, fmt: str) -> Attachment:
    """The attendance list of a meeting as CSV or Excel bytes."""
    with database.transaction() as session:
        meeting = store.get(session, meeting_id)
        if meeting is None:
            raise MeetingError(f"no meeting {meeting_id}")
        return render(sheet(session, meeting), fmt)


def when(meeting: MeetingView) -> str:
    return invitations.when(meeting)

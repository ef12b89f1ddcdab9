"""Meetings and their invitees: create, read, answer, check in, change, cancel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage import regions
from storage.meetings.models import CANCELLED, SCHEDULED, Meeting, MeetingInvitee, MentoringAnswer
from storage.models import ChannelIdentity, Desa, Kabupaten, Person, PersonPosyandu, Posyandu


@dataclass(frozen=True, slots=True)
class NewMeeting:
    """A meeting to create; times are aware datetimes."""

    kind: str
    title: str
    organiser_id: int
    area_code: str
    kabupaten_code: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    place: str
    agenda: str | None
    code: str
    series: str | None = None
    parent_id: int | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class MeetingView:
    """A stored meeting with its organiser's name."""

    id: int
    kind: str
    title: str
    organiser_id: int
    organiser: str
    area_code: str
    kabupaten_code: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    place: str
    agenda: str | None
    series: str | None
    parent_id: int | None
    status: str
    code: str

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    def running(self, now: datetime) -> bool:
        """Within the meeting window (check-in is open)."""
        return self.starts_at <= now <= self.ends_at


@dataclass(frozen=True, slots=True)
class Invitee:
    """One invited person as the organiser's lists and the attendance sheet show them."""

    person_id: int
    name: str
    role: str
    jabatan: str | None
    area_code: str | None
    area: str
    timezone: str
    rsvp: str | None
    delegate: str | None
    checked_in_at: datetime | None
    reachable: bool


def create(session: Session, new: NewMeeting, invitees: Sequence[int], now: datetime) -> int:
    """Store a meeting and its invitees; returns its id."""
    meeting = Meeting(
        kind=new.kind,
        title=new.title,
        organiser_id=new.organiser_id,
        area_code=new.area_code,
        kabupaten_code=new.kabupaten_code,
        timezone=new.timezone,
        starts_at=new.starts_at,
        ends_at=new.ends_at,
        place=new.place,
        agenda=new.agenda,
        series=new.series,
        parent_id=new.parent_id,
        source=new.source,
        code=new.code,
        created_at=now,
        updated_at=now,
    )
    session.add(meeting)
    session.flush()
    assert meeting.id is not None
    for person_id in dict.fromkeys(invitees):
        session.add(MeetingInvitee(meeting_id=meeting.id, person_id=person_id))
    session.flush()
    return meeting.id


def exists_from(session: Session, source: str) -> bool:
    """Whether a meeting was already created from ``source`` (the lokmin schedule)."""
    return session.exec(select(Meeting.id).where(Meeting.source == source)).first() is not None


_VIEW = (
    select(Meeting, Person.name)
    .join(Person, col(Person.id) == col(Meeting.organiser_id))
    .order_by(col(Meeting.starts_at), col(Meeting.id))
)


def _view(meeting: Meeting, organiser: str) -> MeetingView:
    assert meeting.id is not None
    return MeetingView(
        id=meeting.id,
        kind=meeting.kind,
        title=meeting.title,
        organiser_id=meeting.organiser_id,
        organiser=organiser,
        area_code=meeting.area_code,
        kabupaten_code=meeting.kabupaten_code,
        timezone=meeting.timezone,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=meeting.place,
        agenda=meeting.agenda,
        series=meeting.series,
        parent_id=meeting.parent_id,
        status=meeting.status,
        code=meeting.code,
    )


def get(session: Session, meeting_id: int) -> MeetingView | None:
    row = session.exec(_VIEW.where(col(Meeting.id) == meeting_id)).first()
    return _view(*row) if row is not None else None


def upcoming(
    session: Session, now: datetime, *, person_id: int | None = None, limit: int = 20
) -> list[MeetingView]:
    """Meetings not yet over, soonest first: all, or those a person organises or is invited to."""
    conditions = [col(Meeting.ends_at) >= now]
    if person_id is not None:
        conditions.append(_theirs(person_id))
    rows = session.exec(_VIEW.where(*conditions).limit(limit))
    return [_view(*row) for row in rows]


def past(
    session: Session, now: datetime, *, person_id: int | None = None, limit: int = 20
) -> list[MeetingView]:
    """Meetings already over, latest first: all, or a person's (as :func:`upcoming`)."""
    conditions = [col(Meeting.ends_at) < now]
    if person_id is not None:
        conditions.append(_theirs(person_id))
    statement = _VIEW.where(*conditions).order_by(None).order_by(col(Meeting.starts_at).desc())
    return [_view(*row) for row in session.exec(statement.limit(limit))]


def _theirs(person_id: int) -> ColumnElement[bool]:
    """Meetings the person organises or is invited to."""
    invited = select(MeetingInvitee.meeting_id).where(MeetingInvitee.person_id == person_id)
    return or_(col(Meeting.organiser_id) == person_id, col(Meeting.id).in_(invited))


def open_invitations(session: Session, person_id: int, now: datetime) -> list[MeetingView]:
    """Meetings this person is invited to that are scheduled and not over, soonest first."""
    invited = select(MeetingInvitee.meeting_id).where(MeetingInvitee.person_id == person_id)
    rows = session.exec(
        _VIEW.where(
            col(Meeting.id).in_(invited),
            col(Meeting.ends_at) >= now,
            Meeting.status == SCHEDULED,
        )
    )
    return [_view(*row) for row in rows]


def from_schedule(
    session: Session, kabupaten: str, after: datetime, before: datetime
) -> list[MeetingView]:
    """Meetings the schedule created (the lokmin) in a kabupaten, starting in [after, before)."""
    rows = session.exec(
        _VIEW.where(
            col(Meeting.kabupaten_code) == kabupaten,
            col(Meeting.source).is_not(None),
            col(Meeting.starts_at) >= after,
            col(Meeting.starts_at) < before,
        )
    )
    return [_view(*row) for row in rows]


def running_with_code(session: Session, code: str, now: datetime) -> int | None:
    """The id of a scheduled meeting running at ``now`` whose check-in code is ``code``."""
    statement = select(Meeting.id).where(
        Meeting.code == code,
        Meeting.status == SCHEDULED,
        col(Meeting.starts_at) <= now,
        col(Meeting.ends_at) >= now,
    )
    return session.exec(statement).first()


def in_series(session: Session, series: str, before: datetime) -> MeetingView | None:
    """The latest meeting of ``series`` that started before ``before`` (not cancelled)."""
    row = session.exec(
        _VIEW.where(
            Meeting.series == series,
            col(Meeting.starts_at) < before,
            Meeting.status == SCHEDULED,
        )
        .order_by(None)
        .order_by(col(Meeting.starts_at).desc())
    ).first()
    return _view(*row) if row is not None else None


def invitees(session: Session, meeting_id: int) -> list[Invitee]:
    """Everyone invited, by name, with their answer, check-in and reachability."""
    reachable = exists().where(
        col(ChannelIdentity.person_id) == col(Person.id),
        col(ChannelIdentity.unreachable_at).is_(None),
    )
    statement = (
        select_columns(
            col(Person.id),
            col(Person.name),
            col(Person.role),
            col(Person.jabatan),
            col(Person.area_code),
            func.coalesce(col(Person.timezone), col(Kabupaten.timezone)),
            col(MeetingInvitee.rsvp),
            col(MeetingInvitee.delegate),
            col(MeetingInvitee.checked_in_at),
            reachable,
        )
        .join(Person, col(Person.id) == col(MeetingInvitee.person_id))
        .join(Kabupaten, col(Kabupaten.code) == col(Person.kabupaten_code))
        .where(col(MeetingInvitee.meeting_id) == meeting_id)
        .order_by(col(Person.name), col(Person.id))
    )
    names: dict[tuple[str, str | None], str] = {}
    found = []
    for row in session.execute(statement):
        pid, name, role, jabatan, area, zone, rsvp, delegate, checked_in, can_reach = row
        if (role, area) not in names:
            names[role, area] = regions.area_name(session, role, area) or ""
        found.append(
            Invitee(
                pid,
                name,
                role,
                jabatan,
                area,
                names[role, area],
                zone,
                rsvp,
                delegate,
                checked_in,
                bool(can_reach),
            )
        )
    return found


def invitation(session: Session, meeting_id: int, person_id: int) -> MeetingInvitee | None:
    return session.get(MeetingInvitee, (meeting_id, person_id))


def answer(
    session: Session,
    meeting_id: int,
    person_id: int,
    rsvp: str,
    delegate: str | None,
    now: datetime,
) -> None:
    """Record an invitee's answer (a later answer replaces an earlier one)."""
    row = session.get(MeetingInvitee, (meeting_id, person_id))
    assert row is not None
    row.rsvp = rsvp
    row.delegate = delegate
    row.answered_at = now
    session.add(row)


def check_in(
    session: Session, meeting_id: int, person_id: int, now: datetime, marked_by: int | None
) -> bool:
    """Mark an invitee present; False if they already were (the first check-in stays)."""
    row = session.get(MeetingInvitee, (meeting_id, person_id))
    assert row is not None
    if row.checked_in_at is not None:
        return False
    row.checked_in_at = now
    row.marked_by = marked_by
    session.add(row)
    return True


def change(
    session: Session,
    meeting_id: int,
    now: datetime,
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    place: str | None = None,
    cancel: bool = False,
) -> None:
    """Move, relocate or cancel a meeting."""
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    if starts_at is not None and ends_at is not None:
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
    if place is not None:
        meeting.place = place
    if cancel:
        meeting.status = CANCELLED
    meeting.updated_at = now
    session.add(meeting)


def counts(session: Session, meeting_ids: Sequence[int]) -> dict[int, dict[str | None, int]]:
    """Per meeting: how many invitees answered hadir, tidak, wakil, or not yet (None)."""
    statement = (
        select(MeetingInvitee.meeting_id, MeetingInvitee.rsvp, func.count())
        .where(col(MeetingInvitee.meeting_id).in_(list(meeting_ids)))
        .group_by(col(MeetingInvitee.meeting_id), col(MeetingInvitee.rsvp))
    )
    found: dict[int, dict[str | None, int]] = {}
    for meeting_id, rsvp, number in session.exec(statement):
        found.setdefault(meeting_id, {})[rsvp] = number
    return found


# --- who may be invited ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    person_id: int
    name: str


def people(
    session: Session, kabupaten: str, role: str, puskesmas: str | None = None
) -> list[Member]:
    """Active people of a role in a kabupaten, or in one Puskesmas area, by name.

    A bidan belongs to the Puskesmas of her desa; Puskesmas staff and mitra to
    their Puskesmas; a kader to the Puskesmas of their Posyandu.
    """
    conditions: list[ColumnElement[bool]] = [
        col(Person.active).is_(True),
        col(Person.role) == role,
        col(Person.kabupaten_code) == kabupaten,
    ]
    if puskesmas is not None:
        if role == "bidan":
            desa = select(Desa.code).where(Desa.puskesmas_code == puskesmas)
            conditions.append(col(Person.area_code).in_(desa))
        elif role == "kader":
            posyandu = select(Posyandu.code).where(Posyandu.puskesmas_code == puskesmas)
            conditions.append(col(Person.area_code).in_(posyandu))
        else:
            conditions.append(col(Person.area_code) == puskesmas)
    statement = (
        select_columns(col(Person.id), col(Person.name))
        .where(*conditions)
        .order_by(col(Person.name), col(Person.id))
    )
    return [Member(pid, name) for pid, name in session.execute(statement)]


def kader_per_posyandu(session: Session, puskesmas: str) -> list[Member]:
    """One kader for each active Posyandu of a Puskesmas (the first on the roster), by name."""
    first = (
        select(PersonPosyandu.posyandu_code, func.min(PersonPosyandu.person_id).label("pid"))
        .join(Person, col(Person.id) == col(PersonPosyandu.person_id))
        .join(Posyandu, col(Posyandu.code) == col(PersonPosyandu.posyandu_code))
        .where(
            Person.role == "kader",
            Person.active,
            Posyandu.active,
            Posyandu.puskesmas_code == puskesmas,
        )
        .group_by(col(PersonPosyandu.posyandu_code))
        .subquery()
    )
    statement = (
        select_columns(col(Person.id), col(Person.name))
        .where(col(Person.id).in_(select(first.c.pid)))
        .order_by(col(Person.name), col(Person.id))
    )
    return [Member(pid, name) for pid, name in session.execute(statement)]


def everyone(session: Session, kabupaten: str) -> list[Member]:
    """Every active person of a kabupaten, who may be invited by name."""
    statement = (
        select_columns(col(Person.id), col(Person.name))
        .where(col(Person.active), col(Person.kabupaten_code) == kabupaten)
        .order_by(col(Person.name), col(Person.id))
    )
    return [Member(pid, name) for pid, name in session.execute(statement)]


# --- mentoring visits ----------------------------------------------------------------------


def visits(session: Session, workshop_id: int) -> list[MeetingView]:
    """The mentoring visits scheduled after a workshop, by start."""
    return [_view(*row) for row in session.exec(_VIEW.where(col(Meeting.parent_id) == workshop_id))]


def save_answers(
    session: Session, meeting_id: int, person_id: int, answers: dict[str, Any], now: datetime
) -> None:
    """Store (or replace) one participant's monitoring answers of a visit."""
    row = session.get(MentoringAnswer, (meeting_id, person_id))
    if row is None:
        row = MentoringAnswer(
            meeting_id=meeting_id, person_id=person_id, answers=answers, answered_at=now
        )
    else:
        row.answers = answers
        row.answered_at = now
    session.add(row)


def answers_of(
    session: Session, meeting_ids: Sequence[int]
) -> list[tuple[int, str, dict[str, Any]]]:
    """(visit, who answered, answers) of the visits' monitoring forms, by visit and name."""
    statement = (
        select_columns(
            col(MentoringAnswer.meeting_id), col(Person.name), col(MentoringAnswer.answers)
        )
        .join(Person, col(Person.id) == col(MentoringAnswer.person_id))
        .where(col(MentoringAnswer.meeting_id).in_(list(meeting_ids)))
        .order_by(col(MentoringAnswer.meeting_id), col(Person.name))
    )
    return [(meeting, name, answers) for meeting, name, answers in session.execute(statement)]

"""Who a meeting reminder or a follow-up reminder goes to, one kabupaten and clock at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from storage.meetings.models import SCHEDULED, ActionItem, Meeting, MeetingInvitee
from storage.models import Person
from storage.reminders.recipients import Reach, Recipient, Zone, reachable


@dataclass(frozen=True, slots=True)
class Invited:
    """An invitee who did not decline a meeting starting soon."""

    person: Recipient
    meeting_id: int
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    timezone: str


@dataclass(frozen=True, slots=True)
class Owned:
    """The owner of an open follow-up item."""

    person: Recipient
    item_id: int
    what: str
    due: date


def invitees_of_meetings_starting(
    session: Session,
    kabupaten: str,
    zone: Zone,
    reach: Reach,
    after: datetime,
    before: datetime,
) -> list[Invited]:
    """Invitees on this clock of scheduled meetings starting in (after, before], not declined.

    No answer counts as not declined.
    """
    statement = (
        select_columns(
            col(Person.id),
            col(Person.name),
            col(Person.role),
            col(Person.phone),
            reachable(reach),
            col(Meeting.id),
            col(Meeting.title),
            col(Meeting.place),
            col(Meeting.starts_at),
            col(Meeting.ends_at),
            col(Meeting.timezone),
        )
        .join(MeetingInvitee, col(MeetingInvitee.meeting_id) == col(Meeting.id))
        .join(Person, col(Person.id) == col(MeetingInvitee.person_id))
        .where(
            col(Meeting.status) == SCHEDULED,
            col(Meeting.starts_at) > after,
            col(Meeting.starts_at) <= before,
            col(Person.kabupaten_code) == kabupaten,
            col(Person.active).is_(True),
            or_(col(MeetingInvitee.rsvp).is_(None), col(MeetingInvitee.rsvp) != "tidak"),
            zone.condition(),
        )
        .order_by(col(Meeting.id), col(Person.id))
    )
    return [
        Invited(Recipient(pid, name, role, phone, bool(ok)), *meeting)
        for pid, name, role, phone, ok, *meeting in session.execute(statement)
    ]


def owners_of_items_due(
    session: Session, kabupaten: str, zone: Zone, reach: Reach, days: Sequence[date]
) -> list[Owned]:
    """Owners on this clock of open follow-up items due on one of ``days``."""
    statement = (
        select_columns(
            col(Person.id),
            col(Person.name),
            col(Person.role),
            col(Person.phone),
            reachable(reach),
            col(ActionItem.id),
            col(ActionItem.what),
            col(ActionItem.due),
        )
        .join(Person, col(Person.id) == col(ActionItem.owner_id))
        .where(
            col(ActionItem.done_at).is_(None),
            col(ActionItem.due).in_(list(days)),
            col(Person.kabupaten_code) == kabupaten,
            col(Person.active).is_(True),
            zone.condition(),
        )
        .order_by(col(ActionItem.id))
    )
    return [
        Owned(Recipient(pid, name, role, phone, bool(ok)), item, what, due)
        for pid, name, role, phone, ok, item, what, due in session.execute(statement)
    ]

"""Follow-up items (rencana tindak lanjut): added by the organiser, closed by their owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.meetings.models import ActionItem, Meeting
from storage.models import Person


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    meeting_id: int
    meeting_title: str
    organiser_id: int
    what: str
    owner_id: int
    owner: str
    due: date
    done_at: datetime | None
    note: str | None


def add(
    session: Session, meeting_id: int, what: str, owner_id: int, due: date, now: datetime
) -> int:
    item = ActionItem(meeting_id=meeting_id, what=what, owner_id=owner_id, due=due, created_at=now)
    session.add(item)
    session.flush()
    assert item.id is not None
    return item.id


def items(
    session: Session,
    *,
    meeting_id: int | None = None,
    item_id: int | None = None,
    owner_id: int | None = None,
    area_codes: list[str] | None = None,
    kabupaten: str | None = None,
    open_only: bool = False,
    due_on: list[date] | None = None,
) -> list[Item]:
    """Follow-up items, by due date, filtered as asked."""
    statement = (
        select(ActionItem, Meeting.title, Meeting.organiser_id, Person.name)
        .join(Meeting, col(Meeting.id) == col(ActionItem.meeting_id))
        .join(Person, col(Person.id) == col(ActionItem.owner_id))
        .order_by(col(ActionItem.due), col(ActionItem.id))
    )
    if meeting_id is not None:
        statement = statement.where(ActionItem.meeting_id == meeting_id)
    if item_id is not None:
        statement = statement.where(ActionItem.id == item_id)
    if owner_id is not None:
        statement = statement.where(ActionItem.owner_id == owner_id)
    if area_codes is not None:
        statement = statement.where(col(Meeting.area_code).in_(area_codes))
    if kabupaten is not None:
        statement = statement.where(Meeting.kabupaten_code == kabupaten)
    if open_only:
        statement = statement.where(col(ActionItem.done_at).is_(None))
    if due_on is not None:
        statement = statement.where(col(ActionItem.due).in_(due_on))
    found = []
    for item, title, organiser, owner in session.exec(statement):
        assert item.id is not None
        found.append(
            Item(
                item.id,
                item.meeting_id,
                title,
                organiser,
                item.what,
                item.owner_id,
                owner,
                item.due,
                item.done_at,
                item.note,
            )
        )
    return found


def finish(session: Session, item_id: int, note: str | None, now: datetime) -> None:
    item = session.get(ActionItem, item_id)
    assert item is not None
    item.done_at = now
    item.note = note
    session.add(item)

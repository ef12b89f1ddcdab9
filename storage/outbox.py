"""Proactive messages (alerts, reminders) wait here until a dispatcher sends them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from storage.models import Outbox
from storage.sql import InsertIgnore

_INSERT = InsertIgnore(Outbox.__table__, ("key",))


def enqueue(
    session: Session,
    key: str,
    person_id: int,
    rule: str,
    payload: dict[str, Any],
    now: datetime,
) -> bool:
    """Queue one message; the unique ``key`` makes a second enqueue of it a no-op."""
    values = {
        "key": key,
        "person_id": person_id,
        "rule": rule,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    return _INSERT(session, values)


def pending(session: Session, limit: int = 100) -> list[Outbox]:
    """Oldest pending messages first."""
    statement = select(Outbox).where(Outbox.status == "pending").order_by(Outbox.id).limit(limit)
    return list(session.exec(statement))

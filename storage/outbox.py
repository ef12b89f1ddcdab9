"""Proactive messages (alerts, reminders) wait here until a dispatcher sends them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

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
    *,
    not_before: datetime | None = None,
    send_before: datetime | None = None,
) -> bool:
    """Queue one message; the unique ``key`` makes a second enqueue of it a no-op.

    ``not_before`` holds it back (until the recipient's working hours begin);
    ``send_before`` ends its useful life.
    """
    values = {
        "key": key,
        "person_id": person_id,
        "rule": rule,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": not_before or now,
        "created_at": now,
        "send_before": send_before,
    }
    return _INSERT(session, values)


@dataclass(frozen=True, slots=True)
class Queued:
    """One reminder for :func:`enqueue_many`; ``send_before`` ends its useful life."""

    key: str
    person_id: int
    rule: str
    text: str
    send_before: datetime | None


def enqueue_many(session: Session, messages: Sequence[Queued], now: datetime) -> set[str]:
    """Queue many messages at once; returns the keys that were new (the rest were queued before).

    Rows go in key order, so two schedulers queueing the same occurrence at
    once wait on each other's rows in the same order and never deadlock.
    """
    rows = [
        {
            "key": message.key,
            "person_id": message.person_id,
            "rule": message.rule,
            "payload": {"text": message.text},
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "send_before": message.send_before,
        }
        for message in sorted(messages, key=lambda message: message.key)
    ]
    return _INSERT.many(session, rows)


def pending(session: Session, limit: int = 100) -> list[Outbox]:
    """Oldest pending messages first."""
    statement = (
        select(Outbox).where(Outbox.status == "pending").order_by(col(Outbox.id)).limit(limit)
    )
    return list(session.exec(statement))

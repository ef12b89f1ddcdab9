"""The bidan's "report came in" notices: one message at once, then at most one digest an hour.

A notice waits in the outbox like any proactive message. While one for the
same person is still waiting (not yet taken by a dispatcher), a new report
is added to it instead of queueing another; once one has gone out, the next
waits until an hour after it, gathering whatever arrives meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from storage.models import Outbox

DIGEST_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Waiting:
    """A notice not yet taken for sending: its row and what it lists so far."""

    id: int
    items: list[dict[str, Any]]


def waiting_notice(session: Session, person_id: int, rule: str, now: datetime) -> Waiting | None:
    """The person's notice of this rule still waiting, if any."""
    statement = (
        select(Outbox.id, Outbox.payload)
        .where(
            Outbox.person_id == person_id,
            Outbox.rule == rule,
            Outbox.status == "pending",
            or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) < now),
        )
        .order_by(col(Outbox.id).desc())
        .limit(1)
    )
    row = session.exec(statement).first()
    if row is None or row[0] is None:
        return None
    return Waiting(row[0], list(row[1].get("items", [])))


def rewrite(session: Session, notice: Waiting, payload: dict[str, Any], now: datetime) -> bool:
    """Replace a waiting notice's content; False when a dispatcher took it meanwhile."""
    statement = (
        update(Outbox)
        .where(
            col(Outbox.id) == notice.id,
            col(Outbox.status) == "pending",
            or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) < now),
        )
        .values(payload=payload)
    )
    return bool(session.connection().execute(statement).rowcount)


def queue(
    session: Session, key: str, person_id: int, rule: str, payload: dict[str, Any], now: datetime
) -> None:
    """A new notice: at once, or an hour after the last one of this rule to this person was due."""
    last = session.exec(
        select(func.max(Outbox.next_attempt_at)).where(
            Outbox.person_id == person_id, Outbox.rule == rule
        )
    ).one()
    due = now if last is None or now - last >= DIGEST_WINDOW else last + DIGEST_WINDOW
    session.add(
        Outbox(
            key=key,
            person_id=person_id,
            rule=rule,
            payload=payload,
            next_attempt_at=due,
            created_at=now,
        )
    )
    session.flush()

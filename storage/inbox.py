"""Inbound message ids: the record that makes every delivery count once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.models import ProcessedMessage
from storage.sql import InsertIgnore

_INSERT = InsertIgnore(ProcessedMessage.__table__, ("channel", "external_id"))


def mark_processed(
    session: Session, channel: str, message_id: str, person_id: int | None, now: datetime
) -> bool:
    """Record the message as handled; False if it was handled before (a redelivery)."""
    values = {
        "channel": channel,
        "external_id": message_id,
        "person_id": person_id,
        "processed_at": now,
    }
    return _INSERT(session, values)

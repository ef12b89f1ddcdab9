"""The WhatsApp adapter's own tables: the inbound inbox and the record of sent messages.

Kept apart from ``storage.models`` because only the WhatsApp channel uses them.
The inbox exists because Meta wants a fast 200 and re-delivers for days when it
does not get one: a message is stored before the acknowledgement and processed
afterwards, so a crash between the two loses nothing. The message record maps
the ids WhatsApp gives our sends (``wamid``) to outbox rows, so the delivery
statuses Meta reports later can be attributed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

INBOX_PENDING = "pending"
INBOX_HANDLED = "handled"
INBOX_DONE = "done"
INBOX_FAILED = "failed"
INBOX_OPEN = (INBOX_PENDING, INBOX_HANDLED)
INBOX_FINISHED = (INBOX_DONE, INBOX_FAILED)


class WhatsAppInbox(SQLModel, table=True):
    """One inbound WhatsApp message, stored before the webhook is acknowledged.

    ``status`` moves ``pending`` (stored) -> ``handled`` (the core has run and
    ``replies`` holds its answer) -> ``done`` (every reply sent), or to
    ``failed``. ``lease_until`` keeps two workers from taking the same row;
    ``sent_count`` lets a retry continue after the replies already delivered.
    ``payload`` is the message exactly as Meta sent it (with its contact), so
    a retry parses the same input the first attempt saw.
    """

    __tablename__ = "whatsapp_inbox"
    __table_args__ = (Index("ix_whatsapp_inbox_sender_status", "sender", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True, max_length=128)
    sender: str = Field(max_length=64)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default=INBOX_PENDING, max_length=12, index=True)
    attempts: int = 0
    stored_at: datetime = Field(sa_type=UTCDateTime)
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    replies: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    sent_count: int = 0
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = Field(default=None, max_length=200)


class WhatsAppMessage(SQLModel, table=True):
    """A message WhatsApp accepted from us, by its ``wamid``, with its latest delivery status.

    ``outbox_id`` links proactive messages to the outbox row they came from.
    ``fallback_text`` is what the approved template would carry if Meta later
    reports the free-form message as outside the 24-hour window (131047); it
    is cleared as soon as the message is delivered, read or finally failed.
    """

    __tablename__ = "whatsapp_message"

    wamid: str = Field(primary_key=True, max_length=128)
    recipient: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id", index=True)
    status: str = Field(default="accepted", max_length=12)
    error_code: int | None = None
    fallback_text: str | None = Field(default=None, sa_column=Column(Text))
    sent_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)

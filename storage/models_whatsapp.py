"""The WhatsApp adapter's own table: the record of sent messages.

Kept apart from ``storage.models`` because only the WhatsApp channel uses it.
It maps the ids WhatsApp gives our sends (``wamid``) to outbox rows, so the
delivery statuses Meta reports later can be attributed. (Inbound messages go
to the inbox every channel shares, ``storage.models.Inbox``.)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


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

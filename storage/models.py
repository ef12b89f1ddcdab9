"""Every table of the bot. Nothing outside ``storage`` writes SQL.

Regions follow the Kemendagri hierarchy (provinsi > kabupaten > kecamatan >
desa) plus the Puskesmas that serves each desa. A Posyandu carries the codes
of every level above it, so summaries group by any level without joins.
Reports are append-only revisions: a correction adds a row and moves the
``is_latest`` flag; nothing is overwritten.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from conversations.periods import DEFAULT_DEADLINE_DAY
from conversations.zones import DEFAULT_TIMEZONE
from storage.types import UTCDateTime

ROLES = ("kader", "bidan", "puskesmas", "dinkes", "admin", "mitra")
CHANNELS = ("console", "telegram", "whatsapp")


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Provinsi(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=40)
    name: str


class Kabupaten(SQLModel, table=True):
    """A district; its health office sets the reporting deadline and time zone."""

    code: str = Field(primary_key=True, max_length=40)
    name: str
    provinsi_code: str = Field(foreign_key="provinsi.code", index=True)
    timezone: str = Field(default=DEFAULT_TIMEZONE)
    deadline_day: int = Field(default=DEFAULT_DEADLINE_DAY)


class Kecamatan(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=40)
    name: str
    kabupaten_code: str = Field(foreign_key="kabupaten.code", index=True)


class Puskesmas(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=40)
    name: str
    kecamatan_code: str = Field(foreign_key="kecamatan.code", index=True)
    kabupaten_code: str = Field(foreign_key="kabupaten.code", index=True)
    lokmin_day: int = Field(default=3)


class Desa(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=40)
    name: str
    kecamatan_code: str = Field(foreign_key="kecamatan.code", index=True)
    puskesmas_code: str = Field(foreign_key="puskesmas.code", index=True)


class Posyandu(SQLModel, table=True):
    """A monthly health post. Codes of every level above are copied for set-based summaries."""

    code: str = Field(primary_key=True, max_length=40)
    name: str
    desa_code: str = Field(foreign_key="desa.code", index=True)
    puskesmas_code: str = Field(foreign_key="puskesmas.code", index=True)
    kecamatan_code: str = Field(foreign_key="kecamatan.code")
    kabupaten_code: str = Field(foreign_key="kabupaten.code", index=True)
    provinsi_code: str = Field(foreign_key="provinsi.code", index=True)
    posyandu_day: int | None = None
    target_balita: int | None = None
    target_bumil: int | None = None
    active: bool = True


class Person(SQLModel, table=True):
    """Someone on the roster. ``area_code`` is the code of the level their role covers.

    ``jabatan`` is a cross-sector partner's office (camat, kepala desa, ketua TP PKK):
    a ``mitra`` is invited to meetings and answers them, nothing else.
    """

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(unique=True, max_length=16)
    name: str
    role: str = Field(max_length=12)
    area_code: str | None = Field(default=None, index=True)
    kabupaten_code: str = Field(foreign_key="kabupaten.code", index=True)
    timezone: str | None = None
    jabatan: str | None = Field(default=None, max_length=60)
    active: bool = True
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class PersonPosyandu(SQLModel, table=True):
    """Which Posyandu a kader (or a bidan) reports for."""

    __tablename__ = "person_posyandu"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    posyandu_code: str = Field(foreign_key="posyandu.code", primary_key=True, index=True)


class ChannelIdentity(SQLModel, table=True):
    """A chat account linked to a person; one person may have Telegram and WhatsApp."""

    __tablename__ = "channel_identity"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        # Reminder fan-out asks "is this person reachable on that channel" per recipient.
        Index("ix_channel_identity_person_channel", "person_id", "channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=64)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = _utc()
    last_inbound_at: datetime | None = _utc(default=None)
    unreachable_at: datetime | None = _utc(default=None)


class Conversation(SQLModel, table=True):
    """A person's conversations: JSON state with an optimistic-lock version.

    At most one is open (``paused_at`` is None) and receives the person's
    answers; the others are drafts put aside to file another form first
    (a home visit that cannot wait for the monthly report), one per form.
    """

    __table_args__ = (
        Index(
            "ux_conversation_open",
            "person_id",
            unique=True,
            sqlite_where=text("paused_at IS NULL"),
            postgresql_where=text("paused_at IS NULL"),
        ),
    )

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    form: str = Field(max_length=24, primary_key=True)
    state: str = Field(sa_column=Column(Text, nullable=False))
    version: int = 1
    updated_at: datetime = _utc()
    expires_at: datetime = _utc(index=True)
    paused_at: datetime | None = _utc(default=None)


class Inbox(SQLModel, table=True):
    """Every inbound update of every channel, stored before the platform is acknowledged.

    One row per platform message (unique per channel and external id, so a
    redelivery adds nothing). ``user_id`` and ``channel`` name the person's
    lane: a lane's rows are handled one at a time, oldest ``sort_key`` (the
    platform's own order: Telegram's ``update_id``, WhatsApp's ``timestamp``)
    first. ``status`` moves ``pending`` -> ``answered`` (the core ran, its
    effects and its replies are committed) -> ``done`` (every reply sent), or
    to ``failed``. Whoever holds ``lease_until`` works the lane; a dead holder's
    lease runs out within seconds.
    """

    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        Index("ix_inbox_lane", "channel", "user_id", "status"),
        Index("ix_inbox_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    external_id: str = Field(max_length=128)
    user_id: str = Field(max_length=64)
    sort_key: int = Field(default=0, sa_type=BigInteger)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=12)
    attempts: int = 0
    received_at: datetime = _utc()
    next_attempt_at: datetime = _utc()
    lease_until: datetime | None = _utc(default=None)
    finished_at: datetime | None = _utc(default=None)
    error: str | None = Field(default=None, max_length=200)


class Report(SQLModel, table=True):
    """One revision of a report of any kind (monthly, home visit, outreach).

    ``report_key`` identifies the report across revisions (for the monthly
    report: Posyandu and month). ``data`` holds every answer; the columns are
    what every summary filters on.
    """

    __table_args__ = (
        UniqueConstraint("report_key", "revision"),
        Index(
            "ix_report_latest_key",
            "report_key",
            unique=True,
            sqlite_where=text("is_latest"),
            postgresql_where=text("is_latest"),
        ),
        Index("ix_report_kind_period_posyandu", "kind", "period", "posyandu_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    report_key: str = Field(max_length=64)
    revision: int = 1
    is_latest: bool = True
    posyandu_code: str = Field(foreign_key="posyandu.code", index=True)
    period: str = Field(max_length=7)
    event_date: date | None = None
    held: bool | None = None
    # JSONB on PostgreSQL: the rekap reads a dozen keys of every report, and plain JSON is
    # re-parsed for each key (20x slower on a national month of 300,000 reports).
    data: dict[str, Any] = Field(
        sa_column=Column(JSON().with_variant(JSONB(), "postgresql"), nullable=False)
    )
    submitted_by: int = Field(foreign_key="person.id")
    submitted_at: datetime = _utc()
    channel: str = Field(max_length=16)
    message_id: str | None = Field(default=None, max_length=128)


class Outbox(SQLModel, table=True):
    """A message waiting to be sent: a proactive one (alert, reminder) or a conversation's reply.

    ``key`` makes enqueueing idempotent. Proactive rows name a ``person_id``
    and the dispatcher picks the channel that reaches them; it takes rows
    under a lease (``claimed_by`` until ``claimed_until``) so several can
    share the table and a crashed one's rows become claimable again.
    ``send_before`` is when a reminder stops being worth sending (the end of
    the recipient's working day); alerts have none.

    Replies name the inbox row they answer (``inbox_id``), the ``channel``
    and the ``address`` (the chat that wrote, registered or not), and the
    question they ask (``question_id``), so an answer typed before a lost
    question was delivered is never applied to it. A row is ``sending`` from
    the commit before the platform call until the commit after it.
    """

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at", "id"),
        Index("ix_outbox_inbox", "inbox_id"),
        # "Did a question reach this chat after the person wrote?", asked per message.
        Index("ix_outbox_address", "address", "channel", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    rule: str = Field(max_length=32)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=12, index=True)
    attempts: int = 0
    next_attempt_at: datetime = _utc()
    created_at: datetime = _utc()
    sent_at: datetime | None = _utc(default=None)
    channel: str | None = Field(default=None, max_length=16)
    error: str | None = None
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = _utc(default=None)
    send_before: datetime | None = _utc(default=None)
    inbox_id: int | None = None
    address: str | None = Field(default=None, max_length=64)
    question_id: str | None = Field(default=None, max_length=32)

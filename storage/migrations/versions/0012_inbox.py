"""One inbox for every channel; replies as outbox rows

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29

The ``inbox`` table replaces ``processed_message`` (the core's record of
handled message ids) and ``whatsapp_inbox`` (the WhatsApp channel's own
inbox). Handled ids are copied as ``done`` rows, so a redelivery right after
the upgrade is still recognised. A WhatsApp message the old inbox had not
finished is copied as ``failed`` with a note: its stored payload is in the
old channel's format, so it shows in ``python -m bot inbox failed`` for an
operator to follow up instead of vanishing (stop the bot and let it drain
before upgrading, and there are none).

The outbox gains the columns a reply needs: the inbox row it answers, the
chat it goes to (which may belong to nobody on the roster, so ``person_id``
becomes optional) and the question it asks.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LEFT_OVER = "tertinggal saat pembaruan ke kotak masuk bersama"


def upgrade() -> None:
    inbox = op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sort_key", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_until", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "external_id"),
    )
    op.create_index("ix_inbox_lane", "inbox", ["channel", "user_id", "status"], unique=False)
    op.create_index("ix_inbox_due", "inbox", ["status", "next_attempt_at"], unique=False)

    connection = op.get_bind()
    processed = connection.execute(
        sa.select(_table("processed_message", "channel", "external_id", at="processed_at"))
    ).all()
    old = connection.execute(
        sa.select(
            _table("whatsapp_inbox", "message_id", "sender", "payload", "status", at="stored_at")
        )
    ).all()
    seen = {(channel, external) for channel, external, _at in processed}
    rows = [
        _row(channel, external, "", {}, "done", at, None) for channel, external, at in processed
    ]
    for message_id, sender, payload, status, stored_at in old:
        if ("whatsapp", message_id) in seen:
            continue
        finished = status in ("done", "failed")
        rows.append(
            _row(
                "whatsapp",
                message_id,
                sender,
                {"legacy": payload},
                "done" if status == "done" else "failed",
                stored_at,
                None if finished else _LEFT_OVER,
            )
        )
    if rows:
        op.bulk_insert(inbox, rows)

    op.drop_table("processed_message")
    with op.batch_alter_table("whatsapp_inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_whatsapp_inbox_sender_status")
        batch_op.drop_index(batch_op.f("ix_whatsapp_inbox_status"))
    op.drop_table("whatsapp_inbox")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("inbox_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("question_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.create_index("ix_outbox_inbox", ["inbox_id"], unique=False)


def _table(name: str, *columns: str, at: str) -> sa.TableClause:
    """A lightweight table whose time column reads back as an aware datetime."""
    typed = [sa.column(c, sa.JSON()) if c == "payload" else sa.column(c) for c in columns]
    return sa.table(name, *typed, sa.column(at, storage.types.UTCDateTime()))


def _row(
    channel: str,
    external_id: str,
    user_id: str,
    payload: object,
    status: str,
    at: object,
    error: str | None,
) -> dict[str, object]:
    return {
        "channel": channel,
        "external_id": external_id,
        "user_id": user_id,
        "sort_key": 0,
        "payload": payload,
        "status": status,
        "attempts": 0,
        "received_at": at,
        "next_attempt_at": at,
        "finished_at": at,
        "error": error,
    }


def downgrade() -> None:
    """Back to the two tables: handled ids return to ``processed_message``; replies are dropped."""
    op.execute("DELETE FROM outbox WHERE person_id IS NULL")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_inbox")
        batch_op.drop_column("question_id")
        batch_op.drop_column("address")
        batch_op.drop_column("inbox_id")
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
    op.create_table(
        "whatsapp_inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("stored_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_until", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("replies", sa.JSON(), nullable=True),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("finished_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("whatsapp_inbox", schema=None) as batch_op:
        batch_op.create_index("ix_whatsapp_inbox_sender_status", ["sender", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_whatsapp_inbox_status"), ["status"], unique=False)
    processed = op.create_table(
        "processed_message",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("processed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("channel", "external_id"),
    )
    done = _table("inbox", "channel", "external_id", "status", at="finished_at")
    handled = op.get_bind().execute(
        sa.select(done.c.channel, done.c.external_id, done.c.finished_at).where(
            done.c.status == "done"
        )
    )
    rows = [
        {"channel": channel, "external_id": external, "person_id": None, "processed_at": at}
        for channel, external, at in handled
    ]
    if rows:
        op.bulk_insert(processed, rows)
    op.drop_index("ix_inbox_due", table_name="inbox")
    op.drop_index("ix_inbox_lane", table_name="inbox")
    op.drop_table("inbox")

"""WhatsApp channel: the persist-first inbox and the record of sent messages

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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

    op.create_table(
        "whatsapp_message",
        sa.Column("wamid", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("fallback_text", sa.Text(), nullable=True),
        sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
        ),
        sa.PrimaryKeyConstraint("wamid"),
    )
    with op.batch_alter_table("whatsapp_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_whatsapp_message_outbox_id"), ["outbox_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("whatsapp_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_whatsapp_message_outbox_id"))

    op.drop_table("whatsapp_message")
    with op.batch_alter_table("whatsapp_inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_whatsapp_inbox_status"))
        batch_op.drop_index("ix_whatsapp_inbox_sender_status")

    op.drop_table("whatsapp_inbox")

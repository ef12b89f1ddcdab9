"""Scheduler: outbox leases and expiry, reachability index, rule settings, run records, snapshots

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("claimed_until", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("send_before", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_outbox_due", ["status", "next_attempt_at", "id"], unique=False)

    with op.batch_alter_table("channel_identity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_channel_identity_person_channel", ["person_id", "channel"], unique=False
        )

    op.create_table(
        "schedule_setting",
        sa.Column("kabupaten_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("days", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("hour", sa.Integer(), nullable=True),
        sa.Column("months", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kabupaten_code"], ["kabupaten.code"]),
        sa.PrimaryKeyConstraint("kabupaten_code", "rule"),
    )
    op.create_table(
        "schedule_run",
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("occurrence", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kabupaten_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("ran_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("unreachable", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["kabupaten_code"], ["kabupaten.code"]),
        sa.PrimaryKeyConstraint("rule", "occurrence", "kabupaten_code", "timezone"),
    )
    op.create_table(
        "summary_run",
        sa.Column("kabupaten_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("ran_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kabupaten_code"], ["kabupaten.code"]),
        sa.PrimaryKeyConstraint("kabupaten_code", "period"),
    )


def downgrade() -> None:
    op.drop_table("summary_run")
    op.drop_table("schedule_run")
    op.drop_table("schedule_setting")
    with op.batch_alter_table("channel_identity", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_identity_person_channel")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")
        batch_op.drop_column("send_before")
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claimed_by")

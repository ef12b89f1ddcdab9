"""Rekap: stored monthly summary snapshots, reviews, report answers as JSONB on PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "summary_snapshot",
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("parent_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("kabupaten_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("as_of", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("computed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kabupaten_code"], ["kabupaten.code"]),
        sa.PrimaryKeyConstraint("period", "level", "code"),
    )
    op.create_index(
        "ix_summary_snapshot_kabupaten_period",
        "summary_snapshot",
        ["kabupaten_code", "period"],
        unique=False,
    )
    op.create_index(
        "ix_summary_snapshot_parent",
        "summary_snapshot",
        ["period", "level", "parent_code"],
        unique=False,
    )
    op.create_table(
        "summary_review",
        sa.Column("kabupaten_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kabupaten_code"], ["kabupaten.code"]),
        sa.ForeignKeyConstraint(["reviewed_by"], ["person.id"]),
        sa.PrimaryKeyConstraint("kabupaten_code", "period"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE report ALTER COLUMN data TYPE JSONB USING data::jsonb")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE report ALTER COLUMN data TYPE JSON USING data::json")
    op.drop_table("summary_review")
    op.drop_index("ix_summary_snapshot_parent", table_name="summary_snapshot")
    op.drop_index("ix_summary_snapshot_kabupaten_period", table_name="summary_snapshot")
    op.drop_table("summary_snapshot")

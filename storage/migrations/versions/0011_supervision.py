"""Supervision: review status and lock per Posyandu month, approved months, the audit trail

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "month_approval",
        sa.Column("puskesmas_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=False),
        sa.Column("approved_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["puskesmas_code"],
            ["puskesmas.code"],
        ),
        sa.PrimaryKeyConstraint("puskesmas_code", "period"),
    )
    op.create_table(
        "report_review",
        sa.Column("posyandu_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["posyandu_code"],
            ["posyandu.code"],
        ),
        sa.PrimaryKeyConstraint("posyandu_code", "period"),
    )
    op.create_table(
        "review_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posyandu_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["posyandu_code"],
            ["posyandu.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_event_person_id", "review_event", ["person_id"], unique=False)
    op.create_index(
        "ix_review_event_posyandu_period", "review_event", ["posyandu_code", "period", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_review_event_posyandu_period", table_name="review_event")
    op.drop_index("ix_review_event_person_id", table_name="review_event")
    op.drop_table("review_event")
    op.drop_table("report_review")
    op.drop_table("month_approval")

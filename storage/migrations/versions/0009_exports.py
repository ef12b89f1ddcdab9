"""Exports: targets per indicator and kabupaten, achievement bands, each Puskesmas' BOK plan

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicator_target",
        sa.Column("kabupaten_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("indicator", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kabupaten_code"], ["kabupaten.code"]),
        sa.PrimaryKeyConstraint("kabupaten_code", "indicator"),
    )
    op.create_table(
        "achievement_band",
        sa.Column("kabupaten_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("good_above", sa.Float(), nullable=False),
        sa.Column("fair_above", sa.Float(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kabupaten_code"], ["kabupaten.code"]),
        sa.PrimaryKeyConstraint("kabupaten_code"),
    )
    op.create_table(
        "bok_menu",
        sa.Column("puskesmas_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("imported_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["puskesmas_code"], ["puskesmas.code"]),
        sa.PrimaryKeyConstraint("puskesmas_code", "code"),
    )


def downgrade() -> None:
    op.drop_table("bok_menu")
    op.drop_table("achievement_band")
    op.drop_table("indicator_target")

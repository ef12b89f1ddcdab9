"""Per-kabupaten form profiles: optional fields switched on or off

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_profile",
        sa.Column("kabupaten_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kabupaten_code"], ["kabupaten.code"]),
        sa.PrimaryKeyConstraint("kabupaten_code", "form", "field"),
    )


def downgrade() -> None:
    op.drop_table("form_profile")

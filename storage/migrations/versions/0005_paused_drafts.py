"""Paused drafts: a person keeps one draft per form; at most one conversation is open

The conversation table was keyed by person (one conversation each). It is now
keyed by person and form, with ``paused_at`` marking drafts put aside and a
partial unique index keeping one open conversation per person. Existing rows
are open conversations and are kept as they are.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("paused_at IS NULL")
PG_PRIMARY_KEY = "conversation_pkey"


def upgrade() -> None:
    paused_at = sa.Column("paused_at", storage.types.UTCDateTime(timezone=True), nullable=True)
    if _sqlite():
        # SQLite cannot change a primary key in place: batch mode copies the table into one
        # built from this description, keyed by person and form.
        with op.batch_alter_table(
            "conversation", copy_from=_conversation("person_id", "form"), recreate="always"
        ) as batch_op:
            batch_op.add_column(paused_at)
    else:
        op.add_column("conversation", paused_at)
        op.drop_constraint(PG_PRIMARY_KEY, "conversation", type_="primary")
        op.create_primary_key(PG_PRIMARY_KEY, "conversation", ["person_id", "form"])
    op.create_index(
        "ux_conversation_open",
        "conversation",
        ["person_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    """Back to one conversation per person: the drafts put aside are deleted."""
    op.drop_index("ux_conversation_open", table_name="conversation")
    op.execute("DELETE FROM conversation WHERE paused_at IS NOT NULL")
    if _sqlite():
        with op.batch_alter_table(
            "conversation", copy_from=_conversation("person_id"), recreate="always"
        ):
            pass
    else:
        op.drop_constraint(PG_PRIMARY_KEY, "conversation", type_="primary")
        op.create_primary_key(PG_PRIMARY_KEY, "conversation", ["person_id"])
        op.drop_column("conversation", "paused_at")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _conversation(*primary_key: str) -> sa.Table:
    """The table as revision 0001 made it, keyed by ``primary_key``."""
    return sa.Table(
        "conversation",
        sa.MetaData(),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(*primary_key),
        sa.Index("ix_conversation_expires_at", "expires_at"),
    )

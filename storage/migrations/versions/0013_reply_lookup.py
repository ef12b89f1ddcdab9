"""An index for the stale-answer check: a chat's replies by when they were sent

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

Every inbound message asks whether a question reached its chat after it was
typed (``storage.inbox.retried_question_since``); without this index that
looked through the whole outbox for each message.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_address", "outbox", ["address", "channel", "sent_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_outbox_address", table_name="outbox")

"""Alembic environment: the project's metadata, run against the configured URL."""

from alembic import context
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

import storage.bok.models as bok_tables  # noqa: F401  (each Puskesmas' BOK plan)
import storage.exports.models as export_tables  # noqa: F401  (targets per indicator)
import storage.forms.models as form_tables  # noqa: F401  (the forms' profiles)
import storage.identities
import storage.meetings.models as meeting_tables  # noqa: F401  (meetings, invitees, RTL)
import storage.models  # noqa: F401  (registers the tables on the metadata)
import storage.rekap.models as rekap_tables  # noqa: F401  (the rekap's snapshots, reviews)
import storage.reminders.models as reminder_tables  # noqa: F401  (the reminders' tables)
import storage.review.models as review_tables  # noqa: F401  (supervision: states, approvals, audit)
from storage import models_whatsapp  # noqa: F401  (the WhatsApp channel's tables)
from storage.locks import lock_key
from storage.web import models as web_tables  # noqa: F401  (sign-in links, browser sessions)

config = context.config
MIGRATING = lock_key("migrations")
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Processes starting at once on one database: the first migrates, the
                # others wait here, then find the schema at its head.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATING})
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

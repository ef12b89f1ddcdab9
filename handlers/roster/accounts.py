"""Support staff link a chat account to a roster person (``python -m bot people link``).

A kader whose Telegram cannot share a contact, or a test account, is linked
by hand: by the person's phone number and the account's Telegram user id.
An account already linked to someone else is refused (unlink it first), so a
typo can never hand one person's reports to another; every change is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple, Protocol

from conversations.phone import mask_phone, normalize_phone
from handlers.roster import words as W
from storage import Database, Transaction, identities, people

TELEGRAM = "telegram"


class Outcome(NamedTuple):
    """Whether it worked, and what to tell the operator (Indonesian)."""

    ok: bool
    message: str


class Change(Protocol):
    def __call__(
        self,
        database: Database,
        phone: str,
        channel: str,
        external_id: str,
        actor: str,
        now: datetime,
    ) -> Outcome: ...


def link_account(
    database: Database, phone: str, channel: str, external_id: str, actor: str, now: datetime
) -> Outcome:
    """Link ``external_id`` on ``channel`` to the person with ``phone`` (idempotent)."""
    with database.transaction() as session:
        profile = _person(session, phone)
        if profile is None:
            return Outcome(False, W.ACCOUNT_NO_PERSON.format(phone=phone))
        shown = {"account": external_id, "name": profile.name, "phone": mask_phone(profile.phone)}
        holder = identities.owner(session, channel, external_id)
        if holder == profile.person_id:
            return Outcome(True, W.ACCOUNT_ALREADY.format(**shown))
        if holder is not None:
            return Outcome(False, W.ACCOUNT_TAKEN.format(account=external_id))
        identities.link(session, profile.person_id, channel, external_id, actor, now)
        return Outcome(True, W.ACCOUNT_LINKED.format(**shown))


def unlink_account(
    database: Database, phone: str, channel: str, external_id: str, actor: str, now: datetime
) -> Outcome:
    """Remove the link between ``external_id`` and the person with ``phone``."""
    with database.transaction() as session:
        profile = _person(session, phone)
        if profile is None:
            return Outcome(False, W.ACCOUNT_NO_PERSON.format(phone=phone))
        shown = {"account": external_id, "name": profile.name, "phone": mask_phone(profile.phone)}
        if not identities.unlink(session, profile.person_id, channel, external_id, actor, now):
            return Outcome(False, W.ACCOUNT_NOT_LINKED.format(**shown))
        return Outcome(True, W.ACCOUNT_UNLINKED.format(**shown))


def _person(session: Transaction, phone: str) -> people.Profile | None:
    number = normalize_phone(phone)
    return people.by_phone(session, number) if number else None

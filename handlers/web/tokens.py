"""One-time links: a random token in the URL, only its hash in the database."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from storage import Transaction
from storage import web as web_store

LINK_LIFETIME = timedelta(minutes=15)
SIGN_IN = "masuk"
REPORT_FORM = "lapor"
"""Purposes of a link: open the review pages, or open the monthly report form."""


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What is stored and looked up instead of the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(session: Transaction, person_id: int, purpose: str, now: datetime) -> str:
    """A new one-time link token for ``person_id``, valid for :data:`LINK_LIFETIME`."""
    token = new_token()
    web_store.add_link(session, person_id, purpose, digest(token), now, now + LINK_LIFETIME)
    return token

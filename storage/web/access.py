"""Issuing and spending one-time links, opening, finding and ending browser sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.people import Profile, by_id
from storage.web.models import WebLink, WebSession


def add_link(
    session: Session,
    person_id: int,
    purpose: str,
    token_hash: str,
    now: datetime,
    expires: datetime,
) -> None:
    """Store a link (by its hash) that ``person_id`` may use once before ``expires``."""
    session.add(
        WebLink(
            token_hash=token_hash,
            person_id=person_id,
            purpose=purpose,
            created_at=now,
            expires_at=expires,
        )
    )


def spend_link(session: Session, token_hash: str, purpose: str, now: datetime) -> Profile | None:
    """Mark the link used and return its person; None when unknown, used, expired or revoked.

    One conditional update: two browsers opening the same link at once cannot
    both succeed.
    """
    link = session.exec(
        select(WebLink).where(WebLink.token_hash == token_hash, WebLink.purpose == purpose)
    ).first()
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    spent = session.execute(
        update(WebLink)
        .where(col(WebLink.id) == link.id, col(WebLink.used_at).is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return by_id(session, link.person_id)


def open_session(
    session: Session,
    person_id: int,
    token_hash: str,
    csrf: str,
    now: datetime,
    expires: datetime,
) -> None:
    session.add(
        WebSession(
            token_hash=token_hash,
            person_id=person_id,
            csrf=csrf,
            created_at=now,
            expires_at=expires,
        )
    )


def find_session(session: Session, token_hash: str, now: datetime) -> tuple[Profile, str] | None:
    """The signed-in person and the session's CSRF token; None when ended, expired or unknown."""
    row = session.exec(select(WebSession).where(WebSession.token_hash == token_hash)).first()
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    profile = by_id(session, row.person_id)
    return None if profile is None else (profile, row.csrf)


def end_session(session: Session, token_hash: str, now: datetime) -> None:
    session.execute(
        update(WebSession)
        .where(col(WebSession.token_hash) == token_hash, col(WebSession.ended_at).is_(None))
        .values(ended_at=now)
    )

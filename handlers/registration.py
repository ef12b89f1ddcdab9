"""Linking a chat account to a person on the roster, by a phone number the channel vouches for."""

from __future__ import annotations

from datetime import datetime

from conversations import Inbound, Reply
from conversations.phone import platform_phone
from handlers import words as T
from storage import Transaction, people

SHOWN_DIGITS = 20
"""At most this much of a refused number is echoed back."""


def register(
    session: Transaction, inbound: Inbound, now: datetime
) -> tuple[people.Profile | None, list[Reply]]:
    """Try to link the sender; returns the person (if linked) and what to tell them.

    Without a vouched-for number the sender is asked to share theirs; a number
    not on the roster gets a polite refusal and nothing is stored. The number
    is read as international, as WhatsApp (``wa_id``) and Telegram (a contact)
    give it, with or without ``+``: a foreign number is refused, never read
    as an Indonesian one.
    """
    if inbound.phone is None:
        return None, [Reply(T.ASK_CONTACT, request_contact=True)]
    profile = link(session, inbound.channel, inbound.user_id, inbound.phone, now)
    if profile is None:
        phone = platform_phone(inbound.phone)
        shown = phone or "+" + inbound.phone.strip().lstrip("+")[:SHOWN_DIGITS]
        return None, [Reply(T.UNKNOWN_NUMBER.format(phone=shown))]
    return profile, []


def link(
    session: Transaction, channel: str, user_id: str, phone: str, now: datetime
) -> people.Profile | None:
    """Link the account to the roster person with this (vouched-for) number; None: not on it.

    The number is international (E.164, or digits without ``+`` as platforms send it).
    """
    number = platform_phone(phone)
    profile = people.by_phone(session, number) if number else None
    if profile is not None:
        people.link_identity(session, profile.person_id, channel, user_id, now)
    return profile

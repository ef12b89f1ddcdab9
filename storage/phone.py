"""Indonesian phone numbers: one canonical form (E.164) and a log-safe mask."""

from __future__ import annotations

import phonenumbers

INDONESIA = 62


def normalize_phone(raw: str) -> str | None:
    """``0812…``, ``62812…``, ``0062812…``, ``+62 812-…`` -> ``+62812…``.

    None for anything that is not a possible Indonesian number: the roster and
    the bot serve Indonesia only.
    """
    digits = "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("62"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != INDONESIA or not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str) -> str:
    """``+6281234567001`` -> ``+62812****7001``: enough to recognise, not to dial."""
    if len(phone) <= 8:
        return "****"
    return phone[:6] + "****" + phone[-4:]

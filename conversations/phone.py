"""Indonesian phone numbers: one canonical form (E.164) and a log-safe mask.

A number reaches the bot in one of two ways, and they must not be confused:

* typed by a person in Indonesia (an admin's roster cell, the operator's
  ``console --phone``): national ``08…`` is the usual form, and a spreadsheet
  may have eaten the leading 0; :func:`normalize_phone` reads these;
* given by a platform (WhatsApp's ``wa_id``, a Telegram contact): always the
  full international number, with or without ``+``; :func:`platform_phone`
  reads these. Read nationally, the Hong Kong number ``85291234567``
  (+852 9123 4567) would become the Indonesian +62 852-9123-4567: every
  country code starting with 8 (81, 82, 84, 86, 852, 853, 855, 856, 880,
  886) collides with Indonesian mobiles, so a foreign number could take over
  a roster member's account.
"""

from __future__ import annotations

import re

import phonenumbers

INDONESIA = 62
_PLATFORM_NUMBER = re.compile(r"\+?[0-9]{1,20}")
_PLATFORM_SEPARATORS = re.compile(r"[\s().-]")


def normalize_phone(raw: str) -> str | None:
    """A number typed by a person in Indonesia -> E.164.

    ``0812…``, ``812…`` (a spreadsheet dropped the 0), ``62812…``,
    ``0062812…``, ``+62 812-…`` -> ``+62812…``. None for anything that is not
    a possible Indonesian number: the roster and the bot serve Indonesia only.
    Never use it for a number a platform gives (see :func:`platform_phone`).
    """
    digits = "".join(ch for ch in raw if ch in "0123456789+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("62"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        return None
    return _indonesian(number)


def platform_phone(raw: str) -> str | None:
    """A number WhatsApp or Telegram gives (international, ``+`` optional) -> E.164.

    None unless it is a possible Indonesian number: a foreign number is
    refused, never reinterpreted as a national one. A leading ``00`` (the
    international call prefix) or ``0`` (Indonesia's trunk prefix) is
    unambiguous, since no country code starts with 0, so ``0812…`` is still
    read as Indonesian.
    """
    compact = _PLATFORM_SEPARATORS.sub("", raw)
    if not _PLATFORM_NUMBER.fullmatch(compact):
        return None
    if compact.startswith("00"):
        compact = compact[2:]
    elif compact.startswith("0"):
        compact = f"{INDONESIA}{compact[1:]}"
    try:
        number = phonenumbers.parse("+" + compact.removeprefix("+"))
    except phonenumbers.NumberParseException:
        return None
    return _indonesian(number)


def is_indonesian_mobile(phone: str) -> bool:
    """Whether an E.164 number is a real Indonesian mobile (not a landline, not a typo).

    The roster holds the numbers people chat from, so a number that cannot
    be a mobile (``0812345``: too short for any operator) is a typing error.
    """
    number = phonenumbers.parse(phone)
    return (
        number.country_code == INDONESIA
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )


def mask_phone(phone: str) -> str:
    """``+6281234567001`` -> ``+62812****7001``: enough to recognise, not to dial."""
    if len(phone) <= 8:
        return "****"
    return phone[:6] + "****" + phone[-4:]


def _indonesian(number: phonenumbers.PhoneNumber) -> str | None:
    if number.country_code != INDONESIA or not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

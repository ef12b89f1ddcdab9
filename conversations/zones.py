"""Indonesia's time zones: the default one, their abbreviations, and which province is in which.

The one place that names a zone: the settings' default, the kabupaten column's
default, the roster's zone per province and the abbreviations people type
(``WITA``) and read (``Asia/Makassar (WITA)``) all come from here.
"""

from __future__ import annotations

DEFAULT_TIMEZONE = "Asia/Jakarta"
"""Western Indonesia Time (WIB): Sumatra, Java and Banten, and any region whose zone is unknown."""

ABBREVIATIONS = {
    DEFAULT_TIMEZONE: "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
"""Each Indonesian zone and how people name it."""

ALIASES = {"wib": DEFAULT_TIMEZONE, "wita": "Asia/Makassar", "wit": "Asia/Jayapura"}
"""What a roster may write instead of a zone's name (lower case)."""

# The first two digits of a Kemendagri code name the province, and the province the zone.
PROVINCE_ZONES = {
    **dict.fromkeys((61, 62), "Asia/Pontianak"),
    **dict.fromkeys((51, 52, 53, 63, 64, 65, 71, 72, 73, 74, 75, 76), "Asia/Makassar"),
    **dict.fromkeys((81, 82, 91, 92, 93, 94, 95, 96, 97), "Asia/Jayapura"),
}


def abbreviation(name: str) -> str:
    """``Asia/Makassar`` -> ``WITA``; other zones keep their name."""
    return ABBREVIATIONS.get(name, name)


def province_timezone(code: str, default: str = DEFAULT_TIMEZONE) -> str:
    """The zone of a province (or any region below it) from its Kemendagri code's first digits.

    Sumatra, Java and Banten (every other province number) are on WIB;
    ``default`` is only for codes that are not Kemendagri numbers.
    """
    prefix = code[:2]
    if len(prefix) == 2 and prefix.isascii() and prefix.isdigit():
        return PROVINCE_ZONES.get(int(prefix), DEFAULT_TIMEZONE)
    return default

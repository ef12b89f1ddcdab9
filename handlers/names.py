"""How the bot addresses people: by their roster name, adding a title only where it has none."""

from __future__ import annotations

from handlers import words as T


def addressed(name: str, honorific: str) -> str:
    """``Nur`` -> ``Bu Nur``, but ``Bd. Nurhayati`` stays as written.

    Rosters often carry the title already (``Bd.``, ``dr.``, ``Ibu``); adding
    ours in front ("Bu Bd. Nurhayati") reads as a mistake to the person.
    """
    return name if not honorific or _has_title(name) else f"{honorific} {name}"


def _has_title(name: str) -> bool:
    words = name.casefold().split(maxsplit=1)
    return bool(words) and words[0].split(".", 1)[0] in T.NAME_TITLES

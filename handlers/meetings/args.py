"""Reading the numbers people type after a meeting command (``rapat 12``, ``hadir 4821``)."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"[0-9]{1,9}")
"""ASCII digits only (``²`` is no number), and short enough for any database integer."""


def number(text: str) -> int | None:
    """``"12"`` -> 12; anything else (``"12a"``, ``"²"``, twenty digits) -> None."""
    return int(text) if _NUMBER.fullmatch(text) else None

"""Cutting a long reply into messages a platform accepts, for every channel adapter.

Telegram and WhatsApp both refuse a text over their limit, and both count it
their own way (Telegram in UTF-16 code units, so an emoji counts twice), so
the limit and the way to measure are arguments and the cutting rules are one:
cut between lines where possible, a line longer than a message at its last
space (or anywhere, when it has none), and never send a blank message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> list[str]:
    """``text`` in pieces of at most ``limit`` (as ``length`` measures), cut between lines.

    Blank lines at the start of a piece are dropped (a message cannot start
    with them on any platform), and pieces that are only whitespace are left
    out: platforms refuse empty messages.
    """
    chunks: list[str] = []
    current, size = "", 0
    for line in _short_lines(text, limit, length):
        line_size = length(line)
        if current and size + 1 + line_size > limit:
            chunks.append(current)
            current, size = line, line_size
        elif current:
            current, size = f"{current}\n{line}", size + 1 + line_size
        else:
            current, size = line, line_size
    chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def _short_lines(text: str, limit: int, length: Callable[[str], int]) -> Iterator[str]:
    """The lines of ``text``, a line longer than ``limit`` cut at its last space before it."""
    for line in text.split("\n"):
        while length(line) > limit:
            cut = max(1, _fitting_prefix(line, limit, length))
            space = line.rfind(" ", 0, cut + 1)
            if space > 0:
                cut = space
            yield line[:cut]
            line = line[cut:].lstrip(" ")
        yield line


def _fitting_prefix(line: str, limit: int, length: Callable[[str], int]) -> int:
    """How many characters of ``line`` fit in ``limit``."""
    used = 0
    for index, char in enumerate(line):
        used += length(char)
        if used > limit:
            return index
    return len(line)

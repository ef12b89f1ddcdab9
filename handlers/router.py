"""Deciding what a message is: a command, an answer in an open form, or neither."""

from __future__ import annotations

import re

from conversations import Inbound, Reply
from conversations.words import WORD_DONE
from handlers import conversation, media
from handlers import words as T
from handlers.commands import COMMANDS, MITRA_COMMANDS
from handlers.meetings.words import MITRA_ONLY
from handlers.turn import TurnContext

MAX_ECHO = 30
# Skin tones and the emoji presentation selector: 👍🏽 is 👍.
_EMOJI_VARIANTS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f]")
_WORDS = re.compile(r"\w+|[^\w\s.,!?~-]")


def parse_command(inbound: Inbound) -> tuple[str, list[str]] | None:
    """``/lapor``, ``lapor``, ``LAPOR``, ``/lapor@PosyanduBot`` -> ("lapor", []); else None.

    A button that answers a question is never a command; a button sent with
    no question (``rekap`` drill-down, say) carries a command as its value.
    """
    if inbound.choice is not None and inbound.question_id is not None:
        return None
    words = inbound.answer.strip().split()
    if not words:
        return None
    name = words[0].removeprefix("/").split("@", 1)[0].casefold()
    pair = f"{name} {words[1].casefold()}" if len(words) > 1 else ""
    if pair in COMMANDS:  # two-word commands: ``tidak bisa``, ``daftar hadir``
        return pair, words[2:]
    return (name, words[1:]) if name in COMMANDS else None


def route(turn: TurnContext) -> list[Reply]:
    """Send the message to the command it names, or to the open form, or explain."""
    command = parse_command(turn.inbound)
    if command is not None and turn.draft is not None and _answers_the_form(*command):
        command = None
    if command is not None:
        name, args = command
        if turn.profile.role == "mitra" and name not in MITRA_COMMANDS:
            return [Reply(MITRA_ONLY)]
        return COMMANDS[name](turn, args)
    if turn.inbound.media is not None:
        refused = media.take(turn)
        if refused:
            return refused
    if turn.inbound.location is not None:
        elsewhere = media.pinned(turn)
        if elsewhere:
            return elsewhere
    if turn.draft is not None:
        return conversation.resume(turn)
    if conversation.is_pasted_report(turn):
        return conversation.pasted_report(turn)
    if turn.inbound.question_id is not None:
        return [Reply(T.STALE_NO_FORM)]
    text = " ".join(turn.inbound.answer.split())
    kind = courtesy(text)
    if kind is not None:
        return [Reply(T.COURTESY_REPLY[kind])]
    shown = text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 1] + "…"
    return [Reply(T.NOT_UNDERSTOOD.format(text=shown))]


def _answers_the_form(name: str, args: list[str]) -> bool:
    """Whether a command word typed inside an open form is meant for the form.

    ``batal`` cancels the form itself; a bare ``selesai`` ends a photo question
    (``selesai N CATATAN`` still closes a follow-up item).
    """
    return name == "batal" or (name in WORD_DONE and not args)


def courtesy(text: str) -> str | None:
    """``"thanks"`` for ``Terima kasih bu! 🙏``, ``"ok"`` for ``oke siap 👍🏽``; else None.

    People close a chat politely; answering "saya tidak mengerti" to a thank
    you is rude. Only messages made of nothing but courtesies count, so a
    question that starts with "ok" still gets the honest answer.
    """
    words = _WORDS.findall(_EMOJI_VARIANTS.sub("", text.casefold()))
    found: set[str] = set()
    index = 0
    while index < len(words):
        pair = " ".join(words[index : index + 2])
        if pair in T.WORD_THANKS:
            found.add("thanks")
            index += 2
            continue
        word = words[index]
        if word in T.WORD_THANKS:
            found.add("thanks")
        elif word in T.WORD_OK:
            found.add("ok")
        elif word not in T.WORD_COURTESY_FILLER:
            return None
        index += 1
    if "thanks" in found:
        return "thanks"
    return "ok" if found else None

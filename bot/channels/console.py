"""The console channel: a person talks to the bot in a terminal (demos, local use, tests).

Reads one message per line from a text stream and prints the replies. Where
the answer must be one of the choices, they are numbered and the number may be
typed; where choices are shortcuts for a typed answer, they are shown in
brackets. Works the same interactively and with piped input. Files the bot
sends (the rekap's Excel, CSV or chart) are saved in a folder and their path
printed, since a terminal cannot show them.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from conversations import Inbound, Reply
from conversations.parsing import parse_choice_number
from handlers.channels import ChannelInfo, Limit
from handlers.mailroom import Arrival, Lane, Mailroom
from handlers.reminders.pacing import Pace

CHANNEL = "console"
INFO = ChannelInfo(CHANNEL, Limit(per_second=1000))
"""A terminal has no platform limit; it reaches only the person chatting (a linked account).
Not in the registry: ``python -m bot console`` opens it, ``run`` does not."""
FILES_DIR = Path("data") / "berkas"
"""Where files sent in the chat are saved (relative to the current folder)."""
SAVED = "📎 Berkas disimpan: {path}"


class ConsoleChannel:
    """One person (identified by phone number) chatting through stdin/stdout.

    Each line goes through the mailroom like any channel's message (stored in
    the inbox, answered, the replies sent back here as outbox rows); the
    console waits for the answer before reading the next line.
    ``check_outbox`` is called at the start and after every line: it delivers
    the proactive messages (alerts, reminders) queued for this person, which
    arrive through :meth:`send` and are printed with a bell. The account is
    linked at the start, so what was queued is shown before the first line is
    typed.
    """

    name = CHANNEL

    def __init__(
        self,
        mailroom: Mailroom,
        phone: str,
        stdin: TextIO,
        stdout: TextIO,
        check_outbox: Callable[[], None] = lambda: None,
        *,
        files_dir: Path = FILES_DIR,
    ) -> None:
        self._mailroom = mailroom
        mailroom.attach(self)
        self.pace = Pace(INFO)
        self._files = files_dir
        self._check_outbox = check_outbox
        self._phone = phone
        self._in = stdin
        self._out = stdout
        self._session = uuid.uuid4().hex[:12]
        self._count = 0
        self._last: Reply | None = None
        self._answers: list[Reply] | None = None

    def run(self) -> int:
        """Chat until end of input; returns the exit status."""
        interactive = self._in.isatty()
        self._mailroom.service.link(CHANNEL, self._phone, self._phone)
        self._check_outbox()
        while True:
            if interactive:
                self._out.write("> ")
                self._out.flush()
            line = self._in.readline()
            if not line:
                return 0
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            if not interactive:
                self._out.write(f"> {text}\n")
            self.say(text)
            self._check_outbox()

    async def send(
        self, user_id: str, replies: Sequence[Reply], outbox_id: int | None = None
    ) -> None:
        """Print the answers to a line, or (🔔) a proactive message for this console's person."""
        for reply in replies:
            if self._answers is None:
                self._out.write(f"🔔 {render(reply, self._save(reply))}\n\n")
            else:
                self._out.write(render(reply, self._save(reply)) + "\n\n")
                self._answers.append(reply)
        self._out.flush()

    def say(self, text: str) -> list[Reply]:
        """Deliver one typed line to the bot and print what comes back."""
        self._count += 1
        choice, question = self._as_choice(text)
        inbound = Inbound(
            channel=CHANNEL,
            user_id=self._phone,
            message_id=f"{self._session}-{self._count}",
            text=text,
            choice=choice,
            question_id=question,
            phone=self._phone,
        )
        arrival = Arrival(Lane(CHANNEL, self._phone), inbound.message_id, time.time_ns(), inbound)
        replies: list[Reply] = []
        self._answers = replies
        try:
            asyncio.run(self._mailroom.settle([arrival]))
        finally:
            self._answers = None
        if replies:
            self._last = replies[-1]
        return replies

    def _save(self, reply: Reply) -> Path | None:
        """Write a reply's file to the files folder; its path, or None without a file."""
        if reply.attachment is None:
            return None
        self._files.mkdir(parents=True, exist_ok=True)
        path = self._files / Path(reply.attachment.filename).name
        path.write_bytes(reply.attachment.content)
        return path

    def _as_choice(self, text: str) -> tuple[str | None, str | None]:
        """A typed number picks a choice when the answer must be one of them."""
        last = self._last
        if last is None or last.free_text or not last.choices:
            return None, None
        index = parse_choice_number(text, len(last.choices))
        if index is None:
            return None, None
        return last.choices[index - 1].value, last.question_id


def render(reply: Reply, saved: Path | None = None) -> str:
    """A reply as terminal text, with its choices and where its file was ``saved``."""
    lines = [reply.text]
    if reply.choices and reply.free_text:
        lines.append("   " + "  ".join(f"[{choice.label}]" for choice in reply.choices))
    elif reply.choices:
        numbered = [f"{n}. {choice.label}" for n, choice in enumerate(reply.choices, 1)]
        if not all(line in reply.text for line in numbered):
            lines.append("   " + "   ".join(numbered))
    if saved is not None:
        lines.append(SAVED.format(path=saved))
    return "\n".join(lines)

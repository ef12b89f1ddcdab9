"""The core service: identify, route, persist, reply; one transaction per message."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from conversations import Engine, Inbound, Reply
from conversations.phone import mask_phone
from handlers import registration
from handlers import words as T
from handlers.clock import utc_now
from handlers.media import MediaInbox
from handlers.router import parse_command, route
from handlers.turn import TurnContext
from storage import CONFLICTS, Transaction, drafts, inbox, people
from storage.db import Database

log = logging.getLogger(__name__)

ATTEMPTS = 4
RETRYABLE: tuple[type[Exception], ...] = (drafts.StaleDraftError, *CONFLICTS)
"""A concurrent writer got there first: the message is handled again on fresh data."""
R = TypeVar("R")


class Service:
    """Handles inbound messages from any channel; safe to call from many threads.

    Channels do not call it directly: they store each update in the inbox and
    :class:`handlers.mailroom.Mailroom` hands it here, one message per person
    at a time, inside the transaction that also writes its replies. Across
    processes the conversation's version number makes a concurrent save fail
    and the message is handled again on fresh data.
    """

    def __init__(
        self,
        database: Database,
        engine: Engine,
        clock: Callable[[], datetime] = utc_now,
        media: MediaInbox | None = None,
        *,
        web_url: str = "",
    ) -> None:
        self._db = database
        self._media = media
        self._web_url = web_url
        self._engine = engine
        self.clock = clock

    @property
    def database(self) -> Database:
        return self._db

    def handle(self, inbound: Inbound) -> list[Reply]:
        """Answer one message at once and return the replies (for tests and benchmarks).

        The message is recorded in the inbox as handled, in the transaction of
        its effects, so a second call with the same id is a no-op; the replies
        are returned rather than queued, since the caller shows them itself.
        """
        lane = inbox.Lane(inbound.channel, inbound.user_id)

        def work(session: Transaction) -> list[Reply]:
            now = self.clock()
            if not inbox.keep(session, lane, inbound.message_id, 0, {}, now, status=inbox.DONE):
                log.info("duplicate %s message %s ignored", inbound.channel, inbound.message_id)
                return []
            answer = self.answer(session, inbound, now)
            if answer.person_id is None:
                inbox.forget_if_stranger(session, lane)
            return answer.replies

        return self.run(work, inbound)

    def run(self, work: Callable[[Transaction], R], inbound: Inbound) -> R | list[Reply]:
        """Run ``work`` as :meth:`attempt` does; when it fails, the apology to reply instead."""
        outcome = self.attempt(work, inbound)
        return outcome.apology if isinstance(outcome, Failed) else outcome

    def attempt(self, work: Callable[[Transaction], R], inbound: Inbound) -> R | Failed:
        """Run ``work`` in one transaction, again on a lost race; :class:`Failed` if all else fails.

        The last resort: an exception nobody foresaw rolls its transaction back
        (nothing half-written stays), is logged with its type and traceback but
        not its message, which may quote the text or the phone number, and the
        person is to hear a short apology instead of silence. Tests assert this
        never happens, so its causes get fixed rather than hidden.
        """
        try:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    with self._db.transaction() as session:
                        return work(session)
                except RETRYABLE as error:
                    log.warning(
                        "retrying %s message %s (attempt %d): %s",
                        inbound.channel,
                        inbound.message_id,
                        attempt,
                        type(error).__name__,
                    )
        except Exception as error:
            log.error(
                "unexpected %s handling %s message %s\n%s",
                type(error).__name__,
                inbound.channel,
                inbound.message_id,
                "".join(traceback.format_tb(error.__traceback__)).rstrip(),
            )
            return Failed([Reply(T.UNEXPECTED_ERROR)])
        log.error("giving up on %s message %s", inbound.channel, inbound.message_id)
        return Failed([Reply(T.BUSY)])

    def link(self, channel: str, user_id: str, phone: str) -> bool:
        """Link an account whose number the channel vouches for, before it has written.

        The console does this at start-up, so that alerts and reminders queued
        for its person are shown at once rather than after the first line.
        False (and nothing stored) when the number is not on the roster.
        """
        with self._db.transaction() as session:
            if people.by_identity(session, channel, user_id) is not None:
                return True
            return registration.link(session, channel, user_id, phone, self.clock()) is not None

    def answer(self, session: Transaction, inbound: Inbound, now: datetime) -> Answer:
        """Identify the sender, route the message, and return what to say (inside ``session``)."""
        writer = people.writer(session, inbound.channel, inbound.user_id)
        replies: list[Reply] = []
        if writer is None:
            profile, replies = registration.register(session, inbound, now)
            if profile is None:
                log.info("unregistered %s sender refused", inbound.channel)
                return Answer(replies, None)
            log.info("linked %s account to %s", inbound.channel, mask_phone(profile.phone))
            if parse_command(inbound) is None:
                inbound = Inbound(inbound.channel, inbound.user_id, inbound.message_id, "mulai")
            draft = drafts.load(session, profile.person_id)
        else:
            profile, draft = writer.profile, writer.draft
            if writer.stale(now):
                people.touch_identity(session, inbound.channel, inbound.user_id, now)
        local_now = now.astimezone(ZoneInfo(profile.timezone))
        turn = TurnContext(
            session,
            self._engine,
            profile,
            inbound,
            local_now,
            draft,
            self._media,
            web_url=self._web_url,
        )
        return Answer(replies + route(turn), profile.person_id)


@dataclass(frozen=True, slots=True)
class Failed:
    """The core could not handle a message; what the person is to hear instead."""

    apology: list[Reply]


@dataclass(frozen=True, slots=True)
class Answer:
    """What the core says to one message, and to whom on the roster (None: a stranger)."""

    replies: list[Reply]
    person_id: int | None

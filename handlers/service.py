"""The core service: dedupe, identify, route, persist, reply; one transaction per message."""

from __future__ import annotations

import logging
import threading
import traceback
import weakref
from collections.abc import Callable
from datetime import datetime
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


class Service:
    """Handles inbound messages from any channel; safe to call from many threads.

    Messages of one sender are serialised by an in-process lock; across
    processes the conversation's version number makes a concurrent save fail
    and the message is retried on fresh data. The message id is recorded in
    the same transaction as everything it changed, so a redelivery is a no-op.
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
        self._clock = clock
        self._locks: weakref.WeakValueDictionary[tuple[str, str], threading.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._locks_guard = threading.Lock()

    def handle(self, inbound: Inbound) -> list[Reply]:
        """Process one message and return the replies to send after the commit.

        The last resort: an exception nobody foresaw rolls its transaction back
        (nothing half-written stays), is logged with its type and traceback but
        not its message, which may quote the text or the phone number, and the
        person hears a short apology instead of silence. Tests assert this
        never happens, so its causes get fixed rather than hidden.
        """
        lock = self._lock_for(inbound.channel, inbound.user_id)
        with lock:
            try:
                return self._handle_with_retries(inbound)
            except Exception as error:
                log.error(
                    "unexpected %s handling %s message %s\n%s",
                    type(error).__name__,
                    inbound.channel,
                    inbound.message_id,
                    "".join(traceback.format_tb(error.__traceback__)).rstrip(),
                )
                return [Reply(T.UNEXPECTED_ERROR)]

    def _handle_with_retries(self, inbound: Inbound) -> list[Reply]:
        """One transaction per attempt; a lost race or a locked database is tried again."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._db.transaction() as session:
                    return self._handle(session, inbound)
            except RETRYABLE as error:
                log.warning(
                    "retrying %s message %s (attempt %d): %s",
                    inbound.channel,
                    inbound.message_id,
                    attempt,
                    type(error).__name__,
                )
        log.error("giving up on %s message %s", inbound.channel, inbound.message_id)
        return [Reply(T.BUSY)]

    def link(self, channel: str, user_id: str, phone: str) -> bool:
        """Link an account whose number the channel vouches for, before it has written.

        The console does this at start-up, so that alerts and reminders queued
        for its person are shown at once rather than after the first line.
        False (and nothing stored) when the number is not on the roster.
        """
        with self._db.transaction() as session:
            if people.by_identity(session, channel, user_id) is not None:
                return True
            return registration.link(session, channel, user_id, phone, self._clock()) is not None

    def _handle(self, session: Transaction, inbound: Inbound) -> list[Reply]:
        now = self._clock()
        profile = people.by_identity(session, inbound.channel, inbound.user_id)
        replies: list[Reply] = []
        if profile is None:
            profile, replies = registration.register(session, inbound, now)
            if profile is None:
                log.info("unregistered %s sender refused", inbound.channel)
                return replies
            log.info("linked %s account to %s", inbound.channel, mask_phone(profile.phone))
            if parse_command(inbound) is None:
                inbound = Inbound(inbound.channel, inbound.user_id, inbound.message_id, "mulai")
        elif not inbox.mark_processed(
            session, inbound.channel, inbound.message_id, profile.person_id, now
        ):
            log.info("duplicate %s message %s ignored", inbound.channel, inbound.message_id)
            return []
        else:
            people.touch_identity(session, inbound.channel, inbound.user_id, now)
        local_now = now.astimezone(ZoneInfo(profile.timezone))
        draft = drafts.load(session, profile.person_id)
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
        return replies + route(turn)

    def _lock_for(self, channel: str, user_id: str) -> threading.Lock:
        with self._locks_guard:
            lock = self._locks.get((channel, user_id))
            if lock is None:
                lock = threading.Lock()
                self._locks[(channel, user_id)] = lock
            return lock

"""Wiring for ``python -m bot run``: the reminder tick on APScheduler, and the dispatcher.

What a tick queues and how the dispatcher sends live in ``handlers.reminders``;
this module only starts them with the configured channels (their declarations
and paces come with them, from ``bot.channels.registry``) and the holidays.

APScheduler only provides the heartbeat: one interval job, every minute and
once at start-up, in memory. Its misfire handling and job store are not
relied on (a missed run is caught up by the next tick from our own tables,
and two processes both ticking queue nothing twice).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.config import Settings
from handlers.channels import ChannelInfo
from handlers.clock import utc_now
from handlers.delivery import Sender
from handlers.reminders.dispatcher import Dispatcher
from handlers.reminders.holidays import parse_holidays
from handlers.reminders.tick import TickConfig, tick
from handlers.reminders.timing import Calendar
from storage import Database

log = logging.getLogger(__name__)

TICK_SECONDS = 60
RESTART_SECONDS = 5


def tick_config(settings: Settings, channels: Sequence[ChannelInfo]) -> TickConfig:
    """The working-day calendar (``HOLIDAYS`` applied) and the channels that reach people."""
    return TickConfig(Calendar(parse_holidays(settings.holidays)), tuple(channels))


@asynccontextmanager
async def scheduling(
    database: Database,
    channels: Sequence[Sender],
    settings: Settings,
    clock: Callable[[], datetime] = utc_now,
) -> AsyncIterator[None]:
    """Run the reminder tick and the outbox dispatcher while the block runs."""
    config = tick_config(settings, [channel.pace.info for channel in channels])

    async def heartbeat() -> None:
        try:
            await asyncio.to_thread(tick, database, clock(), config)
        except Exception:
            log.exception("scheduler tick failed; the next tick tries again")

    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        heartbeat,
        "interval",
        seconds=TICK_SECONDS,
        id="reminder_tick",
        next_run_time=utc_now(),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    dispatcher = Dispatcher(database, channels, clock=clock)
    stop = asyncio.Event()

    async def dispatch_until_stopped() -> None:
        while not stop.is_set():
            try:
                await dispatcher.run(stop)
            except Exception:
                log.exception("dispatcher stopped; restarting in %d s", RESTART_SECONDS)
                await asyncio.sleep(RESTART_SECONDS)

    sending = asyncio.create_task(dispatch_until_stopped())
    scheduler.start()
    log.info("scheduler started: tick every %d s, dispatcher %s", TICK_SECONDS, dispatcher.worker)
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)
        stop.set()
        await sending

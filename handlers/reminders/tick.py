"""One scheduler tick: queue every occurrence that is due now or earlier today, once.

APScheduler only calls :func:`tick` every minute (and once at start-up); all
reminder state is in our tables. For each kabupaten, each recipient zone and
each enabled rule, the occurrences whose local day is today and whose hour
has come are run: recipients are found, messages queued in the outbox and a
run record written, in one transaction. The outbox key makes a second run of
the same occurrence (two schedulers, a manual ``jobs run``) add nothing; the
run record lets later ticks skip it without querying recipients again. An
occurrence whose day has passed is not run late, and no reminder is queued
outside 06:00-21:00 of its recipients' clock.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.channels import ChannelInfo, reach
from handlers.reminders.jobs import JOBS, Job
from handlers.reminders.jobs.base import Occurrence, Outcome, Scope, occurrences_between
from handlers.reminders.rules import Setting, resolve
from handlers.reminders.timing import Calendar, end_of_working_day, in_working_hours, is_zone, zone
from storage import Database, outbox
from storage.reminders import schedule
from storage.reminders.models import ScheduleSetting
from storage.reminders.recipients import Recipient
from storage.reminders.schedule import KabupatenFacts, RunKey

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TickConfig:
    """What a tick needs besides the database: working days, and the configured channels.

    The channels' declarations say who they reach (a linked account, or any roster phone).
    """

    calendar: Calendar
    channels: tuple[ChannelInfo, ...]


@dataclass(frozen=True, slots=True)
class Due:
    job: Job
    kabupaten: KabupatenFacts
    setting: Setting
    timezone: str
    occurrence: Occurrence

    @property
    def run_key(self) -> RunKey:
        return (self.job.rule.name, self.occurrence.tag, self.kabupaten.code, self.timezone)


@dataclass(frozen=True, slots=True)
class RunReport:
    """What one occurrence did in one zone, for logs and the ``jobs run`` output."""

    due: Due
    messages: Counter[str]
    new: Counter[str]
    unreachable: tuple[Recipient, ...]
    note: str = ""
    error: str = ""


def tick(
    database: Database,
    now: datetime,
    config: TickConfig,
    *,
    only: str | None = None,
    force: bool = False,
) -> list[RunReport]:
    """Run what is due at ``now``; ``only`` limits it to one rule, ``force`` ignores run records."""
    with database.transaction() as session:
        kabupaten = schedule.kabupaten_facts(session)
        overrides = schedule.overrides(session)
    due = [
        item for facts in kabupaten for item in due_at(facts, overrides, config.calendar, now, only)
    ]
    if not force:
        with database.transaction() as session:
            done = schedule.already_run(
                session, [item.run_key for item in due if item.job.rule.once]
            )
        due = [item for item in due if item.run_key not in done]
    return [_run_safely(database, item, config, now) for item in due]


def due_at(
    kabupaten: KabupatenFacts,
    overrides: dict[tuple[str, str], ScheduleSetting],
    calendar: Calendar,
    now: datetime,
    only: str | None = None,
) -> Iterator[Due]:
    """The occurrences of one kabupaten that are due at ``now``, zone by zone."""
    for name, job in JOBS.items():
        if only is not None and name != only:
            continue
        rule = job.rule
        setting = resolve(rule, overrides.get((kabupaten.code, name)))
        if not setting.enabled:
            continue
        for timezone in kabupaten.zones if rule.per_zone else (kabupaten.timezone,):
            if not is_zone(timezone):
                log.warning("kabupaten %s: unknown time zone %r skipped", kabupaten.code, timezone)
                continue
            local = now.astimezone(zone(timezone))
            if rule.quiet and not in_working_hours(local):
                continue
            today = local.date()
            first = today - timedelta(days=rule.catch_up_days)
            for occurrence in occurrences_between(job, kabupaten, setting, calendar, first, today):
                if occurrence.day < today or occurrence.hour <= local.hour:
                    yield Due(job, kabupaten, setting, timezone, occurrence)


def _run_safely(database: Database, due: Due, config: TickConfig, now: datetime) -> RunReport:
    """Run one occurrence; a failure is logged and reported, and the other occurrences go on."""
    try:
        return _run(database, due, config, now)
    except Exception as error:
        log.exception(
            "%s %s for %s failed", due.job.rule.name, due.occurrence.tag, due.kabupaten.code
        )
        return RunReport(due, Counter(), Counter(), (), error=f"{type(error).__name__}: {error}")


def _run(database: Database, due: Due, config: TickConfig, now: datetime) -> RunReport:
    rule = due.job.rule
    today = now.astimezone(zone(due.timezone)).date()
    send_before = end_of_working_day(today, due.timezone) if rule.quiet else None
    with database.transaction() as session:
        scope = Scope(
            session,
            due.kabupaten,
            due.setting,
            config.calendar,
            reach(config.channels),
            due.timezone,
            now,
        )
        outcome: Outcome = due.job.run(scope, due.occurrence)
        queued = [
            outbox.Queued(
                message.key, message.person.person_id, rule.name, message.text, send_before
            )
            for message in outcome.messages
        ]
        new = outbox.enqueue_many(session, queued, now)
        unreachable = tuple(outcome.unreachable)
        if rule.once:
            schedule.record_run(session, due.run_key, now, len(queued), len(unreachable))
    report = RunReport(
        due,
        messages=Counter(message.person.role for message in outcome.messages),
        new=Counter(message.person.role for message in outcome.messages if message.key in new),
        unreachable=unreachable,
        note=outcome.note,
    )
    log.log(
        logging.INFO if new or outcome.note else logging.DEBUG,
        "%s %s %s (%s): %d message(s), %d new, %d unreachable %s",
        rule.name,
        due.occurrence.tag,
        due.kabupaten.code,
        due.timezone,
        len(queued),
        len(new),
        len(unreachable),
        outcome.note,
    )
    return report

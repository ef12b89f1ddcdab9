"""What every job is made of: occurrences on the calendar, and a run that yields messages.

A job places its occurrences on local calendar days (``schedule``), from the
kabupaten's roster facts and settings; the tick runs those that are due for
each recipient zone (``run``), inside one transaction, and queues the
messages. Jobs never send: the dispatcher does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from conversations.periods import day_in_month, format_day, month_of, shift_month
from handlers.reminders import words as T
from handlers.reminders.rules import Rule, Setting
from handlers.reminders.timing import Calendar, zone
from storage import Transaction
from storage.reminders.recipients import Reach, Recipient, Zone
from storage.reminders.schedule import KabupatenFacts


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One firing of a rule: on local ``day`` at ``hour``; ``tag`` is unique within the rule.

    ``period`` is the reporting month it concerns, ``target`` the event it
    announces (a Posyandu day, a meeting), ``stage`` the escalation step.
    """

    tag: str
    day: date
    hour: int
    period: str | None = None
    target: date | None = None
    stage: int = 0


@dataclass(frozen=True, slots=True)
class Scope:
    """One run of one occurrence: a kabupaten, a recipient zone, an instant.

    ``session`` is the run's transaction, handed to the ``storage.reminders``
    queries; the outbox rows and the run record are written in it too.
    """

    session: Transaction
    kabupaten: KabupatenFacts
    setting: Setting
    calendar: Calendar
    reach: Reach
    timezone: str
    now: datetime

    @property
    def zone(self) -> Zone:
        return Zone(self.timezone, self.kabupaten.timezone)

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(zone(self.timezone))


@dataclass(frozen=True, slots=True)
class Message:
    key: str
    person: Recipient
    text: str


@dataclass(slots=True)
class Outcome:
    """What a run produced: messages to queue, and anything worth telling the operator."""

    messages: list[Message] = field(default_factory=list)
    note: str = ""

    @property
    def unreachable(self) -> list[Recipient]:
        return [message.person for message in self.messages if not message.person.reachable]


class Job(Protocol):
    rule: Rule

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        """The occurrences that belong to ``month`` (their fire day may lie just outside it)."""
        ...

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        """Find the recipients now and write their messages (queries only through ``storage``)."""
        ...


def occurrences_between(
    job: Job,
    kabupaten: KabupatenFacts,
    setting: Setting,
    calendar: Calendar,
    first: date,
    last: date,
) -> list[Occurrence]:
    """Occurrences whose fire day lies in [first, last], in fire order.

    Months around the range are scheduled too, since a holiday shift or a
    "days before" offset can move a fire day into a neighbouring month.
    """
    start = shift_month(month_of(first), -2)
    months = []
    month = start
    while month <= shift_month(month_of(last), 1):
        months.append(month)
        month = shift_month(month, 1)
    found = [
        occurrence
        for month in months
        for occurrence in job.schedule(kabupaten, setting, calendar, month)
        if first <= occurrence.day <= last
    ]
    return sorted(found, key=lambda occurrence: (occurrence.day, occurrence.hour, occurrence.tag))


def days_falling_on(days: frozenset[int], target: date) -> list[int]:
    """Which day-of-month settings land on ``target`` (31 lands on 30 November)."""
    return [day for day in days if day_in_month(month_of(target), day) == target]


def key(rule: str, tag: str, person_id: int) -> str:
    """The outbox key: one message per rule, occurrence and recipient."""
    return f"{rule}:{tag}:person{person_id}"


def local_phone(phone: str) -> str:
    """``+6281234…`` -> ``081234…``: how people write numbers to each other."""
    return "0" + phone[3:] if phone.startswith("+62") else phone


def named(person: Recipient) -> str:
    return f"{person.name} ({local_phone(person.phone)})"


def day_label(day: date, today: date) -> str:
    """``besok, Kamis, 12 Nov 2026``, or without ``besok`` when it is further away."""
    text = format_day(day)
    return f"{T.TOMORROW}, {text}" if day == today + timedelta(days=1) else text


def limited(lines: list[str], limit: int = 25) -> list[str]:
    """At most ``limit`` lines, then one saying how many more there are (Telegram caps 4,096)."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], T.REMIND_MORE.format(count=len(lines) - limit)]

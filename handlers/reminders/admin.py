"""What the operator's ``jobs`` and ``schedule`` commands do, without the terminal.

The command line (``bot.cli_reminders``) parses options and prints; reading
the roster's kabupaten, their overrides and the next runs, and saving or
clearing an override, happen here, each in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from conversations.phone import mask_phone
from handlers.reminders.planner import next_runs
from handlers.reminders.rules import RULES, Rule, Setting, parse_numbers, resolve
from handlers.reminders.timing import Calendar
from storage import Database
from storage.reminders import schedule
from storage.reminders.recipients import Recipient
from storage.reminders.schedule import KabupatenFacts


@dataclass(frozen=True, slots=True)
class Plan:
    """``jobs list``: the recipient time zones of the roster, and each job's next run in them."""

    zones: list[str]
    next_runs: dict[str, dict[str, datetime]]


def plan(database: Database, calendar: Calendar, now: datetime) -> Plan | None:
    """When each job runs next in each zone of the roster; None while it has no kabupaten."""
    with database.transaction() as session:
        kabupaten = schedule.kabupaten_facts(session)
        overrides = schedule.overrides(session)
    if not kabupaten:
        return None
    zones = sorted({name for facts in kabupaten for name in facts.zones})
    return Plan(zones, next_runs(kabupaten, overrides, calendar, now))


@dataclass(frozen=True, slots=True)
class KabupatenRules:
    """``schedule show``: one kabupaten and every rule as it runs there, in ``RULES`` order."""

    kabupaten: KabupatenFacts
    settings: list[Setting]


def rules_of(database: Database, kabupaten: str | None = None) -> list[KabupatenRules]:
    """Each kabupaten (or only the one with code ``kabupaten``) with its resolved rules."""
    with database.transaction() as session:
        facts = [f for f in schedule.kabupaten_facts(session) if kabupaten in (None, f.code)]
        overrides = schedule.overrides(session)
    return [
        KabupatenRules(
            item,
            [resolve(rule, overrides.get((item.code, name))) for name, rule in RULES.items()],
        )
        for item in facts
    ]


def save_override(
    database: Database,
    kabupaten: str,
    rule: Rule,
    now: datetime,
    *,
    enabled: bool | None = None,
    days: str | None = None,
    hour: int | None = None,
    months: str | None = None,
) -> bool:
    """Store a kabupaten's override of ``rule``; False when no kabupaten has that code.

    ``days`` and ``months`` are stored normalised (sorted, without repeats);
    check them with :func:`handlers.reminders.rules.validate` first.
    """
    with database.transaction() as session:
        if not schedule.kabupaten_exists(session, kabupaten):
            return False
        schedule.save_override(
            session,
            kabupaten,
            rule.name,
            now,
            enabled=enabled,
            days=_normalised(days),
            hour=hour,
            months=_normalised(months),
        )
    return True


def clear_override(database: Database, kabupaten: str, rule: str) -> bool:
    """Back to the defaults for one rule in one kabupaten; False when there was no override."""
    with database.transaction() as session:
        return schedule.clear_override(session, kabupaten, rule)


def _normalised(numbers: str | None) -> str | None:
    return ",".join(map(str, parse_numbers(numbers))) if numbers is not None else None


def described(person: Recipient) -> str:
    """A recipient as an operator's screen may show them: the phone number masked."""
    return f"{person.role} {person.name} {mask_phone(person.phone)}"

"""When each job runs next, per recipient time zone (for ``jobs list``).

Uses the same calendar placement as the tick, so what ``jobs list`` shows
is what will happen (a Posyandu day reminder is listed only where some
Posyandu has a day set, a holiday shows up as a moved date).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.reminders.jobs import JOBS
from handlers.reminders.jobs.base import occurrences_between
from handlers.reminders.rules import resolve
from handlers.reminders.timing import Calendar, is_zone, zone
from storage.reminders.models import ScheduleSetting
from storage.reminders.schedule import KabupatenFacts

HORIZON_DAYS = 120


def next_runs(
    kabupaten: list[KabupatenFacts],
    overrides: dict[tuple[str, str], ScheduleSetting],
    calendar: Calendar,
    now: datetime,
) -> dict[str, dict[str, datetime]]:
    """rule -> zone -> the earliest next run (local time) over the kabupaten in that zone."""
    found: dict[str, dict[str, datetime]] = {name: {} for name in JOBS}
    for facts in kabupaten:
        for name, job in JOBS.items():
            setting = resolve(job.rule, overrides.get((facts.code, name)))
            if not setting.enabled:
                continue
            for timezone in facts.zones if job.rule.per_zone else (facts.timezone,):
                if not is_zone(timezone):
                    continue
                local_now = now.astimezone(zone(timezone))
                today = local_now.date()
                last = today + timedelta(days=HORIZON_DAYS)
                for occurrence in occurrences_between(job, facts, setting, calendar, today, last):
                    at = datetime.combine(occurrence.day, datetime.min.time(), zone(timezone))
                    at = at.replace(hour=occurrence.hour)
                    if at > local_now:
                        best = found[name].get(timezone)
                        if best is None or at < best:
                            found[name][timezone] = at
                        break
    return found

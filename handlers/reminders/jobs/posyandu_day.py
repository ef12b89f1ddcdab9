"""``posyandu_day``: the day before each Posyandu's day, its kader and bidan are reminded.

Falls back to the previous working day (a reminder after the event is useless).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from conversations.periods import day_in_month
from handlers.reminders import words as T
from handlers.reminders.jobs.base import (
    Message,
    Occurrence,
    Outcome,
    Scope,
    day_label,
    days_falling_on,
    key,
)
from handlers.reminders.rules import RULES, Setting
from handlers.reminders.timing import Calendar
from storage.reminders import recipients
from storage.reminders.recipients import PosyanduLink
from storage.reminders.schedule import KabupatenFacts


class PosyanduDayJob:
    rule = RULES["posyandu_day"]

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        targets = {day_in_month(month, day) for day in kabupaten.posyandu_days}
        return [
            Occurrence(
                tag=f"{target.isoformat()}:d-{offset}",
                day=calendar.shift(target - timedelta(days=offset), self.rule.shift),
                hour=setting.hour,
                target=target,
            )
            for target in sorted(targets)
            for offset in setting.days
        ]

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        assert occurrence.target is not None
        target = occurrence.target
        days = days_falling_on(scope.kabupaten.posyandu_days, target)
        links = recipients.posyandu_people(
            scope.session,
            scope.kabupaten.code,
            self.rule.audience,
            recipients.posyandu_day_in(days),
            scope.reach,
            scope.zone,
        )
        by_person: dict[int, list[PosyanduLink]] = defaultdict(list)
        for link in links:
            by_person[link.person.person_id].append(link)
        when = day_label(target, scope.local_now.date())
        messages = []
        for person_id, own in by_person.items():
            person = own[0].person
            names = ", ".join(link.posyandu_name for link in own)
            template = (
                T.REMIND_POSYANDU_DAY_BIDAN if person.role == "bidan" else T.REMIND_POSYANDU_DAY
            )
            text = template.format(posyandu=names, when=when)
            messages.append(Message(key(self.rule.name, occurrence.tag, person_id), person, text))
        return Outcome(messages)

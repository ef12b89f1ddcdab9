"""``report_due``: early in the month, kader whose Posyandu has not reported last month.

Each configured day (default 1 and 3) is its own occurrence; on a rest day it
moves to the next working day, and it is dropped when that is past the
deadline (``report_overdue`` takes over then). Two days landing on the same
working day send once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from conversations.periods import day_in_month, deadline_of, format_date, format_month, shift_month
from handlers.reminders import words as T
from handlers.reminders.jobs.base import Message, Occurrence, Outcome, Scope, key
from handlers.reminders.rules import RULES, Setting
from handlers.reminders.timing import Calendar
from storage.reminders import recipients
from storage.reminders.schedule import KabupatenFacts


class ReportDueJob:
    rule = RULES["report_due"]

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        period = shift_month(month, -1)
        deadline = deadline_of(period, kabupaten.deadline_day)
        by_day: dict[date, Occurrence] = {}
        for day in setting.days:
            fire = calendar.shift(day_in_month(month, day), self.rule.shift)
            if fire <= deadline:
                by_day[fire] = Occurrence(f"{period}:d{day}", fire, setting.hour, period=period)
        return list(by_day.values())

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        assert occurrence.period is not None
        links = recipients.posyandu_people(
            scope.session,
            scope.kabupaten.code,
            self.rule.audience,
            recipients.missing_report(occurrence.period),
            scope.reach,
            scope.zone,
        )
        names: dict[int, list[str]] = defaultdict(list)
        people: dict[int, recipients.Recipient] = {}
        for link in links:
            names[link.person.person_id].append(link.posyandu_name)
            people[link.person.person_id] = link.person
        deadline = format_date(deadline_of(occurrence.period, scope.kabupaten.deadline_day))
        month = format_month(occurrence.period)
        return Outcome(
            [
                Message(
                    key(self.rule.name, occurrence.tag, person_id),
                    people[person_id],
                    T.REMIND_REPORT_DUE.format(
                        period=month, posyandu=", ".join(own), deadline=deadline
                    ),
                )
                for person_id, own in names.items()
            ]
        )

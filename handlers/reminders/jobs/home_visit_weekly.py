"""``home_visit_weekly``: every Monday, each bidan gets last week's home visits, by ILP category.

Under ILP the kader's home visits are reviewed weekly with the health
worker in four categories (not accessing services, not adhering to
treatment, danger signs, TB symptoms), which the home visit form declares
(``WEEKLY_REVIEW``). The week is the seven days before the review day; a
bidan whose Posyandu had no visit that week gets nothing. A review day that
is a holiday moves to the next working day, covering the same week.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from conversations.forms.home_visit import WEEKLY_REVIEW
from conversations.periods import day_in_month, format_date, month_of
from handlers.reminders import words as T
from handlers.reminders.jobs.base import Message, Occurrence, Outcome, Scope, key
from handlers.reminders.rules import RULES, Setting
from handlers.reminders.timing import Calendar
from storage.reminders import recipients
from storage.reminders.recipients import PosyanduLink
from storage.reminders.schedule import KabupatenFacts

WEEK = timedelta(days=7)


class HomeVisitWeeklyJob:
    rule = RULES["home_visit_weekly"]

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        first = day_in_month(month, 1)
        days = [first + timedelta(days=n) for n in range(31)]
        return [
            Occurrence(
                tag=day.isoformat(),
                day=calendar.shift(day, self.rule.shift),
                hour=setting.hour,
                target=day,
            )
            for day in days
            if month_of(day) == month and day.isoweekday() in setting.days
        ]

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        assert occurrence.target is not None
        first, last = occurrence.target - WEEK, occurrence.target - timedelta(days=1)
        code = scope.kabupaten.code
        visits: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for posyandu, answers in recipients.visits_between(scope.session, code, first, last):
            visits[posyandu].append(answers)
        if not visits:
            return Outcome(note="no home visits last week")
        links = recipients.posyandu_people(
            scope.session,
            code,
            self.rule.audience,
            recipients.posyandu_in(sorted(visits)),
            scope.reach,
            scope.zone,
        )
        by_bidan: dict[int, list[PosyanduLink]] = defaultdict(list)
        for link in links:
            by_bidan[link.person.person_id].append(link)
        week = {"first": format_date(first), "last": format_date(last)}
        messages = [
            Message(
                key(self.rule.name, occurrence.tag, person_id),
                own[0].person,
                _digest(own, visits, week),
            )
            for person_id, own in by_bidan.items()
        ]
        return Outcome(messages)


def _digest(
    own: list[PosyanduLink], visits: dict[str, list[dict[str, Any]]], week: dict[str, str]
) -> str:
    """One bidan's week: the visits of her Posyandu counted in each review category."""
    answers = [visit for link in own for visit in visits[link.posyandu_code]]
    lines = [T.REMIND_VISITS_WEEKLY.format(count=len(answers), **week)]
    lines.extend(
        T.REMIND_VISITS_CATEGORY.format(
            category=category.label, count=sum(1 for visit in answers if category.holds(visit))
        )
        for category in WEEKLY_REVIEW
    )
    per_posyandu = [
        T.REMIND_VISITS_POSYANDU_ITEM.format(
            posyandu=link.posyandu_name, count=len(visits[link.posyandu_code])
        )
        for link in own
    ]
    lines.append(T.REMIND_VISITS_POSYANDU.format(posyandu=", ".join(per_posyandu)))
    lines.append(T.REMIND_VISITS_FOOTER)
    return "\n".join(lines)

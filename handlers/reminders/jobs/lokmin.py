"""``lokmin_bulanan`` and ``lokmin_tribulanan``: before a Puskesmas' lokakarya mini, its figures.

Monthly (bidan and staff): the previous month's report completeness of the
Puskesmas, so they walk into the meeting knowing it. Quarterly (staff, in
the configured months): the last three months' completeness for the
cross-sector meeting. Both fall back to the previous working day.
"""

from __future__ import annotations

from datetime import timedelta

from conversations.periods import day_in_month, format_month, shift_month, year_month
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
from handlers.reminders.rules import RULES, Rule, Setting
from handlers.reminders.timing import Calendar
from storage.reminders import recipients
from storage.reminders.schedule import KabupatenFacts


class LokminJob:
    """One lokakarya mini reminder; ``months_reported`` is how many months of figures it carries."""

    def __init__(self, rule: Rule, template: str, months_reported: int) -> None:
        self.rule = rule
        self._template = template
        self._months_reported = months_reported

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        if setting.months and year_month(month)[1] not in setting.months:
            return []
        meetings = sorted({day_in_month(month, day) for day in kabupaten.lokmin_days})
        return [
            Occurrence(
                tag=f"{meeting.isoformat()}:d-{offset}",
                day=calendar.shift(meeting - timedelta(days=offset), self.rule.shift),
                hour=setting.hour,
                period=shift_month(month, -1),
                target=meeting,
            )
            for meeting in meetings
            for offset in setting.days
        ]

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        assert occurrence.target is not None and occurrence.period is not None
        meeting = occurrence.target
        days = days_falling_on(scope.kabupaten.lokmin_days, meeting)
        code = scope.kabupaten.code
        puskesmas = recipients.puskesmas_with_lokmin(scope.session, code, days)
        members = recipients.area_members(
            scope.session, code, list(puskesmas), self.rule.audience, scope.reach, scope.zone
        )
        periods = [
            shift_month(occurrence.period, -n) for n in reversed(range(self._months_reported))
        ]
        figures = recipients.completeness(scope.session, code, periods)
        when = day_label(meeting, scope.local_now.date())
        messages = []
        for member in members:
            area = member.puskesmas_code
            text = self._template.format(
                puskesmas=puskesmas[area],
                when=when,
                completeness="; ".join(
                    _completeness(period, *figures.get((area, period), (0, 0)))
                    for period in periods
                ),
            )
            key_ = key(self.rule.name, occurrence.tag, member.person.person_id)
            messages.append(Message(key_, member.person, text))
        return Outcome(messages)


def _completeness(period: str, reported: int, total: int) -> str:
    percent = round(100 * reported / total) if total else 0
    return T.REMIND_COMPLETENESS.format(
        period=format_month(period), reported=reported, total=total, percent=percent
    )


LOKMIN_BULANAN = LokminJob(RULES["lokmin_bulanan"], T.REMIND_LOKMIN_BULANAN, months_reported=1)
LOKMIN_TRIBULANAN = LokminJob(
    RULES["lokmin_tribulanan"], T.REMIND_LOKMIN_TRIBULANAN, months_reported=3
)

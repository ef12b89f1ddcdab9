"""``summary_snapshot``: after each kabupaten's deadline, keep its monthly summaries as they stand.

Sends nothing, so it ignores working hours; it runs in the kabupaten's own
zone, and catches up if the service was down when it was due.
"""

from __future__ import annotations

from datetime import timedelta

from conversations.periods import deadline_of, shift_month
from handlers.reminders.jobs.base import Occurrence, Outcome, Scope
from handlers.reminders.rules import RULES, Setting
from handlers.reminders.timing import Calendar
from storage.reminders.schedule import KabupatenFacts
from storage.reminders.summaries import store_monthly_summaries


class SummarySnapshotJob:
    rule = RULES["summary_snapshot"]

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        period = shift_month(month, -1)
        day = deadline_of(period, kabupaten.deadline_day) + timedelta(days=setting.days[0])
        return [Occurrence(period, day, setting.hour, period=period)]

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        assert occurrence.period is not None
        taken = store_monthly_summaries(
            scope.session, scope.kabupaten.code, occurrence.period, scope.now
        )
        note = "snapshot taken" if taken else "snapshot already taken"
        return Outcome(note=f"{note} for {occurrence.period}")

"""``draft_expiring``: anyone whose unfinished report will be deleted within 24 hours.

Drafts live 7 days after the last answer, whether open or put aside for
another form. Checked on every tick in working hours, so a draft expiring at
night is announced by 06:00 the same morning; the key names the form and the
expiry, so a draft continued and left again is announced again before its new
expiry, never twice for the same one, and two drafts of one person expiring
together are both announced. The report menu is no draft: nothing is lost
when it expires, so it is never announced.
"""

from __future__ import annotations

from datetime import date, timedelta

from conversations.forms import MENU, title_of
from conversations.periods import day_in_month, shift_month
from handlers.reminders import words as T
from handlers.reminders.jobs.base import Message, Occurrence, Outcome, Scope, key
from handlers.reminders.rules import RULES, Setting
from handlers.reminders.timing import Calendar, zone
from storage.reminders import recipients
from storage.reminders.schedule import KabupatenFacts

NOTICE = timedelta(hours=24)


class DraftExpiringJob:
    rule = RULES["draft_expiring"]

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        first = day_in_month(month, 1)
        last = day_in_month(shift_month(month, 1), 1)
        return [
            Occurrence(day.isoformat(), day, setting.hour)
            for day in (first + timedelta(days=n) for n in range((last - first).days))
        ]

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        drafts = recipients.expiring_drafts(
            scope.session,
            scope.kabupaten.code,
            scope.now,
            scope.now + NOTICE,
            scope.reach,
            scope.zone,
        )
        today = scope.local_now.date()
        messages = []
        for draft in drafts:
            if draft.form == MENU.id:
                continue
            expires = draft.expires_at.astimezone(zone(scope.timezone))
            text = T.REMIND_DRAFT_EXPIRING.format(
                title=title_of(draft.form),
                when=_when(expires.date(), today),
                time=expires.strftime("%H:%M"),
            )
            tag = f"{draft.form}:{draft.expires_at:%Y%m%dT%H%M%SZ}"
            messages.append(
                Message(key(self.rule.name, tag, draft.person.person_id), draft.person, text)
            )
        return Outcome(messages)


def _when(day: date, today: date) -> str:
    return T.TODAY if day == today else T.TOMORROW

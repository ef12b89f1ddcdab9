"""``rapat_pengingat``: meeting reminders (H-1 at 16:00, two hours before) and follow-up items.

Checked on every tick in working hours, at each invitee's own clock: the day
before a meeting (on the invitee's calendar) from 16:00, and from two hours
before its start. Everyone invited who did not decline gets them; no answer
counts as not declined. A meeting starting before 08:00 has its two-hour
reminder at 06:00, when the working-hours window opens. The owners of open
follow-up items hear of them three days before and on the due date, from
08:00. Keys name the meeting (or item), the step and the person, so a tick
repeated, two schedulers or a manual ``jobs run`` queue nothing twice; the key also
names the start, so a meeting moved (``rapat pindah``) is reminded of again.
"""

from __future__ import annotations

from datetime import UTC, time, timedelta

from conversations.forms.meeting import format_clock, when_text
from conversations.periods import day_in_month, format_date, shift_month
from conversations.zones import abbreviation
from handlers.meetings import words as T
from handlers.reminders.jobs.base import Message, Occurrence, Outcome, Scope, key
from handlers.reminders.rules import RULES, Setting
from handlers.reminders.timing import Calendar, zone
from storage.meetings import reminders
from storage.reminders.schedule import KabupatenFacts

DAY_BEFORE_AT = time(16)
SOON = timedelta(hours=2)
LOOK_AHEAD = timedelta(hours=48)
ITEMS_AT = time(8)
ITEM_NOTICE_DAYS = 3


class MeetingReminderJob:
    rule = RULES["rapat_pengingat"]

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
        return Outcome([*self._meetings(scope), *self._items(scope)])

    def _meetings(self, scope: Scope) -> list[Message]:
        here = zone(scope.timezone)
        local_now = scope.local_now
        found = reminders.invitees_of_meetings_starting(
            scope.session,
            scope.kabupaten.code,
            scope.zone,
            scope.reach,
            scope.now,
            scope.now + LOOK_AHEAD,
        )
        messages = []
        for invited in found:
            start = invited.starts_at.astimezone(here)
            if scope.now >= invited.starts_at - SOON:
                step = "2jam"
                text = T.REMIND_SOON.format(
                    id=invited.meeting_id,
                    title=invited.title,
                    time=format_clock(start.time()),
                    zone=abbreviation(scope.timezone),
                    place=invited.place,
                )
            elif (
                local_now.date() == start.date() - timedelta(days=1)
                and local_now.time() >= DAY_BEFORE_AT
            ):
                step = "h-1"
                venue = zone(invited.timezone)
                text = T.REMIND_TOMORROW.format(
                    id=invited.meeting_id,
                    title=invited.title,
                    when=when_text(
                        invited.starts_at.astimezone(venue).replace(tzinfo=None),
                        invited.ends_at.astimezone(venue).replace(tzinfo=None),
                        abbreviation(invited.timezone),
                    ),
                    place=invited.place,
                )
            else:
                continue
            # The start is part of the key: a meeting moved later is reminded of again.
            tag = (
                f"rapat{invited.meeting_id}:{step}:{invited.starts_at.astimezone(UTC):%Y%m%dT%H%M}"
            )
            messages.append(
                Message(key(self.rule.name, tag, invited.person.person_id), invited.person, text)
            )
        return messages

    def _items(self, scope: Scope) -> list[Message]:
        local_now = scope.local_now
        if local_now.time() < ITEMS_AT:
            return []
        today = local_now.date()
        soon = today + timedelta(days=ITEM_NOTICE_DAYS)
        found = reminders.owners_of_items_due(
            scope.session, scope.kabupaten.code, scope.zone, scope.reach, [today, soon]
        )
        messages = []
        for owned in found:
            if owned.due == today:
                step, template = "h0", T.REMIND_ITEM_TODAY
            else:
                step, template = f"h-{ITEM_NOTICE_DAYS}", T.REMIND_ITEM_SOON
            text = template.format(item=owned.item_id, what=owned.what, due=format_date(owned.due))
            tag = f"rtl{owned.item_id}:{step}"
            messages.append(
                Message(key(self.rule.name, tag, owned.person.person_id), owned.person, text)
            )
        return messages

"""``lokmin_rapat`` and ``lokmin_data``: the lokakarya mini as meetings, and their data pack.

``lokmin_rapat`` creates, a week before each Puskesmas' ``lokmin_day``, that
month's lokakarya mini as a meeting organised by the Puskesmas' first staff
member on the roster, 09:00-12:00 at the Puskesmas, and sends the invitations
(with the answer buttons). In the months of the quarterly lokmin (the
``lokmin_tribulanan`` months: Feb/May/Aug/Nov unless the kabupaten set
others) it is the cross-sector meeting: besides the Puskesmas' bidan and
staff, its ``mitra`` and one kader per Posyandu are invited. Each Puskesmas'
lokmin are one series, so the follow-up items still open show in the next.

``lokmin_data`` sends, the day before, every invitee who did not decline the
data pack: the previous month's rekap of the Puskesmas as text (with the
Posyandu still missing), its chart and its Excel workbook.

Both run once per kabupaten, at its own clock; a meeting is created once
(its ``source`` names Puskesmas and month) and every message has its key.
"""

from __future__ import annotations

import base64
from datetime import datetime, time, timedelta
from typing import Any

from conversations import Attachment
from conversations.periods import day_in_month, format_month, shift_month, year_month
from handlers.meetings import invitations
from handlers.meetings import words as T
from handlers.rekap.files import attachment, file_bytes
from handlers.reminders.jobs.base import Occurrence, Outcome, Scope, days_falling_on
from handlers.reminders.rules import RULES, Rule, Setting, resolve
from handlers.reminders.timing import Calendar, zone
from storage import Transaction, outbox
from storage.meetings import store
from storage.meetings.models import CANCELLED
from storage.meetings.store import NewMeeting
from storage.rekap import by_code
from storage.reminders import recipients, schedule
from storage.reminders.schedule import KabupatenFacts

STARTS = time(9)
ENDS = time(12)


def _lokmin_days(
    rule: Rule, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
) -> list[Occurrence]:
    """One occurrence per lokmin day of ``month``, ``days`` before it (on a working day)."""
    meetings = sorted({day_in_month(month, day) for day in kabupaten.lokmin_days})
    return [
        Occurrence(
            tag=f"{meeting.isoformat()}:d-{offset}",
            day=calendar.shift(meeting - timedelta(days=offset), rule.shift),
            hour=setting.hour,
            period=shift_month(month, -1),
            target=meeting,
        )
        for meeting in meetings
        for offset in setting.days
    ]


class LokminMeetingJob:
    rule = RULES["lokmin_rapat"]

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        return _lokmin_days(self.rule, kabupaten, setting, calendar, month)

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        assert occurrence.target is not None
        day = occurrence.target
        session = scope.session
        code = scope.kabupaten.code
        quarterly = year_month(day.isoformat()[:7])[1] in quarterly_months(session, code)
        here = zone(scope.kabupaten.timezone)
        days = days_falling_on(scope.kabupaten.lokmin_days, day)
        created = []
        for puskesmas, name in sorted(
            recipients.puskesmas_with_lokmin(session, code, days).items()
        ):
            source = f"lokmin:{puskesmas}:{day.isoformat()[:7]}"
            staff = store.people(session, code, "puskesmas", puskesmas)
            if not staff or store.exists_from(session, source):
                continue
            invited = [
                *store.people(session, code, "bidan", puskesmas),
                *staff,
                *(store.people(session, code, "mitra", puskesmas) if quarterly else ()),
                *(store.kader_per_posyandu(session, puskesmas) if quarterly else ()),
            ]
            kind = "lokmin_tribulanan" if quarterly else "lokmin_bulanan"
            new = NewMeeting(
                kind=kind,
                title=T.LOKMIN_TITLE[kind].format(
                    puskesmas=name, month=format_month(day.isoformat()[:7])
                ),
                organiser_id=staff[0].person_id,
                area_code=puskesmas,
                kabupaten_code=code,
                timezone=scope.kabupaten.timezone,
                starts_at=datetime.combine(day, STARTS, here),
                ends_at=datetime.combine(day, ENDS, here),
                place=name,
                agenda=None,
                code=invitations.new_code(),
                series=f"lokmin:{puskesmas}",
                source=source,
            )
            meeting_id = store.create(session, new, [m.person_id for m in invited], scope.now)
            replies = invitations.announce(session, meeting_id, scope.now)
            text = "\n".join([T.LOKMIN_CREATED.format(id=meeting_id), *(r.text for r in replies)])
            outbox.enqueue(
                session,
                f"{self.rule.name}:{meeting_id}:person{staff[0].person_id}",
                staff[0].person_id,
                self.rule.name,
                {"text": text},
                scope.now,
            )
            created.append(f"#{meeting_id} {name}")
        return Outcome([], note=", ".join(created))


def quarterly_months(session: Transaction, kabupaten: str) -> tuple[int, ...]:
    """The months of the quarterly lokmin in this kabupaten (its ``lokmin_tribulanan`` setting)."""
    rule = RULES["lokmin_tribulanan"]
    return resolve(rule, schedule.overrides(session).get((kabupaten, rule.name))).months


class LokminDataJob:
    rule = RULES["lokmin_data"]

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        return _lokmin_days(self.rule, kabupaten, setting, calendar, month)

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        assert occurrence.target is not None and occurrence.period is not None
        session = scope.session
        here = zone(scope.kabupaten.timezone)
        start = datetime.combine(occurrence.target, time(0), here)
        meetings = store.from_schedule(
            session, scope.kabupaten.code, start, start + timedelta(days=1)
        )
        today = scope.local_now.date()
        sent = []
        for meeting in meetings:
            if meeting.status == CANCELLED:
                continue
            area = by_code(session, meeting.area_code)
            if area is None:
                continue
            period = occurrence.period
            text = file_bytes(session, area, period, "text", today).decode("utf-8").strip()
            files = [attachment(session, area, period, output, today) for output in ("png", "xlsx")]
            header = T.DATA_PACK.format(
                id=meeting.id, title=meeting.title, month=format_month(period)
            )
            for person in store.invitees(session, meeting.id):
                if person.rsvp == "tidak":
                    continue
                step = f"{self.rule.name}:{meeting.id}"
                invitations.queue(session, f"{step}:teks", person, f"{header}\n\n{text}", scope.now)
                for part, file in zip(("grafik", "excel"), files, strict=True):
                    invitations.queue(
                        session,
                        f"{step}:{part}",
                        person,
                        file.filename,
                        scope.now,
                        attached=_payload(file),
                    )
            sent.append(f"#{meeting.id}")
        return Outcome([], note=", ".join(sent))


def _payload(file: Attachment) -> dict[str, Any]:
    return {
        "filename": file.filename,
        "mime_type": file.mime_type,
        "kind": file.kind,
        "content": base64.b64encode(file.content).decode("ascii"),
    }

"""``report_overdue``: at the deadline each bidan gets her Posyandu still missing; then Puskesmas.

Stage 0 (deadline day, default): a bidan gets each of her Posyandu without
last month's report, with its kader's phone numbers to call, and the kader
the bot cannot reach. Stage 1 (the next working day): Puskesmas staff get
what is still missing in their area, per desa, with the desa's bidan.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from conversations.periods import deadline_of, format_date, format_month, shift_month
from handlers.reminders import words as T
from handlers.reminders.jobs.base import Message, Occurrence, Outcome, Scope, key, limited, named
from handlers.reminders.rules import RULES, Setting
from handlers.reminders.timing import Calendar
from storage.reminders import recipients
from storage.reminders.recipients import PosyanduLink, Recipient
from storage.reminders.schedule import KabupatenFacts

STAGES = ("bidan", "puskesmas")


class ReportOverdueJob:
    rule = RULES["report_overdue"]

    def schedule(
        self, kabupaten: KabupatenFacts, setting: Setting, calendar: Calendar, month: str
    ) -> list[Occurrence]:
        period = shift_month(month, -1)
        deadline = deadline_of(period, kabupaten.deadline_day)
        occurrences: list[Occurrence] = []
        for stage, (audience, offset) in enumerate(zip(STAGES, setting.days, strict=False)):
            fire = calendar.shift(deadline + timedelta(days=offset), self.rule.shift)
            if occurrences and fire <= occurrences[-1].day:
                fire = calendar.working_day_after(occurrences[-1].day)
            tag = f"{period}:{audience}"
            occurrences.append(Occurrence(tag, fire, setting.hour, period=period, stage=stage))
        return occurrences

    def run(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        assert occurrence.period is not None
        if occurrence.stage == 0:
            return self._to_bidan(scope, occurrence)
        return self._to_puskesmas(scope, occurrence)

    def _to_bidan(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        period = occurrence.period or ""
        missing = recipients.missing_report(period)
        code = scope.kabupaten.code
        bidan_links = recipients.posyandu_people(
            scope.session, code, ("bidan",), missing, scope.reach, scope.zone
        )
        kader: dict[str, list[Recipient]] = defaultdict(list)
        for link in recipients.posyandu_people(
            scope.session, code, ("kader",), missing, scope.reach
        ):
            kader[link.posyandu_code].append(link.person)
        by_bidan: dict[int, list[PosyanduLink]] = defaultdict(list)
        for link in bidan_links:
            by_bidan[link.person.person_id].append(link)
        month, deadline = _when(scope, period)
        messages = []
        for person_id, own in by_bidan.items():
            lines = [T.REMIND_OVERDUE_BIDAN.format(period=month, deadline=deadline, count=len(own))]
            unreached: list[Recipient] = []
            for link in own:
                people = kader.get(link.posyandu_code, [])
                unreached.extend(person for person in people if not person.reachable)
                who = ", ".join(named(person) for person in people) or T.REMIND_NO_KADER
                lines.append(T.REMIND_OVERDUE_LINE.format(posyandu=link.posyandu_name, kader=who))
            lines = limited(lines)
            if unreached:
                names = ", ".join(named(person) for person in unreached)
                lines.append(T.REMIND_UNREACHABLE.format(people=names))
            lines.append(T.REMIND_OVERDUE_BIDAN_FOOTER)
            messages.append(
                Message(
                    key(self.rule.name, occurrence.tag, person_id), own[0].person, "\n".join(lines)
                )
            )
        return Outcome(messages)

    def _to_puskesmas(self, scope: Scope, occurrence: Occurrence) -> Outcome:
        period = occurrence.period or ""
        code = scope.kabupaten.code
        missing = recipients.missing_posyandu(scope.session, code, period)
        by_area: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for _, name, desa, puskesmas in missing:
            by_area[puskesmas][desa].append(name)
        staff = recipients.area_members(
            scope.session, code, list(by_area), ("puskesmas",), scope.reach, scope.zone
        )
        bidan: dict[str, list[str]] = defaultdict(list)
        for link in recipients.posyandu_people(
            scope.session, code, ("bidan",), recipients.missing_report(period), scope.reach
        ):
            if named(link.person) not in bidan[link.desa_code]:
                bidan[link.desa_code].append(named(link.person))
        places = recipients.place_names(scope.session, code)
        month, deadline = _when(scope, period)
        messages = []
        for member in staff:
            area = by_area[member.puskesmas_code]
            lines = [
                T.REMIND_OVERDUE_DESA_LINE.format(
                    desa=places.get(desa, desa),
                    bidan=", ".join(bidan[desa]) or T.REMIND_NO_BIDAN,
                    posyandu=", ".join(names),
                )
                for desa, names in sorted(area.items(), key=lambda item: places.get(item[0], ""))
            ]
            header = T.REMIND_OVERDUE_PUSKESMAS.format(
                period=month,
                deadline=deadline,
                count=sum(len(names) for names in area.values()),
                puskesmas=places.get(member.puskesmas_code, member.puskesmas_code),
            )
            text = "\n".join([header, *limited(lines), T.REMIND_OVERDUE_PUSKESMAS_FOOTER])
            key_ = key(self.rule.name, occurrence.tag, member.person.person_id)
            messages.append(Message(key_, member.person, text))
        return Outcome(messages)


def _when(scope: Scope, period: str) -> tuple[str, str]:
    """The reporting month and its deadline, as the messages name them."""
    deadline = deadline_of(period, scope.kabupaten.deadline_day)
    return format_month(period), format_date(deadline)

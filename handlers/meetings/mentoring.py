"""Mentoring visits after a workshop (pendampingan pasca workshop) and their monitoring form.

``pendampingan N MINGGU`` (the workshop's organiser) schedules, MINGGU weeks
after workshop N, one visit per Puskesmas whose staff were invited, at the
workshop's hour, inviting those staff; the visit is a meeting like any
other (invitation buttons, reminders, ``hadir KODE`` check-in).
``pantau N`` opens the three-question monitoring form of visit N for one of
its invitees; ``pendampingan N`` shows the organiser every visit's answers as
one table.
"""

from __future__ import annotations

from datetime import timedelta

from conversations import Reply, Submitted
from conversations.forms.mentoring import APPLIED, MENTORING
from handlers import conversation
from handlers.meetings import invitations
from handlers.meetings import words as T
from handlers.meetings.args import number
from handlers.turn import TurnContext
from storage import regions
from storage.meetings import store
from storage.meetings.store import NewMeeting

VISIT_LENGTH = timedelta(hours=3)
MAX_WEEKS = 26


def schedule(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``pendampingan N MINGGU`` schedules the visits; ``pendampingan N`` shows their answers."""
    workshop_id = number(args[0]) if args else None
    if workshop_id is None:
        return [Reply(T.MENTORING_USAGE)]
    workshop = store.get(turn.session, workshop_id)
    if workshop is None:
        return [Reply(T.NOT_FOUND.format(id=args[0]))]
    if workshop.organiser_id != turn.profile.person_id:
        return [Reply(T.ONLY_ORGANISER.format(id=workshop.id))]
    if workshop.kind != "workshop":
        return [Reply(T.MENTORING_NOT_WORKSHOP.format(id=workshop.id))]
    if len(args) == 1:
        return _table(turn, workshop.id)
    weeks = number(args[1])
    if weeks is None or not 1 <= weeks <= MAX_WEEKS:
        return [Reply(T.MENTORING_WEEKS.format(limit=MAX_WEEKS))]
    if store.visits(turn.session, workshop.id):
        return [Reply(T.MENTORING_ALREADY.format(id=workshop.id))]
    staff: dict[str, list[int]] = {}
    for person in store.invitees(turn.session, workshop.id):
        if person.role == "puskesmas" and person.area_code:
            staff.setdefault(person.area_code, []).append(person.person_id)
    if not staff:
        return [Reply(T.MENTORING_NOBODY.format(id=workshop.id))]
    start = workshop.starts_at + timedelta(weeks=weeks)
    made = []
    for puskesmas, people in sorted(staff.items()):
        name = regions.area_name(turn.session, "puskesmas", puskesmas) or puskesmas
        new = NewMeeting(
            kind="pendampingan",
            title=T.MENTORING_TITLE.format(workshop=workshop.title, puskesmas=name),
            organiser_id=workshop.organiser_id,
            area_code=puskesmas,
            kabupaten_code=workshop.kabupaten_code,
            timezone=workshop.timezone,
            starts_at=start,
            ends_at=start + VISIT_LENGTH,
            place=name,
            agenda=None,
            code=invitations.new_code(),
            series=f"workshop:{workshop.id}",
            parent_id=workshop.id,
        )
        visit = store.create(turn.session, new, people, turn.now)
        invitations.announce(turn.session, visit, turn.now)
        made.append(T.MENTORING_LINE.format(id=visit, puskesmas=name))
    when = invitations.when(store.visits(turn.session, workshop.id)[0])
    return [Reply("\n".join([T.MENTORING_SCHEDULED.format(count=len(made), when=when), *made]))]


def monitor(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``pantau N``: the monitoring form of visit N, for one of its invitees."""
    visit_id = number(args[0]) if args else None
    if visit_id is None:
        return [Reply(T.MONITOR_USAGE)]
    visit = store.get(turn.session, visit_id)
    if visit is None or visit.kind != "pendampingan":
        return [Reply(T.MONITOR_NOT_VISIT.format(id=args[0]))]
    if store.invitation(turn.session, visit.id, turn.profile.person_id) is None:
        return [Reply(T.NOT_INVITED.format(id=visit.id))]
    if visit.starts_at > turn.now:
        return [Reply(T.MONITOR_TOO_EARLY.format(id=visit.id, when=invitations.when(visit)))]
    return conversation.start(turn, MENTORING.id, {"meeting_id": visit.id})


def stored(turn: TurnContext, event: Submitted) -> list[Reply]:
    """The monitoring form was sent: keep the answers (a second one replaces the first)."""
    store.save_answers(
        turn.session, event.context["meeting_id"], turn.profile.person_id, event.answers, turn.now
    )
    return []


def _table(turn: TurnContext, workshop_id: int) -> list[Reply]:
    visits = store.visits(turn.session, workshop_id)
    if not visits:
        return [Reply(T.MENTORING_NONE.format(id=workshop_id))]
    answers = store.answers_of(turn.session, [visit.id for visit in visits])
    by_visit: dict[int, list[tuple[str, dict]]] = {}
    for visit_id, name, given in answers:
        by_visit.setdefault(visit_id, []).append((name, given))
    lines = [T.MENTORING_TABLE_HEADER.format(id=workshop_id)]
    for visit in visits:
        place = visit.place
        found = by_visit.get(visit.id)
        if not found:
            lines.append(T.MENTORING_ROW_EMPTY.format(puskesmas=place, id=visit.id))
            continue
        for name, given in found:
            lines.append(
                T.MENTORING_ROW.format(
                    puskesmas=place,
                    name=name,
                    applied=APPLIED.get(given.get("diterapkan", ""), "-"),
                    obstacle=given.get("kendala") or "-",
                    next_step=given.get("tindak_lanjut") or "-",
                )
            )
    return [Reply("\n".join(lines))]

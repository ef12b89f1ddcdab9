"""Creating a meeting and telling people about it: invitations, changes, cancellations.

Every message to an invitee goes through the outbox, keyed per meeting,
message and person, so a second run of the same step queues nothing twice.
Invitations carry the answer buttons (Hadir, Tidak bisa, Diwakilkan) whose
values are the typed commands themselves, so a button pressed on any
channel and a word typed by hand take the same road. A message queued
outside working hours waits until 06:00 of the invitee's own clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from conversations import Reply, Submitted
from conversations.forms.meeting import MEETING, invitation, invitees, times, when_text
from conversations.periods import format_date
from conversations.zones import abbreviation
from handlers.meetings import words as T
from handlers.reminders.timing import WORK_END, WORK_START
from handlers.turn import TurnContext
from storage import Transaction, outbox, regions
from storage.meetings import followup, store
from storage.meetings.store import MeetingView, NewMeeting

CODE_DIGITS = 4
UNREACHABLE_LISTED = 20


def new_code() -> str:
    """A check-in code to read out in the room: four digits, never starting with 0."""
    low = 10 ** (CODE_DIGITS - 1)
    return str(low + secrets.randbelow(9 * low))


def form_context(turn: TurnContext) -> dict[str, Any] | None:
    """What the meeting form offers this organiser: one-tap groups of their area, and names.

    None when the person has no area to invite from.
    """
    profile = turn.profile
    session = turn.session
    kabupaten = profile.kabupaten_code
    area = profile.area_code
    if area is None:
        return None
    if profile.role == "puskesmas":
        area_name = regions.area_name(session, "puskesmas", area) or area
        groups = {
            "bidan": store.people(session, kabupaten, "bidan", area),
            "staf": store.people(session, kabupaten, "puskesmas", area),
            "mitra": store.people(session, kabupaten, "mitra", area),
            "kader": store.kader_per_posyandu(session, area),
        }
    else:
        area_name = regions.area_name(session, "dinkes", kabupaten) or kabupaten
        groups = {
            "puskesmas": store.people(session, kabupaten, "puskesmas"),
            "bidan": store.people(session, kabupaten, "bidan"),
            "dinkes": store.people(session, kabupaten, "dinkes"),
            "mitra": store.people(session, kabupaten, "mitra"),
        }
    return {
        "area_name": area_name,
        "zone": abbreviation(profile.timezone),
        "organiser": profile.name,
        "now": turn.now.replace(tzinfo=None).isoformat(timespec="minutes"),
        "groups": [
            (key, T.GROUP_LABELS[key].format(area=area_name, count=len(members)))
            for key, members in groups.items()
        ],
        "members": {key: [m.person_id for m in members] for key, members in groups.items()},
        "people": [(m.person_id, m.name) for m in store.everyone(session, kabupaten)],
    }


def created(turn: TurnContext, event: Submitted) -> list[Reply]:
    """The organiser sent the form: store the meeting, queue the invitations, say who got them."""
    answers = event.answers
    profile = turn.profile
    zone = ZoneInfo(profile.timezone)
    start, end = times(answers)
    new = NewMeeting(
        kind=answers["jenis"],
        title=answers["judul"],
        organiser_id=profile.person_id,
        area_code=profile.area_code or profile.kabupaten_code,
        kabupaten_code=profile.kabupaten_code,
        timezone=profile.timezone,
        starts_at=start.replace(tzinfo=zone),
        ends_at=end.replace(tzinfo=zone),
        place=answers["tempat"],
        agenda=answers.get("agenda"),
        code=new_code(),
        series=f"{MEETING.id}:{profile.person_id}:{answers['jenis']}",
    )
    people = invitees(answers, event.context)
    meeting_id = store.create(turn.session, new, people, turn.now)
    return announce(turn.session, meeting_id, turn.now)


def announce(session: Transaction, meeting_id: int, now: datetime) -> list[Reply]:
    """Queue a new meeting's invitations; the organiser hears how many and who is unreachable."""
    meeting = store.get(session, meeting_id)
    assert meeting is not None
    text = invitation_text(session, meeting)
    invited = store.invitees(session, meeting_id)
    choices = answer_buttons(meeting_id)
    for person in invited:
        queue(session, f"rapat:{meeting_id}:undangan", person, text, now, choices)
    replies = [Reply(T.SENT.format(id=meeting_id, count=len(invited)))]
    return replies + unreachable(invited)


def invitation_text(session: Transaction, meeting: MeetingView) -> str:
    """The invitation with its number, and what the last meeting of its series left open."""
    text = invitation(
        kind=meeting.kind,
        title=meeting.title,
        when=when(meeting),
        place=meeting.place,
        organiser=meeting.organiser,
        agenda=meeting.agenda,
        meeting_id=meeting.id,
    )
    lines = [text, *open_items(session, meeting)]
    return "\n".join([*lines, T.ANSWER_HINT])


def open_items(session: Transaction, meeting: MeetingView) -> list[str]:
    """The open follow-up items of the previous meeting in the same series, as lines."""
    if meeting.series is None:
        return []
    previous = store.in_series(session, meeting.series, meeting.starts_at)
    if previous is None:
        return []
    items = followup.items(session, meeting_id=previous.id, open_only=True)
    if not items:
        return []
    return [
        T.OPEN_ITEMS,
        *(
            T.OPEN_ITEM.format(what=item.what, owner=item.owner, due=format_date(item.due))
            for item in items
        ),
    ]


def when(meeting: MeetingView) -> str:
    """The meeting's time in its venue's zone: ``Senin, 7 Des 2026, 09.00–12.00 WIB``."""
    zone = ZoneInfo(meeting.timezone)
    start = meeting.starts_at.astimezone(zone).replace(tzinfo=None)
    end = meeting.ends_at.astimezone(zone).replace(tzinfo=None)
    return when_text(start, end, abbreviation(meeting.timezone))


def answer_buttons(meeting_id: int) -> tuple[tuple[str, str], ...]:
    """Hadir, Tidak bisa, Diwakilkan: each button's value is its typed twin with the meeting id."""
    return (
        (f"hadir {meeting_id}", T.BUTTON_YES),
        (f"tidak bisa {meeting_id}", T.BUTTON_NO),
        (f"diwakilkan {meeting_id}", T.BUTTON_DELEGATE),
    )


def queue(
    session: Transaction,
    step: str,
    person: store.Invitee,
    text: str,
    now: datetime,
    choices: Sequence[tuple[str, str]] = (),
    send_before: datetime | None = None,
    attached: dict[str, Any] | None = None,
) -> bool:
    """Queue one message to an invitee, in their working hours; False if it was queued before.

    ``attached`` is a file as the outbox carries it (base64 ``content``).
    """
    payload: dict[str, Any] = {"text": text}
    if choices:
        payload["choices"] = [list(choice) for choice in choices]
    if attached is not None:
        payload["attachment"] = attached
    key = f"{step}:person{person.person_id}"
    return outbox.enqueue(
        session,
        key,
        person.person_id,
        step.split(":", 1)[0],
        payload,
        now,
        not_before=working_time(now, person.timezone),
        send_before=send_before,
    )


def working_time(now: datetime, timezone: str) -> datetime:
    """``now`` if it is within 06:00-21:00 on the person's clock, else the next 06:00."""
    local = now.astimezone(ZoneInfo(timezone))
    if WORK_START <= local.time() < WORK_END:
        return now
    day: date = local.date() if local.time() < WORK_START else local.date() + timedelta(days=1)
    return datetime.combine(day, WORK_START, ZoneInfo(timezone))


def unreachable(invited: Sequence[store.Invitee]) -> list[Reply]:
    """The invitees the bot cannot reach, for the organiser to invite directly."""
    missing = [person for person in invited if not person.reachable]
    if not missing:
        return []
    names = [f"• {person.name}" for person in missing[:UNREACHABLE_LISTED]]
    if len(missing) > UNREACHABLE_LISTED:
        names.append(f"… +{len(missing) - UNREACHABLE_LISTED}")
    return [Reply(T.UNREACHABLE.format(count=len(missing), names="\n".join(names)))]


def notify_change(
    session: Transaction, meeting: MeetingView, change: str, text: str, now: datetime
) -> int:
    """Tell everyone invited of a change (``batal``, ``pindah``, ``tempat``); returns how many."""
    invited = store.invitees(session, meeting.id)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    for person in invited:
        queue(session, f"rapat:{meeting.id}:{change}{stamp}", person, text, now)
    return len(invited)

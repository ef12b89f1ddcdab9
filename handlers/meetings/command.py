"""The chat commands of meetings: rapat, hadir, tidak bisa, diwakilkan, daftar hadir.

``hadir`` answers an invitation before the meeting and checks in during it:
``hadir 4821`` with the code read out in the room is a check-in, ``hadir 12``
with a meeting's number an answer, and ``hadir 12 Nurhayati`` from the
organiser marks that invitee present.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from conversations import Reply
from conversations.forms.meeting import MEETING, parse_clock
from conversations.parsing import parse_date
from handlers import conversation
from handlers.meetings import invitations
from handlers.meetings import words as T
from handlers.meetings.args import number
from handlers.meetings.attendance import render, sheet
from handlers.turn import TurnContext
from storage.meetings import store
from storage.meetings.store import MeetingView

DELEGATE_LIMIT = 80
LIST_LIMIT = 15


def rapat(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``rapat`` lists, ``rapat baru`` creates, ``rapat N`` shows, ``rapat batal N`` cancels."""
    if not args:
        return _list(turn)
    word = args[0].casefold()
    if word == "baru":
        return _new(turn)
    shown = number(word)
    if shown is not None:
        return _show(turn, shown)
    changed = number(args[1]) if len(args) > 1 else None
    if word in ("batal", "pindah", "tempat") and changed is not None:
        return _change(turn, word, changed, args[2:])
    if turn.draft is not None:  # "Rapat koordinasi ILP" typed as a title: an answer
        return conversation.resume(turn)
    return [Reply(T.RAPAT_USAGE)]


def _new(turn: TurnContext) -> list[Reply]:
    if turn.profile.role not in T.ORGANISER_ROLES:
        return [Reply(T.NOT_ORGANISER)]
    context = invitations.form_context(turn)
    if context is None:
        return [Reply(T.NO_AREA)]
    return conversation.start(turn, MEETING.id, context)


def _list(turn: TurnContext) -> list[Reply]:
    mine = None if turn.profile.role == "admin" else turn.profile.person_id
    meetings = store.upcoming(turn.session, turn.now, person_id=mine, limit=LIST_LIMIT)
    if not meetings:
        return [Reply(T.NO_MEETINGS)]
    counts = store.counts(turn.session, [m.id for m in meetings])
    lines = [T.LIST_HEADER]
    for meeting in meetings:
        if meeting.cancelled:
            lines.append(T.LIST_CANCELLED.format(id=meeting.id, title=meeting.title))
            continue
        lines.append(
            T.LIST_LINE.format(
                id=meeting.id,
                title=meeting.title,
                when=invitations.when(meeting),
                counts=_counts(counts.get(meeting.id, {})),
            )
        )
    lines.append(T.LIST_FOOTER)
    return [Reply("\n".join(lines))]


def _counts(found: dict[str | None, int]) -> str:
    return T.COUNTS.format(**count_words(found))


def _show(turn: TurnContext, meeting_id: int) -> list[Reply]:
    meeting = store.get(turn.session, meeting_id)
    if meeting is None:
        return [Reply(T.NOT_FOUND.format(id=meeting_id))]
    invited = store.invitees(turn.session, meeting_id)
    me = turn.profile.person_id
    organiser = meeting.organiser_id == me or turn.profile.role == "admin"
    mine = next((person for person in invited if person.person_id == me), None)
    if not organiser and mine is None:
        return [Reply(T.NOT_YOURS.format(id=meeting_id))]
    lines = [invitations.invitation_text(turn.session, meeting).rsplit("\n", 1)[0]]
    if meeting.cancelled:
        lines.append(T.DETAIL_CANCELLED)
    if organiser:
        counts: dict[str | None, int] = {}
        for person in invited:
            counts[person.rsvp] = counts.get(person.rsvp, 0) + 1
        lines.append(T.DETAIL_COUNTS.format(**count_words(counts)))
        for person in invited:
            delegate = f" ({person.delegate})" if person.delegate else ""
            present = " ✅" if person.checked_in_at else ""
            lines.append(f"• {person.name}: {T.RSVP_WORDS[person.rsvp]}{delegate}{present}")
        if meeting.running(turn.now) and not meeting.cancelled:
            lines.append(T.DETAIL_CODE.format(code=meeting.code))
            present_count = sum(1 for person in invited if person.checked_in_at)
            lines.append(T.DETAIL_CHECKED_IN.format(count=present_count))
    elif mine is not None:
        lines.append(T.DETAIL_YOUR_ANSWER.format(answer=T.RSVP_WORDS[mine.rsvp]))
    return [Reply("\n".join(lines))]


def count_words(found: dict[str | None, int]) -> dict[str, int]:
    """The answers per RSVP (None: not yet) as the fields of :data:`words.COUNTS`."""
    return {
        "yes": found.get("hadir", 0),
        "no": found.get("tidak", 0),
        "delegate": found.get("wakil", 0),
        "none": found.get(None, 0),
    }


# --- answering an invitation ---------------------------------------------------------------


def hadir(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``hadir``, ``hadir N``: will come; ``hadir KODE``: here now; ``hadir N NAMA``: mark."""
    given = number(args[0]) if args else None
    if given is not None:
        if len(args) > 1:
            return mark(turn, given, name=" ".join(args[1:]))
        checked = _check_in(turn, args[0])
        if checked is not None:
            return checked
    return _answer(turn, args, "hadir")


def tidak_bisa(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``tidak bisa``, ``tidak bisa N``: cannot come."""
    return _answer(turn, args, "tidak")


def diwakilkan(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``diwakilkan N NAMA``: someone comes instead; without a name, asks for it."""
    return _answer(turn, args, "wakil")


def _answer(turn: TurnContext, args: list[str], rsvp: str) -> list[Reply]:
    meeting_id = number(args[0]) if args else None
    rest = args[1:] if meeting_id is not None else args
    delegate = " ".join(rest).strip() if rsvp == "wakil" else None
    return answer(turn, meeting_id, rsvp, delegate)


def answer(
    turn: TurnContext, meeting_id: int | None, rsvp: str, delegate: str | None = None
) -> list[Reply]:
    """Record the person's answer (``hadir``, ``tidak``, ``wakil``) to an invitation.

    Typed and pressed answers come here, and so do the web page's buttons.
    """
    meeting, refusal = _invitation(turn, meeting_id, rsvp)
    if meeting is None:
        return refusal
    if rsvp == "wakil" and not delegate:
        return [Reply(T.ASK_DELEGATE.format(id=meeting.id))]
    if delegate is not None and len(delegate) > DELEGATE_LIMIT:
        return [Reply(T.DELEGATE_TOO_LONG.format(limit=DELEGATE_LIMIT))]
    store.answer(turn.session, meeting.id, turn.profile.person_id, rsvp, delegate, turn.now)
    return [Reply(T.ANSWERED[rsvp].format(id=meeting.id, delegate=delegate))]


def _invitation(
    turn: TurnContext, meeting_id: int | None, word: str
) -> tuple[MeetingView | None, list[Reply]]:
    """The meeting an answer is about, or why there is none."""
    person = turn.profile.person_id
    if meeting_id is not None:
        meeting = store.get(turn.session, meeting_id)
        if meeting is None:
            return None, [Reply(T.NOT_FOUND.format(id=meeting_id))]
        if store.invitation(turn.session, meeting_id, person) is None:
            return None, [Reply(T.NOT_INVITED.format(id=meeting_id))]
        if meeting.cancelled:
            return None, [Reply(T.MEETING_CANCELLED.format(id=meeting_id))]
        if meeting.ends_at < turn.now:
            return None, [Reply(T.MEETING_OVER.format(id=meeting_id))]
        return meeting, []
    open_ = store.open_invitations(turn.session, person, turn.now)
    if not open_:
        return None, [Reply(T.NO_INVITATION)]
    if len(open_) > 1:
        example = f"{T.RSVP_WORDS[word]} {open_[0].id}"
        listed = "\n".join(
            T.WHICH_LINE.format(id=m.id, title=m.title, when=invitations.when(m)) for m in open_
        )
        return None, [Reply(T.WHICH_MEETING.format(example=example, list=listed))]
    return open_[0], []


# --- check-in --------------------------------------------------------------------------------


def _check_in(turn: TurnContext, code: str) -> list[Reply] | None:
    """A check-in with the code read out in the room; None when ``code`` is a meeting's number.

    A meeting number that is an open invitation is an answer; every other
    number is taken as a code and checked against the meetings now running.
    """
    if len(code) != invitations.CODE_DIGITS:
        return None
    person = turn.profile.person_id
    invited = store.open_invitations(turn.session, person, turn.now)
    running = [meeting for meeting in invited if meeting.running(turn.now)]
    match = next((meeting for meeting in running if meeting.code == code), None)
    if match is not None:
        first = store.check_in(turn.session, match.id, person, turn.now, None)
        row = store.invitation(turn.session, match.id, person)
        assert row is not None and row.checked_in_at is not None
        at = row.checked_in_at.astimezone(turn.now.tzinfo).strftime("%H.%M")
        template = T.CHECKED_IN if first else T.ALREADY_CHECKED_IN
        text = template.format(id=match.id, time=at)
        if match.kind == "pendampingan":
            text = f"{text}\n{T.MONITOR_HINT.format(id=match.id)}"
        return [Reply(text)]
    if any(meeting.id == int(code) for meeting in invited):
        return None
    if running:
        return [Reply(T.WRONG_CODE.format(code=code))]
    elsewhere = store.running_with_code(turn.session, code, turn.now)
    if elsewhere is not None:
        return [Reply(T.NOT_INVITED.format(id=elsewhere))]
    later = next((meeting for meeting in invited if meeting.code == code), None)
    if later is not None:
        return [Reply(T.NOT_RUNNING.format(id=later.id, when=invitations.when(later)))]
    return [Reply(T.NO_RUNNING)]


def mark(
    turn: TurnContext, meeting_id: int, *, name: str = "", person_id: int | None = None
) -> list[Reply]:
    """The organiser marks an invitee present (someone whose phone is flat).

    Named as typed in chat (part of the name), or by person id from the web page.
    """
    meeting = store.get(turn.session, meeting_id)
    if meeting is None:
        return [Reply(T.NOT_FOUND.format(id=meeting_id))]
    if meeting.organiser_id != turn.profile.person_id:
        return [Reply(T.ONLY_ORGANISER.format(id=meeting_id))]
    if not meeting.running(turn.now):
        return [Reply(T.NOT_RUNNING.format(id=meeting_id, when=invitations.when(meeting)))]
    invited = store.invitees(turn.session, meeting_id)
    wanted = name.casefold()
    found = [
        person
        for person in invited
        if person.person_id == person_id or (person_id is None and wanted in person.name.casefold())
    ]
    if len(found) != 1:
        return [Reply(T.MARK_UNKNOWN.format(name=name, id=meeting_id))]
    person = found[0]
    store.check_in(turn.session, meeting_id, person.person_id, turn.now, turn.profile.person_id)
    return [Reply(T.MARKED.format(name=person.name, id=meeting_id))]


# --- changes ---------------------------------------------------------------------------------


def _change(turn: TurnContext, word: str, meeting_id: int, rest: list[str]) -> list[Reply]:
    """``rapat batal N``, ``rapat pindah N TANGGAL JAM [SELESAI]``, ``rapat tempat N TEMPAT``."""
    meeting = store.get(turn.session, meeting_id)
    if meeting is None:
        return [Reply(T.NOT_FOUND.format(id=meeting_id))]
    if meeting.organiser_id != turn.profile.person_id and turn.profile.role != "admin":
        return [Reply(T.ONLY_ORGANISER.format(id=meeting_id))]
    if meeting.cancelled:
        return [Reply(T.ALREADY_CANCELLED.format(id=meeting_id))]
    if word == "batal":
        store.change(turn.session, meeting_id, turn.now, cancel=True)
        text = T.CANCELLED_NOTICE.format(
            id=meeting_id,
            title=meeting.title,
            when=invitations.when(meeting),
            organiser=turn.profile.name,
        )
    elif word == "tempat":
        place = " ".join(rest).strip()
        if not place:
            return [Reply(T.PLACE_EMPTY.format(id=meeting_id))]
        store.change(turn.session, meeting_id, turn.now, place=place)
        text = T.PLACE_NOTICE.format(
            id=meeting_id, title=meeting.title, place=place, when=invitations.when(meeting)
        )
    else:
        moved = _moved(turn, meeting, rest)
        if isinstance(moved, str):
            return [Reply(moved)]
        store.change(turn.session, meeting_id, turn.now, starts_at=moved[0], ends_at=moved[1])
        changed = store.get(turn.session, meeting_id)
        assert changed is not None
        text = T.MOVED_NOTICE.format(
            id=meeting_id,
            title=meeting.title,
            when=invitations.when(changed),
            place=meeting.place,
        )
    count = invitations.notify_change(turn.session, meeting, word, text, turn.now)
    return [Reply(T.CHANGE_SENT.format(id=meeting_id, count=count))]


def _moved(
    turn: TurnContext, meeting: MeetingView, rest: list[str]
) -> tuple[datetime, datetime] | str:
    """The new start and end from ``TANGGAL JAM [JAM_SELESAI]``, or what is wrong."""
    if len(rest) < 2:
        return T.MOVE_BAD.format(id=meeting.id)
    zone = ZoneInfo(meeting.timezone)
    day = parse_date(rest[0], turn.now.date())
    start_clock = parse_clock(rest[1])
    if day is None or start_clock is None:
        return T.MOVE_BAD.format(id=meeting.id)
    length = meeting.ends_at - meeting.starts_at
    start = datetime.combine(day, start_clock, zone)
    end = start + length
    if len(rest) > 2:
        end_clock = parse_clock(rest[2])
        if end_clock is None:
            return T.MOVE_BAD.format(id=meeting.id)
        end = datetime.combine(day, end_clock, zone)
    if start <= turn.now:
        return T.MOVE_PAST
    if end <= start:
        return T.MOVE_END
    return start, end


# --- attendance list -------------------------------------------------------------------------


def attendance(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``daftar hadir N``: the attendance list as an Excel file, for the organiser."""
    meeting_id = number(args[0]) if args else None
    if meeting_id is None:
        return [Reply(T.ATTENDANCE_USAGE)]
    meeting = store.get(turn.session, meeting_id)
    if meeting is None:
        return [Reply(T.NOT_FOUND.format(id=meeting_id))]
    if meeting.organiser_id != turn.profile.person_id and turn.profile.role != "admin":
        return [Reply(T.ONLY_ORGANISER.format(id=meeting_id))]
    found = sheet(turn.session, meeting)
    caption = T.ATTENDANCE_CAPTION.format(
        id=meeting.id, title=meeting.title, count=len(found.rows), present=found.present
    )
    return [Reply(caption, attachment=render(found, "xlsx"))]

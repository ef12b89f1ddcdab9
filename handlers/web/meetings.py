"""``/rapat``: the person's meetings, upcoming and past; one meeting's answers and attendance.

An invitee answers (hadir, tidak bisa, diwakilkan) and the organiser marks
who is in the room with the same handlers as ``hadir N``, ``tidak bisa N``,
``diwakilkan N NAMA`` and ``hadir N NAMA`` in chat
(:mod:`handlers.meetings.command`), as a turn on the channel ``web``: the
same rules (no answer after the meeting, marking only while it runs). A
meeting is shown only to its organiser, its invitees and the admin (403
otherwise); the attendance list is the organiser's ``daftar hadir`` file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from conversations import Reply
from handlers.meetings import command as meetings
from handlers.meetings import invitations
from handlers.meetings import words as MW
from handlers.meetings.attendance import render, sheet
from handlers.turn import TurnContext
from handlers.web import words as W
from handlers.web.session import (
    PageError,
    Viewer,
    checked_form,
    in_transaction,
    options,
    page,
    viewer,
)
from handlers.web.turns import page_turn
from handlers.web.urls import meeting_url
from storage import Transaction
from storage.meetings import store
from storage.meetings.store import MeetingView

LIST_LIMIT = 20
RSVP = ("hadir", "tidak", "wakil")
ANSWER_BUTTONS = {"hadir": MW.BUTTON_YES, "tidak": MW.BUTTON_NO, "wakil": MW.BUTTON_DELEGATE}


def _mine(profile_role: str, person_id: int) -> int | None:
    """Whose meetings a list shows: the person's own; the admin sees every meeting."""
    return None if profile_role == "admin" else person_id


def _item(
    session: Transaction, meeting: MeetingView, person_id: int, counts: dict[str | None, int]
) -> dict[str, Any]:
    invited = store.invitation(session, meeting.id, person_id)
    organiser = meeting.organiser_id == person_id
    return {
        "url": meeting_url(meeting.id),
        "title": W.MEETING_TITLE.format(id=meeting.id, title=meeting.title),
        "when": invitations.when(meeting),
        "place": meeting.place,
        "cancelled": MW.DETAIL_CANCELLED if meeting.cancelled else "",
        "detail": (
            MW.COUNTS.format(**meetings.count_words(counts))
            if organiser
            else MW.DETAIL_YOUR_ANSWER.format(answer=MW.RSVP_WORDS[invited.rsvp])
            if invited is not None
            else W.MEETING_BY.format(name=meeting.organiser)
        ),
    }


@page
async def listing(request: web.Request) -> web.StreamResponse:
    """``GET /rapat``: meetings not yet over (soonest first), then past ones (latest first)."""
    who = await viewer(request)
    now = options(request).clock()

    def gather(session: Transaction) -> dict[str, Any]:
        profile = who.profile
        mine = _mine(profile.role, profile.person_id)
        coming = store.upcoming(session, now, person_id=mine, limit=LIST_LIMIT)
        over = store.past(session, now, person_id=mine, limit=LIST_LIMIT)
        counts = store.counts(session, [m.id for m in [*coming, *over]])

        def items(found: list[MeetingView]) -> list[dict[str, Any]]:
            return [_item(session, m, profile.person_id, counts.get(m.id, {})) for m in found]

        return {
            "who": who,
            "title": W.MEETINGS_TITLE,
            "groups": [
                {"title": W.MEETINGS_UPCOMING, "items": items(coming)},
                {"title": W.MEETINGS_PAST, "items": items(over)},
            ],
        }

    context = await in_transaction(request, gather)
    return aiohttp_jinja2.render_template("meetings.html", request, context)


def _meeting(turn: TurnContext, meeting_id: int) -> tuple[MeetingView, bool, bool]:
    """The meeting, whether the person organises it (or is the admin), whether invited."""
    meeting = store.get(turn.session, meeting_id)
    if meeting is None:
        raise PageError(404, W.PAGE_NOT_FOUND)
    person = turn.profile.person_id
    organiser = meeting.organiser_id == person or turn.profile.role == "admin"
    invited = store.invitation(turn.session, meeting_id, person) is not None
    if not organiser and not invited:
        raise PageError(403, W.MEETING_NOT_YOURS)
    return meeting, organiser, invited


def meeting_context(
    turn: TurnContext, who: Viewer, meeting_id: int, notice: Sequence[str] = ()
) -> dict[str, Any]:
    """What ``meeting.html`` shows: the invitation, one's answer, and for the organiser the
    invitees with their answers and check-ins."""
    meeting, organiser, invited = _meeting(turn, meeting_id)
    session, now = turn.session, turn.now
    people = store.invitees(session, meeting_id)
    me = next((person for person in people if person.person_id == who.profile.person_id), None)
    running = meeting.running(now) and not meeting.cancelled
    marks = running and meeting.organiser_id == who.profile.person_id
    answers = store.counts(session, [meeting_id]).get(meeting_id, {})
    return {
        "who": who,
        "notice": list(notice),
        "title": W.MEETING_TITLE.format(id=meeting.id, title=meeting.title),
        "id": meeting.id,
        "lines": [
            invitations.when(meeting),
            meeting.place,
            W.MEETING_BY.format(name=meeting.organiser),
            *([meeting.agenda] if meeting.agenda else []),
        ],
        "cancelled": MW.DETAIL_CANCELLED if meeting.cancelled else "",
        "buttons": [(rsvp, ANSWER_BUTTONS[rsvp]) for rsvp in RSVP],
        "answer": (
            MW.DETAIL_YOUR_ANSWER.format(answer=MW.RSVP_WORDS[me.rsvp]) if me is not None else ""
        ),
        "can_answer": invited and not meeting.cancelled and meeting.ends_at >= now,
        "organiser": organiser,
        "code": MW.DETAIL_CODE.format(code=meeting.code) if organiser and running else "",
        "counts": MW.DETAIL_COUNTS.format(**meetings.count_words(answers)),
        "invitees": [
            {
                "id": person.person_id,
                "name": person.name,
                "role": person.jabatan or MW.ROLE_NAMES.get(person.role, person.role),
                "answer": MW.RSVP_WORDS[person.rsvp]
                + (f" ({person.delegate})" if person.delegate else ""),
                "present": (
                    person.checked_in_at.astimezone(now.tzinfo).strftime("%H.%M")
                    if person.checked_in_at
                    else ""
                ),
                "can_mark": marks and person.checked_in_at is None,
            }
            for person in people
        ]
        if organiser
        else [],
    }


def _id(request: web.Request) -> int:
    text = request.match_info["id"]
    if not text.isdigit():
        raise PageError(404, W.PAGE_NOT_FOUND)
    return int(text)


@page
async def detail(request: web.Request) -> web.StreamResponse:
    """``GET /rapat/{id}``."""
    who = await viewer(request)
    meeting_id = _id(request)

    def gather(session: Transaction) -> dict[str, Any]:
        turn = page_turn(session, who.profile, options(request).clock())
        return meeting_context(turn, who, meeting_id)

    context = await in_transaction(request, gather)
    return aiohttp_jinja2.render_template("meeting.html", request, context)


async def _act(request: web.Request, organiser_only: bool, act: Any) -> web.StreamResponse:
    """Check the CSRF token and who may act, run the chat's handler, show the meeting again."""
    who = await viewer(request)
    form = await checked_form(request, who)
    meeting_id = _id(request)

    def work(session: Transaction) -> dict[str, Any]:
        turn = page_turn(session, who.profile, options(request).clock())
        meeting, _organiser, invited = _meeting(turn, meeting_id)
        if not (meeting.organiser_id == who.profile.person_id if organiser_only else invited):
            raise PageError(403, W.MEETING_NOT_YOURS)
        replies: list[Reply] = act(turn, meeting_id, form)
        return meeting_context(turn, who, meeting_id, [reply.text for reply in replies])

    context = await in_transaction(request, work)
    return aiohttp_jinja2.render_template("meeting.html", request, context)


@page
async def answer(request: web.Request) -> web.StreamResponse:
    """``POST /rapat/{id}/jawab``: hadir, tidak bisa, or diwakilkan with a name."""

    def act(turn: TurnContext, meeting_id: int, form: Any) -> list[Reply]:
        rsvp = form.get("jawaban")
        if rsvp not in RSVP:
            raise PageError(400, W.PAGE_NOT_FOUND)
        delegate = str(form.get("wakil", "")).strip() if rsvp == "wakil" else None
        return meetings.answer(turn, meeting_id, rsvp, delegate)

    return await _act(request, False, act)


@page
async def mark(request: web.Request) -> web.StreamResponse:
    """``POST /rapat/{id}/tandai``: the organiser marks one invitee present."""

    def act(turn: TurnContext, meeting_id: int, form: Any) -> list[Reply]:
        person = str(form.get("orang", ""))
        if not person.isdigit():
            raise PageError(400, W.PAGE_NOT_FOUND)
        return meetings.mark(turn, meeting_id, person_id=int(person))

    return await _act(request, True, act)


@page
async def attendance(request: web.Request) -> web.StreamResponse:
    """``GET /rapat/{id}/daftar-hadir``: the attendance list (Excel), for the organiser."""
    who = await viewer(request)
    meeting_id = _id(request)

    def make(session: Transaction) -> Any:
        turn = page_turn(session, who.profile, options(request).clock())
        meeting, organiser, _invited = _meeting(turn, meeting_id)
        if not organiser:
            raise PageError(403, W.MEETING_NOT_YOURS)
        return render(sheet(session, meeting), "xlsx")

    made = await in_transaction(request, make)
    return web.Response(
        body=made.content,
        content_type=made.mime_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )

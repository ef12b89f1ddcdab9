"""Follow-up items (rencana tindak lanjut): ``tindak lanjut`` adds and lists, ``selesai`` closes.

``tindak lanjut N; APA; NAMA; TANGGAL`` (the organiser of meeting N) adds an
item for one of its invitees, who hears of it through the outbox; the items
still open show in the next meeting of the same series. ``tindak lanjut``
alone lists the open items of the person's area (their own, for a bidan or
a mitra). ``selesai N CATATAN`` closes an item, and the organiser hears it.
"""

from __future__ import annotations

from conversations import Reply
from conversations.parsing import parse_date
from conversations.periods import format_date
from handlers.meetings import invitations
from handlers.meetings import words as T
from handlers.meetings.args import number
from handlers.turn import TurnContext
from storage import outbox
from storage.meetings import followup, store

WHAT_LIMIT = 200
NOTE_LIMIT = 200
LIST_LIMIT = 25


def command(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``tindak lanjut`` lists the open items; ``tindak lanjut N; APA; NAMA; TANGGAL`` adds one."""
    if not args:
        return _list(turn)
    parts = [part.strip() for part in " ".join(args).split(";")]
    meeting_id = number(parts[0])
    if len(parts) != 4 or meeting_id is None or not all(parts):
        return [Reply(T.ITEM_USAGE)]
    _, what, owner_name, due_text = parts
    meeting = store.get(turn.session, meeting_id)
    if meeting is None:
        return [Reply(T.NOT_FOUND.format(id=meeting_id))]
    if meeting.organiser_id != turn.profile.person_id:
        return [Reply(T.ONLY_ORGANISER.format(id=meeting_id))]
    if len(what) > WHAT_LIMIT:
        return [Reply(T.ITEM_USAGE)]
    wanted = owner_name.casefold()
    invited = store.invitees(turn.session, meeting.id)
    owners = [person for person in invited if wanted in person.name.casefold()]
    if len(owners) != 1:
        return [Reply(T.ITEM_OWNER_UNKNOWN.format(name=owner_name, id=meeting.id))]
    due = parse_date(due_text, turn.now.date())
    if due is None or due < turn.now.date():
        return [Reply(T.ITEM_DUE_BAD.format(answer=due_text))]
    owner = owners[0]
    item = followup.add(turn.session, meeting.id, what, owner.person_id, due, turn.now)
    text = T.ITEM_OWNER.format(
        meeting=meeting.id, title=meeting.title, what=what, due=format_date(due), item=item
    )
    invitations.queue(turn.session, f"rtl:{item}:baru", owner, text, turn.now)
    return [Reply(T.ITEM_ADDED.format(item=item, owner=owner.name, due=format_date(due)))]


def _list(turn: TurnContext) -> list[Reply]:
    profile = turn.profile
    if profile.role == "puskesmas" and profile.area_code:
        found = followup.items(turn.session, area_codes=[profile.area_code], open_only=True)
    elif profile.role in ("dinkes", "admin"):
        found = followup.items(turn.session, kabupaten=profile.kabupaten_code, open_only=True)
    else:
        found = followup.items(turn.session, owner_id=profile.person_id, open_only=True)
    if not found:
        return [Reply(T.NO_ITEMS)]
    lines = [T.ITEMS_HEADER]
    for item in found[:LIST_LIMIT]:
        lines.append(
            T.ITEM_LINE.format(
                item=item.id,
                what=item.what,
                owner=item.owner,
                due=format_date(item.due),
                meeting=item.meeting_id,
            )
        )
    return [Reply("\n".join(lines))]


def done(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``selesai N CATATAN``: the owner closes an item; the organiser is told."""
    item_id = number(args[0]) if args else None
    if item_id is None:
        return [Reply(T.DONE_USAGE)]
    note = " ".join(args[1:]).strip()[:NOTE_LIMIT] or None
    found = followup.items(turn.session, item_id=item_id)
    if not found:
        return [Reply(T.ITEM_NOT_FOUND.format(item=item_id))]
    item = found[0]
    if item.owner_id != turn.profile.person_id:
        return [Reply(T.ITEM_NOT_YOURS.format(item=item_id))]
    if item.done_at is not None:
        return [Reply(T.ITEM_ALREADY_DONE.format(item=item_id))]
    followup.finish(turn.session, item_id, note, turn.now)
    text = T.ITEM_DONE_ORGANISER.format(
        item=item_id, what=item.what, owner=item.owner, note=note or "-"
    )
    outbox.enqueue(
        turn.session,
        f"rtl:{item_id}:selesai:person{item.organiser_id}",
        item.organiser_id,
        "rtl",
        {"text": text},
        turn.now,
    )
    return [Reply(T.ITEM_DONE.format(item=item_id))]

"""``rekap`` and ``tinjau``: monthly summaries for the people who supervise Posyandu.

``rekap [bulan] [wilayah] [hal N] [excel|csv|grafik]`` shows one area's month
(default: the person's own area and the last month whose deadline has
passed) with buttons to drill down, download and turn the page. Buttons carry
no question, so their value comes back as a typed ``rekap …`` command and
works in any channel, even days later. ``tinjau [bulan]`` lets a district
officer mark the month reviewed; later rekaps say who did and when.
"""

from __future__ import annotations

from conversations import Choice, Reply
from conversations.parsing import parse_month
from conversations.periods import deadline_end, deadline_of, format_date, format_month, month_of
from handlers.bok import command as bok_command
from handlers.bok.words import REKAP_WORDS as BOK_WORDS
from handlers.exports import kinerja
from handlers.exports.words import KINERJA_WORDS
from handlers.rekap import args as rekap_args
from handlers.rekap import files
from handlers.rekap import format as F
from handlers.rekap import text as rekap_text
from handlers.rekap import words as W
from handlers.review import status
from handlers.turn import TurnContext
from storage.people import posyandu_of
from storage.rekap import (
    SEARCH_ORDER,
    Area,
    Rekap,
    build,
    by_code,
    by_name,
    last_closed_period,
    mark_reviewed,
    own_area,
    review_of,
    visible,
)

MISSING_SHOWN = 10
"""Posyandu without a report listed in the chat; the Excel file has them all."""


def show(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``rekap``: the month's summary of an area the person may see, as text or a file.

    ``rekap kinerja …`` is the achievement review (:mod:`handlers.exports.kinerja`),
    ``rekap bok …`` the month's BOK activities (:mod:`handlers.bok.command`).
    """
    if args and args[0].casefold() in KINERJA_WORDS:
        return kinerja.show(turn, args[1:])
    if args and args[0].casefold() in BOK_WORDS:
        return bok_command.show(turn, args[1:])
    profile = turn.profile
    today = turn.now.date()
    request = rekap_args.parse(args, today)
    period = request.period or last_closed_period(turn.now, profile.deadline_day, profile.timezone)
    if period > month_of(today):
        return [Reply(W.REKAP_FUTURE.format(month=format_month(period)))]
    found = _find_area(turn, request.area, period)
    if not isinstance(found, Area):
        return found
    if request.output != "text":
        file = files.attachment(turn.session, found, period, request.output, today)
        caption = W.REKAP_FILE_CAPTION[request.output].format(
            month=format_month(period), area=F.area_label(found)
        )
        return [Reply(caption, attachment=file)]
    rekap = build(turn.session, found, period, missing_limit=MISSING_SHOWN)
    if not rekap.rows:
        return [Reply(W.REKAP_EMPTY.format(area=F.area_label(found)))]
    return _page(turn, rekap, request.page)


def review(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``tinjau [bulan]``: a district officer marks the kabupaten's month as reviewed."""
    profile = turn.profile
    if profile.role != "dinkes":
        return [Reply(W.TINJAU_NOT_ALLOWED)]
    text = " ".join(args)
    if text:
        period = parse_month(text, turn.now.date())
        if period is None:
            return [Reply(W.TINJAU_BAD_MONTH.format(text=text))]
    else:
        period = last_closed_period(turn.now, profile.deadline_day, profile.timezone)
    month = format_month(period)
    if turn.now < deadline_end(period, profile.deadline_day, profile.timezone):
        deadline = format_date(deadline_of(period, profile.deadline_day))
        return [Reply(W.TINJAU_NOT_CLOSED.format(month=month, deadline=deadline))]
    area = F.area_label(own_area(turn.session, profile))
    session, kabupaten = turn.session, profile.kabupaten_code
    if mark_reviewed(session, kabupaten, period, profile.person_id, turn.now):
        return [Reply(W.TINJAU_DONE.format(month=month, area=area, name=profile.name))]
    done = review_of(session, kabupaten, period)
    assert done is not None
    when = format_date(done.reviewed_at.astimezone(turn.now.tzinfo).date())
    return [Reply(W.TINJAU_ALREADY.format(month=month, area=area, name=done.reviewer, date=when))]


def _find_area(turn: TurnContext, text: str, period: str) -> Area | list[Reply]:
    """The area ``text`` names (code or name; empty: one's own), or replies saying why not.

    Several areas with that name: the person picks one with a button. Names
    are looked up only inside what the person may see, and an area outside it
    gets the same answer as one that does not exist, so the rekap cannot be
    used to list the names and codes of other areas.
    """
    session, profile = turn.session, turn.profile
    own = own_area(session, profile)
    if not text:
        return own
    level, name = rekap_args.split_level(text)
    names = [name, *(f"{prefix} {name}" for prefix in W.REKAP_NAME_PREFIXES)]
    levels = (level,) if level else SEARCH_ORDER
    exact = by_code(session, text)
    if exact is not None:
        candidates = [exact]
    elif profile.role == "kader":
        candidates = _own_posyandu_named(turn, names)
    else:
        candidates = by_name(session, names, own, levels)
    allowed = [area for area in candidates if visible(session, profile, area)]
    if not allowed:
        return [Reply(_not_found(turn, own))]
    if len(allowed) == 1:
        return allowed[0]
    choices = []
    for area in allowed:
        value = rekap_args.command(period, area.code)
        if value is not None:
            choices.append(Choice(value, F.area_label(area)))
    return [Reply(W.REKAP_WHICH_AREA.format(text=text), choices=tuple(choices))]


def _own_posyandu_named(turn: TurnContext, names: list[str]) -> list[Area]:
    """A kader's own Posyandu whose name matches (exactly, else containing the typed name)."""
    wanted = [name.casefold() for name in names]
    own = [Area("posyandu", code, name) for code, name in posyandu_of(turn.session, turn.profile)]
    exact = [area for area in own if area.name.casefold() in wanted]
    return exact or [area for area in own if wanted[0] in area.name.casefold()]


def _not_found(turn: TurnContext, own: Area) -> str:
    """What a person may see instead; the same whether the asked-for area exists or not."""
    if turn.profile.role == "kader":
        names = ", ".join(name for _, name in posyandu_of(turn.session, turn.profile))
        return W.REKAP_NOT_FOUND_KADER.format(posyandu=names)
    return W.REKAP_NOT_FOUND.format(area=F.area_label(own))


def _page(turn: TurnContext, rekap: Rekap, page: int) -> list[Reply]:
    """One page as two messages: the rekap with a button per sub-area, then file and page buttons.

    Two messages keep each within WhatsApp's ten list rows and three reply buttons.
    """
    pages = rekap_text.page_count(rekap)
    page = min(page, pages)
    invite = turn.profile.role == "dinkes"
    text = rekap_text.render(rekap, page, today=turn.now.date(), invite_review=invite)
    if page == 1:
        text = f"{text}\n{status.rekap_lines(turn.session, rekap.area, rekap.period)}"
    period, code = rekap.period, rekap.area.code
    drill = []
    if rekap.area.level != "posyandu":
        for row in rekap_text.page_rows(rekap, page):
            value = rekap_args.command(period, row.code)
            if value is not None:
                drill.append(Choice(value, row.name))
    if drill:
        text = f"{text}\n\n{W.REKAP_DRILL_HINT}"
    actions = [
        (rekap_args.command(period, code, _format_word("xlsx")), W.BUTTON_EXCEL),
        (rekap_args.command(period, code, _format_word("png")), W.BUTTON_CHART),
    ]
    if page < pages:
        next_page = rekap_args.command(period, code, W.REKAP_WORD_PAGE[0], str(page + 1))
        actions.append((next_page, W.BUTTON_NEXT_PAGE))
    buttons = tuple(Choice(value, label) for value, label in actions if value is not None)
    more = W.REKAP_ACTIONS_MORE if page < pages else W.REKAP_ACTIONS
    return [Reply(text, choices=tuple(drill), monospace=True), Reply(more, choices=buttons)]


def _format_word(output: str) -> str:
    """The word that asks for a file format (``excel`` for xlsx)."""
    return next(word for word, fmt in W.REKAP_WORD_FORMATS.items() if fmt == output)

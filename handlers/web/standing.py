"""What the pages show of supervision, and which of its buttons the person's role allows.

Everything is read through the supervision wing (:mod:`handlers.review`,
:mod:`storage.review`) and the rekap's ``tinjau`` (:mod:`storage.rekap`), so
a page says what chat would say. The buttons post to :mod:`.actions`, which
asks the same questions (``may_…``) again before it acts.
"""

from __future__ import annotations

from typing import Any

from conversations.forms.return_reason import RETURN_REASONS
from conversations.periods import format_date, format_month
from handlers.review import actions, commands, status, target
from handlers.review import words as RW
from handlers.turn import TurnContext
from handlers.web import words as W
from handlers.web.urls import posyandu_url
from storage import Transaction, reports, review
from storage.people import Profile
from storage.rekap import Area, review_of

WAITING_SHOWN = 10


def may_judge(turn: TurnContext, code: str) -> bool:
    """Verify and return: bidan and Puskesmas staff, for the Posyandu they supervise."""
    return turn.profile.role in actions.JUDGES and code in dict(target.scope(turn))


def may_unlock(turn: TurnContext, code: str) -> bool:
    """Reopen an approved month: the Puskesmas staff of that Posyandu."""
    return turn.profile.role == "puskesmas" and code in dict(target.scope(turn))


def may_approve(profile: Profile, area: Area) -> bool:
    """Approve and lock a month: the Puskesmas staff, for their own Puskesmas."""
    return (
        profile.role == "puskesmas" and area.level == "puskesmas" and area.code == profile.area_code
    )


def may_mark_reviewed(profile: Profile, area: Area) -> bool:
    """``tinjau``: a Dinkes officer, for their own kabupaten."""
    return (
        profile.role == "dinkes"
        and area.level == "kabupaten"
        and area.code == profile.kabupaten_code
    )


def statuses(session: Transaction, codes: list[str], period: str, level: str) -> dict[str, str]:
    """Each Posyandu's review status (short words), for a table of Posyandu; else nothing."""
    if level != "posyandu":
        return {}
    found = review.standings(session, codes, period)
    return {code: RW.STATUS_SHORT[item.status] for code, item in found.items()}


def overview(turn: TurnContext, area: Area, period: str, *, closed: bool) -> dict[str, Any]:
    """The status line, the month's lock (or each Puskesmas' approval), the district's review,
    the reports waiting for this person, and whether to offer approve or tinjau."""
    session, profile = turn.session, turn.profile
    found = review.standings_in(session, area.where, period)
    month = format_month(period)
    reviewed = None
    if area.level == "kabupaten" and area.code is not None:
        lines = status.rekap_lines(session, area, period).split("\n")
        reviewed = review_of(session, area.code, period)
        lines.append(
            W.REVIEWED.format(name=reviewed.reviewer, date=format_date(reviewed.reviewed_at.date()))
            if reviewed
            else W.NOT_REVIEWED.format(month=month)
        )
    else:
        lines = [status.counts_line(session, area, period), _lock_line(found, month)]
    locked_all = bool(found) and all(item.locked for item in found.values())
    return {
        "lines": lines,
        "approve": closed and not locked_all and may_approve(profile, area),
        "mark_reviewed": closed and reviewed is None and may_mark_reviewed(profile, area),
        "judge": profile.role in actions.JUDGES,
        "waiting": _waiting(turn, list(found)),
    }


def _lock_line(found: dict[str, review.Standing], month: str) -> str:
    locked = sum(item.locked for item in found.values())
    if found and locked == len(found):
        return W.LOCKED_ALL.format(month=month)
    if not locked:
        return W.LOCKED_NONE.format(month=month)
    return W.LOCKED_SOME.format(locked=locked, total=len(found))


def _waiting(turn: TurnContext, codes: list[str]) -> list[dict[str, str]]:
    """The reports in this area waiting for this person's check (``periksa``), oldest first."""
    if turn.profile.role not in actions.JUDGES:
        return []
    mine = dict(target.scope(turn))
    return [
        {
            "label": W.WAITING_ITEM.format(
                posyandu=item.posyandu, month=format_month(item.period), kader=item.submitted_by
            ),
            "url": posyandu_url(item.posyandu_code, item.period),
        }
        for item in review.waiting(
            turn.session, [code for code in codes if code in mine], WAITING_SHOWN
        )
    ]


def posyandu(turn: TurnContext, code: str, period: str) -> dict[str, Any]:
    """One Posyandu's month: its status, the buttons allowed, and its supervision history."""
    item = review.standings(turn.session, [code], period)[code]
    report = reports.latest_for_period(turn.session, reports.MONTHLY, code, period)
    return {
        "status": RW.VIEW_STATUS.format(status=RW.STATUS[item.status]),
        "revision": report.revision if report is not None else None,
        "judge": report is not None and not item.locked and may_judge(turn, code),
        "unlock": item.locked and may_unlock(turn, code),
        "reasons": list(RETURN_REASONS.items()),
        "history": commands.history_lines(turn, code, period),
    }

"""Where supervision meets a submitted monthly report: the lock first, then the bidan is told.

:func:`locked` runs before a revision is stored, in the same transaction and
under the same row lock (:func:`storage.review.take`): a locked month refuses
the revision and the kader's answers stay in her draft. :func:`stored` runs
right after: the report waits for the bidan again, the audit records it, and
the bidan hears of it (one message at once, then at most one digest an hour).
"""

from __future__ import annotations

from typing import Any

from conversations import Choice, Reply
from conversations.periods import format_month
from handlers.names import addressed
from handlers.review import target
from handlers.review import words as W
from handlers.turn import TurnContext
from handlers.words import BIDAN_HONORIFIC
from storage import people, regions, review
from storage.models import Report
from storage.reports import MONTHLY, NewReport

NOTICE_RULE = "review_notice"
DIGEST_BUTTONS = 9
"""Posyandu buttons in a digest; one more opens ``periksa`` (WhatsApp lists hold ten)."""


def actor(turn: TurnContext) -> review.Actor:
    """The person of this turn as the audit records them."""
    return review.Actor(turn.profile.person_id, turn.inbound.channel, turn.now)


def locked(turn: TurnContext, new: NewReport) -> list[Reply] | None:
    """None when the revision may be stored; else the refusal, recorded in the audit."""
    if new.kind != MONTHLY:
        return None
    row = review.take(turn.session, new.posyandu_code, new.period, turn.now)
    if not row.locked:
        return None
    review.refused(turn.session, actor(turn), row)
    return [Reply(f"{locked_text(turn, new.posyandu_code, new.period)} {W.LOCKED_KEPT}")]


def locked_text(turn: TurnContext, code: str, period: str) -> str:
    """Why a locked month cannot be changed, naming who can reopen it and how."""
    area, staff = review.puskesmas_staff(turn.session, code)
    who = W.LOCKED_WHO.format(names=", ".join(staff), area=area) if staff else W.LOCKED_WHO_NOBODY
    name = posyandu_name(turn, code)
    return W.LOCKED.format(
        posyandu=name,
        month=format_month(period),
        who=who,
        month_word=month_word(period),
        name=name,
    )


def stored(turn: TurnContext, report: Report) -> None:
    """A monthly revision was stored: it waits for the bidan, who is told."""
    row = review.take(turn.session, report.posyandu_code, report.period, turn.now)
    review.revision_stored(turn.session, actor(turn), row, report.revision)
    item = {
        "code": report.posyandu_code,
        "posyandu": posyandu_name(turn, report.posyandu_code),
        "period": report.period,
        "revision": report.revision,
        "kader": turn.profile.name,
    }
    for bidan in people.bidan_of_posyandu(turn.session, report.posyandu_code):
        if bidan.person_id != turn.profile.person_id:
            _notify(turn, bidan.person_id, item, report)


def _notify(turn: TurnContext, person_id: int, item: dict[str, Any], report: Report) -> None:
    session = turn.session
    waiting = review.notices.waiting_notice(session, person_id, NOTICE_RULE, turn.now)
    if waiting is not None:
        same = (item["code"], item["period"])
        items = [old for old in waiting.items if (old["code"], old["period"]) != same] + [item]
        if review.notices.rewrite(session, waiting, notice(items), turn.now):
            return
    key = f"review:{person_id}:{report.id}"
    review.notices.queue(session, key, person_id, NOTICE_RULE, notice([item]), turn.now)


def notice(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The outbox payload: the text, its buttons (command values) and the items it lists."""
    if len(items) == 1:
        text, choices = _one(items[0])
    else:
        text, choices = _digest(items)
    return {
        "text": text,
        "choices": [[choice.value, choice.label] for choice in choices],
        "items": items,
    }


def _one(item: dict[str, Any]) -> tuple[str, tuple[Choice, ...]]:
    revision = item["revision"]
    what = W.NOTICE_NEW if revision == 1 else W.NOTICE_FIXED.format(revision=revision)
    month = format_month(item["period"])
    lines = [
        W.NOTICE_ONE.format(posyandu=item["posyandu"], month=month, what=what, kader=item["kader"]),
        W.NOTICE_TWINS.format(name=item["posyandu"], month_word=month_word(item["period"])),
    ]
    code, period, mark = item["code"], item["period"], f"#{revision}"
    buttons = (
        (target.button(W.CMD_VERIFY, code, period, mark), W.BUTTON_VERIFY),
        (target.button(W.CMD_RETURN, code, period, mark), W.BUTTON_RETURN),
        (target.button(W.CMD_VIEW, code, period), W.BUTTON_VIEW),
    )
    return "\n".join(lines), tuple(Choice(v, label) for v, label in buttons if v is not None)


def _digest(items: list[dict[str, Any]]) -> tuple[str, tuple[Choice, ...]]:
    lines = [W.NOTICE_DIGEST.format(count=len(items))]
    choices: list[Choice] = []
    for item in items:
        what = W.NOTICE_NEW if item["revision"] == 1 else W.NOTICE_DIGEST_FIXED
        month = format_month(item["period"])
        lines.append(
            W.NOTICE_DIGEST_ITEM.format(
                posyandu=item["posyandu"], month=month, what=what, kader=item["kader"]
            )
        )
        value = target.button(W.CMD_VIEW, item["code"], item["period"])
        if value is not None and len(choices) < DIGEST_BUTTONS:
            label = W.BUTTON_VIEW_NAMED.format(posyandu=f"{item['posyandu']} {month}")
            choices.append(Choice(value, label))
    lines.append(W.NOTICE_DIGEST_FOOTER)
    choices.append(Choice(W.CMD_CHECK, W.BUTTON_CHECK))
    return "\n".join(lines), tuple(choices)


def month_word(period: str) -> str:
    """How a month is typed back in a command: ``november 2026``, read the same any day."""
    return format_month(period).lower()


def bidan_name(name: str) -> str:
    return addressed(name, BIDAN_HONORIFIC)


def posyandu_name(turn: TurnContext, code: str) -> str:
    """A Posyandu's name from its code (the code itself if it is gone)."""
    return dict(regions.posyandu_in(turn.session, "posyandu", code)).get(code, code)

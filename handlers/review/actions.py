"""Verifying and returning a report: the change, the audit entry, and the kader told.

Both the typed commands and the buttons (and the reason form) end here, so a
button is only a shortcut: whatever it carries is checked again now, against
the person's area and the report as it stands.
"""

from __future__ import annotations

from conversations import Choice, Reply
from conversations.periods import format_month
from handlers.review import hooks, target
from handlers.review import words as W
from handlers.turn import TurnContext
from storage import outbox, reports, review

JUDGES = ("bidan", "puskesmas")
"""Who may verify and return reports (in their own area)."""
RULE_RETURNED = "review_returned"
RULE_VERIFIED = "review_verified"


def verify(turn: TurnContext, code: str, period: str, revision: int | None) -> list[Reply]:
    """``sesuai``: mark the month's latest revision as verified."""
    outcome = review.judge(
        turn.session, hooks.actor(turn), code, period, "diperiksa", revision=revision
    )
    name = hooks.posyandu_name(turn, code)
    facts = {"posyandu": name, "month": format_month(period)}
    if outcome is not review.Outcome.DONE:
        return [Reply(_refusal(outcome, "diperiksa", name, period))]
    report = reports.latest_for_period(turn.session, reports.MONTHLY, code, period)
    assert report is not None
    if report.submitted_by != turn.profile.person_id:
        text = W.VERIFIED_KADER.format(**facts, bidan=hooks.bidan_name(turn.profile.name))
        key = f"{RULE_VERIFIED}:{report.id}:{report.submitted_by}"
        payload = {"text": text}
        outbox.enqueue(turn.session, key, report.submitted_by, RULE_VERIFIED, payload, turn.now)
    return [Reply(W.VERIFIED.format(**facts, name=turn.profile.name))]


def give_back(
    turn: TurnContext, code: str, period: str, revision: int | None, reason: str
) -> list[Reply]:
    """``kembalikan``: return the latest revision to its kader, with the reason and Perbaiki."""
    outcome = review.judge(
        turn.session,
        hooks.actor(turn),
        code,
        period,
        "dikembalikan",
        revision=revision,
        reason=reason,
    )
    name = hooks.posyandu_name(turn, code)
    if outcome is not review.Outcome.DONE:
        return [Reply(_refusal(outcome, "dikembalikan", name, period))]
    report = reports.latest_for_period(turn.session, reports.MONTHLY, code, period)
    assert report is not None
    month = format_month(period)
    kader = report.submitted_by
    if kader == turn.profile.person_id:
        return [Reply(W.RETURNED_NO_KADER.format(posyandu=name, month=month, reason=reason))]
    text = W.RETURNED_KADER.format(
        posyandu=name,
        month=month,
        bidan=hooks.bidan_name(turn.profile.name),
        reason=reason,
        month_word=hooks.month_word(period),
    )
    value = target.button(W.CMD_FIX, code, period)
    choices = [[value, W.BUTTON_FIX]] if value is not None else []
    payload = {"text": text, "choices": choices}
    key = f"{RULE_RETURNED}:{report.id}:{kader}"
    outbox.enqueue(turn.session, key, kader, RULE_RETURNED, payload, turn.now)
    kader_name = reports.submitter_name(turn.session, report)
    return [Reply(W.RETURNED.format(posyandu=name, month=month, kader=kader_name, reason=reason))]


def judge_buttons(code: str, period: str, revision: int) -> tuple[Choice, ...]:
    """Sesuai and Kembalikan for one revision (a later press of an old one is stale)."""
    mark = f"#{revision}"
    buttons = (
        (target.button(W.CMD_VERIFY, code, period, mark), W.BUTTON_VERIFY),
        (target.button(W.CMD_RETURN, code, period, mark), W.BUTTON_RETURN),
        (target.button(W.CMD_HISTORY, code, period), W.BUTTON_HISTORY),
    )
    return tuple(Choice(value, label) for value, label in buttons if value is not None)


def _refusal(outcome: review.Outcome, verdict: str, name: str, period: str) -> str:
    facts = {"posyandu": name, "month": format_month(period)}
    if outcome is review.Outcome.NO_REPORT:
        return W.NO_REPORT.format(**facts)
    if outcome is review.Outcome.STALE:
        return W.STALE.format(**facts, name=name, month_word=hooks.month_word(period))
    if outcome is review.Outcome.LOCKED:
        return W.LOCKED_JUDGE.format(**facts)
    already = W.ALREADY_VERIFIED if verdict == "diperiksa" else W.ALREADY_RETURNED
    return already.format(**facts)

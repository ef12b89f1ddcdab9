"""The supervision commands: periksa, lihat, sesuai, kembalikan, perbaiki, setujui, buka kunci,
riwayat, kinerja.

Each reads what was typed or tapped (:mod:`.target`), checks the role and
the area, and acts through :mod:`storage.review`. Buttons carry these same
commands, so everything a button does can be typed, and a forged or stale
button is checked like a typed command: outside one's area it finds nothing,
after a correction it is refused as stale.
"""

from __future__ import annotations

from datetime import datetime

from conversations import Choice, Reply
from conversations.forms import HOME_VISIT, MENU, OUTREACH, RETURN_REASON
from conversations.forms.return_reason import RETURN_REASONS
from conversations.periods import deadline_end, deadline_of, format_date, format_month, month_of
from handlers import conversation, correction
from handlers.review import actions, hooks, target, view
from handlers.review import words as W
from handlers.turn import TurnContext
from storage import drafts, outbox, reports, review
from storage.regions import area_name
from storage.rekap import last_closed_period

CHECK_SHOWN = 10
CHECK_COUNTED = 100
"""Waiting reports counted for the header; beyond that it says 100+."""
KINERJA_SHOWN = 15
APPROVE_NAMES = 5
SUPERVISORS = ("bidan", "puskesmas", "dinkes", "admin")
REPORTERS = ("kader", "bidan")
RULE_UNLOCKED = "review_unlocked"


def check(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``periksa``: the reports waiting to be verified in the person's area, oldest first."""
    if turn.profile.role not in SUPERVISORS:
        return _not_allowed(turn, W.CHECK_NOT_ALLOWED)
    codes = [code for code, _ in target.scope(turn)]
    found = review.waiting(turn.session, codes, CHECK_COUNTED)
    if not found:
        return [Reply(W.CHECK_EMPTY), *conversation.where_we_are(turn)]
    total = f"{len(found)}+" if len(found) == CHECK_COUNTED else str(len(found))
    lines = [W.CHECK_HEADER.format(count=total)]
    choices: list[Choice] = []
    for n, item in enumerate(found[:CHECK_SHOWN], 1):
        month = format_month(item.period)
        lines.append(
            W.CHECK_ITEM.format(
                n=n,
                posyandu=item.posyandu,
                month=month,
                kader=item.submitted_by,
                when=_local(turn, item.submitted_at),
                fixed=W.CHECK_FIXED if item.revision > 1 else "",
            )
        )
        value = target.button(W.CMD_VIEW, item.posyandu_code, item.period)
        if value is not None:
            label = W.BUTTON_VIEW_NAMED.format(posyandu=f"{item.posyandu} {month}")
            choices.append(Choice(value, label))
    if len(found) > CHECK_SHOWN:
        lines.append(W.CHECK_MORE.format(count=len(found) - CHECK_SHOWN))
    lines.append(W.CHECK_FOOTER)
    return [Reply("\n".join(lines), choices=tuple(choices)), *conversation.where_we_are(turn)]


def show(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``lihat POSYANDU [BULAN]``: one report, every field, changes marked.

    ``lihat laporan …`` is the reporter's own view of what was sent (:mod:`handlers.correction`).
    """
    if args and args[0].casefold() in correction.WORD_REPORT:
        return correction.show(turn, args)
    found = target.find(turn, args, W.CMD_VIEW)
    if not isinstance(found, target.Target):
        return found
    period = found.period or reports.last_monthly_period(turn.session, found.code)
    if period is None:
        return [Reply(W.VIEW_NEVER.format(posyandu=found.name))]
    report = reports.latest_for_period(turn.session, reports.MONTHLY, found.code, period)
    if report is None:
        return [Reply(W.VIEW_NO_REPORT.format(posyandu=found.name, month=format_month(period)))]
    previous = (
        review.revision(turn.session, found.code, period, report.revision - 1)
        if report.revision > 1
        else None
    )
    standing = review.standings(turn.session, [found.code], period)[found.code]
    text = view.render(
        turn.engine,
        report,
        previous,
        posyandu=found.name,
        kader=reports.submitter_name(turn.session, report),
        status=standing.status,
        local_date=report.submitted_at.astimezone(turn.now.tzinfo).date(),
    )
    if turn.profile.role in actions.JUDGES and not standing.locked:
        twins = W.VIEW_ACTIONS.format(name=found.name, month_word=hooks.month_word(period))
        choices = actions.judge_buttons(found.code, period, report.revision)
        return [Reply(f"{text}\n\n{twins}", choices=choices), *conversation.where_we_are(turn)]
    history = target.button(W.CMD_HISTORY, found.code, period)
    choices = (Choice(history, W.BUTTON_HISTORY),) if history else ()
    return [Reply(text, choices=choices), *conversation.where_we_are(turn)]


def verify(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``sesuai POSYANDU [BULAN]``: the report is right."""
    if not args and turn.draft is not None:
        return conversation.resume(turn)  # "sesuai" answering an open form's question
    if turn.profile.role not in actions.JUDGES:
        return _not_allowed(turn, W.JUDGE_NOT_ALLOWED)
    found = target.find(turn, args, W.CMD_VERIFY)
    if not isinstance(found, target.Target):
        return found
    period = found.period or reports.last_monthly_period(turn.session, found.code)
    if period is None:
        return [Reply(W.VIEW_NEVER.format(posyandu=found.name))]
    return actions.verify(turn, found.code, period, found.revision)


def give_back(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``kembalikan POSYANDU [BULAN] [ALASAN]``: back to the kader; no reason asks for one."""
    if turn.profile.role not in actions.JUDGES:
        return _not_allowed(turn, W.JUDGE_NOT_ALLOWED)
    found = target.find(turn, args, W.CMD_RETURN)
    if not isinstance(found, target.Target):
        return found
    period = found.period or reports.last_monthly_period(turn.session, found.code)
    report = (
        reports.latest_for_period(turn.session, reports.MONTHLY, found.code, period)
        if period
        else None
    )
    if period is None or report is None:
        return [Reply(W.RETURN_NEEDS_REPORT.format(posyandu=found.name))]
    typed = " ".join(found.rest).strip()
    reason = RETURN_REASONS.get(typed.casefold(), typed) if typed else ""
    if reason:
        return actions.give_back(turn, found.code, period, found.revision, reason)
    standing = review.standings(turn.session, [found.code], period)[found.code]
    stale = found.revision is not None and found.revision != report.revision
    if stale or standing.locked or standing.status == "dikembalikan":
        # Nothing to ask a reason for: say why, exactly as the action would.
        return actions.give_back(turn, found.code, period, found.revision, "-")
    context = {
        "posyandu_code": found.code,
        "posyandu_name": found.name,
        "period": period,
        "month": format_month(period),
        "revision": report.revision,
    }
    if turn.draft is not None and turn.draft.form not in (MENU.id, RETURN_REASON.id):
        drafts.pause(turn.session, turn.profile.person_id, turn.draft, turn.now)
        turn.draft = None
    return conversation.start(turn, RETURN_REASON.id, context)


def fix(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``perbaiki [BULAN]``: the returned (else latest) report opened pre-filled at its summary.

    The one way a correction is opened, shared with ``ubah laporan``:
    :func:`handlers.correction.open_revision`.
    """
    if turn.profile.role not in REPORTERS:
        return _not_allowed(turn, W.FIX_NOT_ALLOWED)
    found = target.find(turn, args, W.CMD_FIX)
    if not isinstance(found, target.Target):
        return found
    period = (
        found.period
        or review.latest_period(turn.session, found.code, "dikembalikan")
        or reports.last_monthly_period(turn.session, found.code)
    )
    if period is None:
        return [Reply(W.FIX_NOTHING.format(posyandu=found.name))]
    if review.standings(turn.session, [found.code], period)[found.code].locked:
        return [Reply(hooks.locked_text(turn, found.code, period))]
    report = reports.latest_for_period(turn.session, reports.MONTHLY, found.code, period)
    if report is None:
        return [Reply(W.FIX_NOTHING.format(posyandu=found.name))]
    return correction.open_revision(turn, report)


def approve(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``setujui [BULAN] [ya]``: what is still open, then (confirmed) lock the month."""
    profile = turn.profile
    if profile.role != "puskesmas":
        return _not_allowed(turn, W.APPROVE_NOT_ALLOWED)
    period, rest = target.month(args, turn)
    confirmed = bool(rest) and rest[0].casefold() in W.WORD_CONFIRM
    if rest and not confirmed:
        return [Reply(W.BAD_MONTH.format(text=" ".join(args), command=W.CMD_APPROVE))]
    period = period or last_closed_period(turn.now, profile.deadline_day, profile.timezone)
    month = format_month(period)
    if period > month_of(turn.now.date()):
        return [Reply(W.APPROVE_FUTURE.format(month=month))]
    if turn.now < deadline_end(period, profile.deadline_day, profile.timezone):
        deadline = format_date(deadline_of(period, profile.deadline_day))
        return [Reply(W.APPROVE_NOT_CLOSED.format(month=month, deadline=deadline))]
    area = area_name(turn.session, profile.role, profile.area_code) or ""
    puskesmas = profile.area_code or ""
    places = target.scope(turn)
    standing = review.standings(turn.session, [code for code, _ in places], period)
    if all(item.locked for item in standing.values()):
        done = review.approvals(turn.session, [puskesmas], period).get(puskesmas)
        if done is not None:
            when = format_date(done.approved_at.astimezone(turn.now.tzinfo).date())
            text = W.APPROVE_ALREADY.format(month=month, area=area, name=done.approver, date=when)
            return [Reply(text)]
    if confirmed:
        locked = review.approve(turn.session, hooks.actor(turn), puskesmas, period)
        text = W.APPROVE_DONE.format(
            month=month, area=area, count=len(locked), month_word=hooks.month_word(period)
        )
        return [Reply(text)]
    names = dict(places)
    lines = []
    for status in review.STATUSES:
        codes = [code for code, item in standing.items() if item.status == status]
        if not codes:
            continue
        shown = sorted(names[code] for code in codes)
        listed = "" if status == "diperiksa" else f": {', '.join(shown[:APPROVE_NAMES])}"
        if len(shown) > APPROVE_NAMES:
            listed += ", …"
        lines.append(W.APPROVE_LINE.format(count=len(codes), status=W.STATUS[status], names=listed))
    text = W.APPROVE_ASK.format(
        month=month,
        area=area,
        total=len(places),
        lines="\n".join(lines),
        month_word=hooks.month_word(period),
    )
    value = target.button(W.CMD_APPROVE, period, W.WORD_CONFIRM[0])
    choices = (Choice(value, W.BUTTON_APPROVE),) if value else ()
    return [Reply(text, choices=choices)]


def unlock(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``buka kunci BULAN POSYANDU ALASAN``: reopen one Posyandu's approved month."""
    if not args or args[0].casefold() != W.WORD_LOCK:
        if turn.draft is not None:
            return conversation.resume(turn)  # "buka" answering an open form's question
        return [Reply(W.UNLOCK_USAGE)]
    profile = turn.profile
    if profile.role != "puskesmas":
        return _not_allowed(turn, W.UNLOCK_NOT_ALLOWED)
    if len(args) == 1:
        return [Reply(W.UNLOCK_USAGE)]
    found = target.find(turn, args[1:], f"{W.CMD_UNLOCK} {W.WORD_LOCK}", month_first=True)
    if not isinstance(found, target.Target):
        return found
    period = found.period or last_closed_period(turn.now, profile.deadline_day, profile.timezone)
    month_word = hooks.month_word(period)
    reason = " ".join(found.rest).strip()
    if not reason:
        return [Reply(W.UNLOCK_NEEDS_REASON.format(month_word=month_word, name=found.name))]
    facts = {"posyandu": found.name, "month": format_month(period)}
    outcome = review.unlock(turn.session, hooks.actor(turn), found.code, period, reason)
    if outcome is not review.Outcome.DONE:
        return [Reply(W.NOT_LOCKED.format(**facts))]
    report = reports.latest_for_period(turn.session, reports.MONTHLY, found.code, period)
    if report is not None and report.submitted_by != profile.person_id:
        text = W.UNLOCKED_KADER.format(**facts, name=profile.name, month_word=month_word)
        key = f"{RULE_UNLOCKED}:{found.code}:{period}:{turn.inbound.message_id}"
        payload = {"text": text, "choices": _fix_button(found.code, period)}
        outbox.enqueue(turn.session, key, report.submitted_by, RULE_UNLOCKED, payload, turn.now)
    return [Reply(W.UNLOCKED.format(**facts, reason=reason, month_word=month_word))]


def history(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``riwayat POSYANDU [BULAN]``: every step of the month, in order."""
    found = target.find(turn, args, W.CMD_HISTORY)
    if not isinstance(found, target.Target):
        return found
    period = found.period or reports.last_monthly_period(turn.session, found.code)
    if period is None:
        return [Reply(W.VIEW_NEVER.format(posyandu=found.name))]
    facts = {"posyandu": found.name, "month": format_month(period)}
    lines = history_lines(turn, found.code, period)
    if not lines:
        return [Reply(W.HISTORY_EMPTY.format(**facts))]
    return [
        Reply("\n".join([W.HISTORY_TITLE.format(**facts), *lines])),
        *conversation.where_we_are(turn),
    ]


def history_lines(turn: TurnContext, code: str, period: str) -> list[str]:
    """The month's steps as ``riwayat`` lists them (also on the web's Posyandu page)."""
    lines = []
    for n, entry in enumerate(review.history(turn.session, code, period), 1):
        extra = W.HISTORY_REVISION.format(revision=entry.revision) if entry.revision else ""
        if entry.reason:
            extra += W.HISTORY_REASON.format(reason=entry.reason)
        lines.append(
            W.HISTORY_LINE.format(
                n=n,
                when=_local(turn, entry.at),
                action=W.ACTION_WORDS.get(entry.action, entry.action),
                name=entry.person,
                role=W.ROLE_WORDS.get(entry.role, entry.role),
                channel=entry.channel,
                extra=extra,
            )
        )
    return lines


def kinerja(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``kinerja [BULAN]``: per Posyandu and kader, six months up to the month."""
    profile = turn.profile
    if profile.role not in SUPERVISORS:
        return _not_allowed(turn, W.KINERJA_NOT_ALLOWED)
    period, rest = target.month(args, turn)
    if rest:
        return [Reply(W.BAD_MONTH.format(text=" ".join(args), command=W.CMD_KINERJA))]
    period = period or last_closed_period(turn.now, profile.deadline_day, profile.timezone)
    places = target.scope(turn)
    if not places:
        return [Reply(W.KINERJA_EMPTY)]
    rows = review.kinerja(turn.session, [code for code, _ in places], period)
    start = review.kinerja_start(period)
    area = area_name(turn.session, profile.role, profile.area_code) or ""
    lines = [
        W.KINERJA_TITLE.format(
            start=format_month(start), end=format_month(period), months=review.MONTHS, area=area
        )
    ]
    for row in rows[:KINERJA_SHOWN]:
        lines.append(
            W.KINERJA_POSYANDU.format(
                posyandu=row.name,
                on_time=row.on_time,
                months=review.MONTHS,
                streak=row.streak,
                returned=row.returned,
            )
        )
        for kader in row.kader.values():
            lines.append(
                W.KINERJA_KADER.format(
                    name=kader.name,
                    visits=kader.filed[HOME_VISIT.id],
                    outreach=kader.filed[OUTREACH.id],
                )
            )
    if len(rows) > KINERJA_SHOWN:
        lines.append(W.KINERJA_MORE.format(count=len(rows) - KINERJA_SHOWN))
    return [Reply("\n".join(lines)), *conversation.where_we_are(turn)]


def _not_allowed(turn: TurnContext, text: str) -> list[Reply]:
    """Someone whose role has no use for the command: inside a form, it was an answer there
    (a kader typing "sesuai jadwal" as a note); otherwise, who the command is for."""
    if turn.draft is not None:
        return conversation.resume(turn)
    return [Reply(text)]


def _fix_button(code: str, period: str) -> list[list[str]]:
    value = target.button(W.CMD_FIX, code, period)
    return [[value, W.BUTTON_FIX]] if value is not None else []


def _local(turn: TurnContext, at: datetime) -> str:
    local = at.astimezone(turn.now.tzinfo)
    return f"{format_date(local.date())} {local:%H.%M}"

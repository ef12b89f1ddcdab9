"""Correcting a report already sent, and reading it back: ``ubah laporan``, ``lihat laporan``.

A correction opens the form at its summary with what was sent, so changing
one number is ``ubah N``, the number and ``kirim``; the new revision keeps
the old one for audit. :func:`open_revision` is the one way to open such a
correction (``ubah laporan``, replacing a report through ``lapor``, a
supervisor's request to correct).
"""

from __future__ import annotations

from conversations import Choice, Reply
from conversations.forms import MENU
from conversations.periods import format_date, format_month
from handlers import conversation, form_context
from handlers import words as T
from handlers.rekap import args as rekap_args
from handlers.turn import TurnContext
from storage import drafts, people, regions, reports
from storage.models import Report

WORD_REPORT = ("laporan", "lap")
CHOICES_SHOWN = 10
"""Posyandu offered as buttons when the person did not say which one."""


def open_revision(turn: TurnContext, report: Report, note: str = "") -> list[Reply]:
    """Open a correction of ``report`` at its summary, with every answer that was sent.

    The open form, if any, is put aside (the menu is just closed); a draft of
    the same form already waiting is never overwritten: the person is asked to
    finish or cancel it first.
    """
    person = turn.profile.person_id
    waiting = [d.form for d in drafts.paused(turn.session, person, turn.now)]
    if turn.draft is not None and turn.draft.form != MENU.id:
        waiting.append(turn.draft.form)
    if report.kind in waiting:
        return [Reply(T.CORRECTION_DRAFT_OPEN), *conversation.where_we_are(turn)]
    if turn.draft is not None and turn.draft.form != MENU.id:
        drafts.pause(turn.session, person, turn.draft, turn.now)
        turn.draft = None
    elif turn.draft is not None:
        drafts.discard(turn.session, person, turn.draft)
        turn.draft = None
    context = form_context.for_form(turn, report.kind, report.posyandu_code)
    note = note or conversation.opened_note(turn, report)
    opened = turn.engine.open_filled(report.kind, context, report.data, turn.now, note)
    return conversation.settle(turn, opened)


def edit(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``ubah laporan [bulan] [Posyandu]``; inside a form, ``ubah N`` belongs to the form."""
    if not args or args[0].casefold() not in WORD_REPORT:
        if turn.draft is not None:
            return conversation.resume(turn)
        return [Reply(T.CORRECTION_HOW)]
    if turn.profile.role not in form_context.REPORTING_ROLES:
        return [Reply(T.NO_FORMS_FOR_ROLE)]
    own = people.posyandu_of(turn.session, turn.profile)
    found = _find(turn, args[1:], own, T.CORRECTION_COMMAND)
    if isinstance(found, list):
        return found
    report, _ = found
    return open_revision(turn, report)


def show(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``lihat laporan [bulan] [Posyandu]``: the monthly report as it was sent (latest revision)."""
    words = args[1:] if args and args[0].casefold() in WORD_REPORT else args
    found = _find(turn, words, _visible_posyandu(turn), T.SHOW_COMMAND)
    if isinstance(found, list):
        return found + conversation.where_we_are(turn)
    report, name = found
    day = format_date(report.submitted_at.astimezone(turn.now.tzinfo).date())
    header = T.SHOW_HEADER.format(
        posyandu=name,
        period=format_month(report.period),
        date=day,
        name=reports.submitter_name(turn.session, report),
        revision=report.revision,
    )
    body = turn.engine.report_lines(report.kind, report.data, {})
    can_edit = turn.profile.role in form_context.REPORTING_ROLES
    footer = T.SHOW_FOOTER.format(period=format_month(report.period)) if can_edit else ""
    text = "\n".join(filter(None, [header, *body, footer]))
    return [Reply(text), *conversation.where_we_are(turn)]


def _visible_posyandu(turn: TurnContext) -> list[tuple[str, str]]:
    """(code, name) of every Posyandu this person may see reports of."""
    profile = turn.profile
    if profile.role in form_context.REPORTING_ROLES:
        return people.posyandu_of(turn.session, profile)
    level = regions.ROLE_LEVEL[profile.role]
    return regions.posyandu_in(turn.session, level, profile.area_code or profile.kabupaten_code)


def _find(
    turn: TurnContext, words: list[str], allowed: list[tuple[str, str]], command: str
) -> tuple[Report, str] | list[Reply]:
    """The latest monthly report the words name among ``allowed`` Posyandu, or why not.

    The month defaults to the last one sent for that Posyandu; without a name,
    a person with several Posyandu picks one with a button.
    """
    request = rekap_args.parse(words, turn.now.date())
    if not allowed:
        return [Reply(T.NO_POSYANDU)]
    wanted = request.area.casefold()
    matches = [
        (code, name)
        for code, name in allowed
        if not wanted or wanted == code.casefold() or wanted in name.casefold()
    ]
    if not matches:
        names = ", ".join(name for _, name in allowed[:CHOICES_SHOWN])
        return [Reply(T.REPORT_POSYANDU_UNKNOWN.format(text=request.area, posyandu=names))]
    if len(matches) > 1:
        choices = tuple(
            Choice(" ".join(filter(None, (command, request.period, code))), name)
            for code, name in matches[:CHOICES_SHOWN]
        )
        return [Reply(T.REPORT_WHICH_POSYANDU, choices=choices)]
    code, name = matches[0]
    period = request.period or reports.last_monthly_period(turn.session, code)
    if not period:
        return [Reply(T.REPORT_NEVER_SENT.format(posyandu=name))]
    report = reports.latest_for_period(turn.session, reports.MONTHLY, code, period)
    if report is None:
        return [Reply(T.REPORT_NOT_SENT.format(posyandu=name, period=format_month(period)))]
    return report, name

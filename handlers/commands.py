"""The chat commands: mulai/start, lapor, status, jadwal, rekap, tinjau, bantuan, batal."""

from __future__ import annotations

from collections.abc import Callable

from conversations import Reply
from conversations import catalogue as T
from conversations.engine import format_date, format_month
from handlers import conversation, form_context, rekap, schedule
from handlers.turn import TurnContext
from storage import people, regions, reports
from storage.periods import deadline_of, due_period

STATUS_LIST_LIMIT = 25

Command = Callable[[TurnContext, list[str]], list[Reply]]


def greet(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``mulai``: who the bot thinks you are and what you can do."""
    profile = turn.profile
    area = people.area_name(turn.session, profile)
    replies = [Reply(T.GREETING[profile.role].format(name=profile.name, area=area))]
    if turn.draft is not None:
        replies.extend(conversation.reprompt(turn, ""))
    return replies


def report(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``lapor``: the menu of forms this person may file (or the open one)."""
    if turn.draft is not None:
        return conversation.reprompt(turn, _draft_note(turn))
    if turn.profile.role not in form_context.REPORTING_ROLES:
        return [Reply(T.NO_FORMS_FOR_ROLE)]
    posyandu = people.posyandu_of(turn.session, turn.profile)
    if not posyandu:
        return [Reply(T.NO_POSYANDU)]
    return conversation.start(turn, "pilih", form_context.menu(posyandu))


def status(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``status``: which Posyandu in the person's area still owe this month's report."""
    profile = turn.profile
    period = due_period(turn.now.date(), profile.deadline_day)
    if profile.role in form_context.REPORTING_ROLES:
        posyandu = people.posyandu_of(turn.session, profile)
    else:
        level = regions.ROLE_LEVEL[profile.role]
        posyandu = regions.posyandu_in(turn.session, level, profile.area_code or "")
    if not posyandu:
        return [Reply(T.STATUS_NO_POSYANDU)]
    filed = {
        f.posyandu_code: f
        for f in reports.monthly_filed(turn.session, [code for code, _ in posyandu], [period])
    }
    lines = [T.STATUS_HEADER.format(period=format_month(period))]
    ordered = sorted(posyandu, key=lambda p: (p[0] in filed, p[1]))
    for code, name in ordered[:STATUS_LIST_LIMIT]:
        lines.append(_status_line(turn, name, filed.get(code)))
    if len(ordered) > STATUS_LIST_LIMIT:
        lines.append(T.STATUS_MORE.format(count=len(ordered) - STATUS_LIST_LIMIT))
    missing = len(posyandu) - len(filed)
    deadline = format_date(deadline_of(period, profile.deadline_day))
    footer = T.STATUS_FOOTER_MISSING.format(deadline=deadline) if missing else T.STATUS_FOOTER_DONE
    lines.append(footer)
    replies = [Reply("\n".join(lines))]
    if turn.draft is not None:
        replies.extend(conversation.reprompt(turn, _draft_note(turn)))
    return replies


def help_text(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``bantuan``: how to use the bot."""
    replies = [Reply(T.HELP)]
    if turn.draft is not None:
        replies.extend(conversation.reprompt(turn, _draft_note(turn)))
    return replies


def cancel(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``batal`` outside a form (inside one, the engine handles it)."""
    return [Reply(T.NOTHING_TO_CANCEL)]


def _status_line(turn: TurnContext, name: str, filed: reports.MonthlyFiled | None) -> str:
    if filed is None:
        return T.STATUS_MISSING.format(posyandu=name)
    when = format_date(filed.submitted_at.astimezone(turn.now.tzinfo).date())
    template = T.STATUS_NOT_HELD if filed.held is False else T.STATUS_DONE
    return template.format(posyandu=name, when=when)


def _draft_note(turn: TurnContext) -> str:
    assert turn.draft is not None
    form = turn.engine.form(turn.draft.form)
    return T.DRAFT_OPEN.format(title=T.FORM_TITLES.get(form.id, form.title))


COMMANDS: dict[str, Command] = {
    "mulai": greet,
    "start": greet,
    "halo": greet,
    "lapor": report,
    "status": status,
    "jadwal": schedule.show,
    "rekap": rekap.show,
    "tinjau": rekap.review,
    "bantuan": help_text,
    "help": help_text,
    "batal": cancel,
}

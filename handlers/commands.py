"""The chat commands: mulai/start, lapor, status, jadwal, rekap, tinjau, bantuan, batal, web."""

from __future__ import annotations

import functools
from collections.abc import Callable

from conversations import Reply
from conversations.periods import deadline_of, due_period, format_date, format_month
from handlers import conversation, correction, form_context, rekap, review
from handlers import words as T
from handlers.meetings import command as meetings
from handlers.meetings import followup, mentoring
from handlers.names import addressed
from handlers.reminders import jadwal
from handlers.turn import TurnContext
from handlers.web import command as web_command
from handlers.web import words as web_words
from storage import people, regions, reports

STATUS_LIST_LIMIT = 25

Command = Callable[[TurnContext, list[str]], list[Reply]]


def keeps_the_form(command: Command) -> Command:
    """Answer a command that is not about the form, then show where the person was.

    ``status``, ``jadwal`` or ``bantuan`` half-way through a report leave it
    open; its question is asked again so the next answer lands where it should.
    """

    @functools.wraps(command)
    def answer(turn: TurnContext, args: list[str]) -> list[Reply]:
        return command(turn, args) + conversation.where_we_are(turn)

    return answer


@keeps_the_form
def greet(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``mulai``: who the bot thinks you are and what you can do."""
    profile = turn.profile
    area = people.area_name(turn.session, profile)
    name = addressed(profile.name, T.HONORIFIC.get(profile.role, ""))
    return [Reply(T.GREETING[profile.role].format(name=name, area=area))]


def report(turn: TurnContext, args: list[str]) -> list[Reply]:
    """``lapor``: the menu of forms this person may file, offering to continue any put aside.

    ``lapor bulanan`` (``lapor 1``, any entry's number or words) answers the
    menu at once. ``lapor formulir`` opens the monthly report as one web form
    instead (a Mini App button on Telegram, a one-time link elsewhere).
    """
    if turn.profile.role not in form_context.REPORTING_ROLES:
        return [Reply(T.NO_FORMS_FOR_ROLE)]
    posyandu = people.posyandu_of(turn.session, turn.profile)
    if not posyandu:
        return [Reply(T.NO_POSYANDU)]
    if [arg.casefold() for arg in args] == [web_words.WORD_FORM]:
        return web_command.form_link(turn)
    menu = conversation.open_menu(turn, posyandu)
    chosen = conversation.choose(turn, " ".join(args)) if args else []
    if chosen:
        return menu[:-1] + chosen
    return web_command.with_form_button(turn, menu)


@keeps_the_form
def status(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``status``: which Posyandu in the person's area still owe this month's report."""
    profile = turn.profile
    period = due_period(turn.now.date(), profile.deadline_day)
    reporting = profile.role in form_context.REPORTING_ROLES
    if reporting:
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
    deadline = format_date(deadline_of(period, profile.deadline_day))
    lines.append(_status_footer(deadline, missing=len(posyandu) - len(filed), reporting=reporting))
    return [Reply("\n".join(lines))]


def help_text(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``bantuan``: what this person (by role) can do, then the open question with its hint."""
    role = turn.profile.role
    text = f"{T.HELP[role]}\n\n{review.HELP[role]}"
    return [Reply(text), *conversation.where_we_are(turn, hint=True)]


def cancel(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """``batal`` outside a form (inside one, the engine handles it)."""
    return [Reply(T.NOTHING_TO_CANCEL), *conversation.kept_drafts(turn)]


def _status_line(turn: TurnContext, name: str, filed: reports.MonthlyFiled | None) -> str:
    if filed is None:
        return T.STATUS_MISSING.format(posyandu=name)
    when = format_date(filed.submitted_at.astimezone(turn.now.tzinfo).date())
    template = T.STATUS_NOT_HELD if filed.held is False else T.STATUS_DONE
    return template.format(posyandu=name, when=when)


def _status_footer(deadline: str, *, missing: int, reporting: bool) -> str:
    """The deadline while reports are missing; only those who can report are asked to."""
    if not missing:
        return T.STATUS_FOOTER_DONE
    footer = T.STATUS_FOOTER_MISSING.format(deadline=deadline)
    return f"{footer} {T.STATUS_FOOTER_REPORT}" if reporting else footer


COMMANDS: dict[str, Command] = {
    "mulai": greet,
    "start": greet,
    "halo": greet,
    "lapor": report,
    "status": status,
    "jadwal": keeps_the_form(jadwal.show),
    "rekap": rekap.show,
    "tinjau": rekap.review,
    "ubah": correction.edit,
    "bantuan": help_text,
    "help": help_text,
    "batal": cancel,
    "rapat": meetings.rapat,
    "hadir": meetings.hadir,
    "tidak bisa": meetings.tidak_bisa,
    "diwakilkan": meetings.diwakilkan,
    "daftar hadir": meetings.attendance,
    "tindak lanjut": followup.command,
    "selesai": followup.done,
    "pendampingan": mentoring.schedule,
    "pantau": mentoring.monitor,
    "web": keeps_the_form(web_command.sign_in_link),
    **review.COMMANDS,
}
MITRA_COMMANDS = frozenset(
    {"mulai", "start", "halo", "bantuan", "help", "batal", "rapat", "hadir", "tidak bisa"}
    | {"diwakilkan", "tindak lanjut", "selesai", "pantau"}
)
"""A cross-sector partner answers invitations and follow-up items, nothing else."""

"""Running the engine for a person: start a form, feed it answers, save what it returns.

A person answers one open conversation at a time. Asking for the report menu
(``lapor``) in the middle of a form puts that form aside rather than losing
it: the menu then offers to continue it, next to the other forms. Forms put
aside expire like open ones; whenever no form is open, the person is reminded
of the ones waiting.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from conversations import REPORT_FORMS, Inbound, Replacing, Reply, State, Submitted, Turn, lines
from conversations.engine import DRAFT_LIFETIME, period_of
from conversations.forms import ALL_FORMS, MEETING, MENTORING, MENU, RETURN_REASON, title_of
from conversations.forms.menu import MENU_FORM_FIELD
from conversations.periods import format_date, format_month
from conversations.words import EXPIRED
from handlers import form_context, submission
from handlers import words as T
from handlers.meetings import invitations, mentoring
from handlers.review import hooks, returns
from handlers.turn import TurnContext
from storage import drafts, people, reports
from storage.models import Report

REPORT_IDS = frozenset(form.id for form in REPORT_FORMS)
PASTED = "pasted"
"""Menu context: a report pasted at the menu, given to the form once it is open."""


def start(turn: TurnContext, form_id: str, context: dict[str, Any]) -> list[Reply]:
    """Open ``form_id`` for this person, replacing the open conversation if there is one.

    The monthly report starts with its month answered when the month is
    clear (:func:`form_context.given`), saying so: ``kembali`` asks it.
    """
    given, note = form_context.given(form_id, context)
    return settle(turn, turn.engine.start(form_id, context, turn.now, given, note))


def resume(turn: TurnContext) -> list[Reply]:
    """Give the message to the open conversation.

    A report pasted at the menu (``lapor``, then every section as a labelled
    line) chooses its form and fills it at once.
    """
    assert turn.draft is not None
    state = State.from_json(turn.draft.state)
    if state.form == MENU.id:
        pasted = lines.report_form(REPORT_FORMS, turn.inbound.text)
        if pasted is not None:
            state.context[PASTED] = turn.inbound.text
            return settle(turn, turn.engine.fill(state, {MENU_FORM_FIELD: pasted.id}, turn.now))
    return settle(turn, turn.engine.resume(state, turn.inbound, turn.now))


def is_pasted_report(turn: TurnContext) -> bool:
    """Whether a message outside any form is a report (every section as a labelled line)."""
    reporting = turn.profile.role in form_context.REPORTING_ROLES
    return reporting and lines.report_form(REPORT_FORMS, turn.inbound.text) is not None


def pasted_report(turn: TurnContext) -> list[Reply]:
    """A report sent without ``lapor`` first: as if ``lapor`` came just before it."""
    posyandu = people.posyandu_of(turn.session, turn.profile)
    if not posyandu:
        return [Reply(T.NO_POSYANDU)]
    opened = open_menu(turn, posyandu)
    if turn.draft is None or turn.draft.form != MENU.id:
        return opened
    return resume(turn)


def reprompt(turn: TurnContext, note: str, *, hint: bool = False) -> list[Reply]:
    """Show the open conversation's question again, after ``note`` (with the hint if asked)."""
    assert turn.draft is not None
    state = State.from_json(turn.draft.state)
    return settle(turn, turn.engine.reprompt(state, turn.now, note, hint=hint))


def open_menu(turn: TurnContext, posyandu: list[tuple[str, str]]) -> list[Reply]:
    """The report menu, offering to continue the forms put aside (the open one is put aside)."""
    person = turn.profile.person_id
    if turn.draft is not None and turn.draft.form != MENU.id:
        drafts.pause(turn.session, person, turn.draft, turn.now)
        turn.draft = None
    replies = [
        Reply(_expired(form)) for form in drafts.drop_expired(turn.session, person, turn.now)
    ]
    waiting = {draft.form: describe(draft) for draft in _paused(turn)}
    due = form_context.due_month(turn, [code for code, _ in posyandu])
    return replies + start(turn, MENU.id, form_context.menu(posyandu, waiting, due))


def choose(turn: TurnContext, words: str) -> list[Reply]:
    """The menu just opened, answered with ``words`` (``lapor bulanan``, ``lapor 1``).

    Nothing when the words name none of its entries: the menu stays as asked.
    """
    if turn.draft is None or turn.draft.form != MENU.id:
        return []
    state = State.from_json(turn.draft.state)
    words = T.MENU_WORDS.get(words.casefold(), words)
    typed = Inbound(turn.inbound.channel, turn.inbound.user_id, turn.inbound.message_id, words)
    result = turn.engine.resume(state, typed, turn.now)
    if result.state is not None and result.state.current == state.current:
        return []
    return settle(turn, result)


def where_we_are(turn: TurnContext, *, hint: bool = False) -> list[Reply]:
    """After a command that is not about the form: its question again, or the forms put aside.

    Someone who asked ``status`` or ``jadwal`` half-way through a report must
    see where they were; the menu is shown again without naming itself.
    ``hint`` adds the typing and navigation hint to the question (``bantuan``).
    """
    if turn.draft is None:
        return kept_drafts(turn)
    note = "" if turn.draft.form == MENU.id else T.DRAFT_OPEN.format(title=describe(turn.draft))
    return reprompt(turn, note, hint=hint)


def kept_drafts(turn: TurnContext) -> list[Reply]:
    """A reminder of the forms put aside, if there are any."""
    waiting = [describe(draft) for draft in _paused(turn)]
    if not waiting:
        return []
    return [Reply(T.DRAFTS_KEPT.format(drafts=T.DRAFTS_AND.join(waiting)))]


def describe(draft: drafts.Draft) -> str:
    """``bulanan Posyandu Melati Oktober 2026``: which form, for which Posyandu (and month)."""
    state = State.from_json(draft.state)
    parts = [title_of(draft.form), state.context.get("posyandu_name", "")]
    form = ALL_FORMS.get(draft.form)
    period = state.answers.get(form.period_field) if form and form.period_field else None
    if isinstance(period, str):
        parts.append(format_month(period))
    return " ".join(part for part in parts if part)


def settle(turn: TurnContext, result: Turn) -> list[Reply]:
    """Save the new state (or drop a finished one) and apply the engine's events.

    A report for a month the Puskesmas has locked is refused before anything
    changes: the draft stays as it was, at its summary.
    """
    refusal = _refused(turn, result)
    if refusal is not None:
        return refusal
    result = _filled_from_sent(turn, result)
    replies = list(result.replies)
    if result.state is None:
        drafts.discard(turn.session, turn.profile.person_id, turn.draft)
        turn.draft = None
    else:
        _save(turn, result.state)
    for event in result.events:
        if isinstance(event, Submitted) and event.form == MENU.id:
            replies.extend(_open_chosen(turn, event))
        elif isinstance(event, Submitted) and event.form == RETURN_REASON.id:
            replies.extend(returns.reason_given(turn, event))
        elif isinstance(event, Submitted) and event.form == MEETING.id:
            replies.extend(invitations.created(turn, event))
        elif isinstance(event, Submitted) and event.form == MENTORING.id:
            replies.extend(mentoring.stored(turn, event))
        elif isinstance(event, Submitted):
            replies.extend(submission.store(turn, event))
    if result.state is None and turn.draft is None:
        replies.extend(kept_drafts(turn))
    return replies


def _refused(turn: TurnContext, result: Turn) -> list[Reply] | None:
    for event in result.events:
        if isinstance(event, Submitted) and event.form in REPORT_IDS:
            refusal = hooks.locked(turn, submission.new_report(turn, event))
            if refusal is not None:
                return refusal
    return None


def opened_note(turn: TurnContext, report: Report) -> str:
    """What a correction says first: which report was opened, sent when and by whom."""
    day = format_date(report.submitted_at.astimezone(turn.now.tzinfo).date())
    name = reports.submitter_name(turn.session, report)
    return T.CORRECTION_OPENED.format(date=day, name=name)


def _filled_from_sent(turn: TurnContext, result: Turn) -> Turn:
    """Replacing a report through ``lapor``: the form gets what was sent, at its summary."""
    replacing = next((e for e in result.events if isinstance(e, Replacing)), None)
    if replacing is None or result.state is None:
        return result
    period = period_of(turn.engine.form(replacing.form), replacing.answers)
    posyandu = replacing.context.get("posyandu_code", "")
    report = reports.latest_for_period(turn.session, replacing.form, posyandu, period or "")
    if report is None:
        return result
    return turn.engine.fill(result.state, report.data, turn.now, opened_note(turn, report))


def _open_chosen(turn: TurnContext, event: Submitted) -> list[Reply]:
    """The menu was answered: continue the form put aside, or open the chosen one."""
    form_id = event.answers.get("form") or event.context["forms"][0][0]
    if form_id in event.context.get("paused", ()):
        return _continue(turn, form_id, event.context["posyandu"])
    posyandu = event.answers.get("posyandu") or event.context["posyandu"][0][0]
    kept = kept_drafts(turn)
    context = form_context.for_form(turn, form_id, posyandu)
    pasted = event.context.get(PASTED)
    if pasted is None:
        return kept + start(turn, form_id, context)
    started = turn.engine.start(form_id, context, turn.now)
    assert started.state is not None
    typed = Inbound(turn.inbound.channel, turn.inbound.user_id, turn.inbound.message_id, pasted)
    return kept + settle(turn, turn.engine.resume(started.state, typed, turn.now))


def _continue(turn: TurnContext, form_id: str, posyandu: list[tuple[str, str]]) -> list[Reply]:
    found = [draft for draft in _paused(turn) if draft.form == form_id]
    if not found:  # it expired between the menu and the choice
        return open_menu(turn, posyandu)
    turn.draft = drafts.resume(turn.session, turn.profile.person_id, found[0], turn.now)
    return where_we_are(turn)


def _paused(turn: TurnContext) -> list[drafts.Draft]:
    return drafts.paused(turn.session, turn.profile.person_id, turn.now)


def _expired(form_id: str) -> str:
    return EXPIRED.format(title=title_of(form_id), days=DRAFT_LIFETIME.days)


def _save(turn: TurnContext, state: State) -> None:
    text = state.to_json()
    expires_at = datetime.fromisoformat(state.expires_at)
    person = turn.profile.person_id
    drafts.save(turn.session, person, state.form, text, expires_at, turn.now, turn.draft)
    turn.draft = drafts.Draft(state.form, text, turn.draft.version + 1 if turn.draft else 1)

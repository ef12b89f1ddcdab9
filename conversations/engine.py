"""The one engine that walks any form: ask, parse, validate, go back, edit, confirm.

It is pure: ``start`` and ``resume`` take the state, the user's message and the
current time, and return the new state, the replies and the events. It never
reads the clock, the database or the network, so every conversation can be
replayed in a test with a fixed clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from conversations import lines
from conversations import words as T
from conversations.form import HISTORY, Check, Field, Form, Kind
from conversations.messages import Choice, Inbound, Reply
from conversations.parsing import (
    MAX_INPUT_LENGTH,
    is_negation,
    is_none,
    normalize,
    parse_choice_number,
    parse_date,
    parse_location,
    parse_month,
    parse_time,
    parse_yes_no,
    read_number,
)
from conversations.periods import format_day, format_month, month_of, recent_months, shift_month
from conversations.state import SUMMARY, State

APPROXIMATE = "@approximate"
"""The pending confirmation of a number typed as a guess (no form check behind it)."""

COMPACT_SUMMARY_AFTER = 30
"""A summary of more lines than this shows one line per section."""

DRAFT_LIFETIME = timedelta(days=7)
"""An unfinished report is kept this long after the last answer."""
MAX_PHOTOS = 5
"""Photos one question takes when the field sets no maximum."""
PHOTOS_PENDING = "@photos:"
"""Context key prefix of the photos received so far for a photo question."""

_EDIT = re.compile(rf"^{T.WORD_EDIT}\s*(\d+)$")
_TRAILING_PUNCTUATION = ".!?,"
_LIST_SPLIT = re.compile(r"\s*(?:[,;&+]|\bdan\b|\bserta\b)\s*")
_LABEL_WORDS = re.compile(r"[^\W_]+")
_MAX_OPTION_WORDS = 6
"""No option label is longer; a typed list is matched a few words at a time."""
_YES_NO_BUTTONS = (Choice("ya", T.YES), Choice("tidak", T.NO))
_NONE_CHOICE = Choice("tidak ada", T.BUTTON_NONE)
"""The last numbered option of every multi-select: nothing was found."""


@dataclass(frozen=True, slots=True)
class Submitted:
    """The user sent the form; ``answers`` holds only the questions that applied."""

    form: str
    answers: dict[str, Any]
    context: dict[str, Any]
    alerts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cancelled:
    """The conversation ended without saving (``user``, ``expired`` or ``declined``)."""

    form: str
    reason: str


@dataclass(frozen=True, slots=True)
class Replacing:
    """The person chose to replace a report already sent, before giving other answers.

    The caller may put what was sent into the form (:meth:`Engine.fill`) so
    that replacing it means changing what differs, not typing it all again.
    The turn that carries this event asks the next question, as without it.
    """

    form: str
    answers: dict[str, Any]
    context: dict[str, Any]


Event = Submitted | Cancelled | Replacing


@dataclass(slots=True)
class Turn:
    """What one step produced. ``state`` is None once the conversation is over."""

    state: State | None
    replies: list[Reply] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class Engine:
    """Walks the registered forms. Holds no per-conversation data."""

    def __init__(self, forms: Mapping[str, Form]) -> None:
        self._forms = dict(forms)

    def form(self, form_id: str) -> Form:
        return self._forms[form_id]

    def start(
        self,
        form_id: str,
        context: Mapping[str, Any],
        now: datetime,
        given: Mapping[str, Any] | None = None,
        note: str = "",
    ) -> Turn:
        """Open a new conversation on ``form_id`` and ask its first open question.

        ``given`` answers questions before they are asked (the month named by
        the menu entry the person chose), with ``note`` saying so; ``kembali``
        at the first question asked goes back to them as to any answer.
        """
        form = self.form(form_id)
        context = {**context, "today": now.date().isoformat()}
        state = State(form=form_id, context=context, form_version=form.version)
        state.answers = {name: value for name, value in (given or {}).items() if form.has(name)}
        return self._advance(form, state, now, [note])

    def open_filled(
        self,
        form_id: str,
        context: Mapping[str, Any],
        answers: Mapping[str, Any],
        now: datetime,
        note: str = "",
    ) -> Turn:
        """Open ``form_id`` with ``answers`` already given (a report sent before): its summary.

        A correction starts from what was sent, so changing one number is
        ``ubah N``, the number and ``kirim``. Answers to fields the form no
        longer has are left out; a question that declines to go on (``stop_when``:
        "replace the report already sent?") is answered with going on, since
        the person asked to correct; a skippable question the report has no
        answer for was skipped. Only a question that must be answered and has
        no answer (a field added to the form since) is asked before the summary.
        """
        form = self.form(form_id)
        context = {**context, "today": now.date().isoformat()}
        state = State(form=form_id, context=context, form_version=form.version)
        return self._fill(state, answers, now, note)

    def fill(self, state: State, answers: Mapping[str, Any], now: datetime, note: str = "") -> Turn:
        """Put ``answers`` (a report sent before) into an open form where it has none yet.

        What the person already answered stays; then the summary, as in
        :meth:`open_filled`.
        """
        return self._fill(state.copy(), answers, now, note)

    def _fill(self, state: State, answers: Mapping[str, Any], now: datetime, note: str) -> Turn:
        form = self.form(state.form)
        for name, value in answers.items():
            if name in form.names and name not in state.answers and value is not None:
                state.answers[name] = value
        for item in self._asked(form, state):
            if item.name in state.answers or item.name in state.skipped:
                continue
            if item.stop_when is not None and item.kind is Kind.YES_NO:
                state.answers[item.name] = not item.stop_when
            elif _skippable(form, item):
                state.skipped.append(item.name)
        return self._advance(form, state, now, [note])

    def report_lines(
        self, form_id: str, answers: Mapping[str, Any], context: Mapping[str, Any]
    ) -> list[str]:
        """A report as sent, one line per section (``lihat laporan``).

        Answers under codes the form no longer has (an older version) are
        shown too, under their codes, so nothing sent is hidden.
        """
        form = self.form(form_id)

        def display(item: Field, value: Any) -> str:
            return self.display(item, value, context)

        def named(item: Field) -> str:
            return item.short or item.label

        shown = lines.read_back(form, answers, answers.keys(), display, named)
        others = [
            f"{code} {_as_text(value)}" for code, value in answers.items() if code not in form.names
        ]
        if others:
            shown.append(
                T.LINE_READ_BACK.format(section=T.OTHER_ANSWERS, values=" · ".join(others))
            )
        return shown

    def reprompt(self, state: State, now: datetime, note: str = "", *, hint: bool = False) -> Turn:
        """Show again what is open (question, warning or summary) after a command.

        ``hint`` adds the typing and navigation hint to a question, which is
        otherwise shown only at a form's first question and after an error
        (the ``bantuan`` command asks for it).
        """
        form = self._forms.get(state.form)
        if form is None:
            return _gone(state)
        state = state.copy()
        notes = self._carry_over(form, state)
        if notes:
            return self._advance(form, state, now, [note, *notes])
        return self._again(form, state, now, note, hint=hint)

    def resume(self, state: State, inbound: Inbound, now: datetime) -> Turn:
        """Take the user's next message and move the conversation on.

        A draft of an older version of the form is carried over first; if
        anything changed, the message answered a question that may be gone,
        so the person is told and asked the next open question instead.
        """
        form = self._forms.get(state.form)
        if form is None:
            return _gone(state)
        state = state.copy()
        state.context["today"] = now.date().isoformat()
        if state.expired(now):
            text = T.EXPIRED.format(title=form.title, days=DRAFT_LIFETIME.days)
            return Turn(None, [Reply(text)], [Cancelled(form.id, "expired")])
        notes = self._carry_over(form, state)
        raw = inbound.answer
        if notes:
            if normalize(raw).rstrip(_TRAILING_PUNCTUATION) in T.WORD_CANCEL:
                return Turn(None, [Reply(T.CANCELLED)], [Cancelled(form.id, "user")])
            return self._advance(form, state, now, notes)
        if len(raw) > MAX_INPUT_LENGTH:
            return self._again(form, state, now, T.ERR_TOO_LONG.format(length=len(raw)))
        if inbound.question_id is not None and inbound.question_id != str(state.turn):
            return self._again(form, state, now, T.STALE_BUTTON)
        word = normalize(raw).rstrip(_TRAILING_PUNCTUATION)
        if word in T.WORD_CANCEL:
            return Turn(None, [Reply(T.CANCELLED)], [Cancelled(form.id, "user")])
        if state.pending is not None:
            return self._confirm_warning(form, state, raw, now)
        if state.current == SUMMARY:
            if lines.looks_like_lines(form, raw, None):
                return self._fill_lines(form, state, None, raw, now)
            return self._at_summary(form, state, word, now)
        current = form.field(state.current)
        if word in T.WORD_BACK:
            return self._back(form, state, now, [])
        if word in T.WORD_SKIP and not _is_option(current, inbound.choice, state.context):
            return self._skip(form, state, current, now)
        if current.kind is Kind.PHOTOS:
            return self._photo(form, state, current, inbound, word, now)
        if current.kind is Kind.LOCATION and inbound.location is not None:
            pin = {"lat": inbound.location.latitude, "lon": inbound.location.longitude}
            return self._accept(form, state, current, pin, now)
        return self._answer(form, state, current, raw, now)

    # --- versions -----------------------------------------------------------------

    def _carry_over(self, form: Form, state: State) -> list[str]:
        """Bring a draft up to the form's version; what to tell the person (nothing if unchanged).

        Answers are renamed by the form's migrations; answers that have no
        place any more (a removed field, an unknown code, a value the field
        can no longer take) are dropped and named. A warning awaiting
        confirmation is dropped, and a question that is gone is replaced by
        the next open one. Works on any saved shape: it never raises.
        """
        old = state.form_version
        kept: dict[str, Any] = {}
        lost: list[str] = []
        for name, value in state.answers.items():
            code = form.code_now(name, old)
            if code is not None and _fits(form.field(code), value, state.context):
                kept[code] = value
            else:
                lost.append(form.label_of(name if code is None else code))
        if old == form.version and not lost and self._in_place(form, state):
            return []

        def moved(names: Any) -> list[str]:
            codes = (form.code_now(str(name), old) for name in names)
            return [code for code in codes if code is not None]

        state.answers = kept
        state.skipped = moved(state.skipped)
        state.remembered = {
            code: value
            for name, value in state.remembered.items()
            if (code := form.code_now(name, old)) is not None
        }
        state.edit = {
            code: value
            for name, value in state.edit.items()
            if (code := form.code_now(name, old)) is not None
        }
        checks = {check.name for check in form.checks}
        state.confirmed = {name: sig for name, sig in state.confirmed.items() if name in checks}
        state.pending = None
        state.current = ""
        state.form_version = form.version
        if lost:
            return [T.FORM_UPDATED_LOST.format(labels=", ".join(lost))]
        return [T.FORM_UPDATED]

    @staticmethod
    def _in_place(form: Form, state: State) -> bool:
        """Whether the open question and any pending warning still name fields of the form."""
        pending = state.pending or {}
        if pending and not form.has(str(pending.get("field"))):
            return False
        return state.current == SUMMARY or form.has(state.current)

    # --- moving around ---------------------------------------------------------

    def _advance(
        self, form: Form, state: State, now: datetime, notes: list[str], *, hint: bool = False
    ) -> Turn:
        """Ask the next unanswered question, or show the summary, or submit."""
        next_field = self._next_field(form, state)
        state.expires_at = (now + DRAFT_LIFETIME).isoformat()
        if next_field is not None:
            state.current = next_field.name
            return Turn(state, [self._question(form, state, now, notes, hint=hint)])
        state.edit = {}
        if not form.confirm:
            return self._submit(form, state, quiet=True)
        state.current = SUMMARY
        return Turn(state, [self._summary(form, state, notes)])

    def _next_field(self, form: Form, state: State) -> Field | None:
        for candidate in self._asked(form, state):
            if candidate.name not in state.answers and candidate.name not in state.skipped:
                return candidate
        return None

    def _applicable(self, form: Form, state: State) -> list[Field]:
        return [f for f in form.fields if f.applies(state.answers, state.context)]

    def _asked(self, form: Form, state: State) -> list[Field]:
        """The applicable questions put in turn: those only offered count when being edited."""
        return [
            f
            for f in self._applicable(form, state)
            if f.name in state.edit or f.asked(state.answers, state.context)
        ]

    def _back(self, form: Form, state: State, now: datetime, notes: list[str]) -> Turn:
        """Ask the previous answered question again.

        While an edit from the summary is under way, ``kembali`` moves only
        among the questions of that edit; at its first question it puts every
        cleared answer back and returns to the summary, so an edit of a block
        (D, N, T, O, B) can never be left half done.
        """
        applicable = [f.name for f in self._applicable(form, state)]
        position = applicable.index(state.current) if state.current in applicable else None
        earlier = [
            name
            for name in applicable[:position]
            if name in state.answers and (not state.edit or name in state.edit)
        ]
        if earlier:
            previous = earlier[-1]
            answer = state.answers.pop(previous)
            before_edit = state.edit.get(previous)
            state.remembered[previous] = answer if before_edit is None else before_edit
            return self._advance(form, state, now, notes)
        if state.edit:
            self._undo_edit(form, state)
            return self._advance(form, state, now, notes)
        return self._again(form, state, now, T.ERR_NO_BACK)

    def _skip(self, form: Form, state: State, current: Field, now: datetime) -> Turn:
        """Leave out an optional question, or the rest of a skippable section.

        Answers already given in the section are kept: only its open
        questions are marked skipped.
        """
        if current.optional:
            state.skipped.append(current.name)
            return self._advance(form, state, now, [])
        section = form.section(current.section)
        if section is None or not section.skippable:
            return self._again(form, state, now, T.ERR_CANNOT_SKIP)
        for member in form.fields:
            open_question = member.name not in state.answers and member.name not in state.skipped
            if member.section == section.name and open_question:
                state.skipped.append(member.name)
        return self._advance(form, state, now, [])

    def _again(
        self, form: Form, state: State, now: datetime, note: str, *, hint: bool = True
    ) -> Turn:
        """Say ``note`` and ask whatever is open again: a warning, the summary or a question.

        After an error the question comes with its full hint (``hint``).
        """
        notes = [note] if note else []
        if state.pending is not None:
            return Turn(state, [self._warning(state, notes)])
        if state.current == SUMMARY:
            return Turn(state, [self._summary(form, state, notes)])
        return Turn(state, [self._question(form, state, now, notes, hint=hint)])

    # --- answering ---------------------------------------------------------------

    def _photo(
        self, form: Form, state: State, current: Field, inbound: Inbound, word: str, now: datetime
    ) -> Turn:
        """Photos come one message each, up to the field's maximum, until Selesai.

        The ones received so far wait in the context (the answer is stored
        whole when the kader is done), so a photo sent twice counts once.
        """
        key = PHOTOS_PENDING + current.name
        taken = list(state.context.get(key, []))
        media = inbound.media
        if media is not None and media.digest:
            limit = int(current.maximum or MAX_PHOTOS)
            if media.digest in taken:
                note = T.PHOTO_SAME
            elif len(taken) >= limit:
                note = T.ERR_PHOTO_COUNT.format(maximum=limit)
            else:
                taken.append(media.digest)
                state.context[key] = taken
                note = T.PHOTO_RECEIVED.format(count=len(taken))
            return self._again(form, state, now, note, hint=False)
        if word in T.WORD_DONE:
            state.context.pop(key, None)
            return self._accept(form, state, current, taken, now)
        return self._again(form, state, now, T.ERR_PHOTO_NEEDED)

    def _answer(self, form: Form, state: State, current: Field, raw: str, now: datetime) -> Turn:
        by_lines = form.confirm  # a report, not the menu
        if by_lines and "\n" in raw.strip() and current.kind is not Kind.TEXT:
            return self._fill_lines(form, state, current, raw, now)
        value, error = self._parse(current, raw, state, now.date())
        if by_lines and error and lines.looks_like_lines(form, raw, current):
            return self._fill_lines(form, state, current, raw, now)
        if error:
            return self._again(form, state, now, error)
        return self._accept_typed(form, state, current, raw, value, now)

    def _fill_lines(
        self, form: Form, state: State, current: Field | None, raw: str, now: datetime
    ) -> Turn:
        """Answers given as lines (a section, or a whole report): store what holds, ask the rest.

        Every value is parsed and checked as if typed alone, in the form's
        order; what fails is named with the reason and asked again (its old
        answer kept as a button), an unknown label is named back, and the
        first soft warning is asked about. Otherwise the read-back comes with
        the next question, or the summary, in the same message.
        """
        read = lines.read(form, raw, current, state.answers, self._asked_with(state))
        typed = dict(read.values)
        notes = list(read.problems)
        if read.unknown:
            notes.insert(0, T.LINE_UNKNOWN.format(labels=", ".join(dict.fromkeys(read.unknown))))
        if state.current == SUMMARY and typed:
            self._start_edit(form, state, tuple(typed))
        else:
            for name in form.unit(typed):
                old = state.answers.pop(name, None)
                if old is not None:
                    state.remembered[name] = old
        for section_name in read.skipped:
            section = form.section(section_name)
            if section is None or not section.skippable:
                notes.append(T.LINE_CANNOT_SKIP.format(section=section.title if section else ""))
                continue
            for member in form.fields:
                is_open = member.name not in state.answers and member.name not in state.skipped
                if member.section == section_name and member.name not in typed and is_open:
                    state.skipped.append(member.name)
        stored: list[str] = []
        for item in form.fields:
            if item.name not in typed:
                continue
            error = self._fill_one(form, state, item, typed[item.name], now)
            if error:
                notes.append(T.LINE_FIELD_ERROR.format(label=lines.short_of(item), error=error))
            elif item.name in state.answers:
                stored.append(item.name)
        shown = lines.read_back(form, state.answers, stored, self._shown(state))
        if state.pending is None and self._next_field(form, state) is None:
            shown = []  # the summary shows every answer anyway
        if state.pending is not None:
            return Turn(state, [self._warning(state, [*shown, *notes])])
        return self._advance(form, state, now, [*shown, *notes], hint=bool(notes))

    def _fill_one(self, form: Form, state: State, item: Field, raw: str, now: datetime) -> str:
        """One value of a line: stored, or held for a soft warning, or the reason it was not."""
        if not item.applies(state.answers, state.context):
            return T.LINE_NOT_ASKED_REASON
        value, error = self._parse(item, raw, state, now.date())
        if error:
            return error
        objection = _objection(form, state, item, value)
        if objection is not None and not objection[0].soft:
            return objection[1]
        if objection is not None and state.pending is not None:
            state.remembered[item.name] = value
            return T.LINE_CHECK_LATER.format(value=self.display(item, value, state.context))
        if objection is not None:
            check, message = objection
            state.pending = {
                "field": item.name,
                "value": value,
                "check": check.name,
                "message": message,
            }
            return ""
        state.answers[item.name] = value
        state.remembered.pop(item.name, None)
        if item.name in state.skipped:
            state.skipped.remove(item.name)
        return ""

    def _shown(self, state: State) -> Callable[[Field, Any], str]:
        return lambda item, value: self.display(item, value, state.context)

    def _accept_typed(
        self, form: Form, state: State, current: Field, raw: str, value: Any, now: datetime
    ) -> Turn:
        """A typed answer: a number said to be approximate (``sekitar 30``) is confirmed first.

        A report needs exact figures, but refusing "sekitar 30" would make the
        kader type the number again; one tap on Ya confirms it instead.
        """
        if _approximate(current, raw):
            state.pending = {
                "field": current.name,
                "value": value,
                "check": APPROXIMATE,
                "message": T.WARN_APPROXIMATE.format(answer=_clip(raw), number=_as_text(value)),
            }
            return Turn(state, [self._warning(state, [])])
        return self._accept(form, state, current, value, now)

    def _accept(self, form: Form, state: State, current: Field, value: Any, now: datetime) -> Turn:
        """Run the cross-field checks on a parsed answer, then store it or object."""
        if current.stop_when is not None and value == current.stop_when:
            return self._decline(form, state, current, now)
        objection = _objection(form, state, current, value)
        if objection is None:
            return self._store(form, state, current, value, now)
        check, message = objection
        if not check.soft:
            return self._again(form, state, now, message)
        state.pending = {
            "field": current.name,
            "value": value,
            "check": check.name,
            "message": message,
        }
        return Turn(state, [self._warning(state, [])])

    def _decline(self, form: Form, state: State, current: Field, now: datetime) -> Turn:
        """The user declined to go on (not replacing a report already sent).

        On a fresh start nothing else was said, so the conversation ends. Once
        later questions have answers (the month was changed from the summary),
        the question before is asked again and every answer is kept.
        """
        if not _later_answered(form, state, current):
            return Turn(None, [Reply(current.stop_text)], [Cancelled(form.id, "declined")])
        return self._back(form, state, now, [current.stop_back_text])

    def _store(self, form: Form, state: State, current: Field, value: Any, now: datetime) -> Turn:
        fresh_replace = (
            current.stop_when is not None
            and value != current.stop_when
            and not _later_answered(form, state, current)
        )
        state.answers[current.name] = value
        state.pending = None
        state.remembered.pop(current.name, None)
        if current.name in state.skipped:
            state.skipped.remove(current.name)
        turn = self._advance(form, state, now, self._read_back(form, current, value, state))
        if fresh_replace:
            turn.events.append(Replacing(form.id, dict(state.answers), dict(state.context)))
        return turn

    def _read_back(self, form: Form, current: Field, value: Any, state: State) -> list[str]:
        """A date or month as understood (``kemarin`` is "Sabtu, 28 Nov 2026"), said at once.

        Not before the summary, which shows every answer anyway.
        """
        if current.kind not in (Kind.DATE, Kind.MONTH) or self._next_field(form, state) is None:
            return []
        shown = self.display(current, value, state.context)
        return [T.READ_BACK.format(label=current.label, value=shown)]

    def _confirm_warning(self, form: Form, state: State, raw: str, now: datetime) -> Turn:
        """The answer to "is this number right?" after a soft warning.

        Besides yes or no, the user may type the corrected answer straight
        away: it replaces the one being confirmed and is checked again. If it
        is refused, the warning about the earlier answer stays open.
        """
        pending = state.pending or {}
        current = form.field(pending["field"])
        yes = parse_yes_no(raw)
        if yes is None:
            value, error = self._parse(current, raw, state, now.date())
            if error:
                return self._again(form, state, now, T.ERR_WARNING_ANSWER)
            return self._accept_typed(form, state, current, raw, value, now)
        state.pending = None
        if not yes:
            state.current = current.name
            return Turn(state, [self._question(form, state, now, [T.WARN_REENTER])])
        check = next((c for c in form.checks if c.name == pending["check"]), None)
        if check is not None:
            candidate = {**state.answers, current.name: pending["value"]}
            state.confirmed[check.name] = _signature(candidate, check.fields)
        return self._accept(form, state, current, pending["value"], now)

    def _warning(self, state: State, notes: list[str]) -> Reply:
        pending = state.pending or {}
        lines = [note for note in notes if note]
        kind = self.form(state.form).field(pending["field"]).kind if pending else None
        template = T.WARN_CONFIRM_DATE if kind is Kind.DATE else T.WARN_CONFIRM
        lines.append(template.format(message=pending.get("message", "")))
        state.turn += 1
        # Free text: a typed number is a corrected answer on every channel, never button 1 or 2.
        return Reply("\n".join(lines), _YES_NO_BUTTONS, question_id=str(state.turn), free_text=True)

    def _parse(self, current: Field, raw: str, state: State, today: date) -> tuple[Any, str]:
        """Turn text into a stored value, or return the message saying what is expected."""
        kind, context = current.kind, state.context
        if kind in (Kind.COUNT, Kind.DECIMAL):
            return _parse_number(current, raw)
        if kind is Kind.YES_NO:
            yes = _yes_no(raw)
            return (yes, "") if yes is not None else (None, T.ERR_YES_NO)
        if kind is Kind.DATE:
            month = state.answers.get(current.month_from) if current.month_from else None
            day = parse_date(raw, today, month if isinstance(month, str) else None)
            if day is None:
                return None, T.ERR_DATE.format(answer=_clip(raw))
            if current.not_future and day > today:
                example = f"{day.day}/{day.month}/{day.year - 1}"
                return None, T.ERR_FUTURE_DATE.format(value=format_day(day), example=example)
            return day.isoformat(), ""
        if kind is Kind.LOCATION:
            pin = parse_location(raw)
            return (pin, "") if pin else (None, T.ERR_LOCATION.format(answer=_clip(raw)))
        if kind is Kind.TIME:
            moment = parse_time(raw)
            return (moment, "") if moment else (None, T.ERR_TIME.format(answer=_clip(raw)))
        if kind is Kind.MONTH:
            month = parse_month(raw, today)
            if month is None:
                return None, T.ERR_MONTH.format(answer=_clip(raw))
            if current.not_future and month > month_of(today):
                return None, T.ERR_FUTURE_MONTH.format(value=format_month(month))
            earliest = context.get(current.earliest_from) if current.earliest_from else None
            if earliest and month < earliest:
                return None, T.ERR_MONTH_TOO_OLD.format(
                    value=format_month(month), earliest=format_month(earliest)
                )
            return month, ""
        if kind is Kind.CHOICE:
            options = current.choices(context)
            picked = _pick(options, raw)
            if picked is None:
                return None, T.ERR_CHOICE.format(answer=_clip(raw), count=len(options))
            return picked, ""
        if kind is Kind.MULTI:
            options = current.choices(context)
            picked_many = _pick_many(options, raw)
            if picked_many is None:
                none = len(options) + 1
                return None, T.ERR_MULTI.format(answer=_clip(raw), count=len(options), none=none)
            return picked_many, ""
        text = raw.strip()
        if not text:
            return None, T.ERR_TEXT_EMPTY
        limit = int(current.maximum or MAX_INPUT_LENGTH)
        if len(text) > limit:
            return None, T.ERR_TOO_LONG.format(length=len(text))
        return text, ""

    # --- summary and submit ---------------------------------------------------------

    def _summary_items(self, form: Form, state: State) -> list[tuple[str, str, tuple[str, ...]]]:
        """(label, shown value, fields the line stands for) per summary line.

        A section skipped whole is one line; in a section skipped part way,
        the answers given and each skipped question have their own lines.
        """
        applicable = self._applicable(form, state)
        items: list[tuple[str, str, tuple[str, ...]]] = []
        for item in applicable:
            section = form.section(item.section)
            if section is not None and section.skippable and item.name in state.skipped:
                members = tuple(f.name for f in applicable if f.section == section.name)
                if set(members) <= set(state.skipped):
                    if item.name == members[0]:
                        items.append((section.title, T.SUMMARY_SKIPPED, members))
                    continue
            if item.name in state.skipped:
                items.append((item.label, T.SUMMARY_SKIPPED, (item.name,)))
            elif item.name in state.answers:
                shown = self.display(item, state.answers[item.name], state.context)
                items.append((item.label, shown, (item.name,)))
            elif not item.asked(state.answers, state.context):
                items.append((item.label, T.SUMMARY_OFFERED, (item.name,)))
        return items

    def _summary(self, form: Form, state: State, notes: list[str]) -> Reply:
        lines = [note for note in notes if note]
        header = form.summary_header or T.SUMMARY_HEADER
        lines.append(header.format(title=form.title, subject=_subject(form, state)))
        items = self._summary_items(form, state)
        if len(items) > COMPACT_SUMMARY_AFTER:
            lines.extend(_compact_summary(form, items))
        else:
            lines.extend(f"{n}. {label}: {shown}" for n, (label, shown, _) in enumerate(items, 1))
        if form.preview is not None:
            lines.append(form.preview(state.answers, state.context))
        lines.append(T.SUMMARY_FOOTER)
        state.turn += 1
        buttons = (Choice("kirim", T.BUTTON_SEND), Choice("batal", T.BUTTON_CANCEL))
        return Reply("\n".join(lines), buttons, question_id=str(state.turn), free_text=True)

    def _at_summary(self, form: Form, state: State, word: str, now: datetime) -> Turn:
        """``kirim`` (or any yes: ``ya``, ``ok``, ``sudah``), ``kembali`` or ``ubah N``."""
        if word in T.WORD_SEND or parse_yes_no(word) is True:
            return self._submit(form, state, quiet=False)
        if word in T.WORD_BACK:
            last = self._asked(form, state)[-1]
            state.remembered[last.name] = state.answers.pop(last.name, None)
            state.skipped = [name for name in state.skipped if name != last.name]
            return self._advance(form, state, now, [])
        match = _EDIT.match(word)
        if match is None:
            return self._again(form, state, now, T.SUMMARY_UNKNOWN)
        items = self._summary_items(form, state)
        number = int(match.group(1))
        if not 1 <= number <= len(items):
            return self._again(
                form, state, now, T.ERR_EDIT_NUMBER.format(number=number, count=len(items))
            )
        self._start_edit(form, state, items[number - 1][2])
        return self._advance(form, state, now, [])

    def _start_edit(self, form: Form, state: State, names: tuple[str, ...]) -> None:
        """Clear the answers of a summary line (and of any block it is in) to ask them again.

        What was cleared is kept in ``state.edit`` (None for a skipped question)
        so ``kembali`` can undo the edit, and in ``state.remembered`` so each
        old answer is shown and offered as a button.
        """
        unit = form.unit(names)
        for item in (f for f in form.fields if f.name in unit):
            name = item.name
            offered = not item.asked(state.answers, state.context)
            if name not in state.answers and name not in state.skipped and not offered:
                continue
            old = state.answers.pop(name, None)
            state.edit[name] = old
            if old is not None:
                state.remembered[name] = old
            if name in state.skipped:
                state.skipped.remove(name)

    @staticmethod
    def _undo_edit(form: Form, state: State) -> None:
        """Put back every answer (and skip) the edit cleared; an offered field goes back unasked."""
        for name, old in state.edit.items():
            state.remembered.pop(name, None)
            if old is None:
                state.answers.pop(name, None)
                offered = not form.field(name).asked(state.answers, state.context)
                if name not in state.skipped and not offered:
                    state.skipped.append(name)
            else:
                state.answers[name] = old
                if name in state.skipped:
                    state.skipped.remove(name)
        state.edit = {}

    def _submit(self, form: Form, state: State, quiet: bool) -> Turn:
        applicable = {f.name for f in self._applicable(form, state)}
        answers = {name: value for name, value in state.answers.items() if name in applicable}
        alerts = tuple(alert.kind for alert in form.alerts if alert.raised(answers))
        event = Submitted(form.id, answers, dict(state.context), alerts)
        if quiet or form.submitted == "":
            return Turn(None, [], [event])
        text = (form.submitted or T.SUBMITTED).format(
            title=form.title, subject=_subject(form, state)
        )
        return Turn(None, [Reply(text)], [event])

    # --- rendering ------------------------------------------------------------------

    def _question(
        self, form: Form, state: State, now: datetime, notes: list[str], *, hint: bool = False
    ) -> Reply:
        """One question; the full hint only at a report's first question or when ``hint``."""
        current = form.field(state.current)
        applicable = [f.name for f in self._asked(form, state)]
        index = applicable.index(current.name) + 1 if current.name in applicable else 1
        said = [note for note in notes if note]
        section = form.section(current.section)
        if form.confirm:
            position = T.POSITION.format(index=index, total=len(applicable))
            said.append(f"{position} {lines.short_title(section)}" if section else position)
        shown = {
            name: self.display(form.field(name), value, state.context)
            for name, value in state.answers.items()
        }
        said.append(current.question(state.answers, state.context, shown))
        previous = state.remembered.get(current.name)
        if previous is not None:
            said.append(
                T.CURRENT_VALUE.format(value=self.display(current, previous, state.context))
            )
        example = self._line_example(form, state, current)
        if example:
            said.append(example)
        options = self._buttons(form, current, state, now)
        if current.kind in (Kind.CHOICE, Kind.MULTI) and options:
            listed = _listed_options(current, state.context)
            said.extend(f"{n}. {c.label}" for n, c in enumerate(listed, 1))
        said.extend(_hints(form, current, full=hint or (form.confirm and state.turn == 0)))
        state.turn += 1
        free_text = current.kind not in (Kind.CHOICE, Kind.YES_NO)
        return Reply(
            "\n".join(said),
            options,
            question_id=str(state.turn),
            free_text=free_text,
            request_location=current.kind is Kind.LOCATION,
        )

    def _line_example(self, form: Form, state: State, current: Field) -> str:
        """The line format of ``current``'s section, at its first question only."""
        if not lines.is_line_field(current) or current.name in state.remembered:
            return ""
        asked = self._asked_with(state)
        members = lines.section_fields(form, current.section, state.answers, asked)
        if not members or members[0] is not current:
            return ""
        if any(f.name in state.answers or f.name in state.skipped for f in members):
            return ""
        last = self._last_month(form, state)
        # Last month's numbers decide which questions the example line answers
        # (a KEK of 0 leaves out KEK_MT), as they will when the line is read back.
        shown = lines.section_fields(form, current.section, {**last, **state.answers}, asked)
        return lines.example(form, shown, last)

    @staticmethod
    def _asked_with(state: State) -> lines.Asked:
        """Whether a field is asked given some answers, in this conversation's context.

        A field only offered (vitamin A outside its months) is not given a
        number by position; a label still fills it.
        """
        return lambda item, answers: (
            item.applies(answers, state.context) and item.asked(answers, state.context)
        )

    @staticmethod
    def _last_month(form: Form, state: State) -> Mapping[str, Any]:
        """The answers of the month before the report's month, as the caller put them in context."""
        period = period_of(form, state.answers)
        if not period:
            return {}
        history = state.context.get(HISTORY) or {}
        last = history.get(shift_month(period, -1)) if isinstance(history, Mapping) else None
        return last if isinstance(last, Mapping) else {}

    def _buttons(
        self, form: Form, current: Field, state: State, now: datetime
    ) -> tuple[Choice, ...]:
        kind = current.kind
        if kind is Kind.CHOICE:
            return current.choices(state.context)
        if kind is Kind.MULTI:
            return (_NONE_CHOICE,)
        if kind is Kind.YES_NO:
            return _YES_NO_BUTTONS
        buttons: list[Choice] = []
        if current.suggest is not None:
            suggestion = current.suggest(state.answers, state.context)
        else:
            suggestion = self._last_month(form, state).get(current.name)
        if suggestion is not None:
            shown = self.display(current, suggestion, state.context)
            label = T.SUGGESTION.format(value=shown) if kind is Kind.COUNT else shown
            buttons.append(Choice(_as_text(suggestion), label))
        previous = state.remembered.get(current.name)
        if previous is not None and previous != suggestion and kind in _RETYPED_KINDS:
            shown = self.display(current, previous, state.context)
            label = shown if kind is Kind.MONTH else T.PREVIOUS_ANSWER.format(value=shown)
            buttons.append(Choice(_as_text(previous), label))
        zero_useful = suggestion is None and previous != 0
        if kind is Kind.COUNT and (current.minimum or 0) == 0 and zero_useful:
            buttons.append(Choice("0", T.BUTTON_ZERO))
        if kind is Kind.PHOTOS:
            buttons.append(Choice(T.WORD_DONE[0], T.BUTTON_PHOTOS_DONE))
        if kind is Kind.TIME:
            moment = f"{now.hour:02d}:{now.minute:02d}"
            buttons.append(Choice(moment, T.BUTTON_NOW.format(time=moment.replace(":", "."))))
        if kind is Kind.MONTH:
            for month in recent_months(now.date(), 2):
                if month not in (suggestion, previous):
                    buttons.append(Choice(month, format_month(month)))
        if _skippable(form, current):
            buttons.append(Choice("lewati", T.BUTTON_SKIP))
        return tuple(buttons)

    def display(self, item: Field, value: Any, context: Mapping[str, Any]) -> str:
        """How an answer is shown back to the user (summary, alerts)."""
        if value is None:
            return "-"
        kind = item.kind
        if kind is Kind.YES_NO:
            return T.YES if value else T.NO
        if kind is Kind.DATE:
            return format_day(date.fromisoformat(value))
        if kind is Kind.MONTH:
            return format_month(value)
        if kind is Kind.TIME:
            return str(value).replace(":", ".")
        if kind is Kind.LOCATION:
            return f"{value['lat']:.5f}, {value['lon']:.5f}"
        if kind is Kind.PHOTOS:
            return T.PHOTOS_SHOWN.format(count=len(value))
        if kind is Kind.CHOICE:
            labels = {c.value: c.label for c in item.choices(context)}
            return labels.get(value, str(value))
        if kind is Kind.MULTI:
            labels = {c.value: c.label for c in item.choices(context)}
            return ", ".join(labels.get(v, v) for v in value) if value else T.BUTTON_NONE
        if kind is Kind.COUNT:
            return f"{value:,}".replace(",", ".")
        return _as_text(value)


_HINTS = {
    Kind.COUNT: T.HINT_COUNT,
    Kind.DECIMAL: T.HINT_DECIMAL,
    Kind.YES_NO: T.HINT_YES_NO,
    Kind.DATE: T.HINT_DATE,
    Kind.TIME: T.HINT_TIME,
    Kind.LOCATION: T.HINT_LOCATION,
    Kind.MONTH: T.HINT_MONTH,
    Kind.CHOICE: T.HINT_CHOICE,
    Kind.MULTI: T.HINT_MULTI,
    Kind.TEXT: T.HINT_TEXT,
}
_ALWAYS_HINTED = frozenset({Kind.DATE, Kind.DECIMAL, Kind.MULTI, Kind.PHOTOS, Kind.LOCATION})
"""Kinds whose way of typing is not obvious from the question and its buttons."""
_RETYPED_KINDS = frozenset({Kind.COUNT, Kind.DECIMAL, Kind.MONTH})
"""Kinds whose earlier answer is offered as a one-tap button when asked again."""


def _hints(form: Form, current: Field, *, full: bool) -> list[str]:
    """The hint lines under a question.

    Repeating the navigation words under every question made up half of a
    report's text, so they come only when ``full`` (a report's first question,
    after an error, on request); otherwise only a format that needs showing.
    """
    if current.kind is Kind.COUNT and (current.minimum or 0) > 0:
        typing = T.HINT_COUNT_MIN.format(minimum=_as_text(current.minimum))
    elif current.kind is Kind.PHOTOS:
        typing = T.HINT_PHOTOS.format(maximum=int(current.maximum or MAX_PHOTOS))
    else:
        typing = _HINTS[current.kind]
    if not full:
        return [typing] if current.kind in _ALWAYS_HINTED else []
    section = form.section(current.section)
    controls = []
    if current.optional:
        controls.append(T.HINT_SKIP_FIELD)
    elif section is not None and section.skippable:
        controls.append(T.HINT_SKIP_SECTION.format(section=section.title.lower()))
    controls.append(T.HINT_CONTROLS)
    return [typing, " · ".join(controls)]


def _is_option(current: Field, pressed: str | None, context: Mapping[str, Any]) -> bool:
    """Whether a pressed button is one of the question's answers (not its Lewati button)."""
    return pressed is not None and any(c.value == pressed for c in current.choices(context))


def _gone(state: State) -> Turn:
    """A draft of a form the bot no longer has: it ends, and the person is told why."""
    return Turn(None, [Reply(T.FORM_GONE)], [Cancelled(state.form, "outdated")])


def _fits(item: Field, value: Any, context: Mapping[str, Any]) -> bool:
    """Whether ``value``, saved by an older version, is still an answer ``item`` could take.

    A field the kabupaten's profile switched off takes none.
    """
    if not item.switched_on(context):
        return False
    kind = item.kind
    if kind in (Kind.COUNT, Kind.DECIMAL):
        whole = kind is Kind.COUNT
        if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
            return False
        low = item.minimum if item.minimum is not None else value
        high = item.maximum if item.maximum is not None else value
        return bool(low <= value <= high)
    if kind is Kind.YES_NO:
        return isinstance(value, bool)
    if kind in (Kind.DATE, Kind.MONTH, Kind.TEXT):
        return isinstance(value, str) and bool(value)
    if kind is Kind.TIME:
        return isinstance(value, str) and parse_time(value) == value
    if kind is Kind.LOCATION:
        return isinstance(value, dict) and set(value) == {"lat", "lon"}
    if kind is Kind.PHOTOS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    values = {choice.value for choice in item.choices(context)}
    if kind is Kind.CHOICE:
        return value in values
    return isinstance(value, list) and all(v in values for v in value)


def _compact_summary(form: Form, items: list[tuple[str, str, tuple[str, ...]]]) -> list[str]:
    """A long summary as one line per section: ``Balita: (6) S 98 · (7) D 76``.

    Forty numbers one per line are longer than every question before them;
    the numbers for ``ubah N`` stay the same.
    """
    rows: dict[str | None, list[str]] = {}
    for number, (label, shown, names) in enumerate(items, 1):
        first = form.field(names[0])
        named = (first.short or label) if len(names) == 1 else ""
        part = " ".join(filter(None, (f"({number})", named, shown)))
        rows.setdefault(first.section, []).append(part)
    said = []
    for name, parts in rows.items():
        section = form.section(name)
        label = lines.section_label(section) if section else form.title
        said.append(T.LINE_READ_BACK.format(section=label, values=" ".join(parts)))
    return said


def _skippable(form: Form, item: Field) -> bool:
    """Whether ``lewati`` may leave ``item`` out (it is optional, or its section is skippable)."""
    section = form.section(item.section)
    return item.optional or (section is not None and section.skippable)


def _later_answered(form: Form, state: State, current: Field) -> bool:
    """Whether any question after ``current`` has an answer (an edit from the summary)."""
    names = [f.name for f in form.fields]
    return any(name in state.answers for name in names[names.index(current.name) + 1 :])


def period_of(form: Form, answers: Mapping[str, Any]) -> str | None:
    """The month a report is about: the answer to its ``period_field``, if it has one."""
    return answers.get(form.period_field) if form.period_field else None


def _subject(form: Form, state: State) -> str:
    """What the report is about, for its summary: the Posyandu name (and month)."""
    name = state.context.get("posyandu_name", "")
    period = period_of(form, state.answers)
    return f"{name} {format_month(period)}".strip() if period else name


def _parse_number(current: Field, raw: str) -> tuple[Any, str]:
    """A count or decimal within the field's bounds (a guess is confirmed by the caller)."""
    whole = current.kind is Kind.COUNT
    number = read_number(raw, whole=whole)
    if number is None:
        template = T.ERR_COUNT if whole else T.ERR_DECIMAL
        return None, template.format(answer=_clip(raw))
    value = number.value
    if value < 0:
        return None, T.ERR_NEGATIVE
    if current.minimum is not None and value < current.minimum:
        return None, T.ERR_TOO_SMALL.format(minimum=_as_text(current.minimum))
    if current.maximum is not None and value > current.maximum:
        return None, T.ERR_TOO_LARGE.format(maximum=_as_text(current.maximum))
    return (float(value) if isinstance(value, Decimal) else value), ""


def _approximate(current: Field, raw: str) -> bool:
    """A count or decimal typed with a word that makes it a guess (``sekitar 30``)."""
    if current.kind not in (Kind.COUNT, Kind.DECIMAL):
        return False
    number = read_number(raw, whole=current.kind is Kind.COUNT)
    return number is not None and number.approximate


def _yes_no(raw: str) -> bool | None:
    """Yes or no in words, or the number of its button (1 = Ya, 2 = Tidak), as on every channel.

    The console turns a typed number into the button it names; WhatsApp and
    Telegram deliver it as typed text, so the engine reads it the same way.
    """
    yes = parse_yes_no(raw)
    if yes is not None:
        return yes
    number = parse_choice_number(raw, len(_YES_NO_BUTTONS))
    return None if number is None else parse_yes_no(_YES_NO_BUTTONS[number - 1].value)


def _listed_options(item: Field, context: Mapping[str, Any]) -> tuple[Choice, ...]:
    """The options as numbered under the question: a multi-select ends with "Tidak ada"."""
    options = item.choices(context)
    return (*options, _NONE_CHOICE) if item.kind is Kind.MULTI else options


def _pick(options: tuple[Choice, ...], raw: str) -> str | None:
    """The option ``raw`` names: its number, value or label, or a part only it has.

    A part of a label is a prefix of at least three letters or whole words of
    it. A negation never picks an option by a part of its label, so ``tidak``
    is not "Tidak mau makan/menyusu" (a false danger sign): it picks the
    option labelled "Tidak ada" if there is one. A yes word names no option.
    """
    text = normalize(raw).strip(" .!?")
    number = parse_choice_number(text, len(options))
    if number is not None:
        return options[number - 1].value
    for option in options:
        if text in (normalize(option.value), normalize(option.label)):
            return option.value
    if is_none(text):
        none = normalize(_NONE_CHOICE.label)
        return next((o.value for o in options if normalize(o.label) == none), None)
    if parse_yes_no(text) is not None:
        return None
    matches = {o.value for o in options if _names_part_of(text, normalize(o.label))}
    return matches.pop() if len(matches) == 1 else None


def _names_part_of(text: str, label: str) -> bool:
    """Whether ``text`` is an unmistakable part of ``label`` (both normalized).

    A prefix counts when it reaches past a negation the label starts with
    (``tidak m`` for "tidak mau makan", not ``tidak`` or ``tid``). Whole
    words count when they stand in the label before any negation and the
    text has none: ``hamil`` is "Ibu hamil", ``luar gedung`` is "Kegiatan
    luar gedung", but ``makan`` is not "Tidak mau makan".
    """
    label_words = _LABEL_WORDS.findall(label)
    typed_words = _LABEL_WORDS.findall(text)
    if not typed_words or len(text) < 3:
        return False
    if label.startswith(text):
        leading_negation = len(label_words[0]) if is_negation(label_words[0]) else 0
        return len(text) > leading_negation
    if any(is_negation(word) for word in typed_words):
        return False
    affirmed = []
    for word in label_words:
        if is_negation(word):
            break
        affirmed.append(word)
    size = len(typed_words)
    return any(
        affirmed[start : start + size] == typed_words for start in range(len(affirmed) - size + 1)
    )


def _pick_many(options: tuple[Choice, ...], raw: str) -> list[str] | None:
    """Every option ``raw`` names, in order; ``[]`` for "none"; None when any part is unclear.

    "None" is a none word (``tidak``, ``sehat``, ``0``) or the number of the
    "Tidak ada" option. A list is split at commas and ``dan``; each piece is
    read as the longest runs of words that name one option (``napas cepat
    demam``). A piece that names nothing, or a "none" inside a list, makes
    the whole answer unclear rather than a guess.
    """
    text = normalize(raw).strip(" .!?")
    if is_none(text) or parse_choice_number(text, len(options) + 1) == len(options) + 1:
        return []
    whole = _pick(options, text)
    if whole is not None:
        return [whole]
    picked: list[str] = []
    for piece in filter(None, _LIST_SPLIT.split(text)):
        values = _pick_runs(options, piece.split())
        if values is None:
            return None
        picked.extend(value for value in values if value not in picked)
    return picked or None


def _pick_runs(options: tuple[Choice, ...], words: list[str]) -> list[str] | None:
    """The options named by consecutive runs of ``words``, longest run first."""
    values: list[str] = []
    start = 0
    while start < len(words):
        for end in range(min(len(words), start + _MAX_OPTION_WORDS), start, -1):
            value = _pick(options, " ".join(words[start:end]))
            if value is not None:
                values.append(value)
                start = end
                break
        else:
            return None
    return values


def _objection(form: Form, state: State, current: Field, value: Any) -> tuple[Check, str] | None:
    """The first check ``value`` for ``current`` breaks (a soft one not yet confirmed), if any."""
    candidate = {**state.answers, current.name: value}
    for check in form.checks:
        needs = check.fields if check.needs is None else check.needs
        if current.name not in check.fields or not _has_all(candidate, needs):
            continue
        if check.holds(candidate, state.context):
            continue
        if check.soft and state.confirmed.get(check.name) == _signature(candidate, check.fields):
            continue
        return check, check.explain(candidate, state.context)
    return None


def _has_all(answers: Mapping[str, Any], names: tuple[str, ...]) -> bool:
    return all(answers.get(name) is not None for name in names)


def _signature(answers: Mapping[str, Any], names: tuple[str, ...]) -> str:
    return "|".join(_as_text(answers.get(name)) for name in names)


def _as_text(value: Any) -> str:
    if isinstance(value, float | Decimal):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _clip(raw: str, limit: int = 30) -> str:
    flat = " ".join(raw.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

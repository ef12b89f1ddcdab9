"""What a submitted form becomes: a report revision, and alerts to the bidan."""

from __future__ import annotations

import uuid
from datetime import date

import phonenumbers

from conversations import Reply, Submitted
from conversations.periods import format_date, format_month, month_of
from handlers import words as T
from handlers.names import addressed
from handlers.turn import TurnContext
from storage import outbox, people, reports
from storage.models import Report


def store(turn: TurnContext, event: Submitted) -> list[Reply]:
    """Save the submitted report as a new revision and alert the bidan where needed.

    Returns what the reporter should hear besides the thank-you: after a
    danger sign or a death, who was alerted (or that nobody could be).
    """
    report = reports.add_revision(turn.session, _new_report(turn, event), turn.now)
    if not event.alerts:
        return []
    bidan = [
        contact
        for contact in people.bidan_of_posyandu(turn.session, report.posyandu_code)
        if contact.person_id != turn.profile.person_id
    ]
    for kind in event.alerts:
        _alert_bidan(turn, event, report, kind, bidan)
    return _who_was_told(turn, event, bidan)


def _new_report(turn: TurnContext, event: Submitted) -> reports.NewReport:
    answers = event.answers
    posyandu = event.context["posyandu_code"]
    common = {
        "kind": event.form,
        "posyandu_code": posyandu,
        "data": answers,
        "submitted_by": turn.profile.person_id,
        "channel": turn.inbound.channel,
        "message_id": turn.inbound.message_id,
    }
    if event.form == reports.MONTHLY:
        form = turn.engine.form(event.form)
        period = answers[form.period_field]
        key = reports.monthly_key(posyandu, period)
        held = answers[form.held_field]
        return reports.NewReport(report_key=key, period=period, held=held, **common)
    day = date.fromisoformat(answers["tanggal"])
    key = f"{event.form}:{uuid.uuid4().hex}"
    return reports.NewReport(report_key=key, period=month_of(day), event_date=day, **common)


def _alert_bidan(
    turn: TurnContext,
    event: Submitted,
    report: Report,
    kind: str,
    bidan: list[people.Contact],
) -> None:
    text = _alert_text(turn, event, kind)
    for contact in bidan:
        key = f"alert:{kind}:{report.id}:{contact.person_id}"
        outbox.enqueue(
            turn.session, key, contact.person_id, f"alert_{kind}", {"text": text}, turn.now
        )


def _who_was_told(turn: TurnContext, event: Submitted, bidan: list[people.Contact]) -> list[Reply]:
    """The reporter hears that help is on its way, or that they must call someone themselves."""
    if len(bidan) == 1:
        return [Reply(T.ALERT_SENT.format(bidan=addressed(bidan[0].name, T.BIDAN_HONORIFIC)))]
    if bidan:
        return [Reply(T.ALERT_SENT_SEVERAL)]
    if turn.profile.role == "bidan":
        return []
    return [Reply(T.ALERT_NO_BIDAN.format(posyandu=_posyandu_name(event)))]


def _alert_text(turn: TurnContext, event: Submitted, kind: str) -> str:
    """The alert, with what the bidan needs to act: what was found, and how to call back."""
    answers = event.answers
    form = turn.engine.form(event.form)
    reporter = {"reporter": turn.profile.name, "phone": _dialable(turn.profile.phone)}
    if kind == "kematian":
        parts = [
            f"{form.field(name).label} {answers[name]}"
            for name in ("mati_bayi", "mati_ibu")
            if answers.get(name)
        ]
        return T.ALERT_TEXT[kind].format(
            posyandu=_posyandu_name(event),
            period=format_month(answers["periode"]),
            details=", ".join(parts),
            **reporter,
        )
    details = [
        f"{form.field(name).label}: {turn.engine.display(form.field(name), answers[name], {})}"
        for name in ("sasaran", "demam", "tanda_bahaya_balita", "tanda_bahaya", "catatan")
        if answers.get(name) not in (None, "")
    ]
    follow_up = turn.engine.display(form.field("tindak_lanjut"), answers["tindak_lanjut"], {})
    return T.ALERT_TEXT[kind].format(
        posyandu=_posyandu_name(event),
        date=format_date(date.fromisoformat(answers["tanggal"])),
        details="; ".join(details),
        follow_up=follow_up,
        **reporter,
    )


def _posyandu_name(event: Submitted) -> str:
    return event.context.get("posyandu_name", event.context["posyandu_code"])


def _dialable(phone: str) -> str:
    """``+6281100000001`` -> ``0811-0000-0001``: how a bidan dials a kader back.

    The full number goes to the bidan only (it is never logged).
    """
    number = phonenumbers.parse(phone, "ID")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

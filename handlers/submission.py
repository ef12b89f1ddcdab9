"""What a submitted form becomes: a report revision, and alerts to the bidan."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import phonenumbers

from conversations import Reply, Submitted
from conversations.form import Alert
from conversations.periods import month_of
from handlers import words as T
from handlers.names import addressed
from handlers.review import hooks
from handlers.turn import TurnContext
from storage import outbox, people, reports
from storage.models import Report


@dataclass(frozen=True, slots=True)
class Audience:
    """Who an alert reaches: the desa's bidan, and the Puskesmas staff where the alert asks."""

    bidan: list[people.Contact]
    staff: list[people.Contact]


def store(turn: TurnContext, event: Submitted) -> list[Reply]:
    """Save the submitted report as a new revision and raise its alerts.

    Returns what the reporter should hear besides the thank-you: after a
    danger sign or a death, who was alerted (or that nobody could be).
    """
    report = reports.add_revision(turn.session, new_report(turn, event), turn.now)
    if report.kind == reports.MONTHLY:
        hooks.stored(turn, report)
    form = turn.engine.form(event.form)
    raised = [alert for alert in form.alerts if alert.kind in event.alerts]
    if not raised:
        return []
    told = Audience([], [])
    for alert in raised:
        audience = _audience(turn, alert, event, report)
        _enqueue(turn, event, report, alert, audience)
        told.bidan.extend(c for c in audience.bidan if c not in told.bidan)
        told.staff.extend(c for c in audience.staff if c not in told.staff)
    return _who_was_told(turn, told, _place(turn, raised[0], event))


def _audience(turn: TurnContext, alert: Alert, event: Submitted, report: Report) -> Audience:
    """The alert's roles in the desa it names (or the Posyandu's), never the reporter."""
    session = turn.session
    desa = event.answers.get(alert.desa_from) if alert.desa_from else None
    if desa is None:
        bidan = people.bidan_of_posyandu(session, report.posyandu_code)
        desa = people.desa_of_posyandu(session, report.posyandu_code)
    else:
        bidan = people.bidan_of_desa(session, desa)
    staff = (
        people.puskesmas_staff_of_desa(session, desa)
        if desa is not None and "puskesmas" in alert.audience
        else []
    )
    me = turn.profile.person_id
    return Audience(
        [c for c in bidan if c.person_id != me], [c for c in staff if c.person_id != me]
    )


def new_report(turn: TurnContext, event: Submitted) -> reports.NewReport:
    """The report revision a submitted form becomes."""
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


def _enqueue(
    turn: TurnContext, event: Submitted, report: Report, alert: Alert, audience: Audience
) -> None:
    text = _alert_text(turn, event, alert)
    for contact in [*audience.bidan, *audience.staff]:
        key = f"alert:{alert.kind}:{report.id}:{contact.person_id}"
        outbox.enqueue(
            turn.session, key, contact.person_id, f"alert_{alert.kind}", {"text": text}, turn.now
        )


def _who_was_told(turn: TurnContext, told: Audience, place: str) -> list[Reply]:
    """The reporter hears that help is on its way, or that they must call someone themselves."""
    bidan, staff = told.bidan, told.staff
    also = [T.ALERT_SENT_STAFF] if staff else []
    if len(bidan) == 1:
        sent = T.ALERT_SENT.format(bidan=addressed(bidan[0].name, T.BIDAN_HONORIFIC))
        return [Reply(" ".join([sent, *also]))]
    if bidan:
        return [Reply(" ".join([T.ALERT_SENT_SEVERAL, *also]))]
    if turn.profile.role == "bidan":
        return [Reply(T.ALERT_SENT_STAFF_ONLY)] if staff else []
    if staff:
        return [Reply(T.ALERT_ONLY_STAFF.format(place=place))]
    return [Reply(T.ALERT_NO_BIDAN.format(posyandu=place))]


def _place(turn: TurnContext, alert: Alert, event: Submitted) -> str:
    """Where the alert is about: the desa the form names, or the reporting Posyandu."""
    if alert.desa_from is None:
        return _posyandu_name(event)
    form = turn.engine.form(event.form)
    field = form.field(alert.desa_from)
    return turn.engine.display(field, event.answers.get(alert.desa_from), event.context)


def _alert_text(turn: TurnContext, event: Submitted, alert: Alert) -> str:
    """The alert, with what the bidan needs to act: what was found, and how to call back."""
    answers = event.answers
    form = turn.engine.form(event.form)
    reporter = {"reporter": turn.profile.name, "phone": _dialable(turn.profile.phone)}
    details = [
        f"{form.field(name).label}: "
        f"{turn.engine.display(form.field(name), answers[name], event.context)}"
        for name in alert.details
        if answers.get(name) not in (None, "")
    ]
    return T.ALERT_TEXT[alert.kind].format(
        posyandu=_posyandu_name(event), details="; ".join(details), **reporter
    )


def _posyandu_name(event: Submitted) -> str:
    return event.context.get("posyandu_name", event.context["posyandu_code"])


def _dialable(phone: str) -> str:
    """``+6281100000001`` -> ``0811-0000-0001``: how a bidan dials a kader back.

    The full number goes to the bidan only (it is never logged).
    """
    number = phonenumbers.parse(phone, "ID")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

"""What a submitted form becomes: a report revision, and alerts to the bidan."""

from __future__ import annotations

import uuid
from datetime import date

from conversations import Submitted
from conversations import catalogue as T
from conversations.engine import format_date, format_month
from handlers.turn import TurnContext
from storage import outbox, people, reports
from storage.models import Report


def store(turn: TurnContext, event: Submitted) -> Report:
    """Save the submitted report as a new revision and alert the bidan where needed."""
    report = reports.add_revision(turn.session, _new_report(turn, event), turn.now)
    for kind in event.alerts:
        _alert_bidan(turn, event, report, kind)
    return report


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
        period = answers["periode"]
        key = reports.monthly_key(posyandu, period)
        return reports.NewReport(report_key=key, period=period, held=answers["buka"], **common)
    day = date.fromisoformat(answers["tanggal"])
    key = f"{event.form}:{uuid.uuid4().hex}"
    return reports.NewReport(
        report_key=key, period=answers["tanggal"][:7], event_date=day, **common
    )


def _alert_bidan(turn: TurnContext, event: Submitted, report: Report, kind: str) -> None:
    text = _alert_text(turn, event, kind)
    for bidan in people.bidan_of_posyandu(turn.session, report.posyandu_code):
        key = f"alert:{kind}:{report.id}:{bidan}"
        outbox.enqueue(turn.session, key, bidan, f"alert_{kind}", {"text": text}, turn.now)


def _alert_text(turn: TurnContext, event: Submitted, kind: str) -> str:
    answers = event.answers
    form = turn.engine.form(event.form)
    posyandu = event.context.get("posyandu_name", event.context["posyandu_code"])
    reporter = turn.profile.name
    if kind == "kematian":
        parts = [
            f"{form.field(name).label} {answers[name]}"
            for name in ("mati_bayi", "mati_ibu")
            if answers.get(name)
        ]
        return T.ALERT_TEXT[kind].format(
            posyandu=posyandu,
            period=format_month(answers["periode"]),
            details=", ".join(parts),
            reporter=reporter,
        )
    details = [
        f"{form.field(name).label}: {turn.engine.display(form.field(name), answers[name], {})}"
        for name in ("sasaran", "demam", "tanda_bahaya_balita", "tanda_bahaya")
        if name in answers
    ]
    follow_up = turn.engine.display(form.field("tindak_lanjut"), answers["tindak_lanjut"], {})
    return T.ALERT_TEXT[kind].format(
        posyandu=posyandu,
        date=format_date(date.fromisoformat(answers["tanggal"])),
        details="; ".join(details),
        follow_up=follow_up,
        reporter=reporter,
    )

"""Report revisions: append-only, the latest one counts, history stays for audit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage.models import Person, Report

MONTHLY = "bulanan"


def monthly_key(posyandu_code: str, period: str) -> str:
    return f"{MONTHLY}:{posyandu_code}:{period}"


@dataclass(frozen=True, slots=True)
class NewReport:
    """What a submitted form becomes; ``report_key`` ties revisions of one report together."""

    kind: str
    report_key: str
    posyandu_code: str
    period: str
    data: dict[str, Any]
    submitted_by: int
    channel: str
    message_id: str | None
    event_date: date | None = None
    held: bool | None = None


def add_revision(session: Session, new: NewReport, now: datetime) -> Report:
    """Store ``new`` as the next revision of its report and make it the latest."""
    current = session.exec(
        select(func.max(Report.revision)).where(Report.report_key == new.report_key)
    ).one()
    if current is not None:
        session.execute(
            update(Report)
            .where(col(Report.report_key) == new.report_key, col(Report.is_latest))
            .values(is_latest=False)
        )
    row = Report(
        kind=new.kind,
        report_key=new.report_key,
        revision=(current or 0) + 1,
        is_latest=True,
        posyandu_code=new.posyandu_code,
        period=new.period,
        event_date=new.event_date,
        held=new.held,
        data=new.data,
        submitted_by=new.submitted_by,
        submitted_at=now,
        channel=new.channel,
        message_id=new.message_id,
    )
    session.add(row)
    session.flush()
    return row


def revisions(session: Session, report_key: str) -> list[Report]:
    """Every revision of one report, oldest first."""
    statement = select(Report).where(Report.report_key == report_key).order_by(col(Report.revision))
    return list(session.exec(statement))


@dataclass(frozen=True, slots=True)
class MonthlyFiled:
    posyandu_code: str
    period: str
    held: bool | None
    submitted_at: datetime
    submitted_by: str
    data: dict[str, Any]


def monthly_filed(
    session: Session, posyandu_codes: list[str], periods: list[str]
) -> list[MonthlyFiled]:
    """Latest monthly reports of these Posyandu for these months."""
    if not posyandu_codes or not periods:
        return []
    statement = (
        select_columns(
            col(Report.posyandu_code),
            col(Report.period),
            col(Report.held),
            col(Report.submitted_at),
            col(Person.name),
            col(Report.data),
        )
        .join(Person, col(Person.id) == col(Report.submitted_by))
        .where(
            col(Report.kind) == MONTHLY,
            col(Report.is_latest),
            col(Report.posyandu_code).in_(posyandu_codes),
            col(Report.period).in_(periods),
        )
    )
    return [MonthlyFiled(*row) for row in session.execute(statement)]


def any_filed(session: Session, posyandu_codes: Sequence[str]) -> bool:
    """Whether any report, of any kind, was ever filed for one of these Posyandu."""
    statement = select(Report.id).where(col(Report.posyandu_code).in_(posyandu_codes)).limit(1)
    return session.exec(statement).first() is not None


def latest_for_period(
    session: Session, kind: str, posyandu_code: str, period: str
) -> Report | None:
    """The revision that counts of a Posyandu's report of ``kind`` for a month, if one was sent."""
    statement = select(Report).where(
        col(Report.kind) == kind,
        col(Report.posyandu_code) == posyandu_code,
        col(Report.period) == period,
        col(Report.is_latest),
    )
    return session.exec(statement.order_by(col(Report.submitted_at).desc())).first()


def last_monthly_period(session: Session, posyandu_code: str) -> str | None:
    """The most recent month a monthly report was sent for this Posyandu."""
    statement = select(func.max(Report.period)).where(
        col(Report.kind) == MONTHLY, col(Report.posyandu_code) == posyandu_code
    )
    return session.exec(statement).one()


def submitter_name(session: Session, report: Report) -> str:
    """Who sent this revision, by name."""
    return session.exec(select(Person.name).where(col(Person.id) == report.submitted_by)).one()

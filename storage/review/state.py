"""Where each Posyandu's monthly report stands in supervision, and the month's lock.

Every change takes the Posyandu's month row first (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite lets one writer in at a time), so what it checks is still
true when it writes: a correction checks the lock in the same transaction and
under the same row lock as its new revision, and an approval waits for it (or
it for the approval). A correction racing an approval therefore ends either
approved-then-refused or corrected-then-approved, never both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlalchemy import select as select_columns
from sqlmodel import Session, SQLModel, col, select

from storage.models import Person, Posyandu, Puskesmas, Report
from storage.reports import MONTHLY, latest_for_period, monthly_key
from storage.review.models import MonthApproval, ReportReview, ReviewEvent
from storage.sql import InsertIgnore

_ROW = InsertIgnore(SQLModel.metadata.tables["report_review"], ("posyandu_code", "period"))


class Outcome(StrEnum):
    """What a verify, return or unlock did: done, or why nothing changed."""

    DONE = "done"
    NO_REPORT = "no_report"
    STALE = "stale"
    ALREADY = "already"
    LOCKED = "locked"
    NOT_LOCKED = "not_locked"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, when, and on which channel: what every audit entry records."""

    person_id: int
    channel: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Standing:
    """A Posyandu's month: its status (``disetujui`` while locked), the revision it refers to."""

    posyandu_code: str
    period: str
    status: str
    revision: int | None
    locked: bool


def take(session: Session, posyandu_code: str, period: str, now: datetime) -> ReportReview:
    """The month's row, created if missing, locked for the rest of the transaction."""
    values = {"posyandu_code": posyandu_code, "period": period, "status": "belum"}
    _ROW(session, {**values, "locked": False, "updated_at": now})
    statement = (
        select(ReportReview)
        .where(ReportReview.posyandu_code == posyandu_code, ReportReview.period == period)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).one()


def record(
    session: Session,
    actor: Actor,
    posyandu_code: str,
    period: str,
    action: str,
    revision: int | None = None,
    reason: str | None = None,
) -> None:
    """Append one step to the audit trail."""
    session.add(
        ReviewEvent(
            posyandu_code=posyandu_code,
            period=period,
            action=action,
            person_id=actor.person_id,
            at=actor.at,
            channel=actor.channel,
            revision=revision,
            reason=reason,
        )
    )


def revision_stored(session: Session, actor: Actor, row: ReportReview, revision: int) -> None:
    """A new revision of the (taken, unlocked) month came in: it waits for the bidan again."""
    action = "submitted" if revision == 1 else "corrected"
    row.status, row.revision, row.updated_at = "masuk", revision, actor.at
    session.add(row)
    record(session, actor, row.posyandu_code, row.period, action, revision)


def refused(session: Session, actor: Actor, row: ReportReview) -> None:
    """A revision was refused because the month is locked: recorded, nothing else changes."""
    record(session, actor, row.posyandu_code, row.period, "refused", row.revision)


def judge(
    session: Session,
    actor: Actor,
    posyandu_code: str,
    period: str,
    verdict: str,
    *,
    revision: int | None = None,
    reason: str | None = None,
) -> Outcome:
    """Verify (``diperiksa``) or return (``dikembalikan``) the month's latest revision.

    ``revision`` (from a button) must still be the latest: a button pressed
    after a correction came in is stale and changes nothing.
    """
    # A stale button is refused before anything is written; the revision is looked at
    # again once the row is held, since a correction takes the same row first.
    refusal = _unjudgeable(_latest_revision(session, posyandu_code, period), revision)
    if refusal is not None:
        return refusal
    row = take(session, posyandu_code, period, actor.at)
    latest = _latest_revision(session, posyandu_code, period)
    refusal = _unjudgeable(latest, revision)
    if refusal is not None or latest is None:
        return refusal or Outcome.NO_REPORT
    if row.locked:
        return Outcome.LOCKED
    if row.status == verdict and row.revision == latest:
        return Outcome.ALREADY
    row.status, row.revision, row.updated_at = verdict, latest, actor.at
    session.add(row)
    action = "verified" if verdict == "diperiksa" else "returned"
    record(session, actor, posyandu_code, period, action, latest, reason)
    return Outcome.DONE


def _unjudgeable(latest: int | None, pressed: int | None) -> Outcome | None:
    if latest is None:
        return Outcome.NO_REPORT
    if pressed is not None and pressed != latest:
        return Outcome.STALE
    return None


def approve(session: Session, actor: Actor, puskesmas_code: str, period: str) -> list[str]:
    """Lock the month for every active Posyandu of the Puskesmas; returns those newly locked.

    Rows are taken in code order, so two approvals (or an approval and
    corrections) wait on each other in one order and never deadlock.
    """
    codes = session.exec(
        select(Posyandu.code)
        .where(Posyandu.puskesmas_code == puskesmas_code, Posyandu.active)
        .order_by(col(Posyandu.code))
    ).all()
    locked = []
    for code in codes:
        row = take(session, code, period, actor.at)
        if row.locked:
            continue
        row.locked, row.updated_at = True, actor.at
        session.add(row)
        record(session, actor, code, period, "approved", row.revision)
        locked.append(code)
    session.merge(
        MonthApproval(
            puskesmas_code=puskesmas_code,
            period=period,
            approved_by=actor.person_id,
            approved_at=actor.at,
        )
    )
    return locked


def unlock(session: Session, actor: Actor, posyandu_code: str, period: str, reason: str) -> Outcome:
    """Reopen one Posyandu's approved month for a correction; approving again locks it."""
    row = take(session, posyandu_code, period, actor.at)
    if not row.locked:
        return Outcome.NOT_LOCKED
    row.locked, row.updated_at = False, actor.at
    session.add(row)
    record(session, actor, posyandu_code, period, "unlocked", row.revision, reason)
    return Outcome.DONE


def standings(session: Session, posyandu_codes: Sequence[str], period: str) -> dict[str, Standing]:
    """Each of these Posyandu's month; ``belum`` where no report came (a row may exist, locked)."""
    if not posyandu_codes:
        return {}
    return standings_in(session, col(Posyandu.code).in_(posyandu_codes), period)


def standings_in(session: Session, where: ColumnElement[bool], period: str) -> dict[str, Standing]:
    """The month of every Posyandu matching ``where`` (a condition on Posyandu rows).

    One outer-joined pass, so a whole district's (or country's) export reads it at once.
    """
    filed = (
        select(Report.posyandu_code)
        .where(
            col(Report.kind) == MONTHLY,
            col(Report.is_latest),
            col(Report.posyandu_code) == col(Posyandu.code),
            col(Report.period) == period,
        )
        .exists()
    )
    statement = (
        select_columns(
            col(Posyandu.code),
            col(ReportReview.status),
            col(ReportReview.revision),
            col(ReportReview.locked),
            filed,
        )
        .select_from(Posyandu)
        .outerjoin(
            ReportReview,
            (col(ReportReview.posyandu_code) == col(Posyandu.code))
            & (col(ReportReview.period) == period),
        )
        .where(where)
    )
    result = {}
    for code, status, revision, locked, reported in session.execute(statement):
        if not reported:
            shown = "belum"
        elif locked:
            shown = "disetujui"
        else:  # a report filed before supervision existed has no row: received
            shown = status or "masuk"
        result[code] = Standing(code, period, shown, revision, bool(locked))
    return result


@dataclass(frozen=True, slots=True)
class Waiting:
    """A report waiting for the bidan: which Posyandu and month, when it came, from whom."""

    posyandu_code: str
    posyandu: str
    period: str
    revision: int
    submitted_at: datetime
    submitted_by: str


def waiting(session: Session, posyandu_codes: Sequence[str], limit: int) -> list[Waiting]:
    """Latest monthly revisions received and not yet verified or returned, oldest first.

    Reports filed before supervision began have no review row and are not listed:
    ``periksa`` is the bidan's to-do list from then on, not the district's history.
    """
    if not posyandu_codes:
        return []
    received = (
        select(ReportReview.posyandu_code)
        .where(
            col(ReportReview.status) == "masuk",
            ~col(ReportReview.locked),
            col(ReportReview.revision) == col(Report.revision),
            col(ReportReview.posyandu_code) == col(Report.posyandu_code),
            col(ReportReview.period) == col(Report.period),
        )
        .exists()
    )
    statement = (
        select_columns(
            col(Report.posyandu_code),
            col(Posyandu.name),
            col(Report.period),
            col(Report.revision),
            col(Report.submitted_at),
            col(Person.name),
        )
        .join(Posyandu, col(Posyandu.code) == col(Report.posyandu_code))
        .join(Person, col(Person.id) == col(Report.submitted_by))
        .where(
            col(Report.kind) == MONTHLY,
            col(Report.is_latest),
            col(Report.posyandu_code).in_(posyandu_codes),
            received,
        )
        .order_by(col(Report.submitted_at), col(Report.id))
        .limit(limit)
    )
    return [Waiting(*row) for row in session.execute(statement)]


def _latest_revision(session: Session, posyandu_code: str, period: str) -> int | None:
    report = latest_for_period(session, MONTHLY, posyandu_code, period)
    return report.revision if report is not None else None


def revision(session: Session, posyandu_code: str, period: str, number: int) -> Report | None:
    """One revision of the month's report."""
    statement = select(Report).where(
        Report.report_key == monthly_key(posyandu_code, period), Report.revision == number
    )
    return session.exec(statement).first()


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved a Puskesmas' month, and when."""

    puskesmas_code: str
    approver: str
    approved_at: datetime


def approvals(session: Session, puskesmas_codes: Sequence[str], period: str) -> dict[str, Approval]:
    """The approvals of these Puskesmas for the month (missing: not approved)."""
    statement = (
        select(MonthApproval.puskesmas_code, Person.name, MonthApproval.approved_at)
        .join(Person, col(Person.id) == col(MonthApproval.approved_by))
        .where(
            col(MonthApproval.puskesmas_code).in_(puskesmas_codes), MonthApproval.period == period
        )
    )
    return {row[0]: Approval(*row) for row in session.exec(statement)}


def latest_period(session: Session, posyandu_code: str, status: str) -> str | None:
    """The newest unlocked month of this Posyandu whose report has this status."""
    statement = (
        select(ReportReview.period)
        .where(
            col(ReportReview.posyandu_code) == posyandu_code,
            col(ReportReview.status) == status,
            ~col(ReportReview.locked),
        )
        .order_by(col(ReportReview.period).desc())
        .limit(1)
    )
    return session.exec(statement).first()


def puskesmas_staff(session: Session, posyandu_code: str) -> tuple[str, list[str]]:
    """The Puskesmas of a Posyandu and the names of its staff on the roster (who can unlock)."""
    statement = (
        select(Puskesmas.name, Person.name)
        .select_from(Posyandu)
        .join(Puskesmas, col(Puskesmas.code) == col(Posyandu.puskesmas_code))
        .outerjoin(
            Person,
            (col(Person.area_code) == col(Posyandu.puskesmas_code))
            & (col(Person.role) == "puskesmas")
            & col(Person.active),
        )
        .where(Posyandu.code == posyandu_code)
        .order_by(col(Person.id))
    )
    rows = session.exec(statement).all()
    area = rows[0][0] if rows else ""
    return area, [name for _, name in rows if name]


def approvals_in(
    session: Session, kabupaten_code: str, period: str
) -> list[tuple[str, Approval | None]]:
    """Each Puskesmas of a kabupaten by name, with its approval of the month (None: not yet)."""
    found = session.exec(
        select(Puskesmas.code, Puskesmas.name)
        .where(Puskesmas.kabupaten_code == kabupaten_code)
        .order_by(col(Puskesmas.name))
    ).all()
    approved = approvals(session, [code for code, _ in found], period)
    return [(name, approved.get(code)) for code, name in found]

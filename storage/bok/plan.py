"""Each Puskesmas' BOK plan, and the outreach activities whose evidence the BOK export lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage.bok.models import BokMenu
from storage.models import Desa, Person, PersonPosyandu, Posyandu, Puskesmas, Report

OUTREACH = "luar_gedung"


def menu_of(session: Session, puskesmas_code: str) -> list[tuple[str, str]]:
    """A Puskesmas' BOK menu as ``(code, name)``, by code."""
    statement = (
        select(BokMenu.code, BokMenu.name)
        .where(col(BokMenu.puskesmas_code) == puskesmas_code)
        .order_by(col(BokMenu.code))
    )
    return [(code, name) for code, name in session.exec(statement)]


def menu_for_posyandu(session: Session, posyandu_code: str) -> list[tuple[str, str]]:
    """The BOK menu of the Puskesmas a Posyandu belongs to."""
    place = session.get(Posyandu, posyandu_code)
    return menu_of(session, place.puskesmas_code) if place is not None else []


def replace_plans(
    session: Session, plans: Mapping[str, Sequence[tuple[str, str]]], now: datetime
) -> int:
    """Replace the plans of these Puskesmas with the given items; returns the items stored."""
    stored = 0
    for puskesmas_code, items in plans.items():
        session.execute(delete(BokMenu).where(col(BokMenu.puskesmas_code) == puskesmas_code))
        for code, name in items:
            session.add(
                BokMenu(puskesmas_code=puskesmas_code, code=code, name=name, imported_at=now)
            )
            stored += 1
    session.flush()
    return stored


def puskesmas_known(session: Session, codes: Iterable[str]) -> set[str]:
    """Those of ``codes`` that are Puskesmas."""
    statement = select(Puskesmas.code).where(col(Puskesmas.code).in_(list(codes)))
    return set(session.exec(statement))


@dataclass(frozen=True, slots=True)
class Activity:
    """The revision that counts of one outreach activity, where and by whom it was filed."""

    report_key: str
    posyandu_code: str
    posyandu: str
    desa: str
    day: date | None
    data: dict[str, Any]
    submitted_by: str
    submitted_at: datetime


def activities(session: Session, where: ColumnElement[bool], period: str) -> list[Activity]:
    """The month's outreach activities of the Posyandu of an area, by date and Posyandu."""
    statement = (
        select_columns(
            col(Report.report_key),
            col(Posyandu.code),
            col(Posyandu.name),
            col(Desa.name),
            col(Report.event_date),
            col(Report.data),
            col(Person.name),
            col(Report.submitted_at),
        )
        .select_from(Report)
        .join(Posyandu, col(Posyandu.code) == col(Report.posyandu_code))
        .join(Desa, col(Desa.code) == col(Posyandu.desa_code))
        .join(Person, col(Person.id) == col(Report.submitted_by))
        .where(
            where,
            col(Report.kind) == OUTREACH,
            col(Report.is_latest),
            col(Report.period) == period,
        )
        .order_by(col(Report.event_date), col(Posyandu.name), col(Report.report_key))
    )
    return [Activity(*row) for row in session.execute(statement)]


def staff_of_posyandu(session: Session, posyandu_code: str) -> list[tuple[str, str]]:
    """The people who may be named as involved in an activity of a Posyandu: ``(id, name)``.

    Its kader, the bidan of its desa and the staff of its Puskesmas, by name.
    """
    place = session.get(Posyandu, posyandu_code)
    if place is None:
        return []
    linked = select(PersonPosyandu.person_id).where(
        col(PersonPosyandu.posyandu_code) == posyandu_code
    )
    statement = (
        select(Person.id, Person.name)
        .where(
            col(Person.active),
            (col(Person.id).in_(linked))
            | ((col(Person.role) == "bidan") & (col(Person.area_code) == place.desa_code))
            | ((col(Person.role) == "puskesmas") & (col(Person.area_code) == place.puskesmas_code)),
        )
        .order_by(col(Person.name))
    )
    return [(str(person_id), name) for person_id, name in session.exec(statement)]

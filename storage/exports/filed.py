"""Latest monthly revisions of the Posyandu of an area, with the names of every level above."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from storage.models import Desa, Kabupaten, Kecamatan, Posyandu, Provinsi, Puskesmas, Report
from storage.reports import MONTHLY


@dataclass(frozen=True, slots=True)
class Place:
    """A Posyandu with the code and name of every level above it."""

    code: str
    name: str
    desa_code: str
    desa: str
    puskesmas_code: str
    puskesmas: str
    kecamatan_code: str
    kecamatan: str
    kabupaten_code: str
    kabupaten: str
    provinsi_code: str
    provinsi: str


@dataclass(frozen=True, slots=True)
class Filed:
    """The revision of a monthly report that counts: where, which month, the answers, when."""

    place: Place
    period: str
    data: dict[str, Any]
    submitted_at: datetime


_PLACE_COLUMNS = (
    col(Posyandu.code),
    col(Posyandu.name),
    col(Desa.code),
    col(Desa.name),
    col(Puskesmas.code),
    col(Puskesmas.name),
    col(Kecamatan.code),
    col(Kecamatan.name),
    col(Kabupaten.code),
    col(Kabupaten.name),
    col(Provinsi.code),
    col(Provinsi.name),
)
_ORDER = (
    col(Kabupaten.name),
    col(Puskesmas.name),
    col(Desa.name),
    col(Posyandu.name),
    col(Posyandu.code),
)


def _with_regions(statement: Any) -> Any:
    return (
        statement.join(Desa, col(Desa.code) == col(Posyandu.desa_code))
        .join(Puskesmas, col(Puskesmas.code) == col(Posyandu.puskesmas_code))
        .join(Kecamatan, col(Kecamatan.code) == col(Posyandu.kecamatan_code))
        .join(Kabupaten, col(Kabupaten.code) == col(Posyandu.kabupaten_code))
        .join(Provinsi, col(Provinsi.code) == col(Posyandu.provinsi_code))
    )


def filed_monthly(
    session: Session, where: ColumnElement[bool], periods: Sequence[str]
) -> list[Filed]:
    """The latest revision of each monthly report of a Posyandu day that took place.

    Active Posyandu of the area only, as in the rekap. A report saying the
    Posyandu did not open carries no numbers, and a Posyandu that did not
    report has no row: exports never invent zeros for either.
    """
    statement = _with_regions(
        select_columns(
            *_PLACE_COLUMNS, col(Report.period), col(Report.data), col(Report.submitted_at)
        )
        .select_from(Report)
        .join(Posyandu, col(Posyandu.code) == col(Report.posyandu_code))
    )
    statement = statement.where(
        where,
        col(Posyandu.active),
        col(Report.kind) == MONTHLY,
        col(Report.is_latest),
        col(Report.period).in_(list(periods)),
        or_(col(Report.held).is_(None), col(Report.held) != false()),
    ).order_by(col(Report.period), *_ORDER)
    width = len(_PLACE_COLUMNS)
    return [
        Filed(Place(*row[:width]), row[width], row[width + 1], row[width + 2])
        for row in session.execute(statement)
    ]

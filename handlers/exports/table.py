"""The long table: one row per measure x month x Posyandu, the one source every view pivots.

A *measure* is either a data element (one numeric field of the form, a
count) or an indicator the form declares (a ratio of two sums of fields, or
a sum). Each row carries the numerator and denominator sums, so a pivot over
any area adds those up and divides once (adding ratios would be wrong), and
the codes and names of every region above the Posyandu, so DHIS2, a pivot
table or a database can take it as it is. Headers are Indonesian.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from conversations.form import Form
from handlers.exports.values import Number, data_elements, number_of
from storage.exports import Filed, Place

DATA = "data"
INDICATOR = "indikator"
HEADERS = (
    "Jenis",
    "Kode indikator",
    "Indikator",
    "Bulan",
    "Kode provinsi",
    "Provinsi",
    "Kode kabupaten",
    "Kabupaten",
    "Kode kecamatan",
    "Kecamatan",
    "Kode Puskesmas",
    "Puskesmas",
    "Kode desa",
    "Desa",
    "Kode Posyandu",
    "Posyandu",
    "Nilai",
    "Pembilang",
    "Penyebut",
)


@dataclass(frozen=True, slots=True)
class Measure:
    """What one row counts: a sum of fields, or a ratio of two sums (``percent``: as a %)."""

    kind: str
    code: str
    label: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] | None = None
    percent: bool = False

    def parts(self, answers: dict[str, object]) -> tuple[Number | None, Number | None] | None:
        """The numerator and denominator sums of one report; None where it has no value.

        A ratio needs both: a Posyandu that gave the denominator but not the
        numerator (a switched-off field) would otherwise weigh down its area.
        """
        top = _sum(answers, self.numerator)
        if self.denominator is None:
            return None if top is None else (top, None)
        bottom = _sum(answers, self.denominator)
        return None if top is None or bottom is None else (top, bottom)

    def value(self, top: Number | None, bottom: Number | None) -> Number | float | None:
        """The measure from summed parts: the sum, or the ratio (a % when ``percent``)."""
        if self.denominator is None:
            return top
        if top is None or not bottom:
            return None
        return round((100 if self.percent else 1) * float(top) / float(bottom), 1)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the long table: a measure of one Posyandu and month."""

    measure: Measure
    period: str
    place: Place
    value: Number | float | None
    numerator: Number | None
    denominator: Number | None

    def cells(self) -> tuple[object, ...]:
        """The row in the order of :data:`HEADERS`."""
        place = self.place
        return (
            self.measure.kind,
            self.measure.code,
            self.measure.label,
            self.period,
            place.provinsi_code,
            place.provinsi,
            place.kabupaten_code,
            place.kabupaten,
            place.kecamatan_code,
            place.kecamatan,
            place.puskesmas_code,
            place.puskesmas,
            place.desa_code,
            place.desa,
            place.code,
            place.name,
            self.value,
            self.numerator,
            self.denominator,
        )


def measures(form: Form) -> tuple[Measure, ...]:
    """The form's data elements, then the indicators it declares."""
    elements = tuple(
        Measure(DATA, field.name, field.label, (field.name,)) for field in data_elements(form)
    )
    declared = tuple(
        Measure(INDICATOR, i.code, i.label, i.numerator, i.denominator, i.percent)
        for i in form.indicators
    )
    return elements + declared


def rows(filed: Iterable[Filed], form: Form) -> list[Row]:
    """The long table of these reports: every measure a report has an answer for."""
    table = []
    for report in filed:
        for measure in measures(form):
            parts = measure.parts(report.data)
            if parts is None:
                continue
            top, bottom = parts
            value = measure.value(top, bottom)
            table.append(Row(measure, report.period, report.place, value, top, bottom))
    return table


def csv_bytes(table: Sequence[Row]) -> bytes:
    """The long table as CSV with Indonesian headers (UTF-8 with BOM, so Excel reads it)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(("" if cell is None else cell for cell in row.cells()) for row in table)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def _sum(answers: dict[str, object], names: Sequence[str]) -> Number | None:
    given = [n for n in (number_of(answers.get(name)) for name in names) if n is not None]
    return sum(given) if given else None


K = TypeVar("K", bound=Hashable)
Totals = dict[str, tuple[Number | None, Number | None]]
"""Measure code -> summed (numerator, denominator) of one cell group of a pivot."""


def pivot(table: Iterable[Row], key: Callable[[Row], K]) -> dict[K, Totals]:
    """The long table summed by ``key`` (a Posyandu, a desa, a month ...), in first-seen order.

    Numerators and denominators are added separately, so a ratio over a group
    is the ratio of its sums; a part nobody answered stays None.
    """
    groups: dict[K, Totals] = {}
    for row in table:
        cells = groups.setdefault(key(row), {})
        top, bottom = cells.get(row.measure.code, (None, None))
        cells[row.measure.code] = (_add(top, row.numerator), _add(bottom, row.denominator))
    return groups


def _add(total: Number | None, part: Number | None) -> Number | None:
    if part is None:
        return total
    return part if total is None else total + part

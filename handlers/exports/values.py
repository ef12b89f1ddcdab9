"""Data values: the numbers a monthly report carries, as element x org unit x month.

The form schema decides what a data element is: every numeric field of the
monthly form, under its field code. Nothing here names a field, so a field
added to (or renamed in) the form reaches every export without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from conversations.form import Field, Form, Kind
from storage.exports import Filed

NUMERIC = (Kind.COUNT, Kind.DECIMAL)
LEVELS = ("posyandu", "desa")
"""Org unit levels an export can be made at: each Posyandu, or each desa (summed)."""

Number = int | Decimal


@dataclass(frozen=True, slots=True)
class DataValue:
    """One number for one data element, org unit and month (``YYYY-MM``).

    ``combo`` is the DHIS2 category option combo a mapping may give (empty:
    the instance's default).
    """

    element: str
    org_unit: str
    period: str
    value: Number
    last_updated: datetime
    combo: str = ""

    @property
    def triple(self) -> tuple[str, str, str, str]:
        """What two renderings of one export must agree on: element, org unit, month, value."""
        return (self.element, self.org_unit, self.period, number_text(self.value))


def data_elements(form: Form) -> tuple[Field, ...]:
    """The form's numeric fields, in form order: the data elements of its exports."""
    return tuple(field for field in form.fields if field.kind in NUMERIC)


def data_values(filed: Iterable[Filed], form: Form, level: str = "posyandu") -> list[DataValue]:
    """Every answered number of these reports, per Posyandu or summed per desa.

    A number the kader never gave (a skipped section) is absent, not zero; a
    desa has a value for an element when at least one of its Posyandu gave one.
    """
    elements = [field.name for field in data_elements(form)]
    order = {name: index for index, name in enumerate(elements)}
    values: dict[tuple[str, str, str], DataValue] = {}
    for report in filed:
        unit = report.place.code if level == "posyandu" else report.place.desa_code
        for element in elements:
            number = number_of(report.data.get(element))
            if number is None:
                continue
            key = (report.period, unit, element)
            new = DataValue(element, unit, report.period, number, report.submitted_at)
            old = values.get(key)
            values[key] = new if old is None else _summed(old, new)
    return [values[key] for key in sorted(values, key=lambda k: (k[0], k[1], order[k[2]]))]


def number_text(value: Number) -> str:
    """A value as DHIS2 reads it: ``12``, ``1.5``."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def number_of(answer: object) -> Number | None:
    """A stored answer as a number; None when it is missing or not a number."""
    if isinstance(answer, bool) or answer is None:
        return None
    if isinstance(answer, int):
        return answer
    try:
        return Decimal(str(answer))
    except ArithmeticError:
        return None


def _summed(old: DataValue, new: DataValue) -> DataValue:
    return replace(
        old, value=old.value + new.value, last_updated=max(old.last_updated, new.last_updated)
    )

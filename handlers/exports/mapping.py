"""The mapping file that points our codes at a DHIS2 instance's data elements and org units.

A CSV with the header ``kind,code,dhis2,catoptcombo``: ``kind`` is
``dataElement`` or ``orgUnit``, ``code`` is ours (a field code, a Posyandu or
desa code), ``dhis2`` the instance's UID or code, ``catoptcombo`` an optional
category option combo for a data element. Without a mapping our codes go out
as they are (import with ``idScheme=code`` after creating them in DHIS2).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from handlers.exports import words as W
from handlers.exports.values import DataValue

HEADER = ("kind", "code", "dhis2", "catoptcombo")
ELEMENT = "dataElement"
ORG_UNIT = "orgUnit"
KINDS = (ELEMENT, ORG_UNIT)


class MappingError(ValueError):
    """The mapping file cannot be read; ``problems`` say where and why, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Unmapped:
    """Our codes a mapping does not cover: nothing may be written while any is left."""

    elements: tuple[str, ...]
    org_units: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.elements or self.org_units)


@dataclass(frozen=True, slots=True)
class Mapping:
    """Our codes -> the instance's: data elements (with their combo) and org units."""

    elements: dict[str, tuple[str, str]] = field(default_factory=dict)
    org_units: dict[str, str] = field(default_factory=dict)

    def unmapped(self, values: Iterable[DataValue]) -> Unmapped:
        """The element and org unit codes of ``values`` that this mapping leaves out, sorted."""
        elements, units = set(), set()
        for value in values:
            if value.element not in self.elements:
                elements.add(value.element)
            if value.org_unit not in self.org_units:
                units.add(value.org_unit)
        return Unmapped(tuple(sorted(elements)), tuple(sorted(units)))

    def apply(self, values: Iterable[DataValue]) -> list[DataValue]:
        """``values`` in the instance's codes; call only when :meth:`unmapped` is empty."""
        mapped = []
        for value in values:
            element, combo = self.elements[value.element]
            unit = self.org_units[value.org_unit]
            mapped.append(replace(value, element=element, org_unit=unit, combo=combo))
        return mapped


def read_mapping(text: str) -> Mapping:
    """The mapping in a CSV file's text; raises :class:`MappingError` listing every bad line."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or tuple(cell.strip() for cell in rows[0][: len(HEADER)]) != HEADER:
        raise MappingError([W.MAPPING_HEADER.format(header=",".join(HEADER))])
    elements: dict[str, tuple[str, str]] = {}
    units: dict[str, str] = {}
    problems = []
    for line, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + [""] * len(HEADER)
        kind, code, target, combo = cells[:4]
        if not any(cells):
            continue
        if kind not in KINDS:
            problems.append(W.MAPPING_KIND.format(line=line, kind=kind, kinds=", ".join(KINDS)))
        elif not code or not target:
            problems.append(W.MAPPING_EMPTY.format(line=line))
        elif code in (elements if kind == ELEMENT else units):
            problems.append(W.MAPPING_TWICE.format(line=line, kind=kind, code=code))
        elif kind == ELEMENT:
            elements[code] = (target, combo)
        else:
            units[code] = target
    if problems:
        raise MappingError(problems)
    return Mapping(elements, units)

"""DHIS2 aggregate imports (``dataValueSets``) in the three shapes DHIS2 reads: JSON, CSV, ADX.

DHIS2 is the one system Indonesian districts use that imports aggregates
through an API; its monthly period is ``YYYYMM`` in JSON and CSV and
``YYYY-MM-01/P1M`` in ADX. Values come from :mod:`handlers.exports.values`
and, with a mapping file, go out in the instance's codes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import groupby
from xml.etree import ElementTree

from conversations.forms import MONTHLY
from handlers.exports import words as W
from handlers.exports.mapping import Mapping, Unmapped
from handlers.exports.scope import Made, area_of, months_ending
from handlers.exports.values import DataValue, data_values, number_text
from storage import Database
from storage.exports import filed_monthly

FORMATS = ("json", "csv", "adx")
CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
)
"""The column order of DHIS2's own CSV data value export and import."""
ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"
STORED_BY = "lapor-posyandu"
MIME = {"json": "application/json", "csv": "text/csv", "adx": "application/adx+xml"}


def dhis2_period(period: str) -> str:
    """``2026-10`` -> ``202610``, DHIS2's monthly period id."""
    return period.replace("-", "")


def adx_period(period: str) -> str:
    """``2026-10`` -> ``2026-10-01/P1M``, the ADX (ISO 8601 start and duration) form."""
    return f"{period}-01/P1M"


def render(values: Sequence[DataValue], output: str, data_set: str, now: datetime) -> bytes:
    """The values as a DHIS2 import file of format ``output`` (one of :data:`FORMATS`)."""
    if output == "json":
        return _json(values, data_set)
    if output == "csv":
        return _csv(values)
    if output == "adx":
        return _adx(values, data_set, now)
    raise ValueError(f"unknown DHIS2 format {output!r}")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _json(values: Sequence[DataValue], data_set: str) -> bytes:
    rows = []
    for value in values:
        row = {
            "dataElement": value.element,
            "period": dhis2_period(value.period),
            "orgUnit": value.org_unit,
            "value": number_text(value.value),
            "storedBy": STORED_BY,
            "lastUpdated": _stamp(value.last_updated),
        }
        if value.combo:
            row["categoryOptionCombo"] = value.combo
        rows.append(row)
    document: dict[str, object] = {"dataValues": rows}
    if data_set:
        document = {"dataSet": data_set, **document}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _csv(values: Sequence[DataValue]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for value in values:
        writer.writerow(
            (
                value.element,
                dhis2_period(value.period),
                value.org_unit,
                value.combo,
                "",
                number_text(value.value),
                STORED_BY,
                _stamp(value.last_updated),
                "",
                "false",
            )
        )
    return stream.getvalue().encode("utf-8")


def _adx(values: Sequence[DataValue], data_set: str, now: datetime) -> bytes:
    """One ``group`` per org unit and month. A category option combo has no ADX attribute of
    its own (ADX disaggregates by category codes), so ADX carries the default combo only."""
    ElementTree.register_namespace("", ADX_NAMESPACE)
    root = ElementTree.Element(f"{{{ADX_NAMESPACE}}}adx", exported=_stamp(now) + "Z")
    ordered = sorted(values, key=lambda v: (v.org_unit, v.period))
    for (unit, period), members in groupby(ordered, key=lambda v: (v.org_unit, v.period)):
        group = ElementTree.SubElement(
            root,
            f"{{{ADX_NAMESPACE}}}group",
            dataSet=data_set,
            orgUnit=unit,
            period=adx_period(period),
        )
        for value in members:
            ElementTree.SubElement(
                group,
                f"{{{ADX_NAMESPACE}}}dataValue",
                dataElement=value.element,
                value=number_text(value.value),
            )
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


class UnmappedError(LookupError):
    """Codes the mapping file leaves out; nothing is written while any is left."""

    def __init__(self, unmapped: Unmapped) -> None:
        super().__init__(unmapped)
        self.unmapped = unmapped


def export(
    database: Database,
    *,
    period: str,
    area: str | None,
    level: str = "posyandu",
    output: str = "json",
    mapping: Mapping | None = None,
    data_set: str = "",
    now: datetime,
) -> Made:
    """The monthly form's values for one month and area as a DHIS2 import file.

    Latest revisions only; Posyandu that did not report (or did not open)
    contribute nothing. With a ``mapping``, every element and org unit must be
    in it, else :class:`UnmappedError`. ADX needs a data set: ``data_set``, or
    the form's id. Raises
    :class:`~handlers.exports.scope.UnknownAreaError` and
    :class:`~handlers.exports.scope.BadPeriodError`.
    """
    months = months_ending(period)
    with database.transaction() as session:
        found = area_of(session, area)
        filed = filed_monthly(session, found.where, months)
    values = data_values(filed, MONTHLY, level)
    if mapping is not None:
        unmapped = mapping.unmapped(values)
        if unmapped:
            raise UnmappedError(unmapped)
        values = mapping.apply(values)
    content = render(values, output, data_set or (MONTHLY.id if output == "adx" else ""), now)
    suffix = "xml" if output == "adx" else output
    name = f"dhis2-{found.code or 'semua'}-{period}.{suffix}"
    return Made(content, name, len(values))


def unmapped_text(unmapped: Unmapped) -> str:
    """The list of codes a mapping leaves out, for the person who writes the mapping."""
    lines = [W.UNMAPPED]
    for codes, line in (
        (unmapped.elements, W.UNMAPPED_ELEMENTS),
        (unmapped.org_units, W.UNMAPPED_UNITS),
    ):
        if codes:
            lines.append(line.format(count=len(codes), codes=", ".join(codes)))
    return "\n".join(lines)

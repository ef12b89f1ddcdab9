"""A form's schema as plain data: the contract other tools build on (web form, DHIS2 mapping).

``python -m bot forms show FORM --format json`` prints :func:`describe`;
``--format text`` prints :func:`as_text`. Both read only the :class:`Form`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conversations.form import Field, Form


def describe(form: Form) -> dict[str, Any]:
    """``{"id", "version", "sections", "fields", "indicators"}`` of ``form``, JSON-ready."""
    return {
        "id": form.id,
        "version": form.version,
        "sections": [
            {
                "code": section.name,
                "title": section.title,
                "short": section.short,
                "skippable": section.skippable,
            }
            for section in form.sections
        ],
        "fields": [_field(item) for item in form.fields],
        "indicators": [
            {
                "code": indicator.code,
                "label": indicator.label,
                "numerator": list(indicator.numerator),
                "denominator": (
                    None if indicator.denominator is None else list(indicator.denominator)
                ),
            }
            for indicator in form.indicators
        ],
    }


def _field(item: Field) -> dict[str, Any]:
    return {
        "code": item.name,
        "kind": item.kind.value,
        "section": item.section,
        "label": item.label,
        "prompt": item.prompt,
        "short": item.short,
        "min": _number(item.minimum),
        "max": _number(item.maximum),
        "optional": item.optional or item.switch is not None,
    }


def _number(value: int | Decimal | None) -> int | float | None:
    return float(value) if isinstance(value, Decimal) else value


def as_text(form: Form) -> str:
    """The schema as a plain table for a terminal: one line per field, then the indicators."""
    lines = [f"{form.id} (version {form.version})", ""]
    titles = {section.name: section.title for section in form.sections}
    for item in form.fields:
        bounds = ""
        if item.minimum is not None or item.maximum is not None:
            low = "" if item.minimum is None else _number(item.minimum)
            high = "" if item.maximum is None else _number(item.maximum)
            bounds = f" [{low}..{high}]"
        optional = " (optional)" if item.optional or item.switch is not None else ""
        section = titles.get(item.section or "", "")[:24]
        words = f"{item.label}{bounds}{optional}"
        lines.append(f"{item.name:<20} {item.kind.value:<7} {section:<24} {words}")
    if form.indicators:
        lines.append("")
        for indicator in form.indicators:
            formula = " + ".join(indicator.numerator)
            if indicator.denominator is not None:
                formula = f"({formula}) / ({' + '.join(indicator.denominator)})"
            lines.append(f"{indicator.code:<20} {indicator.label}: {formula}")
    return "\n".join(lines)

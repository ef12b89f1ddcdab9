"""A stored report as the bidan reads it: every field of its form, changes since the last revision.

The form schema is iterated, section by section, so a field added to the
form shows up here with no change; answers are shown as the engine shows
them in a summary. A field with no answer is ``-``.
"""

from __future__ import annotations

from datetime import date

from conversations import Engine
from conversations.form import Field, Form
from conversations.periods import format_date, format_month
from handlers.review import words as W
from storage.models import Report


def render(
    engine: Engine,
    report: Report,
    previous: Report | None,
    *,
    posyandu: str,
    kader: str,
    status: str,
    local_date: date,
) -> str:
    """The report's text: title, status, who sent it when, then each section's fields."""
    form = engine.form(report.kind)
    lines = [
        W.VIEW_TITLE.format(posyandu=posyandu, month=format_month(report.period)),
        W.VIEW_STATUS.format(status=W.STATUS[status]),
        W.VIEW_SENT.format(revision=report.revision, when=format_date(local_date), kader=kader),
    ]
    changed = False
    for title, fields in _sections(form):
        if title:
            lines.append(f"\n{title}")
        for item in fields:
            value = engine.display(item, report.data.get(item.name), {})
            if previous is not None and previous.data.get(item.name) != report.data.get(item.name):
                before = engine.display(item, previous.data.get(item.name), {})
                value = W.VIEW_CHANGED.format(value=value, before=before)
                changed = True
            lines.append(W.VIEW_LINE.format(label=item.label, value=value))
    if changed:
        lines.append(f"\n{W.VIEW_CHANGED_NOTE}")
    return "\n".join(lines)


def _sections(form: Form) -> list[tuple[str, list[Field]]]:
    """The form's fields grouped under their section titles, in form order."""
    groups: list[tuple[str, list[Field]]] = []
    titles = {section.name: section.title for section in form.sections}
    for item in form.fields:
        title = titles.get(item.section or "", "")
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(item)
    return groups

"""The evidence of outreach activities: what each one has, what a BOK audit still lacks.

BOK pays against evidence ("4 tepat": target, time, amount, use). An
activity's row shows every answer of the outreach form as people read it
(the form decides the columns), then who filed it, how much evidence it
carries and whether it is complete: for a BOK-funded activity the answers
the form names as evidence (:data:`~conversations.forms.outreach.BOK_EVIDENCE`)
and a menu item.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from conversations import Engine
from conversations.form import Field, Kind
from conversations.forms import OUTREACH
from conversations.forms.outreach import (
    BOK_EVIDENCE,
    BOK_FUNDED,
    BOK_MENU,
    BOK_MENU_FIELDS,
    PHOTOS_FIELD,
    STAFF,
)
from handlers.bok import words as W
from storage import Transaction, bok
from storage.bok import Activity
from storage.media import MediaStore

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Checked:
    """An activity with what its evidence lacks (labels; empty when complete) and its photos."""

    activity: Activity
    missing: tuple[str, ...]

    @property
    def photos(self) -> list[str]:
        """The digests of the activity's photos, in the order they were sent."""
        return list(self.activity.data.get(PHOTOS_FIELD) or [])

    @property
    def bok_funded(self) -> bool:
        field, value = BOK_FUNDED
        return self.activity.data.get(field) == value

    @property
    def complete(self) -> bool:
        return not self.missing


def check(activity: Activity) -> Checked:
    """What a BOK-funded activity still lacks; other activities lack nothing."""
    data = activity.data
    present = [name for name in BOK_EVIDENCE if data.get(name) not in (None, "", [])]
    field, value = BOK_FUNDED
    if data.get(field) != value:
        return Checked(activity, ())
    missing = [OUTREACH.field(name).label for name in BOK_EVIDENCE if name not in present]
    if not any(data.get(name) for name in BOK_MENU_FIELDS):
        missing.append(W.MISSING_MENU)
    return Checked(activity, tuple(missing))


def checked(session: Transaction, where: Any, period: str) -> list[Checked]:
    """The month's activities of an area, each checked."""
    return [check(activity) for activity in bok.activities(session, where, period)]


def workbook(
    session: Transaction, title: str, activities: Sequence[Checked], bok_only: bool = False
) -> bytes:
    """One row per activity: every answer as shown in chat, who filed it, its evidence."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    engine = Engine({OUTREACH.id: OUTREACH})
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = W.SHEET
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    columns = _columns()
    sheet.append([*W.COLUMNS_BEFORE, *columns, *W.COLUMNS_AFTER])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    contexts: dict[str, dict[str, Any]] = {}
    shown = [c for c in activities if c.bok_funded or not bok_only]
    for number, item in enumerate(shown, start=1):
        activity = item.activity
        context = contexts.get(activity.posyandu_code)
        if context is None:
            context = {
                BOK_MENU: bok.menu_for_posyandu(session, activity.posyandu_code),
                STAFF: bok.staff_of_posyandu(session, activity.posyandu_code),
            }
            contexts[activity.posyandu_code] = context
        answers: dict[str, Any] = {}
        for field in OUTREACH.fields:
            value = _cell(engine, field, activity.data.get(field.name), context)
            if answers.get(field.label) is None:
                answers[field.label] = value
        sheet.append(
            [
                number,
                activity.posyandu,
                activity.desa,
                *(answers[label] for label in columns),
                activity.submitted_by,
                len(item.photos),
                (W.YES if item.complete else W.NO) if item.bok_funded else W.NOT_BOK,
                ", ".join(item.missing),
            ]
        )
    sheet.freeze_panes = "D3"
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def _cell(engine: Engine, field: Field, value: Any, context: dict[str, Any]) -> Any:
    """An answer for a cell: numbers as numbers (Excel sums them), the rest as shown in chat."""
    if value is None:
        return None
    if field.kind in (Kind.COUNT, Kind.DECIMAL):
        return value
    return engine.display(field, value, context)


def _columns() -> list[str]:
    """The form's labels, each once: fields asked instead of each other share a column."""
    return list(dict.fromkeys(field.label for field in OUTREACH.fields))


def photo_folder(activities: Sequence[Checked], store: MediaStore) -> bytes:
    """A zip with each activity's photos in a folder named like its row in the workbook."""
    stream = BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, item in enumerate(activities, start=1):
            activity = item.activity
            folder = f"{number:03d}-{activity.day or ''}-{_slug(activity.posyandu)}"
            for index, digest in enumerate(item.photos, start=1):
                path = store.path(digest)
                if path is not None:
                    archive.write(path, f"{folder}/foto-{index}{path.suffix}")
    return stream.getvalue()


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-").lower()

"""The attendance list (daftar hadir): one row per invitee, ready to print and sign.

BOK accountability wants a signed sheet; the last column is left empty for
the signatures. The same bytes go out in chat (``daftar hadir N``) and from
the command line (``meetings attendance N --format xlsx|csv``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from conversations import Attachment
from handlers.meetings import words as T
from storage import Transaction
from storage.meetings import store
from storage.meetings.store import MeetingView

FORMATS = ("xlsx", "csv")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


@dataclass(frozen=True, slots=True)
class Sheet:
    meeting: MeetingView
    rows: list[tuple[str, ...]]
    present: int


def sheet(session: Transaction, meeting: MeetingView) -> Sheet:
    """The rows: number, name, role or jabatan, area, answer, check-in time, signature (empty)."""
    zone = ZoneInfo(meeting.timezone)
    rows: list[tuple[str, ...]] = []
    present = 0
    for number, person in enumerate(store.invitees(session, meeting.id), start=1):
        answer = T.RSVP_WORDS[person.rsvp]
        if person.delegate:
            answer = f"{answer} ({person.delegate})"
        checked = ""
        if person.checked_in_at is not None:
            present += 1
            checked = person.checked_in_at.astimezone(zone).strftime("%d/%m/%Y %H.%M")
        role = person.jabatan or T.ROLE_NAMES.get(person.role, person.role)
        rows.append((str(number), person.name, role, person.area, answer, checked, ""))
    return Sheet(meeting, rows, present)


def render(found: Sheet, fmt: str) -> Attachment:
    """The sheet as a CSV or an Excel file."""
    name = f"daftar-hadir-rapat-{found.meeting.id}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(T.ATTENDANCE_HEADERS)
        writer.writerows(found.rows)
        return Attachment(name, buffer.getvalue().encode("utf-8-sig"), CSV_MIME)
    return Attachment(name, _xlsx(found), XLSX_MIME)


def _xlsx(found: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = T.ATTENDANCE_SHEET
    meeting = found.meeting
    worksheet.append([f"{meeting.title} (#{meeting.id})"])
    worksheet.append([meeting.place])
    worksheet.append([])
    worksheet.append(list(T.ATTENDANCE_HEADERS))
    for cell in worksheet[4]:
        cell.font = Font(bold=True)
    for row in found.rows:
        worksheet.append([int(row[0]), *row[1:]])
    for column, width in zip("ABCDEFG", (5, 28, 22, 24, 22, 18, 24), strict=True):
        worksheet.column_dimensions[column].width = width
    for number in range(5, 5 + len(found.rows)):
        worksheet.row_dimensions[number].height = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

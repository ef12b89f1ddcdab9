"""``rekap bok [BULAN] [excel]``: the month's BOK-funded activities of one's area, evidence checked.

For Puskesmas staff and the Dinkes: each BOK-funded activity with a mark
(✅ evidence complete, ❌ not) and what it lacks, so missing photos or times
are chased before the claim is filed; ``excel`` sends the workbook.
"""

from __future__ import annotations

from datetime import date

from conversations import Attachment, Reply
from conversations.forms import OUTREACH
from conversations.forms.outreach import KIND_FIELD
from conversations.parsing import parse_month
from conversations.periods import format_date, format_month, month_of
from handlers.bok import words as W
from handlers.bok.evidence import MIME, checked, workbook
from handlers.turn import TurnContext
from storage.rekap import own_area

ROLES = ("puskesmas", "dinkes", "admin")
SHOWN = 30
"""Activities listed in chat; the workbook has them all."""


def show(turn: TurnContext, args: list[str]) -> list[Reply]:
    """The month's BOK-funded activities of the person's own area (default: this month)."""
    if turn.profile.role not in ROLES:
        return [Reply(W.REKAP_NOT_ALLOWED)]
    words = [word.casefold() for word in args]
    excel = bool(words) and words[-1] in W.REKAP_EXCEL
    if excel:
        words = words[:-1]
    today = turn.now.date()
    period = parse_month(" ".join(words), today) if words else month_of(today)
    if period is None:
        return [Reply(W.REKAP_BAD_MONTH.format(text=" ".join(args)))]
    session = turn.session
    area = own_area(session, turn.profile)
    found = [item for item in checked(session, area.where, period) if item.bok_funded]
    month = format_month(period)
    if excel:
        title = W.TITLE.format(area=area.name, month=month)
        content = workbook(session, title, found, bok_only=True)
        name = f"bok-{area.code}-{period}.xlsx"
        caption = W.FILE_CAPTION.format(month=month)
        return [Reply(caption, attachment=Attachment(name, content, MIME))]
    lines = [W.REKAP_TITLE.format(area=area.name, month=month)]
    if not found:
        return [Reply("\n".join([*lines, W.REKAP_NONE]))]
    kinds = {c.value: c.label for c in OUTREACH.field(KIND_FIELD).choices({})}
    for item in found[:SHOWN]:
        activity = item.activity
        day = format_date(activity.day) if isinstance(activity.day, date) else "-"
        mark = "✅" if item.complete else "❌"
        kind = kinds.get(str(activity.data.get(KIND_FIELD)), "")
        lines.append(W.REKAP_LINE.format(mark=mark, day=day, kind=kind, posyandu=activity.posyandu))
        if item.missing:
            lines.append(W.REKAP_LACKS.format(missing=", ".join(item.missing)))
    done = sum(1 for item in found if item.complete)
    lines += ["", W.REKAP_SUMMARY.format(done=done, total=len(found)), W.REKAP_MORE]
    return [Reply("\n".join(lines))]

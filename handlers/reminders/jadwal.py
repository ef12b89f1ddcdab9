"""``jadwal``: the dates a person works towards (Posyandu day, report deadline, lokakarya mini).

The same dates the reminders are built from, so what ``jadwal`` says and what
the bot later reminds about agree. Event dates are shown as they are; only
reminders move around rest days.
"""

from __future__ import annotations

from datetime import date

from conversations import Reply
from conversations.periods import (
    deadline_of,
    due_period,
    format_day,
    format_month,
    next_day_of_month,
)
from handlers.reminders import words as T
from handlers.turn import TurnContext
from storage import people
from storage.reminders import schedule

POSYANDU_LIMIT = 5


def show(turn: TurnContext, _args: list[str]) -> list[Reply]:
    """List the person's next Posyandu days, the report deadline and the next lokmin."""
    profile = turn.profile
    today = turn.now.date()
    lines = [T.JADWAL_HEADER]
    if profile.role in ("kader", "bidan"):
        codes = [code for code, _ in people.posyandu_of(turn.session, profile)]
        upcoming = sorted(
            schedule.posyandu_days(turn.session, codes),
            key=lambda item: (item.day is None, _next(today, item.day)),
        )
        for item in upcoming[:POSYANDU_LIMIT]:
            if item.day is None:
                lines.append(T.JADWAL_POSYANDU_UNSET.format(posyandu=item.name))
            else:
                day = format_day(next_day_of_month(today, item.day))
                lines.append(T.JADWAL_POSYANDU.format(posyandu=item.name, day=day))
        if len(upcoming) > POSYANDU_LIMIT:
            lines.append(T.REMIND_MORE.format(count=len(upcoming) - POSYANDU_LIMIT))
    period = due_period(today, profile.deadline_day)
    deadline = format_day(deadline_of(period, profile.deadline_day))
    lines.append(T.JADWAL_DEADLINE.format(period=format_month(period), day=deadline))
    for name, lokmin_day in schedule.puskesmas_of(
        turn.session, profile.person_id, profile.role, profile.area_code
    ):
        day = format_day(next_day_of_month(today, lokmin_day))
        lines.append(T.JADWAL_LOKMIN.format(puskesmas=name, day=day))
    return [Reply("\n".join(lines))]


def _next(today: date, day: int | None) -> date:
    return next_day_of_month(today, day) if day is not None else today

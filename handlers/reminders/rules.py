"""The reminder rules as data: defaults, what their day numbers mean, who they go to.

A kabupaten may override ``enabled``, ``days``, ``hour`` and ``months`` of
any rule (``python -m bot schedule set``); the deadline day, the Posyandu days
and the lokakarya mini days are roster data (Kabupaten.deadline_day,
Posyandu.posyandu_day, Puskesmas.lokmin_day).
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.reminders.timing import Shift
from storage.reminders.models import ScheduleSetting


@dataclass(frozen=True, slots=True)
class Rule:
    """One named reminder job.

    ``quiet``: obeys the 06:00-21:00 window (everything that sends messages).
    ``per_zone``: evaluated at each recipient zone's local time; otherwise once
    per kabupaten at its own zone's time. ``once``: an occurrence runs once
    (recorded); otherwise it is re-checked on every tick of its day.
    ``catch_up_days``: an occurrence missed (service down) still runs this
    many days late; reminders use 0, because a reminder for a past day is noise.
    """

    name: str
    summary: str
    audience: tuple[str, ...]
    hour: int
    days: tuple[int, ...]
    days_meaning: str
    day_range: tuple[int, int]
    shift: Shift
    months: tuple[int, ...] = ()
    quiet: bool = True
    per_zone: bool = True
    once: bool = True
    catch_up_days: int = 0
    max_days: int = 4


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            name="posyandu_day",
            summary="Kader and bidan: tomorrow is the Posyandu day",
            audience=("kader", "bidan"),
            hour=16,
            days=(1,),
            days_meaning="days before each Posyandu's day",
            day_range=(1, 7),
            shift="previous",
        ),
        Rule(
            name="report_due",
            summary="Kader of Posyandu without last month's report",
            audience=("kader",),
            hour=8,
            days=(1, 3),
            days_meaning="days of the month after the reporting month",
            day_range=(1, 28),
            shift="next",
        ),
        Rule(
            name="report_overdue",
            summary="At the deadline: bidan, then Puskesmas staff, get the Posyandu missing",
            audience=("bidan", "puskesmas"),
            hour=8,
            days=(0, 1),
            days_meaning="days after the deadline day: first the bidan, then Puskesmas staff",
            day_range=(0, 14),
            shift="next",
            max_days=2,
        ),
        Rule(
            name="lokmin_bulanan",
            summary="Bidan and Puskesmas staff: monthly lokakarya mini with completeness",
            audience=("bidan", "puskesmas"),
            hour=8,
            days=(2,),
            days_meaning="days before each Puskesmas' lokmin day",
            day_range=(1, 14),
            shift="previous",
        ),
        Rule(
            name="lokmin_tribulanan",
            summary="Puskesmas staff: quarterly cross-sector lokakarya mini",
            audience=("puskesmas",),
            hour=8,
            days=(2,),
            days_meaning="days before the lokmin day, in the months listed",
            day_range=(1, 14),
            shift="previous",
            months=(2, 5, 8, 11),
        ),
        Rule(
            name="lokmin_rapat",
            summary="Each Puskesmas' lokakarya mini created as a meeting; invitations sent",
            audience=("bidan", "puskesmas", "mitra", "kader"),
            hour=8,
            days=(7,),
            days_meaning="days before each Puskesmas' lokmin day",
            day_range=(1, 14),
            shift="previous",
            per_zone=False,
            max_days=1,
        ),
        Rule(
            name="lokmin_data",
            summary="Lokmin invitees: last month's rekap, chart and Excel of the Puskesmas",
            audience=("bidan", "puskesmas", "mitra", "kader"),
            hour=8,
            days=(1,),
            days_meaning="days before each Puskesmas' lokmin day",
            day_range=(1, 7),
            shift="previous",
            per_zone=False,
            max_days=1,
        ),
        Rule(
            name="rapat_pengingat",
            summary="Meeting invitees: H-1 at 16:00 and 2 hours before; follow-up item owners",
            audience=("kader", "bidan", "puskesmas", "dinkes", "admin", "mitra"),
            hour=6,
            days=(),
            days_meaning="(not used: checked all day, 06:00-21:00, against each meeting's start)",
            day_range=(0, 0),
            shift="none",
            once=False,
            max_days=0,
        ),
        Rule(
            name="draft_expiring",
            summary="Anyone whose unfinished report expires within 24 hours",
            audience=("kader", "bidan"),
            hour=6,
            days=(),
            days_meaning="(not used: checked all day, 06:00-21:00)",
            day_range=(0, 0),
            shift="none",
            once=False,
            max_days=0,
        ),
        Rule(
            name="home_visit_weekly",
            summary="Bidan: last week's home visits in the four ILP review categories",
            audience=("bidan",),
            hour=8,
            days=(1,),
            days_meaning="day of the week of the review (1 = Monday ... 6 = Saturday)",
            day_range=(1, 6),
            shift="next",
            max_days=1,
        ),
        Rule(
            name="summary_snapshot",
            summary="Snapshot of the monthly summaries after the deadline",
            audience=(),
            hour=1,
            days=(1,),
            days_meaning="days after the deadline day",
            day_range=(1, 14),
            shift="none",
            quiet=False,
            per_zone=False,
            catch_up_days=27,
            max_days=1,
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Setting:
    """A rule as one kabupaten runs it: the defaults with its override applied."""

    rule: Rule
    enabled: bool
    days: tuple[int, ...]
    hour: int
    months: tuple[int, ...]
    overridden: bool


def resolve(rule: Rule, override: ScheduleSetting | None) -> Setting:
    """Merge a kabupaten's override (None: defaults) into the rule's defaults."""
    if override is None:
        return Setting(rule, True, rule.days, rule.hour, rule.months, False)
    return Setting(
        rule=rule,
        enabled=override.enabled,
        days=parse_numbers(override.days) if override.days else rule.days,
        hour=rule.hour if override.hour is None else override.hour,
        months=parse_numbers(override.months) if override.months else rule.months,
        overridden=True,
    )


def parse_numbers(text: str) -> tuple[int, ...]:
    """``"1, 3"`` -> ``(1, 3)``, sorted and without repeats; ValueError on anything else."""
    try:
        return tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise ValueError(f"{text!r} is not a comma-separated list of numbers") from None


def validate(rule: Rule, days: str | None, hour: int | None, months: str | None) -> list[str]:
    """What is wrong with an override (empty when it is fine), in words an admin can act on."""
    problems: list[str] = []
    if days is not None:
        low, high = rule.day_range
        try:
            numbers = parse_numbers(days)
        except ValueError as error:
            problems.append(f"days: {error}")
        else:
            if not rule.max_days:
                problems.append(f"{rule.name} takes no days")
            elif not numbers or len(numbers) > rule.max_days:
                problems.append(f"days: give 1 to {rule.max_days} numbers ({rule.days_meaning})")
            elif any(not low <= number <= high for number in numbers):
                problems.append(f"days must be between {low} and {high} ({rule.days_meaning})")
    if hour is not None:
        low, high = (6, 20) if rule.quiet else (0, 23)
        if not low <= hour <= high:
            problems.append(f"hour must be between {low} and {high} (local time)")
    if months is not None:
        if not rule.months:
            problems.append(f"{rule.name} runs every month; months only apply to lokmin_tribulanan")
        else:
            try:
                numbers = parse_numbers(months)
            except ValueError as error:
                problems.append(f"months: {error}")
            else:
                if not numbers or any(not 1 <= number <= 12 for number in numbers):
                    problems.append("months must be numbers from 1 to 12")
    return problems

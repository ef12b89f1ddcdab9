"""Placing reminders on the calendar: rest days, holidays, short months, settings.

Why: a reminder on a holiday is not read, one after the event is useless,
and an admin's typo in a setting must be refused with a reason, not run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import holidays as holiday_package
import pytest

from handlers.reminders.holidays import parse_holidays
from handlers.reminders.jobs import JOBS
from handlers.reminders.rules import RULES, resolve, validate
from handlers.reminders.timing import Calendar, in_working_hours, zone
from storage.reminders.models import ScheduleSetting
from storage.reminders.schedule import KabupatenFacts

NOVEMBER_HOLIDAY = Calendar(frozenset({date(2026, 11, 3)}))


def kabupaten(deadline_day: int = 5, posyandu=(12,), lokmin=(3,)) -> KabupatenFacts:
    return KabupatenFacts(
        "32.98",
        "Uji",
        "Asia/Jakarta",
        deadline_day,
        ("Asia/Jakarta",),
        frozenset(posyandu),
        frozenset(lokmin),
    )


def placed(rule: str, month: str, calendar: Calendar = NOVEMBER_HOLIDAY, **override) -> list:
    setting = resolve(
        RULES[rule],
        ScheduleSetting(
            kabupaten_code="32.98",
            rule=rule,
            updated_at=datetime(2026, 1, 1, tzinfo=UTC),
            **override,
        )
        if override
        else None,
    )
    facts = kabupaten()
    return [(o.tag, o.day) for o in JOBS[rule].schedule(facts, setting, calendar, month)]


def test_holidays_from_settings_add_and_remove_dates():
    holidays = parse_holidays("2026-11-03, -2026-12-25,")
    assert date(2026, 11, 3) in holidays and date(2026, 12, 25) not in holidays
    assert date(2026, 8, 17) in holidays
    with pytest.raises(ValueError, match="'3 Nov' is not a date"):
        parse_holidays("3 Nov")


# The national holidays and cuti bersama of 2026 as decreed (SKB 3 Menteri 2025,
# Nomor 1497/2/5 Tahun 2025), kept by hand to check the package against the decree.
SKB_2026 = (
    "01-01 01-16 02-16 02-17 03-18 03-19 03-20 03-21 03-22 03-23 03-24 04-03 04-05 "
    "05-01 05-14 05-15 05-27 05-28 05-31 06-01 06-16 08-17 08-25 12-24 12-25"
)


def _days_of(calendar, year: int) -> set[date]:
    start = date(year, 1, 1).toordinal()
    days = (date.fromordinal(n) for n in range(start, date(year + 1, 1, 1).toordinal()))
    return {day for day in days if day in calendar}


def test_the_calendar_is_the_decree_in_2026():
    decreed = {date.fromisoformat(f"2026-{md}") for md in SKB_2026.split()}
    assert _days_of(parse_holidays(""), 2026) == decreed


@pytest.mark.parametrize("year", [2026, 2027])
def test_the_calendar_follows_the_holidays_package_with_cuti_bersama(year):
    package = holiday_package.country_holidays(
        "ID", years=year, categories=(holiday_package.PUBLIC, holiday_package.GOVERNMENT)
    )
    assert _days_of(parse_holidays(""), year) == set(package)
    public_only = holiday_package.country_holidays("ID", years=year)
    assert set(package) > set(public_only), "cuti bersama are included"


def test_the_calendar_does_not_run_out():
    calendar = parse_holidays("")
    assert {date(2035, 8, 17), date(2040, 12, 25)} <= _days_of(calendar, 2035) | _days_of(
        calendar, 2040
    )


def test_sundays_and_holidays_move_reminders_to_a_working_day():
    calendar = NOVEMBER_HOLIDAY
    assert calendar.shift(date(2026, 11, 1), "next") == date(2026, 11, 2)  # Sunday
    assert calendar.shift(date(2026, 11, 3), "next") == date(2026, 11, 4)  # holiday
    assert calendar.shift(date(2026, 11, 3), "previous") == date(2026, 11, 2)
    assert calendar.shift(date(2026, 11, 7), "previous") == date(2026, 11, 7)  # Saturday works
    assert calendar.shift(date(2026, 11, 1), "none") == date(2026, 11, 1)


def test_quiet_hours_are_21_to_6_local():
    jakarta = zone("Asia/Jakarta")
    assert not in_working_hours(datetime(2026, 11, 2, 5, 59, tzinfo=jakarta))
    assert in_working_hours(datetime(2026, 11, 2, 6, 0, tzinfo=jakarta))
    assert in_working_hours(datetime(2026, 11, 2, 20, 59, tzinfo=jakarta))
    assert not in_working_hours(datetime(2026, 11, 2, 21, 0, tzinfo=jakarta))


def test_report_due_days_shift_merge_and_stop_at_the_deadline():
    assert placed("report_due", "2026-11") == [
        ("2026-10:d1", date(2026, 11, 2)),
        ("2026-10:d3", date(2026, 11, 4)),
    ]
    assert placed("report_due", "2026-11", days="1,2") == [("2026-10:d2", date(2026, 11, 2))]
    assert placed("report_due", "2026-11", days="1,6") == [("2026-10:d1", date(2026, 11, 2))]


def test_overdue_escalates_to_puskesmas_on_the_working_day_after_the_bidan():
    december = placed("report_overdue", "2026-12", Calendar(frozenset()))
    assert december == [
        ("2026-11:bidan", date(2026, 12, 5)),
        ("2026-11:puskesmas", date(2026, 12, 7)),  # 6 Dec is a Sunday
    ]


def test_posyandu_day_reminder_goes_the_working_day_before():
    facts = kabupaten(posyandu=(16, 31))
    setting = resolve(RULES["posyandu_day"], None)
    occurrences = JOBS["posyandu_day"].schedule(facts, setting, NOVEMBER_HOLIDAY, "2026-11")
    assert [(o.target, o.day) for o in occurrences] == [
        (date(2026, 11, 16), date(2026, 11, 14)),  # Monday: Sunday is rest, so Saturday
        (date(2026, 11, 30), date(2026, 11, 28)),  # day 31 is November's last day
    ]


def test_tribulanan_runs_only_in_its_months():
    # The quarterly lokmin runs in February, May, August and November by default.
    assert placed("lokmin_tribulanan", "2026-12") == []
    assert placed("lokmin_tribulanan", "2026-11") == [("2026-11-03:d-2", date(2026, 10, 31))]
    assert placed("lokmin_tribulanan", "2027-02") == [("2027-02-03:d-2", date(2027, 2, 1))]
    assert placed("lokmin_tribulanan", "2026-12", months="12") == [
        ("2026-12-03:d-2", date(2026, 12, 1))
    ]


def test_settings_are_validated_with_reasons():
    assert validate(RULES["report_due"], "1,3", 8, None) == []
    assert validate(RULES["report_due"], "0", None, None) == [
        "days must be between 1 and 28 (days of the month after the reporting month)"
    ]
    assert validate(RULES["report_due"], "x", None, None) == [
        "days: 'x' is not a comma-separated list of numbers"
    ]
    assert validate(RULES["report_overdue"], "0,1,2", None, None) == [
        "days: give 1 to 2 numbers (days after the deadline day: first the bidan, then "
        "Puskesmas staff)"
    ]
    assert validate(RULES["posyandu_day"], None, 21, "3") == [
        "hour must be between 6 and 20 (local time)",
        "posyandu_day runs every month; months only apply to lokmin_tribulanan",
    ]
    assert validate(RULES["summary_snapshot"], None, 1, None) == []

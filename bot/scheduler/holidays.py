"""Indonesian public holidays on which reminders are not sent (they move to a working day).

2026: national holidays and cuti bersama from the SKB 3 Menteri of 2025
(Nomor 1497/2/5 Tahun 2025). 2027: fixed-date holidays, plus Islamic, lunar
and Christian holidays estimated from their calendars until the 2027 SKB is
published; correct them with ``HOLIDAYS``. Cuti bersama are included because
Puskesmas and Dinkes offices are closed on them.

``HOLIDAYS`` (comma-separated ISO dates) adds dates to this list; a date
prefixed with ``-`` removes one, e.g. ``HOLIDAYS=2027-03-10,-2027-03-09``.
"""

from __future__ import annotations

from datetime import date

_2026 = (
    "2026-01-01",  # Tahun Baru Masehi
    "2026-01-16",  # Isra Mikraj
    "2026-02-16",  # cuti bersama Imlek
    "2026-02-17",  # Tahun Baru Imlek 2577
    "2026-03-18",  # cuti bersama Nyepi
    "2026-03-19",  # Hari Suci Nyepi
    "2026-03-20",  # cuti bersama Idul Fitri
    "2026-03-21",  # Idul Fitri 1447 H
    "2026-03-22",  # Idul Fitri 1447 H
    "2026-03-23",  # cuti bersama Idul Fitri
    "2026-03-24",  # cuti bersama Idul Fitri
    "2026-04-03",  # Wafat Yesus Kristus
    "2026-04-05",  # Paskah
    "2026-05-01",  # Hari Buruh
    "2026-05-14",  # Kenaikan Yesus Kristus
    "2026-05-15",  # cuti bersama Kenaikan
    "2026-05-27",  # Idul Adha 1447 H
    "2026-05-28",  # cuti bersama Idul Adha
    "2026-05-31",  # Waisak
    "2026-06-01",  # Hari Lahir Pancasila
    "2026-06-16",  # Tahun Baru Islam 1448 H
    "2026-08-17",  # Proklamasi Kemerdekaan
    "2026-08-25",  # Maulid Nabi
    "2026-12-24",  # cuti bersama Natal
    "2026-12-25",  # Natal
)
_2027 = (
    "2027-01-01",  # Tahun Baru Masehi
    "2027-01-05",  # Isra Mikraj (estimated)
    "2027-02-06",  # Tahun Baru Imlek 2578 (estimated)
    "2027-03-08",  # Hari Suci Nyepi (estimated)
    "2027-03-09",  # Idul Fitri 1448 H (estimated)
    "2027-03-10",  # Idul Fitri 1448 H (estimated)
    "2027-03-26",  # Wafat Yesus Kristus
    "2027-03-28",  # Paskah
    "2027-05-01",  # Hari Buruh
    "2027-05-06",  # Kenaikan Yesus Kristus
    "2027-05-16",  # Idul Adha 1448 H (estimated)
    "2027-05-20",  # Waisak (estimated)
    "2027-06-01",  # Hari Lahir Pancasila
    "2027-06-06",  # Tahun Baru Islam 1449 H (estimated)
    "2027-08-14",  # Maulid Nabi (estimated)
    "2027-08-17",  # Proklamasi Kemerdekaan
    "2027-12-25",  # Natal
)
DEFAULT_HOLIDAYS = frozenset(date.fromisoformat(day) for day in (*_2026, *_2027))


def parse_holidays(text: str, defaults: frozenset[date] = DEFAULT_HOLIDAYS) -> frozenset[date]:
    """The holiday list: ``defaults`` plus the dates in ``text``, minus those prefixed ``-``.

    Raises ValueError naming the entry that is not an ISO date, so a typo in
    ``HOLIDAYS`` stops the service at start-up instead of being ignored.
    """
    added: set[date] = set()
    removed: set[date] = set()
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        target = removed if entry.startswith("-") else added
        try:
            target.add(date.fromisoformat(entry.removeprefix("-")))
        except ValueError:
            raise ValueError(f"HOLIDAYS: {entry!r} is not a date like 2026-12-25") from None
    return frozenset((defaults | added) - removed)

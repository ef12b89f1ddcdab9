"""Roster rows that contradict each other, found before anything is written.

:func:`storage.roster.apply_roster` keeps the first row's values for a
person or a region, so a file in which two rows disagree (a Posyandu code
under two desa, one phone with two names) would silently lose data; the
importer refuses such a file and names both lines. The messages are in
Indonesian, for the admin who fixes the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from storage.roster import MULTI_ROW_ROLES, RosterRow

# Per level: the code attribute and the attributes every row naming that code must agree on.
_CONSISTENT = (
    ("provinsi", "provinsi_code", ("provinsi",)),
    ("kabupaten", "kabupaten_code", ("kabupaten", "provinsi_code", "deadline_day")),
    ("kecamatan", "kecamatan_code", ("kecamatan", "kabupaten_code")),
    ("Puskesmas", "puskesmas_code", ("puskesmas", "kecamatan_code", "lokmin_day")),
    ("desa", "desa_code", ("desa", "kecamatan_code", "puskesmas_code")),
    (
        "Posyandu",
        "posyandu_code",
        ("posyandu_name", "desa_code", "posyandu_day", "target_balita", "target_bumil"),
    ),
)


class RosterError(NamedTuple):
    """A problem on one line of the file; ``str()`` gives ``baris 7: …`` for the admin.

    In Indonesian, like the admin guide that sends the admin to the import command.
    """

    line: int
    message: str

    def __str__(self) -> str:
        return f"baris {self.line}: {self.message}"


def find_conflicts(rows: Sequence[RosterRow]) -> list[RosterError]:
    """Rows that contradict an earlier row, in line order.

    :func:`apply_roster` keeps the first row's values, so a contradiction
    (a Posyandu code under two desa, a phone with two names) would silently
    lose data: the file is refused instead.
    """
    errors: list[RosterError] = []
    people: dict[str, RosterRow] = {}
    for row in rows:
        first = people.setdefault(row.phone, row)
        if first is row:
            continue
        if first.name.casefold() != row.name.casefold() or first.role != row.role:
            message = (
                f"phone {row.phone} sudah ada di baris {first.line} atas nama {first.name} "
                f"({first.role}); satu nomor HP untuk satu orang dengan satu nama dan satu role"
            )
        elif row.role not in MULTI_ROW_ROLES:
            message = (
                f"phone {row.phone} sudah ada di baris {first.line}; hanya kader dan bidan yang "
                "boleh punya beberapa baris (satu per Posyandu)"
            )
        elif first.timezone and row.timezone and first.timezone != row.timezone:
            message = (
                f"timezone {row.timezone} di sini, tetapi {first.timezone} di baris "
                f"{first.line} untuk phone yang sama {row.phone}"
            )
        else:
            continue
        errors.append(RosterError(row.line, message))
    for label, code_attr, attrs in _CONSISTENT:
        seen: dict[str, dict[str, tuple[Any, int]]] = {}
        for row in rows:
            code = getattr(row, code_attr)
            if code is None:
                continue
            known = seen.setdefault(code, {})
            for attr in attrs:
                value = getattr(row, attr)
                if value is None:
                    continue
                before, line = known.setdefault(attr, (value, row.line))
                if _differs(before, value):
                    errors.append(
                        RosterError(
                            row.line,
                            f"kode {label} {code} punya {attr} '{value}' di sini, tetapi "
                            f"'{before}' di baris {line}",
                        )
                    )
    return sorted(errors, key=lambda error: error.line)


def _differs(before: Any, value: Any) -> bool:
    if isinstance(before, str) and isinstance(value, str):
        return before.casefold() != value.casefold()
    return before != value

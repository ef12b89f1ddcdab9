"""The BOK wing: each Puskesmas' BOK plan (:mod:`.plan`, table in :mod:`.models`) and the
outreach activities whose evidence the BOK export and ``rekap bok`` list."""

from storage.bok.models import BokMenu
from storage.bok.plan import (
    Activity,
    activities,
    menu_for_posyandu,
    menu_of,
    puskesmas_known,
    replace_plans,
    staff_of_posyandu,
)

__all__ = [
    "Activity",
    "BokMenu",
    "activities",
    "menu_for_posyandu",
    "menu_of",
    "puskesmas_known",
    "replace_plans",
    "staff_of_posyandu",
]

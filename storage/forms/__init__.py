"""The forms' storage wing: each kabupaten's profile of switchable fields, roster facts."""

from storage.forms.facts import posyandu_day
from storage.forms.models import FormProfile
from storage.forms.profiles import kabupaten_exists, set_switch, switches, switches_of_posyandu

__all__ = [
    "FormProfile",
    "kabupaten_exists",
    "posyandu_day",
    "set_switch",
    "switches",
    "switches_of_posyandu",
]

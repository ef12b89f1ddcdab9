"""The forms wing: what ``python -m bot forms …`` does (the schema, the kabupaten profiles)."""

from handlers.forms.profile import (
    Switch,
    UnknownKabupatenError,
    UnknownSwitchError,
    set_switch,
    show,
)

__all__ = ["Switch", "UnknownKabupatenError", "UnknownSwitchError", "set_switch", "show"]

"""A conversation's saved state: plain JSON, versioned, so a restart loses nothing.

The engine owns the meaning; storage keeps the JSON. ``SCHEMA`` is bumped when
the shape changes; :meth:`State.from_json` fills keys an older release did not
write with their defaults and ignores keys it does not know, so a draft saved
by another release still continues.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

SCHEMA = 2
SUMMARY = "@summary"


@dataclass(slots=True)
class State:
    """Where one person is in one form.

    ``answers`` maps field names to JSON values (dates and months as ISO
    strings); ``remembered`` keeps an answer the user went back over, to show
    it as "Jawaban sebelumnya"; ``confirmed`` records soft warnings the user
    accepted, with the values they accepted them for; ``pending`` is an answer
    awaiting such confirmation; ``edit`` holds, while an ``ubah`` from the
    summary is under way, the answers it cleared (None: the field had been
    skipped), so ``kembali`` can put them all back; ``turn`` numbers the
    questions, so a button from an old question is recognised;
    ``form_version`` is the version of the form the answers were given on (a
    draft saved before forms had versions was made on version 1).
    """

    form: str
    context: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    remembered: dict[str, Any] = field(default_factory=dict)
    confirmed: dict[str, str] = field(default_factory=dict)
    pending: dict[str, Any] | None = None
    current: str = ""
    edit: dict[str, Any] = field(default_factory=dict)
    turn: int = 0
    expires_at: str = ""
    schema: int = SCHEMA
    form_version: int = 1

    def copy(self) -> State:
        """A copy sharing nothing mutable (the values are JSON: dicts, lists and scalars)."""
        return State(*(_copied(getattr(self, name)) for name in _FIELDS))

    def expired(self, now: datetime) -> bool:
        return bool(self.expires_at) and now >= datetime.fromisoformat(self.expires_at)

    def to_json(self) -> str:
        data = {name: getattr(self, name) for name in _FIELDS}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> State:
        data = json.loads(text)
        data.setdefault("schema", SCHEMA)
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


_FIELDS = tuple(f.name for f in fields(State))
"""The fields in declaration order: copied and saved without ``copy.deepcopy`` or
``dataclasses.asdict``, which walk every value generically (a tenth of a message's CPU)."""


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value

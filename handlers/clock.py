"""The one clock: every default "now" in the tree is this function.

Services, the dispatcher and the channels take a ``clock`` argument so that
tests can fix the time; this is what they read when nobody passes one.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current instant, timezone-aware in UTC (local times are derived from it)."""
    return datetime.now(UTC)

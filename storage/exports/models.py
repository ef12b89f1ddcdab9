"""The exports' own table: each kabupaten's targets per indicator.

Kept apart from ``storage.models`` because only the achievement review reads it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class IndicatorTarget(SQLModel, table=True):
    """A kabupaten's annual target for one indicator, in percent (overrides the national one)."""

    __tablename__ = "indicator_target"

    kabupaten_code: str = Field(foreign_key="kabupaten.code", primary_key=True, max_length=40)
    indicator: str = Field(primary_key=True, max_length=40)
    percent: float
    updated_at: datetime = Field(sa_type=UTCDateTime)


class AchievementBand(SQLModel, table=True):
    """A kabupaten's bands for the achievement review, in percent of target.

    Above ``good_above`` is *baik*, above ``fair_above`` *cukup*, the rest *kurang*.
    """

    __tablename__ = "achievement_band"

    kabupaten_code: str = Field(foreign_key="kabupaten.code", primary_key=True, max_length=40)
    good_above: float
    fair_above: float
    updated_at: datetime = Field(sa_type=UTCDateTime)

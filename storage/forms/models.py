"""The forms' own table: which optional fields a kabupaten switches on or off."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class FormProfile(SQLModel, table=True):
    """One switch of a kabupaten's profile: ``field`` of ``form`` asked (``enabled``) or not.

    A field without a row keeps the form's default (``BAL_K`` is off unless
    a kabupaten that still uses the old F2 recap switches it on).
    """

    __tablename__ = "form_profile"

    kabupaten_code: str = Field(foreign_key="kabupaten.code", primary_key=True, max_length=40)
    form: str = Field(primary_key=True, max_length=24)
    field: str = Field(primary_key=True, max_length=40)
    enabled: bool
    updated_at: datetime = Field(sa_type=UTCDateTime)

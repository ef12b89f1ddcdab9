"""The BOK wing's table: each Puskesmas' BOK activity plan (its menu items)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class BokMenu(SQLModel, table=True):
    """One item of a Puskesmas' BOK plan, offered when a kader files a BOK-funded activity."""

    __tablename__ = "bok_menu"

    puskesmas_code: str = Field(foreign_key="puskesmas.code", primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=200)
    imported_at: datetime = Field(sa_type=UTCDateTime)

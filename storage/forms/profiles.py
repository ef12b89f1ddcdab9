"""Reading and writing a kabupaten's profile of switchable form fields."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.forms.models import FormProfile
from storage.models import Kabupaten, Posyandu


def kabupaten_exists(session: Session, code: str) -> bool:
    return session.get(Kabupaten, code) is not None


def switches(session: Session, kabupaten_code: str, form: str) -> dict[str, bool]:
    """The fields of ``form`` the kabupaten switched, by code: on (True) or off."""
    statement = select(FormProfile.field, FormProfile.enabled).where(
        col(FormProfile.kabupaten_code) == kabupaten_code, col(FormProfile.form) == form
    )
    return {name: bool(enabled) for name, enabled in session.exec(statement)}


def switches_of_posyandu(session: Session, posyandu_code: str, form: str) -> dict[str, bool]:
    """The switches of the kabupaten a Posyandu belongs to (read when a form starts)."""
    statement = (
        select(FormProfile.field, FormProfile.enabled)
        .join(Posyandu, col(Posyandu.kabupaten_code) == col(FormProfile.kabupaten_code))
        .where(col(Posyandu.code) == posyandu_code, col(FormProfile.form) == form)
    )
    return {name: bool(enabled) for name, enabled in session.exec(statement)}


def set_switch(
    session: Session, kabupaten_code: str, form: str, field: str, enabled: bool, now: datetime
) -> bool:
    """Switch ``field`` on or off for the kabupaten; False when it was already so."""
    row = session.get(FormProfile, (kabupaten_code, form, field))
    if row is not None and row.enabled == enabled:
        return False
    if row is None:
        row = FormProfile(
            kabupaten_code=kabupaten_code, form=form, field=field, enabled=enabled, updated_at=now
        )
    row.enabled, row.updated_at = enabled, now
    session.add(row)
    session.flush()
    return True

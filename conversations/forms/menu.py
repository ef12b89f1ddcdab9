"""The short menu before a report: which form, and for which Posyandu."""

from __future__ import annotations

from collections.abc import Sequence

from conversations.form import Field, Form, Kind, Words

# --- words ----------------------------------------------------------------------------
MENU_LABELS = {
    "bulanan": "Laporan bulanan Posyandu",
    "kunjungan": "Kunjungan rumah",
    "luar_gedung": "Kegiatan luar gedung",
    "kejadian": "Kejadian (kelahiran/kematian)",
}
MENU_CONTINUE = "Lanjutkan laporan {draft}"
MENU_MONTHLY_DUE = "Laporan bulanan {month}"
"""The monthly report's entry naming its month (``Nov 2026``): fits a WhatsApp list row."""
MENU_FORM = Words("Jenis laporan", "Laporan apa yang ingin Anda isi?")
MENU_POSYANDU = Words("Posyandu", "Untuk Posyandu yang mana?")
MENU_FORM_FIELD = "form"
"""The menu's answer naming the chosen form."""

MENU = Form(
    id="pilih",
    title="pilihan",
    confirm=False,
    fields=(
        Field(
            MENU_FORM_FIELD,
            Kind.CHOICE,
            MENU_FORM.label,
            MENU_FORM.prompt,
            options_from="forms",
            ask_if=lambda a, c: len(c["forms"]) > 1,
        ),
        Field(
            "posyandu",
            Kind.CHOICE,
            MENU_POSYANDU.label,
            MENU_POSYANDU.prompt,
            options_from="posyandu",
            # A draft put aside already knows its Posyandu.
            ask_if=lambda a, c: len(c["posyandu"]) > 1 and a.get("form") not in c.get("paused", ()),
        ),
    ),
)


def menu_context(
    form_ids: Sequence[str], posyandu: Sequence[tuple[str, str]]
) -> dict[str, list[tuple[str, str]]]:
    """The menu's choices: report forms by title, Posyandu as (code, name)."""
    forms = [(form_id, MENU_LABELS[form_id]) for form_id in form_ids]
    return {"forms": forms, "posyandu": list(posyandu)}

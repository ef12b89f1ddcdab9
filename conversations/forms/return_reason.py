"""Why a bidan returns a report: one tap on a common reason, or her own words.

The answer goes to the kader with the returned report; the words of the
common reasons are here, with the form.
"""

from __future__ import annotations

from conversations.form import Field, Form, Kind, Words
from conversations.forms._helpers import options

# --- words ----------------------------------------------------------------------------
RETURN_REASONS = {
    "register": "Angka tidak cocok dengan buku register",
    "hitung": "N+T+O+B salah hitung",
    "sasaran": "Sasaran belum diperbarui",
    "lainnya": "Lainnya (ketik sendiri)",
}
OTHER_REASON = "lainnya"
RETURN_FIELDS = {
    "alasan": Words(
        "Alasan", "Mengapa laporan {posyandu_name} {month} dikembalikan? Pilih alasannya:"
    ),
    "catatan": Words("Catatan", "Tulis alasannya untuk kader (satu pesan):"),
}
RETURN_TITLE = "pengembalian laporan"

RETURN_REASON = Form(
    id="kembalikan",
    title=RETURN_TITLE,
    confirm=False,
    fields=(
        Field(
            "alasan",
            Kind.CHOICE,
            RETURN_FIELDS["alasan"].label,
            RETURN_FIELDS["alasan"].prompt,
            options=options(RETURN_REASONS),
        ),
        Field(
            "catatan",
            Kind.TEXT,
            RETURN_FIELDS["catatan"].label,
            RETURN_FIELDS["catatan"].prompt,
            maximum=300,
            ask_if=lambda answers, _context: answers.get("alasan") == OTHER_REASON,
        ),
    ),
)


def reason_text(answers: dict[str, str]) -> str:
    """The reason as the kader reads it: the common reason's words, or the bidan's own."""
    if answers.get("alasan") == OTHER_REASON:
        return answers.get("catatan", "")
    return RETURN_REASONS.get(answers.get("alasan", ""), "")

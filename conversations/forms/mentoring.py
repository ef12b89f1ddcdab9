"""The monitoring form of a mentoring visit (pendampingan pasca workshop): three questions.

Has what the workshop taught been put into practice, what is in the way, and
what comes next. The organiser sees every visited Puskesmas' answers as one
table. Its words are at the top.
"""

from __future__ import annotations

from conversations.form import Field, Form, Kind, Words
from conversations.forms._helpers import options

MENTORING_FIELDS = {
    "diterapkan": Words("Sudah diterapkan", "Apakah hasil workshop sudah diterapkan?"),
    "kendala": Words("Kendala", "Apa kendala utamanya? (ketik lewati bila tidak ada)"),
    "tindak_lanjut": Words("Tindak lanjut", "Apa tindak lanjut yang disepakati?"),
}
APPLIED = {"ya": "Ya", "sebagian": "Sebagian", "belum": "Belum"}
SUMMARY_HEADER = "Periksa dulu hasil pemantauan pendampingan:"
SUBMITTED = "✅ Terima kasih! Hasil pemantauan pendampingan sudah tersimpan."

W = MENTORING_FIELDS

MENTORING = Form(
    id="pendampingan",
    title="pemantauan pendampingan",
    summary_header=SUMMARY_HEADER,
    submitted=SUBMITTED,
    fields=(
        Field(
            "diterapkan",
            Kind.CHOICE,
            W["diterapkan"].label,
            W["diterapkan"].prompt,
            options=options(APPLIED),
        ),
        Field(
            "kendala",
            Kind.TEXT,
            W["kendala"].label,
            W["kendala"].prompt,
            optional=True,
            maximum=300,
        ),
        Field(
            "tindak_lanjut",
            Kind.TEXT,
            W["tindak_lanjut"].label,
            W["tindak_lanjut"].prompt,
            maximum=300,
        ),
    ),
)

"""What the BOK wing says, in Indonesian: the plan import, the workbook, ``rekap bok``."""

from __future__ import annotations

PLAN_HEADER = "Baris pertama file rencana BOK harus: {header}"
PLAN_LINE = "Baris {line}: {problem}"
PLAN_PUSKESMAS = "Puskesmas {code!r} tidak ada di daftar wilayah."
PLAN_EMPTY = "kode dan menu wajib diisi."
PLAN_TWICE = "kode {code!r} sudah ada di baris sebelumnya untuk Puskesmas ini."
PLAN_SAVED = "{items} menu BOK untuk {puskesmas} Puskesmas disimpan (rencana lama diganti)."
PLAN_NOTHING = "Tidak ada baris rencana di file."

SHEET = "Kegiatan BOK"
COLUMNS_BEFORE = ("No", "Posyandu", "Desa")
COLUMNS_AFTER = ("Dilaporkan oleh", "Jumlah bukti", "Bukti lengkap", "Kekurangan")
YES = "ya"
NO = "tidak"
NOT_BOK = "-"
MISSING_MENU = "menu BOK"
TITLE = "Kegiatan luar gedung {area}, {month}"
FILE_CAPTION = "Daftar kegiatan luar gedung {month}."

REKAP_NOT_ALLOWED = (
    "Rekap BOK hanya untuk petugas Puskesmas dan Dinas Kesehatan. "
    "Ketik rekap untuk melihat rekap bulanan."
)
REKAP_BAD_MONTH = "Bulan {text!r} tidak dikenal. Contoh: rekap bok, rekap bok oktober."
REKAP_TITLE = "💰 Kegiatan BOK {area}, {month}"
REKAP_NONE = "Belum ada kegiatan luar gedung dengan dana BOK bulan ini."
REKAP_LINE = "{mark} {day} {kind} — {posyandu}"
REKAP_LACKS = "   kurang: {missing}"
REKAP_SUMMARY = "{done} dari {total} kegiatan buktinya lengkap."
REKAP_MORE = "Ketik rekap bok excel untuk daftar lengkap (Excel)."
REKAP_WORDS = ("bok",)
REKAP_EXCEL = ("excel", "xlsx")

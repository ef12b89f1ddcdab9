"""What the exports say to the people running them (Dinkes admins), in Indonesian."""

from __future__ import annotations

MAPPING_HEADER = "Baris pertama file pemetaan harus: {header}"
MAPPING_KIND = "Baris {line}: jenis {kind!r} tidak dikenal; pakai salah satu: {kinds}."
MAPPING_EMPTY = "Baris {line}: kolom code dan dhis2 wajib diisi."
MAPPING_TWICE = "Baris {line}: {kind} {code} sudah dipetakan di baris sebelumnya."
UNMAPPED = "Belum ada di file pemetaan, jadi tidak ada yang ditulis:"
UNMAPPED_ELEMENTS = "  dataElement ({count}): {codes}"
UNMAPPED_UNITS = "  orgUnit ({count}): {codes}"
UNKNOWN_AREA = "Tidak ada wilayah atau Posyandu dengan kode {code!r}."
BAD_PERIOD = "Bulan {period!r} tidak dikenal; tulis YYYY-MM, misalnya 2026-10."
BAD_FORMAT = "Format {value!r} tidak dikenal; pilih salah satu: {choices}."
BAD_LEVEL = "Tingkat {value!r} tidak dikenal; pilih salah satu: {choices}."
WRITTEN = "{count} baris ditulis ke {path}."
SHEET_LONG = "Tabel panjang"
SHEET_RECAP = "Rekap Posyandu"
RECAP_PLACE = ("Bulan", "Puskesmas", "Desa", "Kode Posyandu", "Posyandu")
TOTAL = "Total"
RECAP_TITLE = "Rekapitulasi Posyandu {area}, {months}"
ALL_AREAS = "semua wilayah"

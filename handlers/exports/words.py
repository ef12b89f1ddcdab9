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
SHEET_OPEN_DAY = "Rekap hari buka"
OPEN_DAY_PLACE = ("Bulan", "Desa", "Kode Posyandu", "Posyandu")
RECAP_PLACE = ("Bulan", "Puskesmas", "Desa", "Kode Posyandu", "Posyandu")
TOTAL = "Total"
RECAP_TITLE = "Rekapitulasi Posyandu {area}, {months}"
ALL_AREAS = "semua wilayah"
TARGET_HEADER = "Baris pertama file target harus: {header}"
TARGET_KABUPATEN = "Kabupaten {code!r} tidak ada di daftar wilayah."
TARGET_INDICATOR = "Indikator {code!r} tidak dikenal; pilih salah satu: {codes}."
TARGET_PERCENT = "Target {value!r} harus angka persen lebih dari 0 sampai 100."
LINE = "Baris {line}: {problem}"
BANDS_ORDER = "Batas 'baik' harus lebih tinggi dari batas 'cukup', keduanya antara 0 dan 100."
TARGETS_SAVED = "{count} target disimpan."
BANDS = "Kategori capaian (persen dari target): baik > {good}%, cukup > {fair}%, kurang <= {fair}%."
BANDS_SAVED = "Disimpan."
TARGETS_TITLE = "Target indikator {where}"
TARGETS_NATIONAL = "nasional"
TARGET_SOURCE = {"nasional": "nasional", "kabupaten": "kabupaten"}

# --- rekap kinerja (chat) ---------------------------------------------------------------
KINERJA_WORDS = ("kinerja", "capaian")
KINERJA_COMMAND = "rekap kinerja"
KINERJA_OUTPUTS = {"grafik": "grafik", "radar": "grafik", "excel": "excel", "xlsx": "excel"}
KINERJA_BUTTONS = (("grafik", "📈 Grafik radar"), ("excel", "📥 Tabel capaian"))
KINERJA_NOT_ALLOWED = (
    "Rekap kinerja hanya untuk petugas Puskesmas dan Dinas Kesehatan. "
    "Ketik rekap untuk melihat rekap bulanan."
)
KINERJA_BAD_PERIOD = (
    "Bulan atau tahun {text!r} tidak dikenal atau belum lewat batas lapor. "
    "Contoh: rekap kinerja, rekap kinerja oktober, rekap kinerja 2026."
)
KINERJA_TITLE = "📈 Kinerja {area}"
KINERJA_SPAN = "{first} s.d. {last}"
KINERJA_PRO_RATA = "Target tahunan; pro-rata: {months} dari 12 bulan ({share}% tahun berjalan)"
KINERJA_LINE = "{mark} {label}: {coverage} (target {target}, {of_target} dari target)"
KINERJA_LINE_NO_TARGET = "• {label}: {coverage} (belum ada target)"
KINERJA_LINE_NONE = "• {label}: - (belum ada laporan)"
KINERJA_EMPTY = "Belum ada laporan bulanan untuk masa ini."
KINERJA_LEGEND = "✅ baik (> {good}% dari target) · ⚠️ cukup (> {fair}%) · ❌ kurang"
KINERJA_MORE = "Ketik rekap kinerja grafik untuk grafik radar, rekap kinerja excel untuk tabel."
BAND_MARK = {"baik": "✅", "cukup": "⚠️", "kurang": "❌", "": "•"}
PROXY_NOTE = (
    "Catatan: angka ini perkiraan (proksi) SPM dari jumlah bulanan laporan Posyandu; "
    "orang yang sama di bulan berbeda tidak bisa dibedakan."
)
PROXY_NOTE_SHORT = "Proksi SPM dari laporan bulanan Posyandu (orang tidak dibedakan antar bulan)."
RADAR_TITLE = "Kinerja {area}, {span}"
RADAR_TARGET = "Target"
RADAR_CAPTION = "Grafik radar kinerja {area}: cakupan tiap indikator per wilayah."
ACHIEVEMENT_TITLE = "Penilaian kinerja {area}, {span}"
ACHIEVEMENT_CAPTION = "Tabel capaian kinerja (isi kolom masalah, penyebab dan RTL di lokmin)."
ACHIEVEMENT_SHEET = "Capaian"
ACHIEVEMENT_SUB_SHEET = "Capaian per wilayah"
ACHIEVEMENT_COLUMNS = (
    "No",
    "Indikator",
    "Target (%)",
    "Sasaran",
    "Target (orang)",
    "Capaian (orang)",
    "Cakupan (%)",
    "Capaian thd target (%)",
    "Kategori",
    "Masalah",
    "Penyebab",
    "Rencana tindak lanjut",
)

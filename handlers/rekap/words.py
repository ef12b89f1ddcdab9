"""Every sentence of the rekap a user reads, in Bahasa Indonesia: chat, Excel, CSV and chart.

Kept with the rekap so that the feature reads in its two folders; the words
of the forms it counts (target groups, outreach types, funding sources) stay
with the forms in ``conversations/forms/``, month names with the calendar in
:mod:`conversations.periods`. Placeholders use ``str.format`` names.
"""

from __future__ import annotations

REKAP_COMMAND = "rekap"
# Words read after "rekap" (lower case): a page, a file format, a level before a name.
REKAP_WORD_PAGE = ("hal", "halaman")
REKAP_WORD_FORMATS = {
    "excel": "xlsx",
    "xlsx": "xlsx",
    "csv": "csv",
    "grafik": "png",
    "png": "png",
}
REKAP_WORD_LEVELS = {
    "provinsi": "provinsi",
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "kota": "kabupaten",
    "puskesmas": "puskesmas",
    "pkm": "puskesmas",
    "desa": "desa",
    "kelurahan": "desa",
    "posyandu": "posyandu",
}
# What a region's name often starts with, so "Cibening" finds "Puskesmas Cibening".
REKAP_NAME_PREFIXES = ("Puskesmas", "Posyandu", "Desa", "Kelurahan", "Kabupaten", "Kota")
REKAP_NATIONAL = "Indonesia"
REKAP_LEVELS = {
    "provinsi": "Provinsi",
    "kabupaten": "Kabupaten",
    "kecamatan": "Kecamatan",
    "puskesmas": "Puskesmas",
    "desa": "Desa",
    "posyandu": "Posyandu",
}
REKAP_TITLE = "📊 Rekap {month}\n{area}"
REKAP_TITLE_PAGE = "📊 Rekap {month} — {area} (hal {page}/{pages})"
# A month whose deadline has not passed: its figures are partial and compared with nothing.
REKAP_IN_PROGRESS = "⏳ Sedang berjalan, batas laporan {deadline}: angka belum lengkap."
REKAP_REPORTED = "Laporan masuk: {reported}/{expected} Posyandu ({percent}){change}"
REKAP_ON_TIME = "Tepat waktu: {count} ({percent})"
REKAP_NOT_HELD = "Tidak buka: {count} Posyandu"
# The monthly form's figures: its indicators, then one line per section of its counts
# (labels are the form's, in conversations/forms/monthly.py).
REKAP_FIGURE = "{label} {value}"
REKAP_GROUP = "{title}: {figures}"
REKAP_SEPARATOR = " · "
REKAP_VISITS = "🏠 Kunjungan rumah {count} (tanda bahaya {danger})"
REKAP_VISIT_ITEM = "{label} {count}"
REKAP_VISIT_ITEM_DANGER = "{label} {count} ({danger} bahaya)"
REKAP_OUTREACH = "📣 Kegiatan luar gedung {count}, peserta {people}"
REKAP_OUTREACH_ITEM = "{label} {count} ({people} org)"
REKAP_CHANGE_UP = " ▲{points} dari {month}"
REKAP_CHANGE_DOWN = " ▼{points} dari {month}"
REKAP_CHANGE_SAME = " = {month}"
REKAP_NO_VALUE = "-"
REKAP_AT_DEADLINE = "Saat batas waktu ({date}): lapor {reported}/{expected}, D/S {ds}"
REKAP_NOW = "Sekarang: lapor {reported}/{expected}, D/S {ds}"
REKAP_REVIEWED = "✔️ Sudah ditinjau {name}, {date}"
REKAP_NOT_REVIEWED = "Belum ditinjau. Ketik tinjau {period} setelah memeriksa."
REKAP_MISSING_HEADER = "Belum lapor ({count}):"
REKAP_MISSING_LINE = "• {posyandu} — {desa}"
REKAP_MISSING_MORE = "… dan {count} lainnya (lengkapnya di Excel)"
REKAP_ALL_REPORTED = "Semua Posyandu sudah lapor 👍"
REKAP_COLUMNS = {
    "reported": "Lapor",
    "change": "±",
    "status": "Ket",
}
# One word per Posyandu row: reported on time, late, not held, not reported.
REKAP_STATUS = {"on_time": "tepat", "late": "telat", "not_held": "tutup", "missing": "belum"}
REKAP_ACTIONS = "Unduh rekap ini:"
REKAP_ACTIONS_MORE = "Unduh rekap ini, atau lihat halaman berikutnya:"
REKAP_DRILL_HINT = "Ketuk nama untuk rinciannya."
BUTTON_EXCEL = "📥 Excel"
BUTTON_CHART = "📈 Grafik"
BUTTON_NEXT_PAGE = "Hal berikutnya ›"
REKAP_FILE_CAPTION = {
    "xlsx": "📥 Rekap {month} — {area} (Excel)",
    "csv": "📥 Rekap {month} — {area} (CSV, satu baris per Posyandu)",
    "png": "📈 D/S dan kelengkapan laporan — {area}, {month}",
}
# One answer whether the area exists elsewhere or not at all: names and codes outside
# one's own area are neither confirmed nor denied.
REKAP_NOT_FOUND = (
    "Maaf, wilayah itu tidak ada di {area}. Anda bisa melihat rekap {area} dan wilayah di "
    "bawahnya: ketik nama atau kodenya, mis. rekap oktober Mawar."
)
REKAP_NOT_FOUND_KADER = (
    "Maaf, itu bukan Posyandu Anda. Kader bisa melihat rekap Posyandu sendiri: {posyandu}."
)
REKAP_WHICH_AREA = "Ada beberapa wilayah bernama '{text}'. Pilih salah satu:"
REKAP_FUTURE = "Bulan {month} belum berjalan. Pilih bulan ini atau sebelumnya."
REKAP_EMPTY = "Belum ada Posyandu aktif di {area}."
TINJAU_NOT_ALLOWED = "Maaf, hanya petugas Dinas Kesehatan yang bisa menandai rekap sudah ditinjau."
TINJAU_BAD_MONTH = "Maaf, bulan '{text}' tidak dikenali. Contoh: tinjau 2026-10, tinjau oktober."
TINJAU_NOT_CLOSED = "Rekap {month} belum bisa ditinjau: batas laporan {deadline} belum lewat."
TINJAU_DONE = "✅ Rekap {month} {area} ditandai sudah ditinjau oleh {name}."
TINJAU_ALREADY = "Rekap {month} {area} sudah ditinjau {name}, {date}."
# The chart (PNG).
CHART_TITLE = "{area} — {month}"
CHART_BY_AREA = "Per {level}"
CHART_LOWEST = "{count} {level} dengan D/S terendah"
CHART_TREND = "Tren {months} bulan"
CHART_DS = "D/S"
CHART_COMPLETENESS = "Kelengkapan laporan"
CHART_IN_PROGRESS = "{month}\n(sedang berjalan, batas laporan {deadline})"
CHART_MONTH_IN_PROGRESS = "{month}\n(berjalan)"
CHART_NO_DATA = "belum ada data"
# The Excel workbook: sheet names (at most 31 characters) and column headers.
XLSX_SHEETS = {
    "summary": "Ringkasan",
    "missing": "Belum lapor",
    "visits": "Kunjungan rumah",
    "types": "Luar gedung - jenis",
    "funds": "Luar gedung - dana",
    "trend": "Tren 6 bulan",
}
XLSX_SUMMARY_HEADERS = ("Indikator", "Sekarang", "Saat batas waktu", "Bulan lalu")
XLSX_TITLE = "Rekap {month} — {area}"
XLSX_MADE = "Dibuat {date}. Angka dari revisi laporan terakhir; - berarti belum ada laporan."
XLSX_IN_PROGRESS = "Sedang berjalan, batas laporan {deadline}: angka belum lengkap."
XLSX_TOTAL = "Total"
XLSX_COLUMNS = {
    "code": "Kode",
    "name": "Nama",
    "parent": "Induk",
    "expected": "Posyandu aktif",
    "reported": "Lapor",
    "completeness": "Kelengkapan",
    "on_time": "Tepat waktu",
    "timeliness": "Ketepatan",
    "not_held": "Tidak buka",
    "visits": "Kunjungan rumah",
    "visit_danger": "Kunjungan tanda bahaya",
    "outreach": "Kegiatan luar gedung",
    "participants": "Peserta luar gedung",
    "previous_completeness": "Kelengkapan bulan lalu",
    "previous_ds": "D/S bulan lalu",
    "deadline_reported": "Lapor saat batas waktu",
    "deadline_ds": "D/S saat batas waktu",
    "kabupaten": "Kabupaten",
    "puskesmas": "Puskesmas",
    "desa": "Desa",
    "posyandu": "Posyandu",
    "target": "Sasaran",
    "count": "Jumlah",
    "danger": "Dengan tanda bahaya",
    "type": "Jenis kegiatan",
    "fund": "Sumber dana",
    "sessions": "Kegiatan",
    "people": "Peserta",
    "period": "Bulan",
}
# The CSV sent in chat: the contract's columns (storage/rekap/export.py), in its order; the
# count columns (S, K, D, N and the others) are headed by the form's short labels and labels.
CSV_COLUMNS = {
    "period": "Bulan",
    "kabupaten": "Kabupaten",
    "puskesmas": "Puskesmas",
    "desa": "Desa",
    "posyandu_code": "Kode Posyandu",
    "posyandu": "Posyandu",
    "reported": "Lapor (1=ya)",
    "on_time": "Tepat waktu (1=ya)",
    "held": "Buka (1=ya)",
    "home_visits": "Kunjungan rumah",
    "outreach_sessions": "Kegiatan luar gedung",
    "outreach_participants": "Peserta luar gedung",
}
# The long table (rekap --format long): one row per Posyandu and answer.
LONG_COLUMNS = {
    "period": "Bulan",
    "kabupaten": "Kabupaten",
    "puskesmas": "Puskesmas",
    "desa": "Desa",
    "posyandu_code": "Kode Posyandu",
    "posyandu": "Posyandu",
    "code": "Kode isian",
    "label": "Isian",
    "value": "Nilai",
}

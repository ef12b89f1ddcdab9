"""Every sentence of the web wing: the chat commands that send links, and the pages."""

from __future__ import annotations

WEB_LINK = (
    "Buka tautan ini di peramban (Chrome) untuk melihat rekap wilayah Anda:\n{url}\n"
    "Tautan berlaku {minutes} menit dan hanya bisa dipakai sekali. Jangan dibagikan."
)
WEB_NOT_FOR_ROLE = (
    "Halaman rekap di web untuk bidan, petugas Puskesmas dan Dinkes. "
    "Untuk mengisi laporan, ketik lapor."
)

TITLE_OVERVIEW = "Rekap {month}"
TITLE_POSYANDU = "Posyandu {name}"
IN_PROGRESS = "Bulan berjalan: laporan masih bisa masuk sampai {deadline}."
SIGNED_IN_AS = "Masuk sebagai {name}"
SIGN_OUT = "Keluar"

COMPLETENESS = "Kelengkapan"
TIMELINESS = "Tepat waktu"
CHANGE = "{change} poin dari {month}"
NO_CHANGE = "belum bisa dibandingkan"
TARGET = "Target {percent}"
REPORTED_OF = "{reported} dari {expected} Posyandu"
ON_TIME_OF = "{on_time} dari {expected} sebelum batas waktu"

CHART_TITLE = "D/S per {level}"
TABLE_TITLE = "Per {level}"
COLUMN_AREA = "Wilayah"
COLUMN_REPORTED = "Lapor"
COLUMN_COMPLETENESS = "Lengkap"
COLUMN_ON_TIME = "Tepat"
MISSING_TITLE = "Belum melapor ({count})"
MISSING_NONE = "Semua Posyandu sudah melapor."
MISSING_NO_CONTACT = "tidak ada kontak di roster"
DOWNLOADS = "Unduh"
DOWNLOAD_GROUPS = {
    "Rekap": {"xlsx": "Excel", "csv": "CSV", "png": "Grafik (PNG)"},
    "DHIS2": {"dhis2-json": "JSON", "dhis2-adx": "ADX"},
    "Tabel panjang": {"tabel-csv": "CSV", "tabel-xlsx": "Excel + tampilan"},
    "BOK": {"bok-xlsx": "Kegiatan dan bukti (Excel)"},
}
"""The overview's files by group; the keys are the outputs of :mod:`handlers.web.downloads`."""
PREVIOUS_MONTH = "← {month}"
NEXT_MONTH = "{month} →"

NAV_REKAP = "Rekap"
NAV_MEETINGS = "Rapat"
COLUMN_STATUS = "Status"

REVIEW_TITLE = "Pemeriksaan laporan"
REVIEWED = "Rekap sudah ditinjau {name}, {date}."
NOT_REVIEWED = "Rekap {month} belum ditinjau Dinkes."
LOCKED_ALL = "Bulan {month} sudah disetujui Puskesmas dan dikunci."
LOCKED_NONE = "Bulan {month} belum disetujui Puskesmas (belum dikunci)."
LOCKED_SOME = "{locked} dari {total} Posyandu sudah dikunci."
WAITING_TITLE = "Menunggu pemeriksaan Anda"
WAITING_ITEM = "{posyandu}, {month} — dari {kader}"
WAITING_NONE = "Tidak ada laporan yang menunggu pemeriksaan Anda."
APPROVE_BUTTON = "Setujui dan kunci {month}"
APPROVE_CONFIRM = (
    "Saya sudah memeriksa. Setelah disetujui, laporan bulan ini dikunci: perbaikan hanya "
    "setelah kuncinya dibuka."
)
APPROVE_TICK = "Centang dulu kotak persetujuan, lalu tekan Setujui lagi."
TINJAU_BUTTON = "Tandai rekap {month} sudah ditinjau"
BUTTON_VERIFY = "Sesuai"
BUTTON_RETURN = "Kembalikan ke kader"
RETURN_REASON = "Alasan dikembalikan"
RETURN_CHOOSE = "— pilih alasan —"
RETURN_NOTE = "Catatan untuk kader (wajib bila Lainnya)"
RETURN_NEEDS_REASON = (
    "Laporan belum dikembalikan: pilih alasannya, atau pilih Lainnya dan tulis catatannya."
)
UNLOCK_REASON = "Alasan membuka kunci"
BUTTON_UNLOCK = "Buka kunci untuk perbaikan"
HISTORY_TITLE = "Riwayat pemeriksaan"
GO_TO_REVIEW = "Periksa laporan ini ↓"

MEETINGS_TITLE = "Rapat"
MEETINGS_UPCOMING = "Akan datang"
MEETINGS_PAST = "Sudah lewat"
MEETINGS_NONE = "Tidak ada rapat."
MEETING_TITLE = "#{id} {title}"
MEETING_BY = "Pengundang: {name}"
MEETING_NOT_YOURS = "Rapat ini bukan rapat yang Anda buat atau yang mengundang Anda."
MEETING_ANSWER_TITLE = "Jawaban Anda"
MEETING_DELEGATE_NAME = "Nama yang mewakili"
MEETING_INVITEES = "Yang diundang"
COLUMN_NAME = "Nama"
COLUMN_ANSWER = "Jawaban"
COLUMN_PRESENT = "Hadir"
BUTTON_MARK = "Tandai hadir"
PRESENT_AT = "✓ {time}"
ATTENDANCE_DOWNLOAD = "Daftar hadir (Excel)"

REVISIONS_TITLE = "Laporan bulanan {month}"
REVISION_HEADER = "Revisi {revision}"
REVISION_BY = "{when}, {who} ({channel})"
NO_REPORT = "Belum ada laporan bulanan untuk {month}."
AUDIT_TITLE = "Riwayat"
AUDIT_LINE = "{when}: revisi {revision} dikirim oleh {who} lewat {channel}"
CHANGED = "berubah"

ROLE_NAMES = {
    "kader": "kader",
    "bidan": "bidan",
    "puskesmas": "Puskesmas",
    "dinkes": "Dinkes",
    "admin": "admin",
}

PAGE_NOT_SIGNED_IN = "Silakan masuk dulu: ketik web di chat bot, lalu buka tautan yang dikirim."
PAGE_LINK_REFUSED = (
    "Tautan ini sudah dipakai atau sudah kedaluwarsa. Ketik web di chat bot untuk tautan baru."
)
PAGE_FORBIDDEN = "Halaman ini di luar wilayah Anda."
PAGE_NOT_FOUND = "Halaman tidak ditemukan."
PAGE_BAD_MONTH = "Bulan harus ditulis TTTT-BB, misalnya 2026-10."
PAGE_CSRF = "Permintaan ditolak: muat ulang halaman lalu coba lagi."
PAGE_SIGNED_OUT = "Anda sudah keluar. Ketik web di chat bot untuk masuk lagi."
PAGE_TITLE_ERROR = "Maaf"
PAGE_TITLE_SIGNED_OUT = "Sampai jumpa"

WORD_FORM = "formulir"
"""``lapor formulir``: the monthly report as one web form."""
APP_BUTTON = "Isi lewat formulir"
APP_OPEN_BUTTON = "Tekan tombol di bawah untuk mengisi laporan bulanan dalam satu formulir."
APP_LINK = (
    "Buka tautan ini untuk mengisi laporan bulanan dalam satu formulir:\n{url}\n"
    "Tautan berlaku {minutes} menit dan hanya bisa dipakai sekali."
)
APP_TITLE = "Laporan bulanan Posyandu"
APP_LOADING = "Memuat formulir…"
APP_OPEN_IN_TELEGRAM = "Buka formulir ini dari tombol di chat bot Telegram (ketik lapor)."
APP_DISABLED = "Formulir Telegram belum diaktifkan di server ini."
APP_FORGED = "Formulir ini tidak bisa dipakai: buka lagi dari chat bot (ketik lapor)."
APP_NOT_LINKED = "Akun Telegram Anda belum terdaftar. Ketik mulai di chat bot dulu."
APP_NOT_REPORTER = "Formulir ini untuk kader dan bidan yang melapor untuk Posyandu."
APP_REQUIRED = "{label} harus diisi."
APP_CONFIRM = "Periksa lagi angka berikut. Kalau sudah benar, tekan Kirim sekali lagi."
APP_ALREADY_SENT = "Laporan ini sudah terkirim."
APP_BAD_REQUEST = "Isian formulir tidak terbaca. Muat ulang formulir lalu coba lagi."
APP_POSYANDU = "Posyandu"
APP_PREVIOUS = "Sudah diisi dengan angka {month}: ubah yang berbeda."
APP_SUM = "Jumlah {parts} = {sum} (harus sama dengan {total} = {value})"
APP_SEND = "Kirim laporan"
APP_CONFIRM_SEND = "Sudah benar, kirim"
APP_SENT = "Terkirim. Konfirmasi juga dikirim ke chat."

"""What the chat commands say, in Bahasa Indonesia: registration, greeting, help, status, alerts.

The words of ``mulai``, ``bantuan``, ``status``, ``lapor`` and ``batal``, of
the router (courtesies, what was not understood), of drafts put aside, of the
alerts a bidan receives, and of the service's apologies. The rekap's words are
in ``handlers/rekap/words.py``, the reminders' and ``jadwal``'s in
``handlers/reminders/words.py``. Placeholders use ``str.format`` names.
"""

from __future__ import annotations

# --- registration, and how people are addressed (handlers/names.py) --------------------
ASK_CONTACT = (
    "Selamat datang di Lapor Posyandu. Untuk mendaftar, tekan tombol "
    "'Bagikan nomor HP' di bawah ini."
)
UNKNOWN_NUMBER = (
    "Maaf, nomor {phone} belum terdaftar di Lapor Posyandu. "
    "Silakan hubungi bidan desa atau petugas Puskesmas Anda agar nomor Anda didaftarkan."
)
# How each role is addressed when the roster name carries no title of its own.
HONORIFIC = {"bidan": "Bu"}
BIDAN_HONORIFIC = "Bidan"
# A roster name starting with one of these (with or without a dot) already says how to
# address the person.
NAME_TITLES = ("bd", "bdn", "bidan", "dr", "drg", "ibu", "bu", "bapak", "pak", "ny", "hj")

# --- commands (handlers/commands.py) --------------------------------------------------
GREETING = {
    "kader": "Halo {name}, kader {area}. Ketik lapor untuk mengirim laporan, status untuk melihat "
    "laporan yang belum dikirim, bantuan untuk petunjuk.",
    "bidan": "Halo {name}, bidan desa {area}. Ketik lapor untuk mengisi laporan Posyandu di desa "
    "Anda, status untuk melihat laporan bulan ini, rekap untuk rekap desa, bantuan untuk petunjuk.",
    "puskesmas": "Halo {name}, petugas {area}. Ketik status untuk melihat laporan bulan ini, "
    "rekap untuk rekap bulanan, jadwal untuk lokakarya mini, bantuan untuk petunjuk.",
    "dinkes": "Halo {name}, Dinas Kesehatan {area}. Ketik rekap untuk rekap bulanan kabupaten, "
    "status untuk laporan bulan ini, bantuan untuk petunjuk.",
    "admin": "Halo {name}, admin {area}. Ketik bantuan untuk petunjuk.",
    "mitra": "Halo {name}, mitra lintas sektor {area}. Undangan rapat dari Puskesmas dan Dinas "
    "Kesehatan datang lewat sini. Ketik rapat untuk melihat undangan Anda.",
}
HELP_FILLING = (
    "Saat mengisi: kembali = mundur satu pertanyaan, lewati = lewati bagian yang tidak ada, "
    "ubah N = ubah nomor N di ringkasan, kirim = kirim laporan. Satu bagian bisa dikirim "
    "sekaligus dalam satu baris (mis. BAL 60 48 40 5 2 1), seluruh laporan satu baris per "
    "bagian.\n"
    "• ubah laporan oktober — ubah laporan bulanan yang sudah dikirim\n"
    "• lihat laporan oktober — lihat laporan bulanan yang sudah dikirim"
)
HELP_LAPOR_SHORTCUT = (
    "• lapor bulanan — langsung ke laporan bulanan (lapor 2 = kunjungan rumah, dst.)\n"
)
HELP = {
    "kader": "Petunjuk Lapor Posyandu:\n"
    "• lapor — isi laporan (bulanan Posyandu, kunjungan rumah, kegiatan luar gedung) atau "
    "lanjutkan laporan yang disimpan\n"
    + HELP_LAPOR_SHORTCUT
    + "• status — laporan bulan ini yang belum dikirim\n"
    "• jadwal — hari Posyandu dan batas laporan\n"
    "• rekap — rekap bulanan Posyandu Anda, mis. rekap oktober\n"
    "• batal — hentikan laporan yang sedang diisi\n"
    "• bantuan — pesan ini\n" + HELP_FILLING,
    "bidan": "Petunjuk Lapor Posyandu untuk bidan desa:\n"
    "• lapor — isi laporan untuk Posyandu di desa Anda (bulanan, kunjungan rumah, kegiatan "
    "luar gedung)\n"
    + HELP_LAPOR_SHORTCUT
    + "• status — Posyandu desa Anda yang belum melapor bulan ini\n"
    "• rekap — rekap bulanan desa Anda, mis. rekap oktober, rekap bulan lalu Mawar, "
    "rekap oktober excel\n"
    "• jadwal — hari Posyandu, batas laporan dan lokakarya mini\n"
    "• rapat — undangan rapat Anda; jawab dengan hadir, tidak bisa atau diwakilkan NAMA; "
    "di tempat rapat: hadir KODE\n"
    "• batal — hentikan laporan yang sedang diisi\n"
    "• web — tautan untuk membuka rekap di peramban (laptop atau HP)\n"
    "• bantuan — pesan ini\n"
    "Anda juga dikabari bila kader melaporkan tanda bahaya atau kematian.\n" + HELP_FILLING,
    "puskesmas": "Petunjuk Lapor Posyandu untuk petugas Puskesmas:\n"
    "• rekap — rekap bulanan wilayah Puskesmas, per desa dan Posyandu, mis. rekap oktober, "
    "rekap oktober excel\n"
    "• status — Posyandu yang belum melapor bulan ini\n"
    "• lihat laporan oktober Melati — laporan bulanan sebuah Posyandu seperti dikirim\n"
    "• jadwal — batas laporan dan lokakarya mini\n"
    "• rapat — rapat yang akan datang; rapat baru — buat undangan rapat\n"
    "• web — tautan untuk membuka rekap di peramban (laptop atau HP)\n"
    "• bantuan — pesan ini",
    "dinkes": "Petunjuk Lapor Posyandu untuk Dinas Kesehatan:\n"
    "• rekap — rekap bulanan kabupaten, per Puskesmas dan Posyandu, mis. rekap oktober, "
    "rekap oktober excel\n"
    "• tinjau — tandai rekap sebuah bulan sudah ditinjau, mis. tinjau oktober\n"
    "• status — Posyandu yang belum melapor bulan ini\n"
    "• lihat laporan oktober Melati — laporan bulanan sebuah Posyandu seperti dikirim\n"
    "• jadwal — batas laporan dan lokakarya mini\n"
    "• rapat — rapat yang akan datang; rapat baru — buat undangan rapat\n"
    "• web — tautan untuk membuka rekap di peramban (laptop atau HP)\n"
    "• bantuan — pesan ini",
    "admin": "Petunjuk Lapor Posyandu untuk admin:\n"
    "• rekap — rekap bulanan kabupaten, mis. rekap oktober excel\n"
    "• status — Posyandu yang belum melapor bulan ini\n"
    "• jadwal — batas laporan dan lokakarya mini\n"
    "• rapat — rapat yang akan datang; rapat baru — buat undangan rapat\n"
    "• web — tautan untuk membuka rekap di peramban (laptop atau HP)\n"
    "• bantuan — pesan ini\n"
    "Daftar petugas, jadwal pengingat dan ekspor diatur lewat baris perintah "
    "(python -m bot import, python -m bot schedule, python -m bot rekap); "
    "lihat panduan admin di README.",
    "mitra": "Petunjuk Lapor Posyandu untuk mitra lintas sektor:\n"
    "• rapat — undangan rapat Anda; rapat N — rincian rapat nomor N\n"
    "• hadir, tidak bisa, diwakilkan NAMA — jawab undangan (tambahkan nomor rapat bila "
    "undangan lebih dari satu)\n"
    "• hadir KODE — tanda hadir di tempat rapat, dengan kode yang dibacakan panitia\n"
    "• bantuan — pesan ini",
}
MONTH_GIVEN = "Laporan bulan {month}. Bulan lain? Ketik kembali, atau mis. {label} {other}."
"""Above the monthly report's first question when the menu entry answered its month."""
MENU_WORDS = {"bulan": "bulanan", "bln": "bulanan"}
"""``lapor WORD``: words for a menu entry that its label does not contain."""
NOTHING_TO_CANCEL = "Tidak ada laporan yang sedang diisi."
NO_FORMS_FOR_ROLE = "Peran Anda tidak mengirim laporan. Ketik status atau bantuan."
NO_POSYANDU = "Belum ada Posyandu yang terhubung dengan nomor Anda. Hubungi petugas Puskesmas."
STATUS_HEADER = "Status laporan bulanan {period}:"
STATUS_DONE = "✅ {posyandu}: sudah dilaporkan ({when})"
STATUS_NOT_HELD = "✅ {posyandu}: dilaporkan tidak buka ({when})"
STATUS_MISSING = "❌ {posyandu}: belum dilaporkan"
STATUS_FOOTER_MISSING = "Batas waktu laporan: {deadline}."
STATUS_FOOTER_REPORT = "Ketik lapor bulanan untuk mengisi."
STATUS_FOOTER_DONE = "Semua laporan bulan ini sudah masuk. Terima kasih!"
STATUS_NO_POSYANDU = "Tidak ada Posyandu di wilayah Anda."
STATUS_MORE = "… dan {count} Posyandu lainnya."

# --- router (handlers/router.py) ------------------------------------------------------
STALE_NO_FORM = "Pertanyaan itu sudah ditutup. Ketik lapor untuk mengisi laporan baru."
NOT_UNDERSTOOD = (
    "Maaf, saya tidak mengerti '{text}'. Ketik lapor untuk mengisi laporan atau bantuan."
)
# Courtesies outside a form (lower case; emoji without skin tone) and their short answers.
WORD_THANKS = ("terima kasih", "terimakasih", "makasih", "makasi", "trims", "thanks", "🙏")
WORD_OK = ("ok", "oke", "okey", "okay", "sip", "siap", "baik", "baiklah", "👍", "👌")
WORD_COURTESY_FILLER = ("bu", "pak", "kak", "bidan", "ya", "yaa", "banyak", "juga", "deh", "nggih")
COURTESY_REPLY = {"thanks": "Sama-sama 🙏", "ok": "Baik 👍"}

# --- forms put aside (handlers/conversation.py) ---------------------------------------
DRAFT_OPEN = "Anda sedang mengisi laporan {title}. Lanjutkan di bawah ini, atau ketik batal."
DRAFTS_KEPT = "Laporan {drafts} Anda disimpan; ketik lapor untuk melanjutkan."
DRAFTS_AND = " dan "

# --- alerts to the bidan (handlers/submission.py) -------------------------------------
ALERT_TEXT = {
    "tanda_bahaya": "🚨 Kunjungan rumah {posyandu}: {details}. Dilaporkan oleh {reporter} "
    "({phone}).",
    "kejadian_kematian": "🚨 Laporan kematian dari {posyandu}: {details}. Dilaporkan oleh "
    "{reporter} ({phone}). Mohon segera ditindaklanjuti.",
}
ALERT_SENT = "{bidan} sudah diberi tahu."
ALERT_SENT_SEVERAL = "Bidan desa sudah diberi tahu."
ALERT_SENT_STAFF = "Petugas Puskesmas juga sudah diberi tahu."
ALERT_SENT_STAFF_ONLY = "Petugas Puskesmas sudah diberi tahu."
ALERT_ONLY_STAFF = (
    "Belum ada bidan desa yang terdaftar untuk {place}; petugas Puskesmas sudah diberi tahu."
)
ALERT_NO_BIDAN = (
    "Belum ada bidan desa yang terdaftar untuk {posyandu}, jadi belum ada yang diberi tahu. "
    "Mohon hubungi bidan atau Puskesmas langsung."
)

# --- correcting and reading a report sent (handlers/correction.py) ---------------------
CORRECTION_OPENED = "✏️ Laporan yang sudah dikirim ({date} oleh {name}) dibuka untuk diubah."
CORRECTION_DRAFT_OPEN = (
    "Masih ada laporan bulanan yang sedang diisi. Selesaikan (kirim) atau ketik batal dulu, "
    "lalu ketik lagi ubah laporan."
)
CORRECTION_HOW = (
    "Untuk mengubah laporan yang sudah dikirim, ketik ubah laporan dan bulannya, "
    "mis. ubah laporan oktober."
)
CORRECTION_COMMAND = "ubah laporan"
SHOW_COMMAND = "lihat laporan"
SHOW_HEADER = (
    "Laporan bulanan {posyandu} {period} (dikirim {date} oleh {name}, revisi ke-{revision}):"
)
SHOW_FOOTER = "Ada yang salah? Ketik ubah laporan {period}."
REPORT_WHICH_POSYANDU = "Posyandu yang mana?"
REPORT_POSYANDU_UNKNOWN = "Tidak ada Posyandu '{text}' di wilayah Anda. Posyandu Anda: {posyandu}."
REPORT_NEVER_SENT = "{posyandu} belum pernah mengirim laporan bulanan."
REPORT_NOT_SENT = "Laporan bulanan {posyandu} {period} belum dikirim."

# --- service (handlers/service.py) ----------------------------------------------------
REPLY_LOST = "Maaf, balasan untuk pesan Anda tadi gagal terkirim. Silakan coba lagi sebentar lagi."
BUSY = "Maaf, sedang ada gangguan. Silakan kirim ulang pesan Anda sebentar lagi."
UNEXPECTED_ERROR = (
    "Maaf, pesan Anda belum bisa diproses. Coba tulis dengan cara lain, atau ketik bantuan."
)

# --- photos sent as evidence (handlers/media.py) ---------------------------------------
PHOTO_NOT_NOW = (
    "Foto hanya diterima sebagai bukti kegiatan luar gedung, saat ditanya fotonya. "
    "Ketik lapor untuk mengisi laporan."
)
LOCATION_NOT_NOW = (
    "Lokasi hanya dipakai sebagai bukti kegiatan luar gedung, saat ditanya lokasinya."
)
PHOTO_REFUSED = {
    "too_big": "Maaf, foto terlalu besar (paling besar {megabytes} MB). Kirim sebagai foto biasa, "
    "bukan file.",
    "not_image": "Maaf, yang diterima hanya foto (JPG atau PNG). Kirim fotonya, bukan berkas lain.",
    "failed": "Maaf, foto tidak bisa diambil. Coba kirim lagi sebentar lagi.",
}

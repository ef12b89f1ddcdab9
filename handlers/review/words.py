"""Every sentence supervision says, in Indonesian: short, friendly, plain.

Command words (what people type, and what buttons carry) are here too, so a
button's value is always a command someone could type.
"""

from __future__ import annotations

# --- command words (typed, and carried by buttons) --------------------------------------
CMD_CHECK = "periksa"
CMD_VIEW = "lihat"
CMD_VERIFY = "sesuai"
CMD_RETURN = "kembalikan"
CMD_FIX = "perbaiki"
CMD_APPROVE = "setujui"
CMD_UNLOCK = "buka"
WORD_LOCK = "kunci"
CMD_KINERJA = "kinerja"
CMD_HISTORY = "riwayat"
WORD_CONFIRM = ("ya", "yakin", "ok")
WORD_POSYANDU = "posyandu"
EXAMPLE_POSYANDU = "Melati"

# --- bantuan ---------------------------------------------------------------------------
HELP = {
    "kader": "Pemeriksaan: laporan yang dikembalikan bidan datang dengan tombol Perbaiki "
    "(atau ketik perbaiki oktober); riwayat — perjalanan laporan Anda.",
    "bidan": "Pemeriksaan laporan kader:\n"
    "• periksa — laporan yang menunggu pemeriksaan\n"
    "• lihat NAMA [BULAN] — isi laporan, perubahan ditandai ✏️\n"
    "• sesuai NAMA BULAN / kembalikan NAMA BULAN ALASAN\n"
    "• riwayat NAMA BULAN — perjalanan laporan\n"
    "• kinerja [BULAN] — kinerja kader 6 bulan",
    "puskesmas": "Pemeriksaan dan persetujuan:\n"
    "• periksa, lihat NAMA [BULAN], sesuai, kembalikan — seperti bidan\n"
    "• setujui BULAN — setujui dan kunci laporan bulan itu\n"
    "• buka kunci BULAN NAMA ALASAN — buka satu Posyandu untuk perbaikan\n"
    "• riwayat NAMA BULAN, kinerja [BULAN]",
    "dinkes": "Pemeriksaan: periksa, lihat NAMA [BULAN], riwayat NAMA BULAN, kinerja [BULAN]; "
    "rekap menunjukkan Puskesmas mana yang sudah menyetujui bulannya.",
    "admin": "Pemeriksaan: periksa, lihat NAMA [BULAN], riwayat NAMA BULAN, kinerja [BULAN].",
}

# --- status -----------------------------------------------------------------------------
STATUS = {
    "belum": "belum lapor",
    "masuk": "masuk, belum diperiksa",
    "diperiksa": "sudah diperiksa",
    "dikembalikan": "dikembalikan ke kader",
    "disetujui": "disetujui Puskesmas (dikunci)",
}
STATUS_SHORT = {
    "belum": "belum",
    "masuk": "masuk",
    "diperiksa": "diperiksa",
    "dikembalikan": "dikembalikan",
    "disetujui": "disetujui",
}
REKAP_STATUS = "Status: {counts}"
REKAP_STATUS_ITEM = "{count} {status}"
REKAP_APPROVED = "{puskesmas}: disetujui {name}, {date}"
REKAP_NOT_APPROVED = "{puskesmas}: belum disetujui"
COUNT_JOIN = " · "

# --- the bidan is told -----------------------------------------------------------------
NOTICE_ONE = "📥 Laporan bulanan {posyandu}, {month} {what} dari {kader}."
NOTICE_NEW = "masuk"
NOTICE_FIXED = "diperbaiki (kiriman ke-{revision})"
NOTICE_TWINS = "Ketik: sesuai {name} {month_word} · kembalikan {name} {month_word} ALASAN"
NOTICE_DIGEST = "📥 {count} laporan bulanan menunggu pemeriksaan Anda:"
NOTICE_DIGEST_ITEM = "• {posyandu}, {month} ({what}, {kader})"
NOTICE_DIGEST_FOOTER = "Tekan nama Posyandu untuk melihat laporannya, atau ketik periksa."
NOTICE_DIGEST_FIXED = "diperbaiki"
BUTTON_VERIFY = "✅ Sesuai"
BUTTON_RETURN = "↩️ Kembalikan"
BUTTON_VIEW = "📄 Lihat"
BUTTON_VIEW_NAMED = "📄 {posyandu}"
BUTTON_CHECK = "📋 Semua laporan"
BUTTON_FIX = "✏️ Perbaiki"
BUTTON_APPROVE = "✅ Ya, setujui"
BUTTON_HISTORY = "🕘 Riwayat"

# --- periksa ----------------------------------------------------------------------------
CHECK_HEADER = "📋 Laporan yang menunggu pemeriksaan ({count}), paling lama dulu:"
CHECK_ITEM = "{n}. {posyandu}, {month}: dari {kader}, {when}{fixed}"
CHECK_FIXED = " (perbaikan)"
CHECK_MORE = "… dan {count} lagi (ketik lihat NAMA POSYANDU)."
CHECK_EMPTY = "👍 Tidak ada laporan yang menunggu pemeriksaan."
CHECK_FOOTER = "Tekan nama Posyandu untuk melihat laporannya."
CHECK_NOT_ALLOWED = "Daftar pemeriksaan laporan hanya untuk bidan desa, Puskesmas dan Dinkes."

# --- lihat ------------------------------------------------------------------------------
VIEW_TITLE = "📄 Laporan bulanan {posyandu} {month}"
VIEW_STATUS = "Status: {status}"
VIEW_SENT = "Dikirim {when} oleh {kader}, revisi ke-{revision}"
VIEW_CHANGED = "{value} ✏️ (sebelumnya {before})"
VIEW_CHANGED_NOTE = "✏️ = berubah dari kiriman sebelumnya."
VIEW_LINE = "  {label}: {value}"
VIEW_NO_REPORT = "Belum ada laporan bulanan {posyandu} untuk {month}."
VIEW_NEVER = "Belum ada laporan bulanan dari {posyandu}."
VIEW_ACTIONS = "Ketik: sesuai {name} {month_word} · kembalikan {name} {month_word} ALASAN"

# --- sesuai / kembalikan ------------------------------------------------------------------
VERIFIED = "✅ Laporan {posyandu}, {month} ditandai sesuai. Terima kasih, {name}."
VERIFIED_KADER = "✅ Laporan bulanan {posyandu}, {month} sudah diperiksa {bidan}: sesuai."
ALREADY_VERIFIED = "Laporan {posyandu}, {month} sudah ditandai sesuai sebelumnya."
ALREADY_RETURNED = (
    "Laporan {posyandu}, {month} sudah dikembalikan sebelumnya; menunggu perbaikan kader."
)
STALE = (
    "⚠️ Tombol ini untuk kiriman lama: laporan {posyandu}, {month} sudah diperbaiki. "
    "Tidak ada yang diubah. Lihat kiriman terbaru dulu: lihat {name} {month_word}"
)
LOCKED_JUDGE = "🔒 Laporan {posyandu}, {month} sudah disetujui Puskesmas; tidak bisa diubah."
NO_REPORT = "Belum ada laporan bulanan {posyandu} untuk {month}: tidak ada yang diubah."
JUDGE_NOT_ALLOWED = (
    "Hanya bidan desa dan Puskesmas yang bisa memeriksa laporan. Anda bisa melihatnya: "
    "ketik lihat NAMA POSYANDU."
)
RETURNED = (
    "↩️ Laporan {posyandu}, {month} dikembalikan ke {kader} dengan alasan: {reason}. "
    "Perbaikannya akan masuk lagi ke Anda."
)
RETURNED_NO_KADER = (
    "↩️ Laporan {posyandu}, {month} dikembalikan dengan alasan: {reason}. Kader pengirimnya "
    "tidak bisa dihubungi bot; mohon sampaikan langsung."
)
RETURNED_KADER = (
    "↩️ Laporan bulanan {posyandu}, {month} dikembalikan oleh {bidan}.\n"
    "Alasan: {reason}\n"
    "Tekan Perbaiki untuk membuka laporan itu dan mengubah angkanya, atau ketik: perbaiki "
    "{month_word}"
)

# --- perbaiki ---------------------------------------------------------------------------
FIX_NOT_ALLOWED = "Perbaikan laporan hanya untuk kader dan bidan yang melapor."
FIX_NOTHING = "Tidak ada laporan bulanan {posyandu} yang bisa diperbaiki."

# --- setujui ----------------------------------------------------------------------------
APPROVE_NOT_ALLOWED = "Persetujuan bulan hanya untuk petugas Puskesmas."
APPROVE_NOT_CLOSED = (
    "Bulan {month} belum bisa disetujui: batas laporan kader {deadline}. "
    "Coba lagi setelah tanggal itu."
)
APPROVE_FUTURE = "Bulan {month} belum berjalan."
APPROVE_ASK = (
    "Persetujuan {month}, {area} ({total} Posyandu):\n{lines}\n"
    "Setelah disetujui, laporan bulan itu dikunci: perbaikan hanya setelah Anda membuka "
    "kuncinya. Setujui sekarang?\nKetik: setujui {month_word} ya"
)
APPROVE_LINE = "• {count} {status}{names}"
APPROVE_DONE = (
    "🔒 {month} disetujui untuk {area}: {count} Posyandu dikunci. "
    "Untuk membuka satu Posyandu: buka kunci {month_word} NAMA ALASAN"
)
APPROVE_ALREADY = "{month} sudah disetujui untuk {area} ({name}, {date}); semuanya terkunci."

# --- lock ------------------------------------------------------------------------------
LOCKED = (
    "🔒 Laporan bulanan {posyandu}, {month} sudah disetujui Puskesmas dan dikunci, jadi "
    "belum bisa diganti. {who} bisa membukanya (buka kunci {month_word} {name} ALASAN)."
)
LOCKED_KEPT = (
    "Jawaban Anda tetap tersimpan: setelah dibuka, ketik kirim. Ketik batal untuk membuangnya."
)
LOCKED_WHO = "{names} ({area})"
LOCKED_WHO_NOBODY = "Petugas Puskesmas Anda"
UNLOCK_USAGE = (
    "Cara membuka kunci: buka kunci BULAN POSYANDU ALASAN, "
    "mis. buka kunci oktober Melati 1 salah ketik D."
)
UNLOCK_NEEDS_REASON = "Tulis juga alasannya, mis. buka kunci {month_word} {name} salah ketik D."
UNLOCK_NOT_ALLOWED = "Membuka kunci laporan hanya untuk petugas Puskesmas."
UNLOCKED = (
    "🔓 Laporan {posyandu}, {month} dibuka untuk perbaikan (alasan: {reason}). "
    "Setujui lagi setelah diperbaiki: setujui {month_word}"
)
UNLOCKED_KADER = (
    "🔓 Laporan bulanan {posyandu}, {month} dibuka kembali oleh {name} untuk perbaikan. "
    "Ketik perbaiki {month_word}, atau kirim laporan yang tertunda."
)
NOT_LOCKED = "Laporan {posyandu}, {month} tidak terkunci; tidak ada yang diubah."

# --- riwayat ----------------------------------------------------------------------------
HISTORY_TITLE = "🕘 Riwayat laporan {posyandu}, {month}:"
HISTORY_LINE = "{n}. {when} {action}: {name} ({role}, {channel}){extra}"
HISTORY_REVISION = ", kiriman ke-{revision}"
HISTORY_REASON = ", alasan: {reason}"
HISTORY_EMPTY = "Belum ada riwayat untuk laporan {posyandu}, {month}."
ACTION_WORDS = {
    "submitted": "dikirim",
    "corrected": "diperbaiki",
    "verified": "diperiksa, sesuai",
    "returned": "dikembalikan",
    "approved": "disetujui",
    "unlocked": "kunci dibuka",
    "refused": "perbaikan ditolak (terkunci)",
}
ROLE_WORDS = {
    "kader": "kader",
    "bidan": "bidan",
    "puskesmas": "Puskesmas",
    "dinkes": "Dinkes",
    "admin": "admin",
}

# --- kinerja ----------------------------------------------------------------------------
KINERJA_TITLE = "📊 Kinerja kader, {start}–{end} ({months} bulan), {area}:"
KINERJA_POSYANDU = (
    "{posyandu}: tepat waktu {on_time}/{months}, beruntun {streak} bln, dikembalikan {returned}"
)
KINERJA_KADER = "  · {name}: kunjungan rumah {visits}, kegiatan luar gedung {outreach}"
KINERJA_EMPTY = "Tidak ada Posyandu di wilayah Anda."
KINERJA_NOT_ALLOWED = "Kinerja kader hanya untuk bidan desa, Puskesmas dan Dinkes."
KINERJA_MORE = "… dan {count} Posyandu lagi (lengkapnya di Excel: rekap excel)."
KINERJA_SHEET = "Kinerja kader"
KINERJA_COLUMNS = (
    "Kode Posyandu",
    "Posyandu",
    "Kader",
    "Laporan tepat waktu (6 bln)",
    "Laporan dikembalikan",
    "Kunjungan rumah",
    "Kegiatan luar gedung",
    "Tepat waktu beruntun (bln)",
)
KINERJA_ALL_KADER = "(Posyandu)"

# --- finding the Posyandu ----------------------------------------------------------------
WHICH_POSYANDU = "Posyandu yang mana? Ketik namanya, mis. {command} {example}."
NOT_FOUND = "Posyandu '{text}' tidak ada di wilayah Anda. Posyandu Anda: {names}."
NOT_FOUND_MANY = "Posyandu '{text}' tidak ada di wilayah Anda ({area})."
AMBIGUOUS = "Ada beberapa Posyandu '{text}': {names}. Ketik nama lengkapnya."
BAD_MONTH = "Bulan '{text}' tidak saya kenali. Contoh: {command} oktober."
RETURN_NEEDS_REPORT = "Belum ada laporan yang bisa dikembalikan untuk {posyandu}."

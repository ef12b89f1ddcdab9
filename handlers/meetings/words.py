"""What the meetings wing says (Indonesian): invitations, answers, check-in, lists, follow-up."""

from __future__ import annotations

ORGANISER_ROLES = ("puskesmas", "dinkes", "admin")

# --- rapat baru ------------------------------------------------------------------------
NOT_ORGANISER = "Rapat baru hanya bisa dibuat oleh petugas Puskesmas atau Dinas Kesehatan."
NO_AREA = "Wilayah Anda belum tercatat, jadi belum bisa membuat rapat. Hubungi admin."
GROUP_LABELS = {
    "bidan": "Semua bidan {area} ({count})",
    "staf": "Staf {area} ({count})",
    "mitra": "Mitra lintas sektor {area} ({count})",
    "kader": "Kader, satu per Posyandu, {area} ({count})",
    "puskesmas": "Petugas Puskesmas se-{area} ({count})",
    "dinkes": "Dinas Kesehatan {area} ({count})",
}
SENT = "✅ Undangan rapat #{id} dikirim ke {count} orang. Ketik rapat {id} untuk melihat jawaban."
UNREACHABLE = (
    "⚠️ {count} orang belum bisa dihubungi lewat bot (belum pernah memakai bot), "
    "mohon diundang langsung:\n{names}"
)
OPEN_ITEMS = "Tindak lanjut rapat sebelumnya yang belum selesai:"
OPEN_ITEM = "• {what} — {owner}, batas {due}"

# --- invitation buttons ------------------------------------------------------------------
BUTTON_YES = "Hadir"
BUTTON_NO = "Tidak bisa"
BUTTON_DELEGATE = "Diwakilkan"
ANSWER_HINT = "Jawab dengan tombol, atau ketik hadir, tidak bisa, atau diwakilkan NAMA."

# --- rapat, rapat ID --------------------------------------------------------------------
NO_MEETINGS = "Tidak ada rapat yang akan datang."
LIST_HEADER = "Rapat yang akan datang:"
LIST_LINE = "#{id} {title} — {when} ({counts})"
LIST_CANCELLED = "#{id} {title} — DIBATALKAN"
COUNTS = "{yes} hadir, {no} tidak bisa, {delegate} diwakilkan, {none} belum menjawab"
LIST_FOOTER = "Ketik rapat N untuk rinciannya."
NOT_FOUND = "Rapat #{id} tidak ditemukan. Ketik rapat untuk daftar rapat Anda."
NOT_YOURS = "Rapat #{id} bukan rapat yang Anda buat atau diundang."
DETAIL_COUNTS = "Jawaban: " + COUNTS + "."
DETAIL_CODE = "🔑 Kode hadir: {code} — bacakan di ruangan; peserta mengetik hadir {code}."
DETAIL_CHECKED_IN = "Sudah tanda hadir: {count} orang."
DETAIL_CANCELLED = "❌ Rapat ini dibatalkan."
DETAIL_YOUR_ANSWER = "Jawaban Anda: {answer}."
RSVP_WORDS = {"hadir": "hadir", "tidak": "tidak bisa", "wakil": "diwakilkan", None: "belum"}
RAPAT_USAGE = (
    "Ketik rapat untuk daftar rapat, rapat N untuk rinciannya, rapat baru untuk membuat "
    "undangan, rapat batal N untuk membatalkan, rapat pindah N TANGGAL JAM atau "
    "rapat tempat N TEMPAT untuk mengubahnya."
)

# --- answers (RSVP) -----------------------------------------------------------------------
NO_INVITATION = "Anda tidak punya undangan rapat yang masih terbuka."
WHICH_MEETING = "Anda punya beberapa undangan rapat. Tambahkan nomornya, mis. {example}:\n{list}"
WHICH_LINE = "#{id} {title} — {when}"
NOT_INVITED = "Anda tidak diundang ke rapat #{id}."
MEETING_CANCELLED = "Rapat #{id} sudah dibatalkan, jadi tidak perlu dijawab lagi."
MEETING_OVER = "Rapat #{id} sudah selesai."
ANSWERED = {
    "hadir": "✅ Terima kasih, Anda tercatat akan hadir di rapat #{id}.",
    "tidak": "Terima kasih, Anda tercatat tidak bisa hadir di rapat #{id}.",
    "wakil": "Terima kasih, rapat #{id} diwakili oleh {delegate}.",
}
ASK_DELEGATE = "Siapa yang mewakili Anda di rapat #{id}? Ketik: diwakilkan {id} NAMA"
DELEGATE_TOO_LONG = "Nama wakil terlalu panjang (paling banyak {limit} huruf)."

# --- check-in -----------------------------------------------------------------------------
CHECKED_IN = "✅ Tercatat hadir di rapat #{id} pukul {time}. Selamat mengikuti rapat."
ALREADY_CHECKED_IN = "Anda sudah tercatat hadir di rapat #{id} pukul {time}."
WRONG_CODE = "Kode {code} tidak cocok dengan rapat yang sedang berlangsung. Periksa lagi kodenya."
NOT_RUNNING = "Tanda hadir hanya bisa saat rapat berlangsung. Rapat #{id} berlangsung {when}."
NO_RUNNING = "Tidak ada rapat Anda yang sedang berlangsung. Tanda hadir hanya bisa saat rapat."
MARKED = "✅ {name} tercatat hadir di rapat #{id}."
MARK_USAGE = "Untuk menandai peserta hadir, ketik: hadir {id} NAMA"
MARK_UNKNOWN = "{name} tidak ada di daftar undangan rapat #{id}."

# --- changes ------------------------------------------------------------------------------
CANCELLED_NOTICE = "❌ Rapat #{id} {title} ({when}) DIBATALKAN oleh {organiser}."
MOVED_NOTICE = "🔁 Rapat #{id} {title} pindah waktu: sekarang {when}, di {place}."
PLACE_NOTICE = "🔁 Rapat #{id} {title} pindah tempat: sekarang di {place} ({when})."
CHANGE_SENT = "Perubahan rapat #{id} dikabarkan ke {count} orang."
ONLY_ORGANISER = "Hanya pembuat rapat #{id} yang bisa mengubahnya."
ALREADY_CANCELLED = "Rapat #{id} sudah dibatalkan sebelumnya."
MOVE_BAD = "Waktu belum terbaca. Contoh: rapat pindah {id} 10/12 09.00 12.00"
MOVE_PAST = "Waktu baru itu sudah lewat. Pilih waktu yang belum lewat."
MOVE_END = "Jam selesai harus sesudah jam mulai."
PLACE_EMPTY = "Tulis tempat barunya, mis. rapat tempat {id} Aula Kecamatan"

# --- reminders ----------------------------------------------------------------------------
REMIND_TOMORROW = "⏰ Pengingat: besok rapat #{id} {title}, {when}, di {place}."
REMIND_SOON = "⏰ Rapat #{id} {title} mulai pukul {time} ({zone}), di {place}."

# --- attendance ---------------------------------------------------------------------------
ATTENDANCE_CAPTION = "Daftar hadir rapat #{id} {title} ({count} orang diundang, {present} hadir)."
ATTENDANCE_USAGE = "Ketik daftar hadir N, mis. daftar hadir 3."
ATTENDANCE_HEADERS = (
    "No",
    "Nama",
    "Peran/Jabatan",
    "Wilayah",
    "Jawaban",
    "Jam hadir",
    "Tanda tangan",
)
ROLE_NAMES = {
    "kader": "Kader",
    "bidan": "Bidan desa",
    "puskesmas": "Petugas Puskesmas",
    "dinkes": "Dinas Kesehatan",
    "admin": "Admin",
    "mitra": "Mitra",
}
ATTENDANCE_SHEET = "Daftar hadir"

# --- follow-up (tindak lanjut) ----------------------------------------------------------------
ITEM_USAGE = (
    "Tambahkan tindak lanjut: tindak lanjut N; APA; NAMA PENANGGUNG JAWAB; TANGGAL\n"
    "Contoh: tindak lanjut 3; sweeping balita absen; Nurhayati; 15/12"
)
ITEM_ADDED = "✅ Tindak lanjut #{item} dicatat untuk {owner}, batas {due}."
ITEM_OWNER = (
    "📌 Tindak lanjut dari rapat #{meeting} {title}:\n{what}\nBatas: {due}\n"
    "Bila sudah, ketik: selesai {item} CATATAN"
)
ITEM_OWNER_UNKNOWN = "{name} tidak ada di daftar undangan rapat #{id}. Tulis nama peserta rapat."
ITEM_DUE_BAD = "Tanggal {answer} belum terbaca atau sudah lewat. Contoh: 15/12"
ITEMS_HEADER = "Tindak lanjut yang belum selesai:"
ITEM_LINE = "#{item} {what} — {owner}, batas {due} (rapat #{meeting})"
NO_ITEMS = "Tidak ada tindak lanjut yang belum selesai."
ITEM_DONE = "✅ Tindak lanjut #{item} ditandai selesai. Terima kasih!"
ITEM_DONE_ORGANISER = "✅ Tindak lanjut #{item} ({what}) selesai oleh {owner}: {note}"
ITEM_NOT_YOURS = "Tindak lanjut #{item} bukan tugas Anda."
ITEM_NOT_FOUND = "Tindak lanjut #{item} tidak ditemukan."
ITEM_ALREADY_DONE = "Tindak lanjut #{item} sudah selesai sebelumnya."
DONE_USAGE = "Ketik selesai N CATATAN, mis. selesai 4 sudah dilakukan tanggal 12."
REMIND_ITEM_SOON = "⏰ Tindak lanjut #{item} ({what}) jatuh tempo {due}, 3 hari lagi."
REMIND_ITEM_TODAY = (
    "⏰ Tindak lanjut #{item} ({what}) jatuh tempo hari ini. Bila sudah: selesai {item} CATATAN"
)

# --- lokakarya mini from the schedule -----------------------------------------------------
LOKMIN_TITLE = {
    "lokmin_bulanan": "Lokakarya mini bulanan {puskesmas} {month}",
    "lokmin_tribulanan": "Lokakarya mini tribulanan lintas sektor {puskesmas} {month}",
}
LOKMIN_CREATED = (
    "📅 Lokakarya mini #{id} dibuat otomatis dari jadwal. Ketik rapat {id} untuk rinciannya, "
    "rapat pindah {id} TANGGAL JAM bila waktunya berubah."
)
DATA_PACK = "📊 Bahan lokakarya mini #{id} besok ({title}): rekap {month}."

# --- mentoring after a workshop (pendampingan) ---------------------------------------------
MENTORING_USAGE = (
    "Ketik pendampingan N MINGGU untuk menjadwalkan kunjungan pendampingan MINGGU minggu "
    "setelah workshop N, atau pendampingan N untuk melihat hasil pemantauannya."
)
MENTORING_NOT_WORKSHOP = "Rapat #{id} bukan workshop/pelatihan."
MENTORING_WEEKS = "Jumlah minggu harus 1 sampai {limit}."
MENTORING_ALREADY = "Pendampingan workshop #{id} sudah dijadwalkan. Ketik pendampingan {id}."
MENTORING_NOBODY = "Tidak ada petugas Puskesmas yang diundang ke workshop #{id}."
MENTORING_TITLE = "Pendampingan pasca {workshop} — {puskesmas}"
MENTORING_SCHEDULED = "✅ {count} kunjungan pendampingan dijadwalkan, {when}; undangan dikirim:"
MENTORING_LINE = "• #{id} {puskesmas}"
MENTORING_NONE = "Belum ada pendampingan untuk workshop #{id}."
MENTORING_TABLE_HEADER = (
    "Hasil pemantauan pendampingan workshop #{id}\n"
    "(Puskesmas — pengisi: sudah diterapkan | kendala | tindak lanjut)"
)
MENTORING_ROW = "• {puskesmas} — {name}: {applied} | {obstacle} | {next_step}"
MENTORING_ROW_EMPTY = "• {puskesmas}: belum diisi (kunjungan #{id})"
MONITOR_USAGE = "Ketik pantau N untuk mengisi pemantauan kunjungan pendampingan nomor N."
MONITOR_NOT_VISIT = "Rapat #{id} bukan kunjungan pendampingan."
MONITOR_TOO_EARLY = "Pemantauan kunjungan #{id} bisa diisi mulai saat kunjungan, {when}."
MONITOR_HINT = "Setelah kunjungan, isi pemantauannya: ketik pantau {id}."

# --- mitra ----------------------------------------------------------------------------------
MITRA_ONLY = "Sebagai mitra lintas sektor, Anda menerima undangan rapat. Ketik rapat atau bantuan."

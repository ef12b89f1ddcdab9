"""Every sentence a user reads, in Bahasa Indonesia, in one place.

Short, friendly, plain words: the reader is a volunteer kader on a cheap
phone. Placeholders use ``str.format`` names. Form questions live in the
``*_FIELDS`` tables below, keyed by field name, next to their short labels.
"""

from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    """A field's short label (summary) and its question."""

    label: str
    prompt: str


# --- engine ------------------------------------------------------------------
POSITION = "({index}/{total})"
HINT_COUNT = "Ketik angka (0 jika tidak ada)."
HINT_COUNT_MIN = "Ketik angka, paling sedikit {minimum}."
HINT_DECIMAL = "Ketik angka, boleh pakai koma (mis. 1,5)."
HINT_YES_NO = "Jawab ya atau tidak."
HINT_DATE = "Ketik tanggal, mis. 12, 12/11, 12-11-2026, hari ini, kemarin."
HINT_MONTH = "Ketik bulan, mis. 2026-11, 11/2026, November, bulan lalu."
HINT_CHOICE = "Pilih nomor atau ketik nama pilihannya."
HINT_MULTI = "Ketik nomor-nomornya, mis. 1,3 — atau 'tidak ada'."
HINT_TEXT = "Ketik jawaban singkat."
HINT_CONTROLS = "kembali = mundur · batal = berhenti"
HINT_SKIP_FIELD = "lewati = kosongkan"
HINT_SKIP_SECTION = "lewati = lewati bagian {section}"

ERR_COUNT = "Maaf, '{answer}' bukan angka. Ketik angka bulat, mis. 12 atau 0."
ERR_DECIMAL = "Maaf, '{answer}' bukan angka. Ketik angka, mis. 2 atau 1,5."
ERR_NEGATIVE = "Angka tidak boleh negatif. Ketik 0 jika tidak ada."
ERR_APPROXIMATE = (
    "Laporan perlu angka pasti, bukan perkiraan ('{answer}'). "
    "Jika jumlahnya memang {number}, ketik {number}; jika tidak, ketik angka yang pasti."
)
ERR_YES_NO = "Maaf, jawab dengan ya atau tidak."
ERR_WARNING_ANSWER = "Maaf, jawab ya atau tidak, atau langsung ketik jawaban yang benar."
ERR_DATE = "Maaf, tanggal '{answer}' tidak dikenali. Contoh: 12, 12/11, 12-11-2026, kemarin."
ERR_MONTH = "Maaf, bulan '{answer}' tidak dikenali. Contoh: 2026-11, 11/2026, November."
ERR_CHOICE = "Maaf, pilihan '{answer}' tidak ada. Pilih nomor 1 sampai {count}."
ERR_MULTI = (
    "Maaf, '{answer}' tidak dikenali. Ketik nomor 1 sampai {count}, mis. 1,3, "
    "atau {none} jika tidak ada."
)
ERR_TEXT_EMPTY = "Jawaban tidak boleh kosong."
ERR_TOO_SMALL = "Angka terlalu kecil: paling sedikit {minimum}."
ERR_TOO_LARGE = "Angka terlalu besar: paling banyak {maximum}."
ERR_FUTURE_DATE = (
    "Tanggal {value} belum lewat. Ketik tanggal hari ini atau sebelumnya; "
    "untuk tahun lalu, tulis tahunnya, mis. {example}."
)
ERR_FUTURE_MONTH = "Bulan {value} belum berjalan. Pilih bulan ini atau sebelumnya."
ERR_MONTH_TOO_OLD = (
    "Bulan {value} sudah terlalu lama: lewat chat, laporan bisa diisi mulai {earliest}. "
    "Untuk laporan yang lebih lama, hubungi bidan atau Puskesmas Anda."
)
ERR_TOO_LONG = "Pesan terlalu panjang ({length} huruf). Jawab singkat saja."
ERR_CANNOT_SKIP = "Pertanyaan ini wajib dijawab, tidak bisa dilewati."
ERR_NO_BACK = "Ini pertanyaan pertama, tidak bisa mundur lagi."
ERR_EDIT_NUMBER = "Nomor {number} tidak ada. Ketik ubah dan nomor 1 sampai {count}, mis. ubah 3."
STALE_BUTTON = "Pertanyaan itu sudah ditutup. Silakan jawab pertanyaan terakhir:"
STALE_NO_FORM = "Pertanyaan itu sudah ditutup. Ketik lapor untuk mengisi laporan baru."
WARN_CONFIRM = "⚠️ {message}\nApakah angka ini sudah benar? (Ya/Tidak, atau ketik angka yang benar)"
WARN_CONFIRM_DATE = "⚠️ {message}\nApakah tanggal ini sudah benar?"
WARN_REENTER = "Baik, silakan ketik ulang."
SUMMARY_HEADER = "Periksa dulu laporan {title} {subject}:"
SUMMARY_SKIPPED = "dilewati"
SUMMARY_FOOTER = "Ketik kirim untuk mengirim, ubah N untuk mengubah nomor N, atau batal."
SUMMARY_UNKNOWN = "Laporan belum terkirim. " + SUMMARY_FOOTER
SUBMITTED = "✅ Terima kasih! Laporan {title} {subject} sudah tersimpan."
CANCELLED = "Laporan dibatalkan, tidak ada yang disimpan."
EXPIRED = "Draf laporan {title} sudah kedaluwarsa (lebih dari {days} hari) dan dihapus."
YES = "Ya"
NO = "Tidak"
BUTTON_SEND = "Kirim"
BUTTON_CANCEL = "Batal"
BUTTON_SKIP = "Lewati"
BUTTON_ZERO = "0"
BUTTON_NONE = "Tidak ada"
SUGGESTION = "{value} (seperti bulan lalu)"
PREVIOUS_ANSWER = "{value} (sebelumnya)"
CURRENT_VALUE = "Jawaban sebelumnya: {value}."
READ_BACK = "{label}: {value}."

# Words the engine listens for in every question (lower case).
WORD_BACK = ("kembali", "mundur")
WORD_SKIP = ("lewati", "skip")
WORD_CANCEL = ("batal", "batalkan")
WORD_SEND = ("kirim", "simpan")
WORD_EDIT = "ubah"

MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTH_SHORT = tuple(name[:3] for name in MONTH_NAMES)

# --- handlers ------------------------------------------------------------------
ASK_CONTACT = (
    "Selamat datang di Lapor Posyandu. Untuk mendaftar, tekan tombol "
    "'Bagikan nomor HP' di bawah ini."
)
BUTTON_SHARE_CONTACT = "📱 Bagikan nomor HP"
CONTACT_NOT_OWN = (
    "Maaf, yang dibagikan harus nomor HP Anda sendiri. Tekan tombol 'Bagikan nomor HP'."
)
UNKNOWN_NUMBER = (
    "Maaf, nomor {phone} belum terdaftar di Lapor Posyandu. "
    "Silakan hubungi bidan desa atau petugas Puskesmas Anda agar nomor Anda didaftarkan."
)
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
}
# How each role is addressed when the roster name carries no title of its own.
HONORIFIC = {"bidan": "Bu"}
BIDAN_HONORIFIC = "Bidan"
# A roster name starting with one of these (with or without a dot) already says how to
# address the person.
NAME_TITLES = ("bd", "bdn", "bidan", "dr", "drg", "ibu", "bu", "bapak", "pak", "ny", "hj")
HELP_FILLING = (
    "Saat mengisi: kembali = mundur satu pertanyaan, lewati = lewati bagian yang tidak ada, "
    "ubah N = ubah nomor N di ringkasan, kirim = kirim laporan."
)
HELP = {
    "kader": "Petunjuk Lapor Posyandu:\n"
    "• lapor — isi laporan (bulanan Posyandu, kunjungan rumah, kegiatan luar gedung) atau "
    "lanjutkan laporan yang disimpan\n"
    "• status — laporan bulan ini yang belum dikirim\n"
    "• jadwal — hari Posyandu dan batas laporan\n"
    "• rekap — rekap bulanan Posyandu Anda, mis. rekap oktober\n"
    "• batal — hentikan laporan yang sedang diisi\n"
    "• bantuan — pesan ini\n" + HELP_FILLING,
    "bidan": "Petunjuk Lapor Posyandu untuk bidan desa:\n"
    "• lapor — isi laporan untuk Posyandu di desa Anda (bulanan, kunjungan rumah, kegiatan "
    "luar gedung)\n"
    "• status — Posyandu desa Anda yang belum melapor bulan ini\n"
    "• rekap — rekap bulanan desa Anda, mis. rekap oktober, rekap bulan lalu Mawar, "
    "rekap oktober excel\n"
    "• jadwal — hari Posyandu, batas laporan dan lokakarya mini\n"
    "• batal — hentikan laporan yang sedang diisi\n"
    "• bantuan — pesan ini\n"
    "Anda juga dikabari bila kader melaporkan tanda bahaya atau kematian.\n" + HELP_FILLING,
    "puskesmas": "Petunjuk Lapor Posyandu untuk petugas Puskesmas:\n"
    "• rekap — rekap bulanan wilayah Puskesmas, per desa dan Posyandu, mis. rekap oktober, "
    "rekap oktober excel\n"
    "• status — Posyandu yang belum melapor bulan ini\n"
    "• jadwal — batas laporan dan lokakarya mini\n"
    "• bantuan — pesan ini",
    "dinkes": "Petunjuk Lapor Posyandu untuk Dinas Kesehatan:\n"
    "• rekap — rekap bulanan kabupaten, per Puskesmas dan Posyandu, mis. rekap oktober, "
    "rekap oktober excel\n"
    "• tinjau — tandai rekap sebuah bulan sudah ditinjau, mis. tinjau oktober\n"
    "• status — Posyandu yang belum melapor bulan ini\n"
    "• jadwal — batas laporan dan lokakarya mini\n"
    "• bantuan — pesan ini",
    "admin": "Petunjuk Lapor Posyandu untuk admin:\n"
    "• rekap — rekap bulanan kabupaten, mis. rekap oktober excel\n"
    "• status — Posyandu yang belum melapor bulan ini\n"
    "• jadwal — batas laporan dan lokakarya mini\n"
    "• bantuan — pesan ini\n"
    "Daftar petugas, jadwal pengingat dan ekspor diatur lewat baris perintah "
    "(python -m bot import, python -m bot schedule, python -m bot rekap); "
    "lihat panduan admin di README.",
}
NOTHING_TO_CANCEL = "Tidak ada laporan yang sedang diisi."
NOT_UNDERSTOOD = (
    "Maaf, saya tidak mengerti '{text}'. Ketik lapor untuk mengisi laporan atau bantuan."
)
# Courtesies outside a form (lower case; emoji without skin tone) and their short answers.
WORD_THANKS = ("terima kasih", "terimakasih", "makasih", "makasi", "trims", "thanks", "🙏")
WORD_OK = ("ok", "oke", "okey", "okay", "sip", "siap", "baik", "baiklah", "👍", "👌")
WORD_COURTESY_FILLER = ("bu", "pak", "kak", "bidan", "ya", "yaa", "banyak", "juga", "deh", "nggih")
COURTESY_REPLY = {"thanks": "Sama-sama 🙏", "ok": "Baik 👍"}
NO_FORMS_FOR_ROLE = "Peran Anda tidak mengirim laporan. Ketik status atau bantuan."
NO_POSYANDU = "Belum ada Posyandu yang terhubung dengan nomor Anda. Hubungi petugas Puskesmas."
DRAFT_OPEN = "Anda sedang mengisi laporan {title}. Lanjutkan di bawah ini, atau ketik batal."
DRAFTS_KEPT = "Laporan {drafts} Anda disimpan; ketik lapor untuk melanjutkan."
DRAFTS_AND = " dan "
STATUS_HEADER = "Status laporan bulanan {period}:"
STATUS_DONE = "✅ {posyandu}: sudah dilaporkan ({when})"
STATUS_NOT_HELD = "✅ {posyandu}: dilaporkan tidak buka ({when})"
STATUS_MISSING = "❌ {posyandu}: belum dilaporkan"
STATUS_FOOTER_MISSING = "Batas waktu laporan: {deadline}."
STATUS_FOOTER_REPORT = "Ketik lapor untuk mengisi."
STATUS_FOOTER_DONE = "Semua laporan bulan ini sudah masuk. Terima kasih!"
STATUS_NO_POSYANDU = "Tidak ada Posyandu di wilayah Anda."
STATUS_MORE = "… dan {count} Posyandu lainnya."
ALERT_TEXT = {
    "kematian": "🚨 Laporan kematian dari {posyandu} ({period}): {details}. Dilaporkan oleh "
    "{reporter} ({phone}).",
    "tanda_bahaya": "🚨 Kunjungan rumah {posyandu} ({date}): {details}. Tindak lanjut: "
    "{follow_up}. Dilaporkan oleh {reporter} ({phone}).",
}
ALERT_SENT = "{bidan} sudah diberi tahu."
ALERT_SENT_SEVERAL = "Bidan desa sudah diberi tahu."
ALERT_NO_BIDAN = (
    "Belum ada bidan desa yang terdaftar untuk {posyandu}, jadi belum ada yang diberi tahu. "
    "Mohon hubungi bidan atau Puskesmas langsung."
)
MENU_LABELS = {
    "bulanan": "Laporan bulanan Posyandu",
    "kunjungan": "Kunjungan rumah",
    "luar_gedung": "Kegiatan luar gedung",
}
MENU_CONTINUE = "Lanjutkan laporan {draft}"
MENU_FORM = Words("Jenis laporan", "Laporan apa yang ingin Anda isi?")
MENU_POSYANDU = Words("Posyandu", "Untuk Posyandu yang mana?")
FORM_TITLES = {
    "bulanan": "bulanan",
    "kunjungan": "kunjungan rumah",
    "luar_gedung": "kegiatan luar gedung",
    "pilih": "pilihan",
}
BUSY = "Maaf, sedang ada gangguan. Silakan kirim ulang pesan Anda sebentar lagi."
UNEXPECTED_ERROR = (
    "Maaf, pesan Anda belum bisa diproses. Coba tulis dengan cara lain, atau ketik bantuan."
)

# --- monthly Posyandu report ----------------------------------------------------
SECTION_TITLES = {
    "umum": "Umum",
    "balita": "Balita (SKDN)",
    "vitamin_a": "Vitamin A",
    "bumil": "Ibu hamil",
    "nifas": "Ibu nifas/menyusui",
    "remaja": "Remaja",
    "dewasa": "Usia dewasa",
    "lansia": "Lansia",
    "tbc": "TBC",
    "vital": "Kelahiran dan kematian",
    "rujukan": "Rujukan",
    "sasaran": "Sasaran",
    "kegiatan": "Kegiatan",
    "peserta": "Peserta",
}
MONTHLY_FIELDS = {
    "periode": Words("Bulan laporan", "Laporan bulan apa?"),
    "ganti": Words(
        "Ganti laporan lama",
        "Laporan bulan {periode} sudah pernah dikirim ({existing}). Ganti dengan laporan baru?",
    ),
    "buka": Words("Posyandu buka", "Apakah Posyandu buka (dilaksanakan) di bulan {periode}?"),
    "alasan_tutup": Words("Alasan tidak buka", "Mengapa Posyandu tidak buka?"),
    "s": Words(
        "S (balita di wilayah)", "S: berapa jumlah balita (0-59 bulan) di wilayah Posyandu?"
    ),
    "k": Words("K (punya KMS/Buku KIA)", "K: berapa balita yang punya KMS atau Buku KIA?"),
    "d": Words("D (ditimbang)", "D: berapa balita yang ditimbang di bulan {periode}?"),
    "n": Words("N (naik berat badan)", "N: dari yang ditimbang, berapa yang berat badannya naik?"),
    "t": Words("T (tidak naik)", "T: berapa yang ditimbang tetapi berat badannya tidak naik?"),
    "o": Words(
        "O (tidak ditimbang bulan lalu)",
        "O: berapa yang ditimbang di bulan {periode} tetapi tidak di bulan sebelumnya?",
    ),
    "b": Words("B (baru pertama ditimbang)", "B: berapa balita yang baru pertama kali ditimbang?"),
    "t2": Words(
        "2T (2 kali tidak naik)", "2T: berapa balita yang 2 bulan berturut-turut tidak naik?"
    ),
    "bgm": Words("BGM (di bawah garis merah)", "BGM: berapa balita di bawah garis merah?"),
    "vit_a_biru": Words(
        "Vitamin A biru (6-11 bln)", "Berapa bayi 6-11 bulan yang mendapat kapsul vitamin A biru?"
    ),
    "vit_a_merah": Words(
        "Vitamin A merah (12-59 bln)",
        "Berapa balita 12-59 bulan yang mendapat kapsul vitamin A merah?",
    ),
    "bumil_hadir": Words("Ibu hamil datang", "Berapa ibu hamil yang datang?"),
    "bumil_kek": Words(
        "Ibu hamil KEK (LiLA < 23,5 cm)", "Berapa ibu hamil dengan LiLA kurang dari 23,5 cm (KEK)?"
    ),
    "bumil_ttd": Words(
        "Ibu hamil dapat TTD", "Berapa ibu hamil yang mendapat tablet tambah darah (TTD)?"
    ),
    "nifas_hadir": Words(
        "Ibu nifas/menyusui datang", "Berapa ibu nifas atau menyusui yang datang?"
    ),
    "remaja_hadir": Words("Remaja datang", "Berapa remaja yang datang?"),
    "dewasa_hadir": Words(
        "Usia dewasa datang", "Berapa orang usia dewasa (15-59 tahun) yang datang?"
    ),
    "dewasa_ht": Words(
        "Dewasa tekanan darah tinggi", "Berapa orang dewasa dengan tekanan darah 140/90 atau lebih?"
    ),
    "lansia_hadir": Words("Lansia datang", "Berapa lansia (60 tahun ke atas) yang datang?"),
    "lansia_ht": Words(
        "Lansia tekanan darah tinggi", "Berapa lansia dengan tekanan darah 140/90 atau lebih?"
    ),
    "terduga_tbc": Words(
        "Terduga TBC", "Berapa orang dengan gejala TBC (batuk 2 minggu atau lebih, dll.)?"
    ),
    "lahir": Words("Kelahiran", "Berapa bayi yang lahir di bulan {periode}?"),
    "mati_bayi": Words("Kematian bayi", "Berapa bayi yang meninggal di bulan {periode}?"),
    "mati_ibu": Words(
        "Kematian ibu", "Berapa ibu (hamil, bersalin, nifas) yang meninggal di bulan {periode}?"
    ),
    "balita_dirujuk": Words(
        "Balita dirujuk", "Berapa balita yang dirujuk (mis. karena 2T atau BGM)?"
    ),
    "dirujuk": Words("Total dirujuk", "Berapa orang seluruhnya yang dirujuk ke Pustu/Puskesmas?"),
    "kader_hadir": Words("Kader bertugas", "Berapa kader yang bertugas hari itu?"),
}
REPLACE_DECLINED = (
    "Baik, laporan yang sudah dikirim tidak diganti. Pilih bulan lain, atau ketik batal."
)
CLOSED_REASONS = {
    "bencana": "Bencana/cuaca buruk",
    "libur": "Hari libur/bertepatan acara desa",
    "kader": "Kader tidak cukup",
    "tempat": "Tempat tidak tersedia",
    "lainnya": "Lainnya",
}
MONTHLY_CHECKS = {
    "k_le_s": "K ({k}) tidak boleh lebih dari S ({s}).",
    "d_le_s": "D ({d}) tidak boleh lebih dari S ({s}).",
    "ntob_le_d": "{parts} ({ntob}) tidak boleh lebih dari D ({d}).",
    "ntob_eq_d": "N+T+O+B harus sama dengan D ({d}), sekarang {ntob}. Periksa lagi N, T, O dan B "
    "(ketik kembali untuk mengubah angka sebelumnya).",
    "t2_le_t": "2T ({t2}) tidak boleh lebih dari T ({t}).",
    "bgm_le_d": "BGM ({bgm}) tidak boleh lebih dari D ({d}).",
    "vit_a_le_s": "Vitamin A biru + merah ({vit_a}) tidak boleh lebih dari S ({s}).",
    "kek_le_hadir": "Ibu hamil KEK ({bumil_kek}) tidak boleh lebih dari yang datang ({bumil_hadir}).",
    "ttd_le_hadir": "Ibu hamil dapat TTD ({bumil_ttd}) tidak boleh lebih dari yang datang ({bumil_hadir}).",
    "dewasa_ht_le": "Dewasa dengan tekanan darah tinggi ({dewasa_ht}) tidak boleh lebih dari yang "
    "datang ({dewasa_hadir}).",
    "lansia_ht_le": "Lansia dengan tekanan darah tinggi ({lansia_ht}) tidak boleh lebih dari yang "
    "datang ({lansia_hadir}).",
    "balita_rujuk_le_d": "Balita dirujuk ({balita_dirujuk}) tidak boleh lebih dari D ({d}).",
    "rujuk_ge_balita": "Total dirujuk ({dirujuk}) tidak boleh kurang dari balita dirujuk "
    "({balita_dirujuk}).",
    "ds_low": "Hanya {ds}% balita yang ditimbang (D/S). Biasanya lebih dari 50%.",
    "s_jump": "S berubah lebih dari 20% dari bulan lalu ({previous} → {s}).",
    "s_high": "S = {s} balita, jarang ada Posyandu dengan lebih dari 250 balita.",
    "d_gt_k": "D ({d}) lebih besar dari K ({k}): ada balita ditimbang tanpa KMS/Buku KIA.",
}

# --- home visit ------------------------------------------------------------------
VISIT_FIELDS = {
    "tanggal": Words("Tanggal kunjungan", "Tanggal berapa kunjungan rumah dilakukan?"),
    "sasaran": Words("Sasaran", "Siapa sasaran kunjungan?"),
    "alasan": Words("Alasan kunjungan", "Apa alasan kunjungan?"),
    "demam": Words("Demam ≥ 37,5°C", "Apakah ada demam (suhu 37,5°C atau lebih)?"),
    "tanda_bahaya_balita": Words(
        "Tanda bahaya balita", "Tanda bahaya apa yang ditemukan pada balita?"
    ),
    "tanda_bahaya": Words("Ada tanda bahaya", "Apakah ditemukan tanda bahaya?"),
    "tindak_lanjut": Words("Tindak lanjut", "Apa tindak lanjutnya?"),
    "catatan": Words("Catatan", "Catatan singkat (tanpa nama atau NIK), atau ketik lewati."),
}
TARGET_GROUPS = {
    "bumil": "Ibu hamil",
    "nifas": "Ibu nifas",
    "balita": "Bayi/balita",
    "remaja": "Anak sekolah/remaja",
    "dewasa": "Usia dewasa",
    "lansia": "Lansia",
    "tbc": "Pasien/terduga TBC",
}
VISIT_REASONS = {
    "absen": "Tidak datang ke Posyandu",
    "layanan": "Belum dapat layanan",
    "obat": "Tidak minum obat/TTD",
    "bahaya": "Tanda bahaya",
    "nifas": "Bayi baru lahir/nifas",
    "gizi": "Tindak lanjut gizi",
    "lainnya": "Lainnya",
}
DANGER_SIGNS = {
    "napas_cepat": "Napas cepat",
    "batuk": "Batuk",
    "demam": "Demam",
    "diare": "Diare",
    "kencing": "Kencing sedikit/gelap",
    "kulit": "Kulit kuning/biru",
    "lemas": "Lemas/tidak sadar",
    "tidak_mau_makan": "Tidak mau makan/menyusu",
}
FOLLOW_UPS = {
    "tidak_ada": "Tidak ada",
    "ingatkan": "Ingatkan datang ke Posyandu",
    "rujuk": "Rujuk ke Pustu/Puskesmas",
    "lapor_nakes": "Lapor ke tenaga kesehatan",
}
VISIT_CHECKS = {
    "follow_up_needed": "Ada demam atau tanda bahaya: pilih tindak lanjut selain 'Tidak ada'.",
    "visit_old": "Kunjungan ini sudah lebih dari 14 hari yang lalu ({tanggal}).",
}

# --- outreach ------------------------------------------------------------------------
OUTREACH_FIELDS = {
    "jenis": Words("Jenis kegiatan", "Kegiatan luar gedung apa yang dilakukan?"),
    "tanggal": Words("Tanggal kegiatan", "Tanggal berapa kegiatan dilakukan?"),
    "tempat": Words("Tempat (desa)", "Di desa mana kegiatan dilakukan?"),
    "sasaran": Words("Sasaran", "Siapa sasaran utama kegiatan?"),
    "topik": Words("Topik penyuluhan", "Apa topik penyuluhannya?"),
    "peserta_l": Words("Peserta laki-laki", "Berapa peserta laki-laki?"),
    "peserta_p": Words("Peserta perempuan", "Berapa peserta perempuan?"),
    "dilayani": Words(
        "Orang dilayani", "Berapa orang yang mendapat layanan (diperiksa, diberi PMT, dll.)?"
    ),
    "dirujuk": Words("Orang dirujuk", "Berapa orang yang dirujuk?"),
    "durasi": Words("Lama kegiatan (jam)", "Berapa jam lama kegiatan? (0,5 sampai 12)"),
    "dana": Words("Sumber dana", "Dari mana sumber dananya?"),
}
OUTREACH_TYPES = {
    "penyuluhan": "Penyuluhan",
    "sweeping": "Sweeping sasaran absen",
    "pmt_lokal": "PMT lokal",
    "pmt_pemulihan": "PMT pemulihan",
    "skrining_ptm": "Skrining PTM",
    "skrining_tbc": "Skrining TBC",
    "kelas_bumil": "Kelas ibu hamil",
    "kelas_balita": "Kelas ibu balita",
    "vitamin_a": "Pembagian vitamin A",
    "pelacakan": "Pelacakan kasus",
    "lainnya": "Lainnya",
}
OUTREACH_TOPICS = {
    "germas": "GERMAS",
    "isi_piringku": "Isi Piringku (gizi seimbang)",
    "anemia": "Anemia",
    "aktivitas_fisik": "Aktivitas fisik",
    "rokok": "Bahaya merokok",
    "phbs": "PHBS (hidup bersih dan sehat)",
    "mpasi": "MP-ASI",
    "lainnya": "Lainnya",
}
OUTREACH_TARGETS = {**TARGET_GROUPS, "umum": "Masyarakat umum"}
FUNDING = {
    "bok": "BOK",
    "dana_desa": "Dana Desa/APBDes",
    "apbd": "APBD",
    "swadaya": "Swadaya",
    "lainnya": "Lainnya",
}
OUTREACH_CHECKS = {
    "participants_min": "Jumlah peserta (laki-laki + perempuan) paling sedikit 1.",
    "participants_many": "Peserta {total} orang, lebih dari 300.",
    "referred_le_served": "Orang dirujuk ({dirujuk}) tidak boleh lebih dari yang dilayani ({dilayani}).",
}

# --- telegram ----------------------------------------------------------------------------
# The command menu Telegram shows next to the text box (setMyCommands), in display order.
TELEGRAM_COMMANDS = {
    "mulai": "Mulai dan lihat petunjuk singkat",
    "lapor": "Isi laporan Posyandu",
    "status": "Laporan bulan ini yang belum dikirim",
    "jadwal": "Hari Posyandu, batas laporan, lokakarya mini",
    "rekap": "Rekap bulanan wilayah Anda",
    "bantuan": "Petunjuk pemakaian",
    "batal": "Hentikan laporan yang sedang diisi",
}
TELEGRAM_NOT_TEXT = (
    "Maaf, saya hanya bisa membaca pesan teks dan tombol. Foto, stiker, pesan suara, lokasi "
    "dan berkas tidak dibaca. Silakan ketik jawaban Anda."
)
TELEGRAM_EDITED = (
    "Pesan yang diedit tidak dibaca. Kirim jawaban sebagai pesan baru; untuk memperbaiki "
    "jawaban sebelumnya, ketik kembali."
)

# --- whatsapp ------------------------------------------------------------------------
# Read only by the WhatsApp adapter (bot/channels/whatsapp*.py).
WA_UNSUPPORTED = (
    "Maaf, saya hanya bisa membaca pesan teks dan pilihan tombol. "
    "Silakan ketik jawaban Anda, atau ketik bantuan."
)
WA_LIST_BUTTON = "Pilih jawaban"
WA_CHOOSE = "Silakan pilih:"

# --- reminders -------------------------------------------------------------------------
# Proactive messages from the scheduler (handlers/reminders/jobs) and the jadwal command.
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
TODAY = "hari ini"
TOMORROW = "besok"
REMIND_MORE = "… dan {count} lainnya."
REMIND_POSYANDU_DAY = (
    "📅 Pengingat: hari Posyandu {posyandu} {when}. Siapkan timbangan, Buku KIA dan daftar "
    "sasaran. Setelah selesai, ketik lapor untuk mengirim laporan bulanan."
)
REMIND_POSYANDU_DAY_BIDAN = "📅 Pengingat: hari Posyandu {posyandu} {when}."
REMIND_REPORT_DUE = (
    "📝 Laporan bulanan {period} untuk {posyandu} belum masuk. Batas waktunya {deadline}. "
    "Ketik lapor untuk mengisinya sekarang."
)
REMIND_OVERDUE_BIDAN = (
    "⏰ Batas laporan bulanan {period}: {deadline}. {count} Posyandu Ibu belum melapor:"
)
REMIND_OVERDUE_LINE = "• {posyandu} — kader: {kader}"
REMIND_NO_KADER = "belum terdaftar"
REMIND_UNREACHABLE = (
    "⚠️ Belum bisa dihubungi bot: {people}. Mohon hubungi langsung lewat telepon atau SMS."
)
REMIND_OVERDUE_BIDAN_FOOTER = (
    "Mohon ingatkan kadernya untuk mengetik lapor. Ketik status untuk melihat daftar terbaru."
)
REMIND_OVERDUE_PUSKESMAS = (
    "⏰ Batas laporan bulanan {period} ({deadline}) sudah lewat. {count} Posyandu di wilayah "
    "{puskesmas} belum melapor:"
)
REMIND_OVERDUE_DESA_LINE = "• {desa}: {posyandu} — bidan: {bidan}"
REMIND_NO_BIDAN = "belum terdaftar"
REMIND_OVERDUE_PUSKESMAS_FOOTER = (
    "Mohon tindak lanjuti bersama bidan desa. Ketik status untuk rinciannya."
)
REMIND_COMPLETENESS = "{period}: {reported} dari {total} Posyandu ({percent}%)"
REMIND_LOKMIN_BULANAN = (
    "🗓️ Lokakarya mini bulanan {puskesmas}: {when}. Kelengkapan laporan {completeness}. "
    "Ketik status untuk melihat Posyandu yang belum melapor."
)
REMIND_LOKMIN_TRIBULANAN = (
    "🗓️ Lokakarya mini tribulanan {puskesmas} bersama lintas sektor: {when}. Kelengkapan "
    "laporan tiga bulan terakhir: {completeness}. Siapkan rekap triwulan; ketik status untuk "
    "rinciannya."
)
REMIND_DRAFT_EXPIRING = (
    "⏳ Laporan {title} Anda belum selesai dan akan terhapus {when} pukul {time}. "
    "Ketik lapor untuk melanjutkan, atau batal untuk membuangnya."
)
JADWAL_HEADER = "📅 Jadwal Anda:"
JADWAL_POSYANDU = "• Hari Posyandu {posyandu}: {day}"
JADWAL_POSYANDU_UNSET = "• Hari Posyandu {posyandu}: belum diatur (hubungi Puskesmas)"
JADWAL_DEADLINE = "• Batas laporan bulanan {period}: {day}"
JADWAL_LOKMIN = "• Lokakarya mini bulanan {puskesmas}: {day}"

"""The engine's own words, in Bahasa Indonesia: hints, errors, warnings, the summary, buttons.

What the engine says about any form (how to type an answer, what was wrong
with it, the summary and its buttons) and the words it listens for in every
question (``kembali``, ``lewati``, ``batal``, ``kirim``, ``ubah N``). A form's
own words (its questions, options and checks) live with the form in
``conversations/forms/``; month and day names with the calendar in
``conversations/periods.py``. Short, friendly, plain words: the reader is a
volunteer kader on a cheap phone. Placeholders use ``str.format`` names.
"""

from __future__ import annotations

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
WARN_APPROXIMATE = "Laporan perlu angka pasti; Anda menulis '{answer}', dicatat {number}."
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
WARN_CONFIRM = "⚠️ {message}\nApakah angka ini sudah benar? (Ya/Tidak, atau ketik angka yang benar)"
WARN_CONFIRM_DATE = "⚠️ {message}\nApakah tanggal ini sudah benar?"
WARN_REENTER = "Baik, silakan ketik ulang."
SUMMARY_HEADER = "Periksa dulu laporan {title} {subject}:"
SUMMARY_SKIPPED = "dilewati"
SUMMARY_OFFERED = "tidak diisi (ubah untuk mengisi)"
SUMMARY_FOOTER = "Ketik kirim untuk mengirim, ubah N untuk mengubah nomor N, atau batal."
SUMMARY_UNKNOWN = "Laporan belum terkirim. " + SUMMARY_FOOTER
SUBMITTED = "✅ Terima kasih! Laporan {title} {subject} sudah tersimpan."
CANCELLED = "Laporan dibatalkan, tidak ada yang disimpan."
EXPIRED = "Draf laporan {title} sudah kedaluwarsa (lebih dari {days} hari) dan dihapus."
FORM_UPDATED = (
    "ℹ️ Formulir ini sudah diperbarui. Jawaban Anda tetap tersimpan; "
    "lanjutkan dari pertanyaan berikut."
)
FORM_UPDATED_LOST = (
    "ℹ️ Formulir ini sudah diperbarui. Jawaban yang masih cocok tetap tersimpan; "
    "yang ini tidak dipakai lagi: {labels}. Lanjutkan dari pertanyaan berikut."
)
FORM_GONE = (
    "ℹ️ Formulir draf Anda sudah tidak dipakai lagi, jadi draf itu ditutup. "
    "Ketik lapor untuk mulai laporan baru."
)
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

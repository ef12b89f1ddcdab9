"""What only a channel adapter says, in Bahasa Indonesia: Telegram's and WhatsApp's own texts.

The command menu Telegram shows, its contact button, and the answers to what a
channel cannot pass on to the core (a photo, an edited message, someone
else's contact); WhatsApp's list button. Everything else a user reads comes
from the core.
"""

from __future__ import annotations

# --- telegram (bot/channels/telegram*.py) ------------------------------------------
BUTTON_SHARE_CONTACT = "📱 Bagikan nomor HP"
CONTACT_NOT_OWN = (
    "Maaf, yang dibagikan harus nomor HP Anda sendiri. Tekan tombol 'Bagikan nomor HP'."
)
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
BUTTON_SHARE_LOCATION = "📍 Kirim lokasi"
TELEGRAM_NOT_TEXT = (
    "Maaf, saya hanya bisa membaca pesan teks dan tombol. Foto, stiker, pesan suara, lokasi "
    "dan berkas tidak dibaca. Silakan ketik jawaban Anda."
)
TELEGRAM_EDITED = (
    "Pesan yang diedit tidak dibaca. Kirim jawaban sebagai pesan baru; untuk memperbaiki "
    "jawaban sebelumnya, ketik kembali."
)

# --- whatsapp (bot/channels/whatsapp*.py) ------------------------------------------
WA_UNSUPPORTED = (
    "Maaf, saya hanya bisa membaca pesan teks dan pilihan tombol. "
    "Silakan ketik jawaban Anda, atau ketik bantuan."
)
WA_LIST_BUTTON = "Pilih jawaban"
WA_CHOOSE = "Silakan pilih:"

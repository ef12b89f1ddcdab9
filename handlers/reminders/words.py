"""What the reminders and ``jadwal`` say, in Bahasa Indonesia.

The proactive messages of the scheduler's jobs (``handlers/reminders/jobs/``)
and the lines of the ``jadwal`` command, which lists the same dates the
reminders are built from. Placeholders use ``str.format`` names.
"""

from __future__ import annotations

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
REMIND_VISITS_WEEKLY = (
    "🏠 Kunjungan rumah minggu lalu ({first} – {last}): {count} kunjungan. Menurut kategori "
    "kajian mingguan:"
)
REMIND_VISITS_CATEGORY = "• {category}: {count}"
REMIND_VISITS_POSYANDU = "Per Posyandu: {posyandu}."
REMIND_VISITS_POSYANDU_ITEM = "{posyandu} {count}"
REMIND_VISITS_FOOTER = "Mohon tindak lanjuti bersama kader. Ketik rekap untuk rinciannya."
JADWAL_HEADER = "📅 Jadwal Anda:"
JADWAL_POSYANDU = "• Hari Posyandu {posyandu}: {day}"
JADWAL_POSYANDU_UNSET = "• Hari Posyandu {posyandu}: belum diatur (hubungi Puskesmas)"
JADWAL_DEADLINE = "• Batas laporan bulanan {period}: {day}"
JADWAL_LOKMIN = "• Lokakarya mini bulanan {puskesmas}: {day}"

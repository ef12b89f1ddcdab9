"""What the roster's admin commands tell the operator (``people link``, ``people unlink``)."""

from __future__ import annotations

ACCOUNT_NO_PERSON = "Nomor {phone} tidak ada di roster (atau tidak aktif)."
ACCOUNT_LINKED = "Akun Telegram {account} sekarang terhubung ke {name} ({phone})."
ACCOUNT_ALREADY = (
    "Akun Telegram {account} sudah terhubung ke {name} ({phone}); tidak ada perubahan."
)
ACCOUNT_TAKEN = (
    "Akun Telegram {account} sudah terhubung ke orang lain. Lepaskan dulu dengan "
    "people unlink NOMOR --telegram {account}."
)
ACCOUNT_UNLINKED = "Akun Telegram {account} dilepas dari {name} ({phone})."
ACCOUNT_NOT_LINKED = "Akun Telegram {account} tidak terhubung ke {name} ({phone})."
ACCOUNT_BAD_ID = "ID pengguna Telegram harus angka, mis. 123456789."

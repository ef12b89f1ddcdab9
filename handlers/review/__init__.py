"""Supervision's handlers wing: the bidan checks and returns reports, the Puskesmas approves.

:mod:`.commands` answers ``periksa``, ``lihat``, ``sesuai``, ``kembalikan``,
``perbaiki``, ``setujui``, ``buka kunci``, ``riwayat`` and ``kinerja``, finding
the Posyandu and month with :mod:`.target`; :mod:`.actions` verifies and
returns; :mod:`.hooks` is where a submitted report meets the lock and the
bidan's notice; :mod:`.view` shows a stored report by its form;
:mod:`.status` is the rekap's per-status counts and the ``Kinerja kader``
sheet. Every sentence is in :mod:`.words`; the storage wing is
:mod:`storage.review`.
"""

from handlers.review import words as W
from handlers.review.commands import (
    approve,
    check,
    fix,
    give_back,
    history,
    kinerja,
    show,
    unlock,
    verify,
)

HELP = W.HELP
"""What ``bantuan`` adds about supervision, per role."""

COMMANDS = {
    W.CMD_CHECK: check,
    W.CMD_VIEW: show,
    W.CMD_VERIFY: verify,
    W.CMD_RETURN: give_back,
    W.CMD_FIX: fix,
    W.CMD_APPROVE: approve,
    W.CMD_UNLOCK: unlock,
    W.CMD_HISTORY: history,
    W.CMD_KINERJA: kinerja,
}
"""The supervision commands by the word that names them (see :mod:`.words`)."""

__all__ = [
    "COMMANDS",
    "HELP",
    "approve",
    "check",
    "fix",
    "give_back",
    "history",
    "kinerja",
    "show",
    "unlock",
    "verify",
]

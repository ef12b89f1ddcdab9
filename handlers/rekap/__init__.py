"""The rekap's handlers wing: the ``rekap`` and ``tinjau`` commands and every way a rekap is shown.

:mod:`.command` answers the chat commands, reading what people type with
:mod:`.args`; a rekap is rendered as chat text (:mod:`.text`), an Excel
workbook (:mod:`.xlsx`), a chart (:mod:`.chart`) or CSV, made into files by
:mod:`.files`, which also serves the command line (:func:`export`); numbers and
area names are written by :mod:`.format`, every sentence is in :mod:`.words`.
The figures come from the storage wing, :mod:`storage.rekap`.
"""

from handlers.rekap.command import review, show
from handlers.rekap.files import (
    BINARY,
    HEADERS,
    OUTPUTS,
    Export,
    UnknownAreaError,
    UnknownMonthError,
    export,
)

__all__ = [
    "BINARY",
    "HEADERS",
    "OUTPUTS",
    "Export",
    "UnknownAreaError",
    "UnknownMonthError",
    "export",
    "review",
    "show",
]

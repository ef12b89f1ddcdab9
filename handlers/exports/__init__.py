"""Exports that end double entry: DHIS2 imports, the long table and the layouts staff retype.

Each is a renderer of stored answers through the form schema: the data
elements are the form's numeric fields (:mod:`.values`), the area and months
are checked once (:mod:`.scope`), and a mapping file points our codes at a
DHIS2 instance (:mod:`.mapping`).
"""

from handlers.exports.scope import BadPeriodError, UnknownAreaError

__all__ = ["BadPeriodError", "UnknownAreaError"]

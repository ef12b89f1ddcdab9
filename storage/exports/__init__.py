"""The exports' storage wing: the latest monthly answers of each Posyandu, with its regions.

Exports (DHIS2, the long table, the layouts staff retype) read stored
answers as they are and let the form schema decide which of them are data
elements; this wing only finds the revisions that count (:mod:`.filed`) and
keeps each kabupaten's targets (:mod:`.targets`, table in :mod:`.models`).
"""

from storage.exports.filed import Filed, Place, filed_monthly
from storage.exports.models import AchievementBand, IndicatorTarget
from storage.exports.targets import (
    kabupaten_bands,
    kabupaten_names,
    kabupaten_targets,
    save_bands,
    save_targets,
)

__all__ = [
    "AchievementBand",
    "Filed",
    "IndicatorTarget",
    "Place",
    "filed_monthly",
    "kabupaten_bands",
    "kabupaten_names",
    "kabupaten_targets",
    "save_bands",
    "save_targets",
]

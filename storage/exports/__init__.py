"""The exports' storage wing: the latest monthly answers of each Posyandu, with its regions.

Exports (DHIS2, the long table, the layouts staff retype) read stored
answers as they are and let the form schema decide which of them are data
elements; this wing only finds the revisions that count.
"""

from storage.exports.filed import Filed, Place, filed_monthly, places_in

__all__ = ["Filed", "Place", "filed_monthly", "places_in"]

"""The roster wing: who may report for which Posyandu, read from an admin's file.

``file`` reads and validates a CSV or XLSX roster (Indonesian errors with
line numbers, nothing imported from a file with errors), ``conflicts`` finds
rows that contradict each other, and ``demo`` loads the demo district, whose
roster is the packaged ``demo_roster.csv`` read by the same importer.
``accounts`` links a chat account to a roster person by hand (support staff,
audited), its messages in ``words``. The writing side is ``storage.roster``
(and ``storage.identities`` for the accounts).
"""

"""The reminders' queries and tables: who gets a reminder, when, and the outbox's sending.

``recipients`` finds who a reminder goes to (and whether a channel reaches
them); ``schedule`` holds what places reminders on the calendar (kabupaten
facts, the admin's overrides) and the occurrences already run; ``dispatch``
claims outbox rows for sending and settles them; ``summaries`` takes the
monthly summary snapshot after the deadline; ``models`` are their tables.
Queuing a message is general (``storage.outbox``): submissions enqueue alerts too.
"""

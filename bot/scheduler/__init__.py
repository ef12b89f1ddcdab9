"""Reminders and escalation: rules as data, a tick that queues them, a dispatcher that sends.

``rules`` (defaults) and ``jobs`` (one module per rule) decide who gets what
and when; ``timing`` and ``holidays`` say when a message may go out; ``tick``
queues due occurrences in the outbox; ``dispatcher`` and ``pacing`` send them
within the platforms' limits; ``service`` runs both inside ``python -m bot
run``; ``cli`` holds the ``jobs`` and ``schedule`` commands. Every query is in
``storage`` (``reminders``, ``schedule``, ``dispatch``, ``summaries``).
"""

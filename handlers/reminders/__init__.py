"""Reminders and escalation: rules as data, a tick that queues them, a dispatcher that sends.

``rules`` (defaults) and ``jobs`` (one module per rule) decide who gets what
and when; ``timing`` and ``holidays`` say when a message may go out;
``planner`` says when each job runs next; ``tick`` queues due occurrences in
the outbox; ``dispatcher`` and ``pacing`` send them within the platforms'
limits through any :class:`handlers.delivery.Sender`; ``admin`` is what the
operator's ``jobs`` and ``schedule`` commands do; ``jadwal`` is the chat
command that shows the same dates. Every query is in ``storage.reminders``;
``bot.scheduling`` only starts the tick and the dispatcher in ``python -m bot run``.
"""

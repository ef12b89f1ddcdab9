"""The web wing: sign-in by one-time links sent in chat, and the review pages.

:mod:`.command` is the chat side (``web``), :mod:`.tokens` makes and hashes
the one-time links, :mod:`.session` signs browsers in and out and checks
CSRF tokens, :mod:`.pages` answers the review pages and downloads from the
rekap wing's figures, rendered by the Jinja2 templates in ``templates/``;
:mod:`.app` puts the routes on the one aiohttp server. Every sentence is in
:mod:`.words`. The storage side is :mod:`storage.web`.
"""

"""Wiring: configuration, command line, channel adapters, web server, scheduler."""

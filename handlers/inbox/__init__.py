"""Inbound messages stored before the platform is acknowledged, then processed in order.

``whatsapp`` is the WhatsApp channel's inbox worker; the adapter in
``bot/channels/whatsapp.py`` only translates webhooks and sends.
"""

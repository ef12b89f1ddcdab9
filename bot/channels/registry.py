"""The chat channels ``python -m bot run`` can start: one registration line per channel.

Each adapter module declares its :class:`~handlers.channels.ChannelInfo` (name, limits,
whom it reaches, its message window) and a :class:`~bot.channels.base.Registration` (when
the settings configure it, what account its limit is counted by, how it is built). This
list is the only place that names them: the runner, the scheduler, the pacing and the
reminder queries read the declarations through it. Adding a channel is one adapter module
plus one line here (README, "Adding a channel").
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.channels import telegram, whatsapp
from bot.channels.base import Channel, Registration
from bot.config import Settings
from handlers.channels import ChannelInfo
from handlers.mailroom import Mailroom
from handlers.reminders.pacing import Pacing

CHANNELS: tuple[Registration, ...] = (
    telegram.REGISTRATION,
    whatsapp.REGISTRATION,
)


def configured(
    settings: Settings, registrations: Sequence[Registration] = CHANNELS
) -> tuple[ChannelInfo, ...]:
    """The declarations of the channels the settings configure, with their rates applied."""
    return tuple(r.effective(settings) for r in registrations if r.configured(settings))


def build_channels(
    settings: Settings,
    mailroom: Mailroom,
    pacing: Pacing,
    registrations: Sequence[Registration] = CHANNELS,
) -> list[Channel]:
    """Every configured channel, attached to ``mailroom``, with the pace of its account."""
    channels = []
    for registration in registrations:
        if registration.configured(settings):
            info = registration.effective(settings)
            pace = pacing.pace(info, registration.account(settings))
            channels.append(registration.build(settings, mailroom, pace))
    return channels


def polled(
    settings: Settings, registrations: Sequence[Registration] = CHANNELS
) -> list[tuple[str, str]]:
    """``(channel, account)`` of each configured channel that long-polls (one process each)."""
    return [
        (r.info.name, r.account(settings))
        for r in registrations
        if r.configured(settings) and r.polls(settings)
    ]

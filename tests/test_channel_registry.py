"""A new channel is one module plus one registration line.

Why: the README promises it, and a recipe that misses a file is worse than none. A fake SMS
gateway, registered here and nowhere else, is started from the settings, reaches people
by their roster phone in the reminder queries, gets the scheduler's reminders through the
dispatcher, and keeps its declared pace, with no other change to the code.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

from bot.channels.base import Registration
from bot.channels.registry import CHANNELS, build_channels, configured
from bot.config import Settings
from bot.scheduling import scheduling, tick_config
from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers.channels import ChannelInfo, Limit
from handlers.reminders.pacing import Pace, Pacing
from handlers.reminders.tick import tick
from storage import Database
from tests.fake_channel import TELEGRAM, WHATSAPP, FakeChannel
from tests.scheduler_roster import PHONES, load_two_zone_roster

SMS = ChannelInfo("sms", Limit(per_second=1), reaches_phones=True)
AT = datetime(2026, 11, 2, 2, tzinfo=UTC)  # Monday 09:00 WIB: report_due for October


class SmsGateway(FakeChannel):
    """The new channel's adapter: sends through a fake gateway, holding the pace it is given."""

    def __init__(self, pace: Pace) -> None:
        super().__init__(pace.info, pace.info.limit)
        self.pace = pace


REGISTRATIONS = (
    *CHANNELS,
    Registration(
        SMS,
        configured=lambda _settings: True,
        account=lambda _settings: "gateway-1",
        build=lambda _settings, _core, pace: SmsGateway(pace),
    ),
)


def unreachable(database: Database, settings: Settings, channels: list[ChannelInfo]) -> set[str]:
    config = tick_config(settings, channels)
    reports = tick(database, AT, config, only="report_due", force=True)
    return {person.name for report in reports for person in report.unreachable}


def test_a_registered_channel_reaches_people_by_phone_through_the_dispatcher_at_its_pace(
    database,
):
    load_two_zone_roster(database)
    settings = Settings(_env_file=None, holidays="2026-11-03")
    assert configured(settings, REGISTRATIONS) == (SMS,)
    [sms] = build_channels(settings, Service(database, Engine(ALL_FORMS)), Pacing(), REGISTRATIONS)
    assert isinstance(sms, SmsGateway) and sms.pace.info == SMS

    # Budi blocked the bot on WhatsApp: SMS, which reaches every roster phone, still reaches him.
    assert "Budi" in unreachable(database, settings, [TELEGRAM, WHATSAPP])
    assert unreachable(database, settings, [SMS]) == set()

    async def main() -> None:
        async with scheduling(database, [sms], settings, clock=lambda: AT):
            for _ in range(200):
                if len(sms.sent) == 4:
                    break
                await asyncio.sleep(0.05)

    asyncio.run(main())
    assert sorted(sent.user_id for sent in sms.sent) == sorted(
        PHONES[name].removeprefix("+") for name in ("Ayu", "Budi", "Dewi", "Siti")
    )
    times = [sent.monotonic for sent in sms.sent]
    assert all(later - earlier > 1.0 for earlier, later in itertools.pairwise(times))

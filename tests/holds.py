"""A platform request kept open: the bot sees its send in flight for as long as a test wants.

Both fakes (the Bot API emulator and the fake Graph API) offer ``hold``: the
next matching send waits, either before the platform takes the message
(``performed=False``: a bot killed meanwhile never got it delivered) or after
(``performed=True``: the person has the message, the bot never heard so, which
is the send a crash may double). Crash tests kill the bot while it waits.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

WAIT_SECONDS = 30.0


@dataclass(eq=False)
class Hold:
    """One held send: set up with the fake's ``hold``, ended with :meth:`release`."""

    performed: bool = False
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        self.released.set()

    async def wait_arrived(self, timeout: float = WAIT_SECONDS) -> None:
        """Wait until the bot's request is being held."""
        try:
            async with asyncio.timeout(timeout):
                await self.arrived.wait()
        except TimeoutError:
            raise AssertionError(f"no held request within {timeout}s") from None

    async def keep(self) -> None:
        """Called by the fake: hold the request until released."""
        self.arrived.set()
        await self.released.wait()

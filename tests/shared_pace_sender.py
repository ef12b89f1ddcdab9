"""One sending process of the shared-pace test: ``python -m tests.shared_pace_sender ...``.

Builds the WhatsApp Graph client as ``python -m bot run`` does (its pace from
:class:`~handlers.reminders.pacing.Pacing` on Redis), says ``ready``, waits for a line on
stdin so that every process starts at once, then sends its messages all together.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.channels.whatsapp import INFO
from bot.channels.whatsapp_client import GraphClient
from bot.channels.whatsapp_payload import render_reply
from conversations import Reply
from handlers.reminders.pacing import Pacing


async def main(args: argparse.Namespace) -> None:
    pacing = Pacing(args.redis_url)
    pace = pacing.pace(INFO.at_rate(args.rate), args.phone_number_id)
    client = GraphClient(args.base_url, args.phone_number_id, args.token, pace=pace)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    bodies = [
        body
        for n in range(args.count)
        for body in render_reply(f"62811{args.process}{n:05d}", Reply("Halo"))
    ]
    try:
        await asyncio.gather(*(client.send_message(body) for body in bodies))
    finally:
        await client.aclose()
        await pacing.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for name in ("redis_url", "base_url", "phone_number_id", "token"):
        parser.add_argument(name)
    parser.add_argument("--process", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    asyncio.run(main(parser.parse_args()))

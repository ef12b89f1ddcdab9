"""The web app on a real aiohttp server in a thread, for HTTP and browser tests.

The server runs its own event loop in a background thread, so tests (and
Playwright's synchronous API) talk to it over 127.0.0.1 like a browser would.
Links are asked for the way people ask: the chat command ``web`` through the
core service.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web

from conversations import ALL_FORMS, Engine, Inbound
from handlers import Service
from handlers.web.app import install
from storage import Database
from tests.conftest import Clock

DINKES = "+6281200000301"
PUSKESMAS_SUKAMAJU = "+6281200000201"
PUSKESMAS_CIBENING = "+6281200000202"
BIDAN_SUKAMAJU = "+6281200000101"
KADER = "+6281200000001"
LINK = re.compile(r"https?://\S+/masuk/\S+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class WebApp:
    """A running web app: its address, database, clock and the chat service that sends links."""

    url: str
    database: Database
    clock: Clock
    service: Service

    def say(self, phone: str, text: str) -> str:
        """What the bot answers ``phone`` on the console, all replies joined."""
        self.service.link("console", phone, phone)
        inbound = Inbound("console", phone, uuid.uuid4().hex, text)
        return "\n".join(reply.text for reply in self.service.handle(inbound))

    def say_all(self, phone: str, lines: list[str]) -> str:
        """Each line in turn from ``phone``; every answer, joined."""
        return "\n".join(self.say(phone, line) for line in lines)

    def link(self, phone: str) -> str:
        """A fresh one-time sign-in link, asked for in chat with ``web``."""
        found = LINK.search(self.say(phone, "web"))
        assert found, "the web command sent no link"
        return found.group(0)


BOT_TOKEN = "123456:TEST-token-for-the-mini-app"


def init_data(user_id: int, auth_date: datetime, token: str = BOT_TOKEN) -> str:
    """``initData`` as Telegram signs it (core.telegram.org/bots/webapps, "Validating data").

    The data-check string is every field but ``hash``, sorted, ``key=value`` per line; the key
    is HMAC-SHA256 of the bot token under the constant ``WebAppData``.
    """
    fields = {
        "auth_date": str(int(auth_date.timestamp())),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps({"id": user_id, "first_name": "Siti"}, separators=(",", ":")),
    }
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


@contextmanager
def running(database: Database, clock: Clock, base_url: str | None = None) -> Iterator[WebApp]:
    """Serve the web app on a free port until the block ends (``base_url``: as configured)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    base_url = base_url or url
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    stop = asyncio.Event()

    async def main() -> None:
        app = web.Application()
        install(app, database, base_url, clock, bot_token=BOT_TOKEN)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()
        await stop.wait()
        await runner.cleanup()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10), "the web app did not start"
    service = Service(database, Engine(ALL_FORMS), clock=clock, web_url=base_url)
    try:
        yield WebApp(url, database, clock, service)
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


def chromium_path() -> str | None:
    """Debian's Chromium (never a browser Playwright downloads), or None where it is missing."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    path = Path("/usr/bin/chromium")
    return str(path) if path.exists() else None


def shots_folder(tmp_path: Path) -> Path:
    """Where a test keeps its screenshots: ``WEB_SCREENSHOTS`` when set, else its own folder."""
    folder = Path(os.environ.get("WEB_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder

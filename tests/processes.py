"""Real bot processes for crash tests: ``python -m bot …`` with its settings in the environment.

A crash test starts ``python -m bot run`` (or a one-off command) as a child
process against fakes served by the test process (the Bot API emulator, the
fake Graph API), kills it with SIGKILL at the moment it wants, and starts it
again on the same database. Nothing in the bot knows it is being tested: the
settings are the ones an operator sets (DESIGN.md's environment contract).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

START_SECONDS = 45.0
"""How long a start may take: a loaded machine (``pytest -n``) imports slowly."""
SETTINGS_PREFIXES = ("TELEGRAM_", "WHATSAPP_", "DATABASE_URL", "HTTP_", "INBOX_", "RATE_LIMIT_")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def bot_environment(folder: Path, **settings: Any) -> dict[str, str]:
    """This environment without any bot setting of its own, plus ``settings`` (upper-cased)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIXES)}
    env.update(
        {
            "MEDIA_DIR": str(folder / "media"),
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({name.upper(): str(value) for name, value in settings.items()})
    return env


class BotProcess:
    """One ``python -m bot run`` after another on the same settings; each run's log kept."""

    def __init__(self, folder: Path, env: Mapping[str, str], port: int) -> None:
        self.folder = folder
        self.env = dict(env)
        self.port = port
        self.starts = 0
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        """Everything the runs so far wrote to stderr (for assertion messages)."""
        return "\n".join(
            (self.folder / f"run-{n}.log").read_text(errors="replace")
            for n in range(1, self.starts + 1)
        )

    async def start(self, ready: Callable[[], Awaitable[object]] | None = None) -> float:
        """Start ``run`` and wait until it serves ``/healthz`` and ``ready`` returns; seconds."""
        assert self._process is None or self._process.returncode is not None
        self.starts += 1
        began = time.monotonic()
        with open(self.folder / f"run-{self.starts}.log", "wb") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env=self.env,
                cwd=self.folder,
                stdout=log,
                stderr=log,
            )
        try:
            async with asyncio.timeout(START_SECONDS):
                await self._serving()
                if ready is not None:
                    await ready()
        except TimeoutError:
            raise AssertionError(f"python -m bot run did not start:\n{self.log}") from None
        return time.monotonic() - began

    async def _serving(self) -> None:
        async with httpx.AsyncClient() as client:
            while True:
                assert self._process is not None
                if self._process.returncode is not None:
                    raise AssertionError(f"python -m bot run exited:\n{self.log}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(self.url + "/healthz")).status_code == 200:
                        return
                await asyncio.sleep(0.1)

    async def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed, every connection drops."""
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGKILL)
            await self._process.wait()

    async def stop(self) -> int:
        """SIGTERM, as an operator stops it; its exit code."""
        assert self._process is not None
        if self._process.returncode is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self._process.wait(), 30)
            except TimeoutError:
                await self.kill()
        assert self._process.returncode is not None
        return self._process.returncode


@contextlib.asynccontextmanager
async def bot_process(folder: Path, env: Mapping[str, str], port: int) -> AsyncIterator[BotProcess]:
    """A :class:`BotProcess` that is killed when the block ends, however it ends."""
    process = BotProcess(folder, env, port)
    try:
        yield process
    finally:
        await process.kill()


async def run_command(
    folder: Path, env: Mapping[str, str], *args: str
) -> asyncio.subprocess.Process:
    """Start ``python -m bot ARGS`` (a one-off command), its stdout piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=dict(env),
        cwd=folder,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )

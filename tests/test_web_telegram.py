"""The Mini App button on Telegram, and ``lapor formulir`` links elsewhere.

The button goes through both Telegram libraries to the Bot API emulator; the
link through the console, then a real browser opens it once.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest

from conversations import ALL_FORMS, Engine
from handlers import Service
from handlers.roster.demo import seed_demo
from handlers.web import words as W
from storage import Database, reports
from tests.conftest import Clock
from tests.roster import KADER as TEST_KADER
from tests.test_telegram_channel import SITI_ID, Kader, library, polling_bot, register, tg
from tests.web_app import KADER, WebApp, chromium_path, running

HTTPS_WEB = "https://posyandu.example.go.id"
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
FORM_LINK = re.compile(r"http://\S+/app/lapor/masuk/\S+")

__all__ = ["library", "tg"]


@pytest.fixture
async def siti_on_https(tg, library, database, service, clock) -> AsyncIterator[Kader]:
    core = Service(database, Engine(ALL_FORMS), clock=clock, web_url=HTTPS_WEB)
    async with polling_bot(tg, library, core):
        kader = Kader(tg.user(SITI_ID, "Siti", phone=TEST_KADER))
        await register(kader)
        yield kader


async def test_the_lapor_menu_offers_the_form_as_a_mini_app(siti_on_https):
    menu = await siti_on_https.says("lapor", expect="Laporan apa yang ingin Anda isi?")
    last_row = menu.inline_keyboard[-1]
    assert last_row == [{"text": W.APP_BUTTON, "web_app": {"url": HTTPS_WEB + "/app/lapor"}}]
    button = await siti_on_https.says("lapor formulir", expect="formulir")
    assert button.inline_keyboard[-1][0]["web_app"]["url"] == HTTPS_WEB + "/app/lapor"


@pytest.fixture(scope="module")
def demo(module_database: Database) -> Iterator[WebApp]:
    seed_demo(module_database, NOW)
    with running(module_database, Clock(NOW)) as app:
        yield app


def test_without_https_telegram_gets_no_button_and_the_console_a_one_time_link(demo):
    assert "web_app" not in repr(demo.say(KADER, "lapor"))
    answer = demo.say(KADER, "lapor formulir")
    assert FORM_LINK.search(answer), answer


@pytest.mark.skipif(chromium_path() is None, reason="no Chromium found (apt-get install chromium)")
def test_the_form_link_opens_the_form_once_and_stores_a_web_revision(demo):
    from playwright.sync_api import sync_playwright

    from tests.test_web_miniapp import ASKED_YES, DATES, HELD_ON, MONTH

    link = FORM_LINK.search(demo.say(KADER, "lapor formulir")).group(0)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium_path())
        page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        page.goto(link)
        page.wait_for_selector("#send:not([hidden])")
        page.select_option(f"#f-{MONTH.name}", "2026-11")
        for item in ASKED_YES:
            page.select_option(f"#f-{item.name}", "ya")
        for item in DATES:
            page.fill(f"#f-{item.name}", HELD_ON)
        page.click("#send")
        page.wait_for_selector("#message.ok, #message.error, #confirm:not([hidden])")
        if page.is_visible("#confirm"):
            page.click("#confirm")
            page.wait_for_selector("#message.ok")
        assert "Terkirim" in page.inner_text("#message")
        again = browser.new_context().new_page()
        assert again.goto(link).status == 403
        browser.close()
    with demo.database.transaction() as session:
        (latest,) = reports.revisions(session, reports.monthly_key("PY-001", "2026-11"))
    assert latest.channel == "web"

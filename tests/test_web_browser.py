"""The web app in a real browser: Playwright driving Debian's Chromium over the demo district.

Playwright never downloads a browser here: it starts the system's
``chromium`` (``apt-get install chromium``; ``.ci/run`` installs it). Where
none is installed the tests skip, saying so. Screenshots at 360 and 1280 px
are written to the test's folder, or to ``WEB_SCREENSHOTS`` when set (the
README's picture is made that way).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime

import openpyxl
import pytest

from conversations.forms import MONTHLY
from handlers.rekap import export
from handlers.roster.demo import seed_demo
from storage import Database
from tests.conftest import Clock
from tests.web_app import (
    DINKES,
    PUSKESMAS_SUKAMAJU,
    WebApp,
    chromium_path,
    running,
    shots_folder,
)

playwright_api = pytest.importorskip("playwright.sync_api")

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
PERIOD = "2026-10"
CORRECTED_PERIOD = "2026-09"
"""The demo corrects Mawar's (PY-003) report two months back."""
PAGE_LIMIT = 150 * 1024
HEADLINE = MONTHLY.indicator(MONTHLY.headline).label
CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found: install Debian's chromium (apt-get install chromium) to run "
    "the browser tests",
)


@pytest.fixture(scope="module")
def demo(module_database: Database) -> Iterator[WebApp]:
    seed_demo(module_database, NOW)
    with running(module_database, Clock(NOW)) as app:
        yield app


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def csv_figures(app: WebApp, area: str, period: str) -> tuple[str, str]:
    """Completeness and D/S computed from the rekap CSV, as whole percentages."""
    made = export(app.database, "csv", period=period, area=area, now=NOW, timezone="Asia/Jakarta")
    rows = list(csv.DictReader(io.StringIO(made.content.decode("utf-8"))))
    reported = sum(int(row["reported"]) for row in rows)
    s = sum(int(row["S"]) for row in rows if row["S"])
    d = sum(int(row["D"]) for row in rows if row["D"])
    return f"{round(100 * reported / len(rows))}%", f"{round(100 * d / s)}%"


def card(page, label: str) -> str:
    return page.locator(f'[data-card="{label}"] b').inner_text()


def test_a_dinkes_officer_signs_in_and_sees_the_rekap_of_the_csv(demo, page):
    response = page.goto(demo.link(DINKES))
    assert response.ok and page.url.endswith("/rekap")
    assert "Agus Santoso" in page.inner_text("header")
    page.goto(f"{demo.url}/rekap?wilayah=32.99&bulan={PERIOD}")
    completeness, ds = csv_figures(demo, "32.99", PERIOD)
    assert card(page, "Kelengkapan") == completeness
    assert card(page, HEADLINE) == ds
    assert "Seruni" in page.inner_text("ul.missing")  # PY-010 has not reported
    assert "+6281200000010" in page.inner_text("ul.missing")


def test_drill_down_to_a_posyandu_shows_its_revisions(demo, page):
    page.goto(demo.link(DINKES))
    page.goto(f"{demo.url}/rekap?wilayah=32.99&bulan={CORRECTED_PERIOD}")
    page.click("#rows >> text=Sukamaju")
    assert "Puskesmas Sukamaju" in page.inner_text("main")
    page.click("#rows >> text=Mekarsari")
    completeness, ds = csv_figures(demo, "32.99.01.2002", CORRECTED_PERIOD)
    assert (card(page, "Kelengkapan"), card(page, HEADLINE)) == (completeness, ds)
    page.click("#rows >> text=Mawar")
    assert page.url.startswith(f"{demo.url}/posyandu/PY-003")
    headers = page.locator("#revisions thead th").all_inner_texts()
    assert [h.split("\n")[0] for h in headers[1:]] == ["Revisi 1", "Revisi 2"]
    assert page.locator("#revisions td.changed").count() >= 1
    assert "revisi 2 dikirim oleh" in page.inner_text("main")


def test_the_excel_download_opens_with_openpyxl(demo, page, tmp_path):
    page.goto(demo.link(DINKES))
    page.goto(f"{demo.url}/rekap?wilayah=32.99&bulan={PERIOD}")
    with page.expect_download() as waiting:
        page.click(".downloads >> text=Excel")
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    assert saved.name == f"rekap-32.99-{PERIOD}.xlsx"
    workbook = openpyxl.load_workbook(saved)
    text = " ".join(
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
    )
    assert "Sukamaju" in text and "Cibening" in text


def test_a_link_works_once_and_not_after_fifteen_minutes(demo, page):
    link = demo.link(DINKES)
    assert page.goto(link).ok
    again = page.context.browser.new_context().new_page()
    refused = again.goto(link)
    assert refused.status == 403 and "sudah dipakai" in again.inner_text("main")
    late = demo.link(DINKES)
    demo.clock.advance(minutes=16)
    try:
        expired = again.goto(late)
    finally:
        demo.clock.advance(minutes=-16)
    assert expired.status == 403
    again.context.close()


def test_a_puskesmas_officer_gets_403_for_another_puskesmas(demo, page):
    page.goto(demo.link(PUSKESMAS_SUKAMAJU))
    assert "Puskesmas Sukamaju" in page.inner_text("main")
    other = page.goto(f"{demo.url}/rekap?wilayah=P3299020&bulan={PERIOD}")
    assert other.status == 403 and "di luar wilayah Anda" in page.inner_text("main")
    for output in ("xlsx", "csv", "png"):
        response = page.request.get(f"{demo.url}/unduh/{output}?wilayah=P3299020&bulan={PERIOD}")
        assert response.status == 403, output
    assert page.goto(f"{demo.url}/posyandu/PY-005?bulan={PERIOD}").status == 403


def test_a_post_without_the_csrf_token_is_refused(demo, page):
    page.goto(demo.link(DINKES))
    refused = page.request.post(f"{demo.url}/keluar", form={"x": "1"})
    assert refused.status == 403
    assert page.goto(f"{demo.url}/rekap").ok
    page.click("header button")
    assert "sudah keluar" in page.inner_text("main")
    assert page.goto(f"{demo.url}/rekap").status == 401


@pytest.mark.parametrize("width", [360, 1280])
def test_the_pages_fit_the_screen_and_stay_small(demo, browser, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(demo.link(DINKES))
    folder = shots_folder(tmp_path)
    for name, path in (
        ("overview", f"/rekap?wilayah=32.99&bulan={PERIOD}"),
        ("posyandu", f"/posyandu/PY-003?bulan={CORRECTED_PERIOD}"),
    ):
        response = page.goto(demo.url + path)
        assert len(response.body()) < PAGE_LIMIT
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    context.close()

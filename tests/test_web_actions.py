"""The web's buttons in a real browser: review, meetings and files, on the chat's handlers.

Playwright drives Debian's Chromium over the demo district (the tests skip,
saying why, where no Chromium is installed). What a page's button does is
then read back from the chat (``lihat``, ``riwayat``, ``setujui``, ``rapat``)
and the outbox, because both go through the same handlers and storage; the
files are compared with what the command line writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import openpyxl
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app as cli_app
from handlers import bok
from handlers.bok import words as BW
from handlers.meetings import words as MW
from handlers.review import words as RW
from handlers.roster.demo import seed_demo
from handlers.web import words as W
from storage import Database
from storage.models import Outbox, Person
from storage.review import ReviewEvent
from tests.conftest import Clock
from tests.web_app import (
    BIDAN_SUKAMAJU,
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
LOCKED_PERIOD = "2026-09"
KABUPATEN = "32.99"
SUKAMAJU = "P3299010"
CIBENING = "P3299020"
PAGE_LIMIT = 150 * 1024
NEW_LOKMIN = [
    "rapat baru",
    "1",
    "Lokmin Desember",
    "3/12",
    "09.00",
    "12.00",
    "Aula Puskesmas Sukamaju",
    "lewati",
    "1",
    "lewati",
    "kirim",
]
"""A lokmin on Thursday 3 Dec 2026, 09.00-12.00 WIB, for every bidan of Puskesmas Sukamaju."""
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


def signed_in(demo: WebApp, page, phone: str) -> str:
    """Sign ``page`` in as ``phone``; returns the session's CSRF token (for hand-made posts)."""
    assert page.goto(demo.link(phone)).ok
    return page.locator('header input[name="csrf"]').get_attribute("value")


def outbox(demo: WebApp, rule: str, phone: str) -> list[str]:
    with demo.database.transaction() as session:
        person = session.exec(select(Person.id).where(Person.phone == phone)).one()
        rows = session.exec(select(Outbox).where(Outbox.rule == rule, Outbox.person_id == person))
        return [row.payload["text"] for row in rows]


def events(demo: WebApp, code: str, period: str) -> list[str]:
    with demo.database.transaction() as session:
        found = session.exec(
            select(ReviewEvent.action).where(
                ReviewEvent.posyandu_code == code, ReviewEvent.period == period
            )
        )
        return list(found)


def notice(page) -> str:
    return page.inner_text(".notice")


def test_a_bidan_verifies_and_returns_reports_and_the_chat_sees_it(demo, page):
    signed_in(demo, page, BIDAN_SUKAMAJU)
    page.goto(f"{demo.url}/posyandu/PY-001?bulan={PERIOD}")
    assert page.inner_text("#status") == "Status: " + RW.STATUS["masuk"]
    page.click("#verify")
    assert "Melati 1, Oktober 2026 ditandai sesuai" in notice(page)
    assert page.inner_text("#status") == "Status: " + RW.STATUS["diperiksa"]
    assert "diperiksa, sesuai: Bd. Nurhayati (bidan, web)" in page.inner_text("#history")
    assert page.locator("#verify").count() == 1  # still offered: a bidan may return it later
    # The chat reads the same storage; the kader was told through the outbox.
    assert "Status: " + RW.STATUS["diperiksa"] in demo.say(BIDAN_SUKAMAJU, "lihat PY-001 2026-10")
    assert "(bidan, web)" in demo.say(BIDAN_SUKAMAJU, "riwayat PY-001 2026-10")
    told = outbox(demo, "review_verified", "+6281200000001")
    assert told == [
        "✅ Laporan bulanan Melati 1, Oktober 2026 sudah diperiksa Bd. Nurhayati: sesuai."
    ]

    page.goto(f"{demo.url}/posyandu/PY-002?bulan={PERIOD}")
    page.select_option('select[name="alasan"]', "hitung")
    page.click("#return")
    assert "dikembalikan ke Dewi Lestari dengan alasan: N+T+O+B salah hitung" in notice(page)
    assert page.inner_text("#status") == "Status: " + RW.STATUS["dikembalikan"]
    status = "Status: " + RW.STATUS["dikembalikan"]
    assert status in demo.say(BIDAN_SUKAMAJU, "lihat PY-002 2026-10")
    (returned,) = outbox(demo, "review_returned", "+6281200000002")
    assert "Alasan: N+T+O+B salah hitung" in returned

    # "Lainnya" with no note returns nothing: the reason is the kader's to read.
    csrf = page.locator('header input[name="csrf"]').get_attribute("value")
    before = events(demo, "PY-001", PERIOD)
    response = page.request.post(
        f"{demo.url}/posyandu/PY-001/kembalikan",
        form={"csrf": csrf, "bulan": PERIOD, "alasan": "lainnya", "catatan": " "},
    )
    assert response.ok and W.RETURN_NEEDS_REASON in response.text()
    assert events(demo, "PY-001", PERIOD) == before


def test_the_overview_counts_each_status_and_lists_reports_by_status(demo, page):
    signed_in(demo, page, PUSKESMAS_SUKAMAJU)
    page.goto(f"{demo.url}/rekap?wilayah=32.99.01.2001&bulan={PERIOD}")
    review = page.inner_text("#review")
    assert re.search(r"Status: \d+ belum · \d+ masuk · \d+ diperiksa", review)
    assert "belum disetujui Puskesmas" in review
    assert page.locator("#rows thead th").all_inner_texts()[5] == W.COLUMN_STATUS
    cells = page.locator("#rows tbody tr td:nth-child(6)").all_inner_texts()
    assert cells and set(cells) <= set(RW.STATUS_SHORT.values()), cells


def test_a_puskesmas_officer_locks_the_month(demo, page):
    csrf = signed_in(demo, page, PUSKESMAS_SUKAMAJU)
    page.goto(f"{demo.url}/rekap?wilayah={SUKAMAJU}&bulan={LOCKED_PERIOD}")
    # Not ticked: nothing is locked (the browser asks for the tick; the server too).
    unticked = page.request.post(
        f"{demo.url}/rekap/setujui",
        form={"csrf": csrf, "wilayah": SUKAMAJU, "bulan": LOCKED_PERIOD},
    )
    assert W.APPROVE_TICK in unticked.text()
    assert "approved" not in events(demo, "PY-001", LOCKED_PERIOD)
    page.check('input[name="yakin"]')
    page.click("#review button")
    assert "September 2026 disetujui untuk Puskesmas Sukamaju: 4 Posyandu dikunci" in notice(page)
    assert "Bulan September 2026 sudah disetujui Puskesmas dan dikunci" in page.inner_text(
        "#review"
    )
    assert page.locator('form[action="/rekap/setujui"]').count() == 0
    assert "sudah disetujui untuk Puskesmas Sukamaju" in demo.say(
        PUSKESMAS_SUKAMAJU, "setujui september 2026"
    )
    page.goto(f"{demo.url}/posyandu/PY-003?bulan={LOCKED_PERIOD}")
    assert page.inner_text("#status") == "Status: " + RW.STATUS["disetujui"]
    assert page.locator("#verify").count() == 0 and page.locator("#unlock").count() == 1
    page.fill('input[name="alasan"]', "salah ketik D")
    page.click("#unlock")
    assert "dibuka untuk perbaikan (alasan: salah ketik D)" in notice(page)
    assert page.locator("#verify").count() == 1


def test_a_post_without_the_csrf_token_changes_nothing(demo, page):
    signed_in(demo, page, BIDAN_SUKAMAJU)
    before = events(demo, "PY-002", "2026-08")
    for path, form in (
        ("/posyandu/PY-002/sesuai", {"bulan": "2026-08"}),
        ("/posyandu/PY-002/kembalikan", {"bulan": "2026-08", "alasan": "hitung"}),
        ("/posyandu/PY-002/sesuai", {"bulan": "2026-08", "csrf": "forged"}),
    ):
        response = page.request.post(demo.url + path, form=form)
        assert response.status == 403, path
    assert events(demo, "PY-002", "2026-08") == before


def test_another_puskesmas_cannot_act_on_or_download_its_data(demo, page):
    csrf = signed_in(demo, page, PUSKESMAS_SUKAMAJU)
    post = page.request.post
    for path, form in (
        ("/posyandu/PY-005/sesuai", {"bulan": PERIOD}),
        ("/posyandu/PY-005/kembalikan", {"bulan": PERIOD, "alasan": "hitung"}),
        ("/posyandu/PY-005/buka-kunci", {"bulan": PERIOD, "alasan": "x"}),
        ("/rekap/setujui", {"bulan": PERIOD, "wilayah": CIBENING, "yakin": "ya"}),
        ("/rekap/tinjau", {"bulan": PERIOD, "wilayah": KABUPATEN}),
    ):
        assert post(demo.url + path, form={"csrf": csrf, **form}).status == 403, path
    assert events(demo, "PY-005", PERIOD) == []
    for output in ("dhis2-json", "dhis2-adx", "tabel-csv", "tabel-xlsx", "bok-xlsx", "xlsx"):
        response = page.request.get(f"{demo.url}/unduh/{output}?wilayah={CIBENING}&bulan={PERIOD}")
        assert response.status == 403, output
    # A Dinkes officer sees everything but verifies nothing: that is the bidan's.
    dinkes = signed_in(demo, page, DINKES)
    response = post(f"{demo.url}/posyandu/PY-005/sesuai", form={"csrf": dinkes, "bulan": PERIOD})
    assert response.status == 403


def test_a_dinkes_officer_marks_the_month_reviewed(demo, page):
    signed_in(demo, page, DINKES)
    page.goto(f"{demo.url}/rekap?wilayah={KABUPATEN}&bulan={PERIOD}")
    assert "Puskesmas Cibening: belum disetujui" in page.inner_text("#review")
    page.click('form[action="/rekap/tinjau"] button')
    assert "Rekap Oktober 2026 Kabupaten Sukamaju ditandai sudah ditinjau" in notice(page)
    assert "Rekap sudah ditinjau Agus Santoso" in page.inner_text("#review")
    assert "sudah ditinjau Agus Santoso" in demo.say(DINKES, "tinjau oktober 2026")


def test_rsvp_and_attendance_from_the_web(demo, page, tmp_path):
    created = demo.say_all(PUSKESMAS_SUKAMAJU, NEW_LOKMIN)
    meeting = int(re.search(r"Undangan rapat #(\d+) dikirim", created).group(1))
    signed_in(demo, page, BIDAN_SUKAMAJU)
    page.goto(f"{demo.url}/rapat")
    page.click(f"text=#{meeting} Lokmin Desember")
    assert "belum" in page.inner_text("#answer")
    page.click("#answer >> text=" + MW.BUTTON_YES)
    assert notice(page) == MW.ANSWERED["hadir"].format(id=meeting)
    assert "Bd. Nurhayati: hadir" in demo.say(PUSKESMAS_SUKAMAJU, f"rapat {meeting}")
    # An invitee sees no one else's answers and cannot mark anyone.
    assert page.locator("#invitees").count() == 0
    csrf = page.locator('header input[name="csrf"]').get_attribute("value")
    marked = page.request.post(
        f"{demo.url}/rapat/{meeting}/tandai", form={"csrf": csrf, "orang": "1"}
    )
    assert marked.status == 403

    demo.clock.advance(days=10, hours=23, minutes=30)  # Thursday 3 Dec, 09.30 WIB
    try:
        signed_in(demo, page, PUSKESMAS_SUKAMAJU)
        page.goto(f"{demo.url}/rapat/{meeting}")
        row = page.locator("#invitees tr", has_text="Bd. Nurhayati")
        row.locator("button").click()
        assert notice(page) == MW.MARKED.format(name="Bd. Nurhayati", id=meeting)
        row = page.locator("#invitees tr", has_text="Bd. Nurhayati")
        assert W.PRESENT_AT.format(time="09.30") in row.inner_text()
        with page.expect_download() as waiting:
            page.click("text=" + W.ATTENDANCE_DOWNLOAD)
        saved = tmp_path / waiting.value.suggested_filename
        waiting.value.save_as(saved)
    finally:
        demo.clock.advance(days=-10, hours=-23, minutes=-30)
    sheet = openpyxl.load_workbook(saved).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Bd. Nurhayati"][4] == "hadir" and rows["Bd. Nurhayati"][5] == "03/12/2026 09.30"


def test_the_dhis2_download_is_what_the_command_line_writes(demo, page, tmp_path, monkeypatch):
    signed_in(demo, page, DINKES)
    page.goto(f"{demo.url}/rekap?wilayah={KABUPATEN}&bulan={PERIOD}")
    with page.expect_download() as waiting:
        page.click(".downloads >> text=JSON")
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    assert saved.name == f"dhis2-{KABUPATEN}-{PERIOD}.json"
    downloaded = json.loads(saved.read_text(encoding="utf-8"))

    monkeypatch.setenv("DATABASE_URL", demo.database.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    args = ["export", "dhis2", "--period", PERIOD, "--area", KABUPATEN, "--format", "json"]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    assert downloaded == json.loads(result.stdout)
    assert len(downloaded["dataValues"]) > 100


def test_the_bok_workbook_opens_and_lists_the_months_activities(demo, page, tmp_path):
    signed_in(demo, page, PUSKESMAS_SUKAMAJU)
    page.goto(f"{demo.url}/rekap?wilayah={SUKAMAJU}&bulan={PERIOD}")
    with page.expect_download() as waiting:
        page.click(".downloads >> text=" + W.DOWNLOAD_GROUPS["BOK"]["bok-xlsx"])
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved)[BW.SHEET]
    assert sheet["A1"].value == BW.TITLE.format(area="Puskesmas Sukamaju", month="Oktober 2026")
    assert tuple(cell.value for cell in sheet[2][:3]) == BW.COLUMNS_BEFORE
    _, activities = bok.workbook_of(demo.database, period=PERIOD, area=SUKAMAJU)
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(activities) > 0
    assert {row[1] for row in rows} <= {"Melati 1", "Melati 2", "Mawar", "Anggrek"}


@pytest.mark.parametrize("width", [360, 1280])
def test_the_action_pages_fit_the_screen_and_stay_small(demo, browser, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    folder = shots_folder(tmp_path)
    for phone, name, path in (
        (BIDAN_SUKAMAJU, "posyandu-bidan", f"/posyandu/PY-001?bulan={PERIOD}"),
        (PUSKESMAS_SUKAMAJU, "overview-puskesmas", f"/rekap?wilayah={SUKAMAJU}&bulan={PERIOD}"),
        (PUSKESMAS_SUKAMAJU, "meetings", "/rapat"),
    ):
        page.goto(demo.link(phone))
        response = page.goto(demo.url + path)
        assert response.ok and len(response.body()) < PAGE_LIMIT
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.click(".meetings a >> nth=0")  # the organiser's view of a meeting
    assert len(page.content().encode()) < PAGE_LIMIT
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(folder / f"meeting-{width}.png"), full_page=True)
    context.close()

"""The monthly report as a Telegram Mini App, in Debian's Chromium, over the demo district.

The page is opened the way Telegram opens it, with ``initData`` in the URL
fragment, signed as Telegram signs it. Field names come from the form
schema, never spelled here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx
import pytest

from conversations.form import Kind
from conversations.forms import MONTHLY
from handlers.roster.accounts import TELEGRAM, link_account
from handlers.roster.demo import seed_demo
from storage import Database, reports
from storage.rekap import monthly_rows
from tests.conftest import Clock
from tests.web_app import KADER, WebApp, chromium_path, init_data, running, shots_folder

playwright_api = pytest.importorskip("playwright.sync_api")

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
KADER_TELEGRAM = 777001
POSYANDU = "PY-001"
"""The demo kader Siti Aminah's Posyandu (Melati 1)."""
CHROMIUM = chromium_path()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found: install Debian's chromium (apt-get install chromium) to run "
    "the browser tests",
)
COUNTS = [item for item in MONTHLY.fields if item.kind is Kind.COUNT]
MONTH = next(item for item in MONTHLY.fields if item.kind is Kind.MONTH)
DATES = [item for item in MONTHLY.fields if item.kind is Kind.DATE]
HELD_ON = "2026-11-12"
"""The Posyandu day of the month reported (before the test clock's 22 November)."""
ASKED_YES = [item for item in MONTHLY.fields if item.kind is Kind.YES_NO and item.ask_if is None]
TOTAL, *PARTS = next(
    block.fields
    for block in MONTHLY.blocks
    if all(MONTHLY.field(name).kind is Kind.COUNT for name in block.fields)
)


@pytest.fixture(scope="module")
def demo(module_database: Database) -> Iterator[WebApp]:
    seed_demo(module_database, NOW)
    link_account(module_database, KADER, TELEGRAM, str(KADER_TELEGRAM), "test", NOW)
    with running(module_database, Clock(NOW)) as app:
        yield app


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()


def open_form(demo: WebApp, page, data: str) -> None:
    """As Telegram opens a Mini App: ``initData`` percent-encoded in the URL fragment."""
    page.goto(f"{demo.url}/app/lapor#tgWebAppData={quote(data, safe='')}&tgWebAppVersion=8.0")


def revisions(demo: WebApp, period: str) -> int:
    with demo.database.transaction() as session:
        return len(reports.revisions(session, reports.monthly_key(POSYANDU, period)))


def last_month(demo: WebApp, period: str) -> dict:
    with demo.database.transaction() as session:
        (filed,) = reports.monthly_filed(session, [POSYANDU], [period])
        return filed.data


def post(page, url: str, data: str, body: dict) -> tuple[int, dict]:
    """A request made by a script in the page, past the page's own checks."""
    return page.evaluate(
        """async ([url, data, body]) => {
            const response = await fetch(url, {method: "POST", body: JSON.stringify(body),
                headers: {"X-Telegram-Init-Data": data, "Content-Type": "application/json"}});
            return [response.status, await response.json()];
        }""",
        [url, data, body],
    )


def test_the_shell_carries_no_data_and_is_small(demo, phone):
    response = phone.goto(f"{demo.url}/app/lapor")
    assert response.ok and len(response.body()) < 150 * 1024
    assert "Melati" not in response.text()
    assert "Buka formulir ini dari tombol" in phone.inner_text("#message")


def test_a_signed_form_loads_the_posyandu_with_last_months_values(demo, phone, tmp_path):
    open_form(demo, phone, init_data(KADER_TELEGRAM, NOW - timedelta(minutes=5)))
    phone.wait_for_selector("#send:not([hidden])")
    period = phone.get_attribute(f"#f-{MONTH.name} option:nth-child(2)", "value")
    previous = last_month(demo, "2026-10")
    for item in COUNTS:
        shown = phone.input_value(f"#f-{item.name}")
        assert shown == ("" if previous.get(item.name) is None else str(previous[item.name]))
    assert period == "2026-11"
    assert "=" in phone.inner_text(f"#sum-{TOTAL}")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    phone.screenshot(path=str(shots_folder(tmp_path) / "lapor-360.png"), full_page=True)


def test_an_impossible_skdn_is_refused_by_the_server_too(demo, phone):
    data = init_data(KADER_TELEGRAM, NOW - timedelta(minutes=5))
    open_form(demo, phone, data)
    phone.wait_for_selector("#send:not([hidden])")
    before = revisions(demo, "2026-11")
    answers = {k: v for k, v in last_month(demo, "2026-10").items() if v is not None}
    answers[MONTH.name] = "2026-11"
    answers.update({item.name: HELD_ON for item in DATES})
    answers[TOTAL] = sum(answers[name] for name in PARTS) + 1
    phone.fill(f"#f-{TOTAL}", str(answers[TOTAL]))
    assert "off" in phone.get_attribute(f"#sum-{TOTAL}", "class")  # the page's own check
    status, body = post(
        phone,
        f"{demo.url}/app/lapor/kirim",
        data,
        {"posyandu": POSYANDU, "answers": answers, "confirm": True, "id": "bypass-1"},
    )
    assert status == 422 and "N+T+O+B" in body["error"], body
    assert revisions(demo, "2026-11") == before


def test_a_valid_form_is_stored_confirmed_in_chat_and_in_the_rekap(demo, phone):
    open_form(demo, phone, init_data(KADER_TELEGRAM, NOW - timedelta(minutes=5)))
    phone.wait_for_selector("#send:not([hidden])")
    phone.select_option(f"#f-{MONTH.name}", "2026-11")
    for item in ASKED_YES:
        phone.select_option(f"#f-{item.name}", "ya")
    for item in DATES:
        phone.fill(f"#f-{item.name}", HELD_ON)
    phone.click("#send")
    phone.wait_for_selector("#message.ok, #message.error, #confirm:not([hidden])")
    if phone.is_visible("#confirm"):  # soft warnings: the kader confirms
        phone.click("#confirm")
        phone.wait_for_selector("#message.ok")
    assert "Terkirim" in phone.inner_text("#message"), phone.inner_text("#message")
    with demo.database.transaction() as session:
        (latest,) = reports.monthly_filed(session, [POSYANDU], ["2026-11"])
        rows = {row["posyandu_code"]: row for row in monthly_rows(session, "2026-11", None, None)}
    assert rows[POSYANDU]["reported"] == 1
    s_code = MONTHLY.columns[0]
    assert rows[POSYANDU][MONTHLY.field(s_code).short] == latest.data[s_code]
    with demo.database.engine.connect() as connection:
        sent = connection.exec_driver_sql(
            "SELECT r.channel, o.rule FROM report r, outbox o "
            "WHERE r.report_key = ? AND r.is_latest AND o.rule = 'webapp_report'",
            (reports.monthly_key(POSYANDU, "2026-11"),),
        ).all()
    assert sent == [("telegram-webapp", "webapp_report")]


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"answers": []}', b'{"posyandu": "PY-001", "answers": {}}', b"x" * 70_000],
)
def test_a_malformed_submission_gets_a_clear_refusal_and_stores_nothing(demo, body):
    before = revisions(demo, "2026-11")
    headers = {"X-Telegram-Init-Data": init_data(KADER_TELEGRAM, NOW - timedelta(minutes=1))}
    response = httpx.post(f"{demo.url}/app/lapor/kirim", content=body, headers=headers)
    assert response.status_code in (400, 413)
    assert "Muat ulang formulir" in response.json()["error"]
    assert revisions(demo, "2026-11") == before


def test_a_posyandu_not_ones_own_is_refused(demo):
    headers = {"X-Telegram-Init-Data": init_data(KADER_TELEGRAM, NOW - timedelta(minutes=1))}
    body = {"posyandu": "PY-010", "answers": {MONTH.name: "2026-11"}, "id": "other-1"}
    response = httpx.post(f"{demo.url}/app/lapor/kirim", json=body, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        init_data(KADER_TELEGRAM, NOW - timedelta(minutes=5), token="654321:forged"),
        init_data(KADER_TELEGRAM, NOW - timedelta(hours=1, minutes=1)),
        "user=%7B%22id%22%3A777001%7D&auth_date=1795000000&hash=00",
    ],
    ids=["forged", "stale", "unsigned"],
)
def test_forged_or_stale_init_data_gets_403_and_stores_nothing(demo, phone, data):
    open_form(demo, phone, data)
    phone.wait_for_selector("#message.error")
    assert "buka lagi dari chat" in phone.inner_text("#message")
    before = revisions(demo, "2026-11")
    answers = {k: v for k, v in last_month(demo, "2026-10").items() if v is not None}
    answers[MONTH.name] = "2026-11"
    status, _ = post(
        phone,
        f"{demo.url}/app/lapor/kirim",
        data,
        {"posyandu": POSYANDU, "answers": answers, "confirm": True, "id": "forged-1"},
    )
    assert status == 403
    assert revisions(demo, "2026-11") == before

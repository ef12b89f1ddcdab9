"""The web app over HTTP: one-time links, sessions, CSRF, and every page and file scoped by area."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from conversations.periods import shift_month
from handlers.exports.targets import set_targets
from handlers.roster.demo import seed_demo
from handlers.web import tokens
from storage import Database
from tests.conftest import Clock
from tests.web_app import (
    BIDAN_SUKAMAJU,
    DINKES,
    KADER,
    PUSKESMAS_SUKAMAJU,
    WebApp,
    free_port,
    running,
)

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
PERIOD = "2026-10"


@pytest.fixture(scope="module")
def demo(module_database: Database) -> Iterator[WebApp]:
    seed_demo(module_database, NOW)
    with running(module_database, Clock(NOW)) as app:
        yield app


def signed_in(app: WebApp, phone: str) -> httpx.Client:
    client = httpx.Client(base_url=app.url)
    response = client.get(app.link(phone))
    assert response.status_code == 303
    return client


def test_the_link_signs_in_once_with_a_safe_cookie(demo):
    link = demo.link(DINKES)
    assert link.startswith(demo.url + "/masuk/")
    first = httpx.get(link)
    assert first.status_code == 303 and first.headers["location"] == "/rekap"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # plain http on 127.0.0.1; https base URLs get Secure
    again = httpx.get(link)
    assert again.status_code == 403 and "sudah dipakai" in again.text


def test_only_the_hash_of_a_link_is_stored(demo):
    link = demo.link(DINKES)
    token = link.rsplit("/", 1)[1]
    with demo.database.engine.connect() as connection:
        stored = [row[0] for row in connection.exec_driver_sql("SELECT token_hash FROM web_link")]
    assert token not in stored and tokens.digest(token) in stored


def test_a_session_ends_after_twelve_hours(demo):
    client = signed_in(demo, DINKES)
    assert client.get("/rekap").status_code == 200
    demo.clock.advance(hours=12)
    try:
        assert client.get("/rekap").status_code == 401
    finally:
        demo.clock.advance(hours=-12)


def test_the_cookie_is_secure_when_the_app_is_reached_over_https(module_database):
    with running(module_database, Clock(NOW), base_url="https://posyandu.example.go.id") as app:
        link = app.link(DINKES)
        assert link.startswith("https://posyandu.example.go.id/masuk/")
        response = httpx.get(app.url + "/masuk/" + link.rsplit("/", 1)[1])
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_expired_link_is_refused(demo):
    link = demo.link(DINKES)
    demo.clock.advance(minutes=15, seconds=1)
    try:
        refused = httpx.get(link)
    finally:
        demo.clock.advance(minutes=-15, seconds=-1)
    assert refused.status_code == 403


def test_a_kader_gets_no_review_link(demo):
    assert "/masuk/" not in demo.say(KADER, "web")


def test_pages_need_a_session(demo):
    for path in ("/rekap", "/posyandu/PY-001", "/unduh/xlsx"):
        response = httpx.get(demo.url + path)
        assert response.status_code == 401, path
        assert "ketik web" in response.text


def test_a_puskesmas_officer_sees_only_their_puskesmas(demo):
    client = signed_in(demo, PUSKESMAS_SUKAMAJU)
    own = client.get("/rekap", params={"bulan": PERIOD})
    assert own.status_code == 200 and "Puskesmas Sukamaju" in own.text
    cibening = {"wilayah": "P3299020", "bulan": PERIOD}
    assert client.get("/rekap", params={"wilayah": "32.99", "bulan": PERIOD}).status_code == 403
    assert client.get("/rekap", params=cibening).status_code == 403
    for output in ("xlsx", "csv", "png"):
        assert client.get(f"/unduh/{output}", params=cibening).status_code == 403, output
        kabupaten = {"wilayah": "32.99", "bulan": PERIOD}
        assert client.get(f"/unduh/{output}", params=kabupaten).status_code == 403, output
    assert client.get("/posyandu/PY-010", params={"bulan": PERIOD}).status_code == 403


def test_a_bidan_sees_her_desa_and_its_posyandu(demo):
    client = signed_in(demo, BIDAN_SUKAMAJU)
    own = client.get("/rekap", params={"bulan": PERIOD})
    assert own.status_code == 200 and "Desa Sukamaju" in own.text
    assert client.get("/posyandu/PY-001", params={"bulan": PERIOD}).status_code == 200
    assert client.get("/posyandu/PY-004", params={"bulan": PERIOD}).status_code == 403


def test_bad_addresses_get_a_clear_page(demo):
    client = signed_in(demo, DINKES)
    assert client.get("/rekap", params={"bulan": "oktober"}).status_code == 400
    assert client.get("/rekap", params={"wilayah": "99.99"}).status_code == 404
    assert client.get("/unduh/pdf").status_code == 404
    assert client.get("/posyandu/32.99").status_code == 404


def test_sign_out_needs_the_csrf_token(demo):
    client = signed_in(demo, DINKES)
    refused = client.post("/keluar", data={})
    assert refused.status_code == 403
    wrong = client.post("/keluar", data={"csrf": "x" * 43})
    assert wrong.status_code == 403
    assert client.get("/rekap").status_code == 200
    page = client.get("/rekap").text
    csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    assert client.post("/keluar", data={"csrf": csrf}).status_code == 200
    assert client.get("/rekap").status_code == 401


def test_a_posyandu_address_on_the_overview_goes_to_its_page(demo):
    client = signed_in(demo, DINKES)
    response = client.get("/rekap", params={"wilayah": "PY-003", "bulan": PERIOD})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/posyandu/PY-003")


def test_the_month_after_the_current_one_is_not_offered(demo):
    client = signed_in(demo, DINKES)
    current = client.get("/rekap", params={"bulan": "2026-11"}).text
    assert "2026-12" not in current and shift_month("2026-11", -1) in current


@pytest.mark.timeout(400)
def test_python_m_bot_web_serves_the_web_app_alone(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/web.db",
        "HTTP_PORT": str(port),
        "TELEGRAM_BOT_TOKEN": "",
        "WHATSAPP_ACCESS_TOKEN": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "web"], env=env, cwd=tmp_path, stderr=subprocess.PIPE
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 240  # a loaded machine imports slowly
        while True:
            try:
                if httpx.get(url + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "python -m bot web did not start"
                time.sleep(0.2)
        assert httpx.get(url + "/rekap").status_code == 401
        assert httpx.get(url + "/app/lapor").status_code == 200
        server.send_signal(signal.SIGTERM)
        assert server.wait(60) == 0
    finally:
        if server.poll() is None:
            server.kill()


def test_the_chart_draws_the_kabupaten_s_own_d_s_target(demo):
    client = signed_in(demo, DINKES)
    assert "Target 85%" in client.get("/rekap", params={"bulan": PERIOD}).text  # national
    with demo.database.transaction() as session:
        set_targets(session, [(None, "32.99", "BAL_DS", "90")], NOW)
    try:
        page = client.get("/rekap", params={"bulan": PERIOD}).text
        assert "Target 90%" in page and "Target 85%" not in page
    finally:
        with demo.database.transaction() as session:
            set_targets(session, [(None, "32.99", "BAL_DS", "85")], NOW)

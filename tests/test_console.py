"""The console channel as a newcomer uses it: real processes, piped input, a fresh SQLite file."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from conversations.periods import DEFAULT_DEADLINE_DAY, month_of, shift_month
from storage import Database, reports

ROOT = Path(__file__).resolve().parent.parent
SITI = "+6281200000001"
PY = "PY-001"


def bot(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db", "LOG_LEVEL": "WARNING"}


def previous_s(url: str) -> int:
    """S that the demo history holds for last month (the one-tap default)."""
    database = Database(url)
    last_month = shift_month(month_of(date.today()), -1)
    with database.transaction() as session:
        [filed] = reports.monthly_filed(session, [PY], [last_month])
    database.dispose()
    return filed.data["BAL_S"]


# The menu's monthly entry answers the month when it is clear: after the demo's deadline day
# this month is due and the demo history has last month's report. Held on the 1st, 5 kader,
# 1 health worker.
THIS_MONTH = [] if date.today().day > DEFAULT_DEADLINE_DAY else ["bulan ini"]
OPENING = ["lapor", "1", *THIS_MONTH, "ya", "1", "5", "1"]


def monthly_script(s: int) -> list[str]:
    d = s * 3 // 4
    balita = [str(s), str(d), str(d - 10), "5", "3", "2", "1", "1", str(d // 2), "0", "1"]
    month = date.today().month
    vitamin_a = ["10", "20"] if month in (2, 8) else []
    deworming = ["30"] if month == 8 else []
    # bumil skipped, nifas 4 with no problem, remaja, dewasa and lansia skipped, TBC 10 and 1
    groups = ["lewati", "4", "0", "0", "lewati", "lewati", "lewati", "10", "1"]
    return [*OPENING, *balita, *vitamin_a, *deworming, *groups, "kirim"]


VISIT = ["lapor", "2", "hari ini", "1", "6", "1", "tidak", "tidak", "tidak", "2", "lewati", "kirim"]
OUTREACH = [
    "lapor",
    "3",
    "1",
    "hari ini",
    "08.00",
    "10.00",
    "Balai Desa",
    "8",
    "2",
    "12",
    "25",
    "30",
    "1",
    "2",
]
OUTREACH_END = ["1", "Posbindu keliling", "lewati", "selesai", "tidak ada", "kirim"]


def test_fresh_database_three_reports_then_rekap_csv_shows_them(env):
    first = bot(env, "console", stdin="mulai\n")
    assert first.returncode == 0, first.stderr
    assert "data demo sudah dimuat" in first.stderr
    assert "Halo Siti Aminah" in first.stdout
    s = previous_s(env["DATABASE_URL"])

    script = [*monthly_script(s), *VISIT, *OUTREACH, *OUTREACH_END]
    run = bot(env, "console", stdin="\n".join(script) + "\n")
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("✅ Terima kasih!") == 3, run.stdout[-3000:]
    assert "Maaf" not in run.stdout, run.stdout

    period = month_of(date.today())
    rekap = bot(env, "rekap", "--format", "csv", "--period", period, "--area", PY)
    assert rekap.returncode == 0, rekap.stderr
    [row] = list(csv.DictReader(io.StringIO(rekap.stdout)))
    d = s * 3 // 4
    assert row["posyandu_code"] == PY and row["period"] == period
    assert (row["reported"], row["held"]) == ("1", "1")
    assert (row["S"], row["K"], row["D"], row["N"]) == (str(s), "", str(d), str(d - 10))
    assert (row["NIFAS_DATANG"], row["TBC_TERDUGA"]) == ("4", "1")
    assert (row["home_visits"], row["outreach_sessions"], row["outreach_participants"]) == (
        "1",
        "1",
        "37",
    )


def test_a_death_typed_in_the_console_reaches_the_bidan_console(env):
    kader = bot(env, "console", stdin="\n".join(["lapor", "4", "3", "hari ini", "1", "2", "kirim"]))
    assert kader.returncode == 0, kader.stderr
    assert "1. Sukamaju" in kader.stdout and "Kematian bayi (0-11 bulan)" in kader.stdout
    assert "Bd. Nurhayati sudah diberi tahu." in kader.stdout
    bidan = bot(env, "console", "--phone", "081200000101", stdin="")
    assert bidan.returncode == 0, bidan.stderr
    assert "🔔 🚨 Laporan kematian dari Melati 1" in bidan.stdout
    assert "Tempat: Fasilitas kesehatan" in bidan.stdout and "Siti Aminah" in bidan.stdout


def test_bad_answers_get_clear_messages_and_exit_zero_at_end_of_input(env):
    lines = [*OPENING, "banyak", "🙂", "x" * 5000, "-1"]
    run = bot(env, "console", stdin="\n".join(lines) + "\n")
    assert run.returncode == 0
    assert "'banyak' bukan angka" in run.stdout
    assert "bukan angka" in run.stdout.split("> 🙂")[1]
    assert "Pesan terlalu panjang (5000 huruf)" in run.stdout


def test_unknown_phone_is_refused(env):
    run = bot(env, "console", "--phone", "081399999999", stdin="halo\n")
    assert run.returncode == 0
    assert "belum terdaftar" in run.stdout


def test_killed_mid_form_resumes_at_the_same_question(env, tmp_path):
    bot(env, "seed-demo")
    out = tmp_path / "out.txt"
    with out.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console"],
            stdin=subprocess.PIPE,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert process.stdin is not None
        process.stdin.write("\n".join([*OPENING, ""]))
        process.stdin.flush()
        deadline = time.monotonic() + 60
        while "S: berapa balita" not in out.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert "S: berapa balita" in out.read_text()
    s = previous_s(env["DATABASE_URL"])
    resumed = bot(env, "console", stdin=f"{s}\n")
    assert "D: berapa balita yang ditimbang" in resumed.stdout

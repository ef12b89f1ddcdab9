"""The achievement review of a Puskesmas of the demo district, worked out by hand from the
stored reports and read back from the workbook, the chat and the radar chart.

By hand: for each indicator the form declares as a ratio, add up its numerator fields and its
denominator fields over the latest revision of every monthly report of a Posyandu day that took
place in Puskesmas Sukamaju (P3299010) in October 2026; coverage = numerator / denominator,
target in people = denominator x target, % of target = coverage / target, band: baik above 91%
of target, cukup above 80%, kurang otherwise.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from conversations import ALL_FORMS, Engine
from conversations.forms import MONTHLY
from handlers import Service
from handlers.exports import words as W
from handlers.exports.targets import national, targeted
from handlers.roster.demo import seed_demo
from storage.models import Posyandu, Report
from tests.chat import ServiceChat

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
PUSKESMAS = "P3299010"
PUSKESMAS_STAFF = "+6281200000201"
DINKES = "+6281200000301"


@pytest.fixture(scope="module")
def demo(module_database):
    seed_demo(module_database, NOW)
    return module_database


def by_hand(database, period: str) -> dict[str, tuple[int, int]]:
    """Indicator code -> (numerator, denominator) summed from the stored reports."""
    sums: dict[str, tuple[int, int]] = {m.code: (0, 0) for m in targeted()}
    with database.transaction() as session:
        inside = set(
            session.exec(select(Posyandu.code).where(Posyandu.puskesmas_code == PUSKESMAS))
        )
        reports = session.exec(
            select(Report).where(
                Report.kind == MONTHLY.id, Report.is_latest, Report.period == period
            )
        ).all()
    for report in reports:
        if report.posyandu_code not in inside or report.held is False:
            continue
        for measure in targeted():
            tops = [report.data.get(name) for name in measure.numerator]
            bottoms = [report.data.get(name) for name in measure.denominator or ()]
            if all(v is None for v in tops) or all(v is None for v in bottoms):
                continue  # a ratio counts only where the report gave both of its parts
            top, bottom = sums[measure.code]
            sums[measure.code] = (
                top + sum(v or 0 for v in tops),
                bottom + sum(v or 0 for v in bottoms),
            )
    return sums


def band(of_target: float) -> str:
    return "baik" if of_target > 91 else "cukup" if of_target > 80 else "kurang"


def test_the_achievement_sheet_matches_the_hand_count(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo.url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    out = tmp_path / "tabel.xlsx"
    args = ["export", "table", "--period", "2026-10", "--area", PUSKESMAS, "--format", "xlsx"]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Capaian"]
    assert sheet["A1"].value == "Penilaian kinerja Puskesmas Sukamaju, 2026-10"
    assert [c.value for c in sheet[2]] == list(W.ACHIEVEMENT_COLUMNS)
    rows = sheet.iter_rows(min_row=3, values_only=True)
    lines = {row[1]: row for row in rows if isinstance(row[0], int)}
    targets = national()
    hand = by_hand(demo, "2026-10")
    assert len(lines) == len(targeted()) >= 1
    compared = 0
    for measure in targeted():
        top, bottom = hand[measure.code]
        row = lines[measure.label]
        target = targets[measure.code]
        assert row[2] == pytest.approx(target / 100)
        if not bottom:
            assert row[6:9] == (None, None, None)  # nothing reported: no coverage, no band
            continue
        compared += 1
        coverage = 100 * top / bottom
        assert (row[3], row[5]) == (bottom, top)
        assert row[4] == pytest.approx(bottom * target / 100)
        assert row[6] == pytest.approx(coverage / 100)
        assert row[7] == pytest.approx(coverage / target)
        assert row[8] == band(100 * coverage / target)
        assert row[9:12] == (None, None, None)
    assert compared >= 3
    notes = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert W.PROXY_NOTE in notes


@pytest.fixture(scope="module")
def service(demo) -> Service:
    return Service(demo, Engine(ALL_FORMS), clock=lambda: NOW)


def test_rekap_kinerja_in_chat_shows_the_same_bands(demo, service):
    hand = by_hand(demo, "2026-10")
    targets = national()
    text = ServiceChat(service, PUSKESMAS_STAFF).send("rekap kinerja oktober")
    for measure in targeted():
        top, bottom = hand[measure.code]
        if not bottom:
            assert f"• {measure.label}: - (belum ada laporan)" in text
            continue
        coverage = 100 * top / bottom
        of_target = 100 * coverage / targets[measure.code]
        mark = W.BAND_MARK[band(of_target)]
        assert f"{mark} {measure.label}: {coverage:.0f}% " in text, (measure.label, text)
    assert W.PROXY_NOTE in text


@pytest.mark.parametrize(("phone", "outlines"), [(PUSKESMAS_STAFF, "desa"), (DINKES, "puskesmas")])
def test_the_radar_chart_is_a_png(service, phone, outlines, tmp_path):
    chat = ServiceChat(service, phone)
    chat.send("rekap kinerja grafik")
    [reply] = chat.replies
    assert reply.attachment is not None and reply.attachment.kind == "photo"
    image = Image.open(io.BytesIO(reply.attachment.content))
    image.verify()
    assert image.format == "PNG" and image.size == (800, 800)
    (tmp_path / f"radar-{outlines}.png").write_bytes(reply.attachment.content)

"""Photos and a location pin as BOK evidence, through the real core with a fake platform.

The channels translate a photo to ``Inbound.media`` (the platform's file id)
and a pin to ``Inbound.location``; the core downloads the photo through the
channel's fetcher (here a dict of files), checks it and stores it by content.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conversations import ALL_FORMS, Engine, Inbound
from conversations.messages import Location, Media
from handlers import Service
from handlers import words as T
from handlers.bok import export
from handlers.media import MediaInbox, TooBigError
from storage.media import MediaStore
from tests.chat import ServiceChat
from tests.roster import KADER, load_roster
from tests.telegram_emulator import TINY_PNG

JPEG = b"\xff\xd8\xff\xe0" + b"foto kegiatan" * 50
PDF = b"%PDF-1.4 daftar hadir"
FILES = {
    "f-kegiatan": JPEG,
    "f-hadir": TINY_PNG,
    "f-pdf": PDF,
    "f-besar": b"\xff\xd8\xff" * 400_000,
}
LIMIT = 1024 * 1024


def fetch(media: Media, limit: int) -> bytes:
    content = FILES[media.file_id]
    if len(content) > limit:
        raise TooBigError(len(content))
    return content


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def service(database, clock, media_dir) -> Service:
    load_roster(database)
    inbox = MediaInbox(MediaStore(media_dir), {"telegram": fetch}, max_bytes=LIMIT)
    return Service(database, Engine(ALL_FORMS), clock=clock, media=inbox)


class Kader(ServiceChat):
    def share(self, message_id: str, **fields) -> str:
        inbound = Inbound(self.channel, self.user_id, message_id, phone=self.phone, **fields)
        self.replies = self.service.handle(inbound)
        return "\n---\n".join(reply.text for reply in self.replies)


def stored(media_dir: Path) -> list[Path]:
    return sorted(path for path in media_dir.rglob("*") if path.is_file())


def test_photos_and_a_location_are_evidence_stored_once(service, media_dir, database, tmp_path):
    kader = Kader(service, KADER, channel="telegram", user_id="5001")
    kader.send_all("lapor", "luar gedung", "penyuluhan", "hari ini", "08.00", "10.00")
    kader.send_all("Desa Satu", "umum", "germas", "5", "10", "15", "0", "2", "BOK", "Posbindu")
    assert "Kirim lokasi tempat kegiatan" in kader.replies[-1].text
    assert kader.replies[-1].request_location
    assert "tidak dikenali" in kader.send("di balai desa")
    kader.share("loc-1", location=Location(-6.9175, 107.6191))
    assert "Kirim foto kegiatan" in kader.replies[-1].text

    assert "Foto ke-1 diterima." in kader.share("p-1", media=Media("f-kegiatan", "image/jpeg"))
    assert kader.share("p-1", media=Media("f-kegiatan", "image/jpeg")) == ""  # redelivered
    assert T.PHOTO_REFUSED["not_image"] in kader.share(
        "p-2", media=Media("f-pdf", "application/pdf")
    )
    assert T.PHOTO_REFUSED["not_image"] in kader.share("p-3", media=Media("f-pdf"))
    too_big = kader.share("p-4", media=Media("f-kegiatan", "image/jpeg", size=5_000_000))
    assert "foto terlalu besar (paling besar 1 MB)" in too_big
    assert "foto terlalu besar" in kader.share("p-5", media=Media("f-besar"))
    assert "Foto ini sudah diterima sebelumnya." in kader.share(
        "p-6", media=Media("f-kegiatan", "image/jpeg")
    )
    assert "Foto ke-2 diterima." in kader.share("p-7", media=Media("f-hadir", "image/jpeg"))
    assert len(stored(media_dir)) == 2
    kader.send("selesai")
    summary = kader.send("tidak ada")
    assert "Lokasi: -6.91750, 107.61910" in summary and "Foto bukti: 2 foto" in summary
    kader.send("kirim")

    book, photos = export(database, media_dir, period="2026-11", area="PKM1")
    sheet = load_workbook(io.BytesIO(book.content)).active
    header = [c.value for c in sheet[2]]
    (row,) = [
        dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=3)
    ]
    assert row["Jumlah bukti"] == 2 and row["Bukti lengkap"] == "ya"
    assert row["Lokasi"] == "-6.91750, 107.61910"
    with zipfile.ZipFile(io.BytesIO(photos.content)) as archive:
        assert sorted(archive.namelist()) == [
            "001-2026-11-22-posyandu-melati/foto-1.jpg",
            "001-2026-11-22-posyandu-melati/foto-2.png",
        ]
        assert archive.read("001-2026-11-22-posyandu-melati/foto-1.jpg") == JPEG


def test_a_photo_outside_a_photo_question_is_not_stored(service, media_dir):
    kader = Kader(service, KADER, channel="telegram", user_id="5002")
    kader.send("halo")
    assert kader.share("p-9", media=Media("f-kegiatan", "image/jpeg")) == T.PHOTO_NOT_NOW
    kader.send_all("lapor", "luar gedung")
    reply = kader.share("p-10", media=Media("f-kegiatan", "image/jpeg"))
    assert reply.startswith(T.PHOTO_NOT_NOW) and "Kegiatan luar gedung apa" in reply
    assert stored(media_dir) == []

"""The web app's addresses: bookmarkable, with the area (``wilayah``) and month (``bulan``)."""

from __future__ import annotations

from urllib.parse import urlencode


def rekap_url(code: str | None, period: str) -> str:
    return "/rekap?" + urlencode({"wilayah": code or "", "bulan": period})


def posyandu_url(code: str, period: str) -> str:
    return f"/posyandu/{code}?" + urlencode({"bulan": period})


def download_url(output: str, code: str | None, period: str) -> str:
    return f"/unduh/{output}?" + urlencode({"wilayah": code or "", "bulan": period})


def meeting_url(meeting_id: int) -> str:
    return f"/rapat/{meeting_id}"

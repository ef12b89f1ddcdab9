"""Photos and files received as evidence, stored content-addressed under the media folder.

Never in the database: a file is named by the SHA-256 of its bytes
(``ab/abcdef….jpg``), so the same photo sent twice, or a webhook delivered
again, is stored once. Written to a temporary name and renamed, so a crash
never leaves half a file under a real name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class MediaStore:
    """The media folder: ``put`` bytes, find them again by digest."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, content: bytes, extension: str) -> tuple[str, bool]:
        """Store ``content``; returns its digest and whether it was new."""
        digest = hashlib.sha256(content).hexdigest()
        target = self.root / digest[:2] / f"{digest}.{extension}"
        if target.exists():
            return digest, False
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
        return digest, True

    def path(self, digest: str) -> Path | None:
        """Where the file with this digest is, if it is stored."""
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            return None
        return next((self.root / digest[:2]).glob(f"{digest}.*"), None)

"""A picture of a document's first page, for the web's Document page: the PDF a user would download,
rasterised by pdftoppm at a low resolution and kept under HOME/previews/ by that PDF's SHA-256 (made
once; a PDF never changes under its hash, so a kept picture is never stale)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .home import Archive
from .records import DocumentRecord, MissingCopy, read_copy

FOLDER = "previews"
DPI = 40  # an A4 page of 331 x 468 pixels, about 20 kB
TIMEOUT_S = 30


def first_page_png(archive: Archive, record: DocumentRecord) -> bytes | None:
    """The PNG of the first page of `record`'s PDF (its signed PDF when signed); None when it has no PDF
    or pdftoppm is not installed (poppler-utils)."""
    stored = record.files.get("signed") or record.files.get("pdf")
    pdftoppm = shutil.which("pdftoppm")
    if stored is None or pdftoppm is None:
        return None
    kept = archive.home / FOLDER / f"{stored.sha256}.png"
    if kept.is_file():
        return kept.read_bytes()
    try:
        _, content = read_copy(archive.store, record, "pdf")  # hash checked
    except MissingCopy:
        return None
    kept.parent.mkdir(mode=0o700, exist_ok=True)  # private like the rest of the home
    with tempfile.TemporaryDirectory(prefix=".preview-", dir=kept.parent) as tmp:
        pdf, image = Path(tmp) / "document.pdf", Path(tmp) / "page"
        pdf.write_bytes(content)
        done = subprocess.run([pdftoppm, "-r", str(DPI), "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                               str(image)], capture_output=True, timeout=TIMEOUT_S, check=False)
        made = image.with_suffix(".png")
        if done.returncode != 0 or not made.is_file():
            return None
        os.chmod(made, 0o600)
        os.replace(made, kept)
    return kept.read_bytes()

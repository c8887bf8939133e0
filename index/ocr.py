"""Scanned documents read by OCR: Tesseract with its Vietnamese model, one page at a time.

Tesseract is run as a program (`tesseract IMAGE stdout -l vie`) rather than through
pytesseract, which is only a wrapper around the same program writing temporary files: run
directly, each page is one process in its own process group, killed whole on timeout, its
message read from stderr, and no dependency is added. PDF pages are rasterised one at a
time by poppler's `pdftoppm` (300 dpi grey, Tesseract's recommended resolution: at 200 dpi
marks are lost more often, e.g. `đổi` read as `đối`). Each Tesseract process is limited to
one thread (OMP_THREAD_LIMIT=1): on two busy cores its OpenMP threads make a page 4x slower
(measured: 10.8 s against 2.7 s for one A4 page). A page that cannot be read is reported
and the rest are kept.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import DocgenError
from docgen.vietnamese import nfc

IMAGE_FORMATS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
LANGUAGE = "vie"
DPI = 300
PAGE_TIMEOUT_S = 180
# A page is rasterised only up to this many pixels at DPI (A3 is 17 million at 300 dpi): a
# PDF page 200 inches square would ask for 3.6 billion.
MAX_PAGE_PIXELS = 60_000_000
PageProgress = Callable[[int, int], None]


class OcrUnavailable(DocgenError):
    """Tesseract (with its Vietnamese model) or pdftoppm is not installed."""


@dataclass
class Read:
    pages: list[str]  # the text of each page read ("" for a page that failed)
    failed: list[str] = field(default_factory=list)  # "page 3: why", one per page that failed


def tools() -> tuple[str, str]:
    """The paths of tesseract and pdftoppm; OcrUnavailable names what is missing and how to get it."""
    tesseract, pdftoppm = shutil.which("tesseract"), shutil.which("pdftoppm")
    if tesseract is None or pdftoppm is None:
        missing = " and ".join(name for name, path in (("tesseract", tesseract), ("pdftoppm", pdftoppm))
                               if path is None)
        raise OcrUnavailable(f"{missing} is not installed: scanned documents are read with Tesseract's "
                             "Vietnamese model (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils)")
    listed = _run([tesseract, "--list-langs"], 30).stdout.decode("utf-8", "replace").split()
    if LANGUAGE not in listed:
        raise OcrUnavailable("Tesseract has no Vietnamese model: apt-get install tesseract-ocr-vie")
    return tesseract, pdftoppm


def read_image(path: Path, *, on_page: PageProgress | None = None) -> Read:
    """The text of a scan (.png, .jpg, .tif; every page of a multi-page TIFF)."""
    tesseract, _ = tools()
    if on_page:
        on_page(0, 1)
    try:
        text = _tesseract(tesseract, path)
    except DocgenError as exc:
        return Read([""], [f"page 1: {exc}"])
    # Tesseract separates the pages of a multi-page TIFF with a form feed.
    pages = [page for page in text.split("\f")]
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    if on_page:
        on_page(1, 1)
    return Read(pages)


def read_pdf_pages(path: Path, pages: dict[int, tuple[float, float]], *,
                   on_page: PageProgress | None = None) -> dict[int, str | DocgenError]:
    """The text of the given pages of a PDF (numbered from 1, with their size in points), each
    rasterised and read on its own."""
    tesseract, pdftoppm = tools()
    found: dict[int, str | DocgenError] = {}
    with tempfile.TemporaryDirectory(prefix="docgen-ocr-") as tmp:
        for done, (number, (width, height)) in enumerate(pages.items()):
            if on_page:
                on_page(done, len(pages))
            image = Path(tmp) / f"page-{number}"
            try:
                pixels = (width / 72 * DPI) * (height / 72 * DPI)
                if pixels > MAX_PAGE_PIXELS:
                    raise DocgenError(f"a page of {width / 72:.0f} x {height / 72:.0f} inches is too large to read "
                                      f"(at most {MAX_PAGE_PIXELS // 1_000_000} million pixels at {DPI} dpi)")
                _run([pdftoppm, "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                      str(path), str(image)], PAGE_TIMEOUT_S)
                found[number] = _tesseract(tesseract, image.with_suffix(".png"))
            except DocgenError as exc:
                found[number] = exc
            finally:
                image.with_suffix(".png").unlink(missing_ok=True)
        if on_page:
            on_page(len(pages), len(pages))
    return found


def _tesseract(tesseract: str, image: Path) -> str:
    result = _run([tesseract, str(image), "stdout", "-l", LANGUAGE], PAGE_TIMEOUT_S)
    return nfc(result.stdout.decode("utf-8", "replace"))


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run a tool in its own process group; on timeout the whole group is killed."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise DocgenError(f"{Path(command[0]).name} took longer than {timeout:.0f} s") from None
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    if proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise DocgenError(f"{Path(command[0]).name} failed ({message[-1] if message else f'exit {proc.returncode}'})")
    return subprocess.CompletedProcess(command, proc.returncode, out, err)

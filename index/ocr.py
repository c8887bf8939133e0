"""Scanned documents read by OCR: Tesseract with its Vietnamese model, one page at a time.

Tesseract is run as a program (`tesseract IMAGE stdout -l vie`) rather than through
pytesseract, which is only a wrapper around the same program writing temporary files: run
directly, each page is one process in its own process group, killed whole on timeout, its
message read from stderr, and no dependency is added. A PDF page that is one picture (a
scan) is read from that picture itself, taken out with poppler's `pdfimages`, pixel for
pixel as scanned: rasterised again by `pdftoppm`, even at the scan's own 200 dpi, the same
page lost the marks of `KT. GIÁM ĐỐC` and `PHÓ GIÁM ĐỐC` (measured). Any other page is
rasterised by `pdftoppm` at 300 dpi, Tesseract's recommended resolution. Each Tesseract
process is limited to
one thread (OMP_THREAD_LIMIT=1): on two busy cores its OpenMP threads make a page 4x slower
(measured: 10.8 s against 2.7 s for one A4 page); instead, the pages of a PDF are read
one per CPU at a time. A page that cannot be read is reported and the rest are kept.
"""

from __future__ import annotations

import functools

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import DocgenError
from docgen.vietnamese import nfc

IMAGE_FORMATS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
LANGUAGE = "vie"
DPI = 300  # for a page that is not one scanned picture
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


@functools.cache
def tools() -> tuple[str, str]:
    """The paths of tesseract and pdftoppm, looked up once a process (a failure is not cached);
    OcrUnavailable names what is missing and how to get it."""
    tesseract, pdftoppm = shutil.which("tesseract"), shutil.which("pdftoppm")
    if tesseract is None or pdftoppm is None:
        missing = " and ".join(name for name, path in (("tesseract", tesseract), ("pdftoppm", pdftoppm))
                               if path is None)
        raise OcrUnavailable(f"{missing} is not installed: scanned documents are read with Tesseract's "
                             "Vietnamese model (apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils)")
    listed = run_tool([tesseract, "--list-langs"], 30).stdout.decode("utf-8", "replace").split()
    if LANGUAGE not in listed:
        raise OcrUnavailable("Tesseract has no Vietnamese model: apt-get install tesseract-ocr-vie")
    return tesseract, pdftoppm


def read_image(path: Path, *, on_page: PageProgress | None = None) -> Read:
    """The text of a scan (.png, .jpg, .tif; every page of a multi-page TIFF)."""
    tesseract, _ = tools()
    if on_page:
        on_page(0, 1)
    try:
        pages = _tesseract(tesseract, path) or [""]
    except DocgenError as exc:
        return Read([""], [f"page 1: {exc}"])
    if on_page:
        on_page(1, 1)
    return Read(pages)


def read_pdf_pages(path: Path, pages: dict[int, tuple[float, float, int]], *,
                   on_page: PageProgress | None = None) -> dict[int, str | DocgenError]:
    """The text of the given pages of a PDF (numbered from 1, with their size in points and their
    rotation), each read on its own, one page per CPU at a time: its one picture, else the page
    rasterised."""
    tesseract, pdftoppm = tools()
    pdfimages = str(Path(pdftoppm).with_name("pdfimages"))
    found: dict[int, str | DocgenError] = {}
    if on_page:
        on_page(0, len(pages))
    with tempfile.TemporaryDirectory(prefix="docgen-ocr-") as tmp, \
            ThreadPoolExecutor(max_workers=max(1, min(os.cpu_count() or 1, len(pages)))) as workers:
        reading = {workers.submit(_read_page, tesseract, pdftoppm, pdfimages, path, number, size,
                                  Path(tmp) / str(number)): number for number, size in pages.items()}
        for done, future in enumerate(as_completed(reading), 1):
            found[reading[future]] = future.result()
            if on_page:
                on_page(done, len(pages))
    return dict(sorted(found.items()))


def _read_page(tesseract: str, pdftoppm: str, pdfimages: str, path: Path, number: int,
               size: tuple[float, float, int], folder: Path) -> str | DocgenError:
    width, height, rotation = size
    folder.mkdir()
    try:
        image = None if rotation % 360 else _picture(pdfimages, path, number, folder)
        if image is None:
            if (width / 72 * DPI) * (height / 72 * DPI) > MAX_PAGE_PIXELS:
                raise DocgenError(f"a page of {width / 72:.0f} x {height / 72:.0f} inches is too large to "
                                  f"read (at most {MAX_PAGE_PIXELS // 1_000_000} million pixels at {DPI} dpi)")
            image = folder / "page"
            run_tool([pdftoppm, "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(number), "-l",
                  str(number), str(path), str(image)], PAGE_TIMEOUT_S)
            image = image.with_suffix(".png")
        return "\n".join(_tesseract(tesseract, image))
    except DocgenError as exc:
        return exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _picture(pdfimages: str, path: Path, number: int, folder: Path) -> Path | None:
    """The picture a scanned page consists of, as a PNG in `folder`; None when the page holds
    no picture or several (then it is rasterised)."""
    try:
        listed = run_tool([pdfimages, "-f", str(number), "-l", str(number), "-list", str(path)], 60).stdout
    except DocgenError:
        return None
    pictures = [row.split() for row in listed.decode("utf-8", "replace").splitlines()[2:]]
    pictures = [cells for cells in pictures if len(cells) > 4 and cells[2] == "image"]
    if len(pictures) != 1:
        return None
    width, height = int(pictures[0][3]), int(pictures[0][4])
    if width * height > MAX_PAGE_PIXELS:
        raise DocgenError(f"a scan of {width} x {height} pixels is too large to read "
                          f"(at most {MAX_PAGE_PIXELS // 1_000_000} million pixels)")
    run_tool([pdfimages, "-png", "-f", str(number), "-l", str(number), str(path), str(folder / "scan")], PAGE_TIMEOUT_S)
    found = sorted(folder.glob("scan-*.png"))
    return found[0] if len(found) == 1 else None


def _tesseract(tesseract: str, image: Path) -> list[str]:
    """The text of each page of `image` (a multi-page TIFF has several), in reading order."""
    result = run_tool([tesseract, str(image), "stdout", "-l", LANGUAGE, "tsv"], PAGE_TIMEOUT_S)
    return [nfc(page) for page in reading_order(result.stdout.decode("utf-8", "replace"))]


@dataclass
class _Segment:
    left: int
    right: int
    text: str


def reading_order(tsv: str) -> list[str]:
    """The pages of Tesseract's TSV output as text, one printed line a line, two-column parts
    read column by column. Tesseract reads the header (agency | national title) and the
    closing (Nơi nhận | signature) of Decree 30's layout as single lines across both columns
    (`Nơi nhận: KT. GIÁM ĐỐC`); split at their wide gap and read left column then right, they
    come out in the order of the document's own table cells, as a .docx or PDF text layer gives."""
    lines: dict[int, dict[tuple[str, str, str], list[tuple[int, int, int, str]]]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        page, block, par, line = cells[1:5]
        left, width, height = int(cells[6]), int(cells[8]), int(cells[9])
        lines.setdefault(int(page), {}).setdefault((block, par, line), []).append(
            (left, left + width, height, cells[11].strip()))
    return [_page_text([_segments(words) for words in page.values()]) for _, page in sorted(lines.items())]


def _segments(words: list[tuple[int, int, int, str]]) -> list[_Segment]:
    """A line's words in runs, split where the gap is wider than four times the line's height."""
    words.sort()
    gap = 4 * sorted(h for _, _, h, _ in words)[len(words) // 2]
    segments = [_Segment(words[0][0], words[0][1], words[0][3])]
    for left, right, _, text in words[1:]:
        if left - segments[-1].right > gap:
            segments.append(_Segment(left, right, text))
        else:
            segments[-1].right, segments[-1].text = right, f"{segments[-1].text} {text}"
    return segments


def _page_text(lines: list[list[_Segment]]) -> str:
    out: list[str] = []
    at = 0
    while at < len(lines):
        if len(lines[at]) < 2:
            out.append(lines[at][0].text)
            at += 1
            continue
        # Two columns from here, while lines keep to one side or split in two; the right column's
        # lines are centred, so a line belongs to it when it starts right of the left column's end.
        boundary = min(segment.left for segment in lines[at][1:])
        left_end = lines[at][0].right
        left_column: list[str] = []
        right_column: list[str] = []
        while at < len(lines):
            line = lines[at]
            if len(line) > 1:
                left_column.append(line[0].text)
                right_column.append(" ".join(segment.text for segment in line[1:]))
                boundary, left_end = min(boundary, line[1].left), max(left_end, line[0].right)
            elif line[0].left > left_end:
                right_column.append(line[0].text)
            elif line[0].right < boundary:
                left_column.append(line[0].text)
                left_end = max(left_end, line[0].right)
            else:
                break  # a line across both columns: the body goes on
            at += 1
        out += left_column + right_column
    return "\n".join(out)


def run_tool(command: list[str], timeout: float) -> subprocess.CompletedProcess:
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

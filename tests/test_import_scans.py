"""Scanned documents: one of our own letters printed to PDF, rasterised at 200 dpi into an
image-only PDF and a PNG (as an office scanner makes them), imported, read by Tesseract's
Vietnamese model, recognised like any import and found by search with and without marks."""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.importing import list_imported
from cli import cli
from index import import_files, search_archive

from .conftest import AGENCY
from .handmade_pdf import assemble


@pytest.fixture(scope="session")
def tesseract() -> str:
    """Tesseract with its Vietnamese model: skipped on a machine without it, a failure in CI."""
    path = shutil.which("tesseract")
    langs = subprocess.run([path, "--list-langs"], capture_output=True, text=True).stdout.split() if path else []
    if path is None or "vie" not in langs or shutil.which("pdftoppm") is None:
        message = "tesseract with its Vietnamese model is not installed: apt-get install tesseract-ocr tesseract-ocr-vie"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def image_only_pdf(pages: list[bytes | tuple[float, float]], dpi: int) -> bytes:
    """A PDF whose pages are pictures and nothing else (no text layer): each page an 8-bit
    PNG (grey or RGB) drawn full page, or (width, height) in points for an empty page."""
    objects: list[bytes] = [b"", b""]  # 1: the catalog, 2: the page tree, written last

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    kids = []
    for page in pages:
        if isinstance(page, tuple):
            width, height = page
            content = add(b"<< /Length 0 >>\nstream\n\nendstream")
            resources = b"<< >>"
        else:
            columns, rows = png_size(page)
            colours = {b"\x08\x00": (b"DeviceGray", 1), b"\x08\x02": (b"DeviceRGB", 3)}[page[24:26]]
            idat, at = b"", 8
            while at < len(page):
                length, kind = struct.unpack(">I4s", page[at:at + 8])
                if kind == b"IDAT":
                    idat += page[at + 8:at + 8 + length]
                at += 12 + length
            image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s "
                        b"/BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors %d "
                        b"/BitsPerComponent 8 /Columns %d >> /Length %d >>\nstream\n"
                        % (columns, rows, colours[0], colours[1], columns, len(idat)) + idat + b"\nendstream")
            width, height = columns * 72 / dpi, rows * 72 / dpi
            draw = b"q %.2f 0 0 %.2f 0 0 cm /Scan Do Q" % (width, height)
            content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
            resources = b"<< /XObject << /Scan %d 0 R >> >>" % image
        kids.append(add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources %s /Contents %d 0 R >>"
                        % (width, height, resources, content)))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))
    return assemble(objects)


@pytest.fixture(scope="module")
def scans(example_pdfs, tesseract, tmp_path_factory) -> dict[str, Path]:
    """The example letter (05/SGD&ĐT-VP) scanned at 200 dpi: its first page as a PNG, and its first
    and last (signed) pages as an image-only PDF followed by a page too large to read."""
    from pypdf import PdfReader

    folder = tmp_path_factory.mktemp("scans")
    letter = example_pdfs["cong_van"]
    last = len(PdfReader(letter).pages)
    for number in (1, last):
        subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", "-f", str(number), "-l",
                        str(number), str(letter), str(folder / f"page-{number}")], check=True)
    png = folder / "page-1.png"
    pdf = folder / "cong-van-scan.pdf"
    pdf.write_bytes(image_only_pdf([png.read_bytes(), (folder / f"page-{last}.png").read_bytes(),
                                    (14400.0, 14400.0)], dpi=200))
    return {"png": png, "pdf": pdf}


@pytest.fixture
def archive(tmp_path):
    with Archive.init(tmp_path / "home", AGENCY) as opened:
        yield opened


def test_a_scanned_pdf_and_png_are_read_by_ocr_recognised_and_found_with_and_without_marks(archive, scans):
    from pypdf import PdfReader

    assert not "".join(page.extract_text() or "" for page in PdfReader(scans["pdf"]).pages).strip()  # no text layer
    seen = []
    report = import_files(archive, [scans["pdf"], scans["png"]], progress=lambda *step: seen.append(step))
    assert not report.skipped, report.skipped
    assert [item["ocr_pages"] for item in report.imported] == [3, 1]
    # The page too large to read is reported; the rest of the document is imported.
    assert len(report.warnings) == 1 and "page 3" in report.warnings[0] and "too large" in report.warnings[0]
    assert (1, 3, f"OCR {scans['pdf'].name}") in seen  # progress page by page
    for item in report.imported:
        assert item["number_symbol"] == "05/SGD&ĐT-VP" and item["kind"] == "cong_van"
        assert item["date"] == "2017-09-18" and item["agency"] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
        assert item["subject"].startswith("hướng dẫn thực hiện Phong trào")
    signed = report.imported[0]  # the PDF holds the last page too: its two-column closing is read in order
    assert (signed["signing_authority"], signed["signer_title"], signed["signer_name"]) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Mai Phương")
    assert signed["recipients"][0] == "- Như kính gửi;" and not signed["missing"]
    stored = list_imported(archive)
    for record, path in zip(stored, (scans["pdf"], scans["png"])):
        assert hashlib.sha256(Path(record.path).read_bytes()).digest() == hashlib.sha256(path.read_bytes()).digest()
    assert [r.format for r in stored] == ["pdf", "png"]
    for query in ("sáng tạo trong dạy và học", "sang tao trong day va hoc", '"khơi dậy tinh thần"',
                  "05/sgddt-vp"):
        keys = {hit.key for hit in search_archive(archive, query).hits}
        assert {"i1", "i2"} <= keys, query


def test_import_command_says_a_scan_was_read_by_ocr(tmp_path, scans):
    home = tmp_path / "home"
    Archive.init(home, AGENCY).close()
    result = CliRunner().invoke(cli, ["--home", str(home), "import", str(scans["png"])])
    assert result.exit_code == 0, result.output
    assert f"Imported {scans['png']} (read by OCR, 1 page(s)) as i1: 05/SGD&ĐT-VP" in result.output

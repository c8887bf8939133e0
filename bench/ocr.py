"""Reading scans by OCR (index/ocr.py): pages per second and how much of the text comes back.

One of our own letters (examples/cong_van.yaml) is rendered and printed to PDF by
LibreOffice, then read two ways, page by page: as 200-dpi PNG scans (an office scanner's
usual setting) given to Tesseract as they are, and as PDF pages rasterised by pdftoppm at
300 dpi first (what `docgen import` does with a PDF page that has no text layer). Accuracy
is the similarity (difflib ratio, 1.0 = identical) of the recognised text to the PDF's own
text layer, both with spaces and line breaks collapsed.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

import docgen
from docgen.catalog import EXAMPLES_DIR
from index import ocr
from index.snippets import flat

from . import report

SCAN_DPI = 200


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="docgen-bench-ocr-") as tmp_name:
        tmp = Path(tmp_name)
        docx = docgen.render("cong_van", EXAMPLES_DIR / "cong_van.yaml", number=5).save(tmp / "letter.docx")
        pdf = docgen.convert_to_pdf([docx], tmp)[0]
        reader = PdfReader(pdf)
        truth = [flat(page.extract_text() or "") for page in reader.pages]
        pages = {n: (float(p.mediabox.width), float(p.mediabox.height), p.rotation)
                 for n, p in enumerate(reader.pages, 1)}
        subprocess.run(["pdftoppm", "-r", str(SCAN_DPI), "-gray", "-png", str(pdf), str(tmp / "scan")], check=True)
        scans = sorted(tmp.glob("scan-*.png"))

        started, cpu = time.perf_counter(), _children_cpu()
        from_png = [ocr.read_image(scan).pages[0] for scan in scans]
        png_s, png_cpu = time.perf_counter() - started, _children_cpu() - cpu
        started, cpu = time.perf_counter(), _children_cpu()
        from_pdf = ocr.read_pdf_pages(pdf, pages)
        pdf_s, pdf_cpu = time.perf_counter() - started, _children_cpu() - cpu

    def similarity(texts) -> float:
        return sum(difflib.SequenceMatcher(None, flat(t), want).ratio() for t, want in zip(texts, truth)) / len(truth)

    count = len(truth)
    rows = [
        {"measure": f"OCR of {SCAN_DPI}-dpi PNG scans", "pages": count, "pages/s": f"{count / png_s:.2f}",
         "CPU s/page": png_cpu / count, "accuracy %": 100 * similarity(from_png)},
        {"measure": f"OCR of PDF pages (pdftoppm {ocr.DPI} dpi + tesseract)", "pages": count,
         "pages/s": f"{count / pdf_s:.2f}", "CPU s/page": pdf_cpu / count,
         "accuracy %": 100 * similarity([from_pdf[n] for n in sorted(from_pdf)])},
    ]
    report("ocr", rows, ["measure", "pages", "pages/s", "CPU s/page", "accuracy %"], {"cpus": os.cpu_count()})


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (Tesseract, pdftoppm): steady on a busy machine."""
    times = os.times()
    return times.children_user + times.children_system


if __name__ == "__main__":
    main()

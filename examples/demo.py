"""`make demo`: render every example to demo-out/ as .docx and PDF, check each, one line per document."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pypdf import PdfReader

import docgen
from docgen.catalog import example_files

OUT = Path(__file__).resolve().parent.parent / "demo-out"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    rendered = []
    for number, (kind, path) in enumerate(example_files(), start=1):
        started = time.perf_counter()
        document = docgen.render(kind, path, number=number)
        docx_path = document.save(OUT / f"{path.stem}.docx")
        rendered.append((document, docx_path, (time.perf_counter() - started) * 1000))
    started = time.perf_counter()
    pdfs = docgen.convert_to_pdf([docx for _, docx, _ in rendered])
    pdf_seconds = time.perf_counter() - started
    problems = 0
    for (document, docx_path, ms), pdf in zip(rendered, pdfs):
        findings = docgen.check_document(docx_path)
        problems += len(findings)
        pages = len(PdfReader(pdf).pages)
        label = document.document.number_symbol or "(no number)"
        status = "conforms" if not findings else f"{len(findings)} finding(s)"
        print(f"{document.document.kind.name:<24} {label:<18} {docx_path.name:<40} "
              f"{pages} page(s)  {ms:5.0f} ms  check: {status}")
        for finding in findings:
            print(f"    [{finding.rule}] {finding.where}: found {finding.found}; expected {finding.expected}")
    print(f"\n{len(rendered)} documents in {OUT}/ (.docx and .pdf); "
          f"PDF for all in one LibreOffice run: {pdf_seconds:.1f} s; findings: {problems}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

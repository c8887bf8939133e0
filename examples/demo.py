"""`make demo`: the main job on the embedded default (SQLite, local files), start to end.

1. Render every example to demo-out/ as .docx and PDF (one LibreOffice start) and check each.
2. Create a demo archive home, issue every numbered example in date order, make their PDFs,
   export the register of outgoing documents for each year, and verify the archive.
3. Search the archive as a clerk types: no diacritics, a number-symbol in another spelling.
4. Build the example nomination dossier for the Ministry from its spreadsheet.
5. Add one demo account per role and serve the demo home at http://127.0.0.1:8000 (Ctrl-C stops;
   DEMO_SERVE=0 skips serving, as tests and CI do).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader

import docgen
import index
from archive.home import Archive
from archive.issuing import issue_document
from archive.pdf_copies import make_pdfs
from archive.records import list_documents
from archive.register_book import export_register
from archive.verify import verify
from docgen.catalog import EXAMPLES_DIR, example_files
from docgen.dossier.build import build_dossier
from index import check as check_index

OUT = EXAMPLES_DIR.parent / "demo-out"


def render_examples() -> list[tuple[docgen.RenderedDocument, Path, float]]:
    """Every example rendered, numbered 01, 02, ... in order; (document, example file, milliseconds)."""
    rendered = []
    numbers = itertools.count(1)
    for kind, path in example_files():
        started = time.perf_counter()
        # Achievement reports are annexes with no number: they take none from the sequence.
        document = docgen.render(kind, path, number=next(numbers) if docgen.KINDS[kind].numbered else None)
        rendered.append((document, path, (time.perf_counter() - started) * 1000))
    return rendered


def render_and_check() -> int:
    print("== Render every example, convert to PDF, check against Decree 30 ==")
    rendered = [(document, document.save(OUT / f"{path.stem}.docx"), ms) for document, path, ms in render_examples()]
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
        print(f"{document.document.kind.name:<24} {label:<18} {docx_path.name:<34} "
              f"{pages} page(s)  {ms:4.0f} ms  check: {status}")
        for finding in findings:
            print(f"    [{finding.rule}] {finding.where}: found {finding.found}; expected {finding.expected}")
    print(f"{len(rendered)} documents rendered to {OUT}/ (.docx and .pdf); "
          f"PDF for all in one LibreOffice run: {pdf_seconds:.1f} s; findings: {problems}\n")
    return problems


def issue_into_archive() -> int:
    print("== Issue the numbered examples into a demo archive ==")
    home = OUT / "home"
    shutil.rmtree(home, ignore_errors=True)
    archive = Archive.init(home, EXAMPLES_DIR / "agency.yaml", actor="demo")
    numbered = [(kind, path) for kind, path in example_files() if docgen.KINDS[kind].numbered]
    # Numbers follow the order of issue, so issue in date order (the register refuses backdating).
    numbered.sort(key=lambda pair: docgen.load_document(*pair).date)
    issued = []
    for kind, path in numbered:
        result = issue_document(archive, kind, path, pdf=False, actor="demo")
        record = result.record
        issued.append(record)
        print(f"issued  {record.number_symbol:<18} {record.date}  {record.kind:<24} {record.subject[:60]}")
        for warning in result.warnings:
            print(f"        warning: {warning}")
    make_pdfs(archive, [r.id for r in issued], actor="demo")
    for year in sorted({r.year for r in issued}):
        book = export_register(archive, year, OUT / f"so-van-ban-di-{year}.xlsx")
        print(f"register of outgoing documents {year}: {book['path']} ({book['documents']} document(s))")
    report = verify(archive)
    status = "clean" if report.ok else f"{len(report.problems)} problem(s)"
    print(f"verify: {report.documents} documents, {report.files} files hashed: {status}")
    for line in report.problems + report.warnings:
        print(f"    {line}")
    print(f"archive home: {home} (database archive.sqlite, files/, index/)\n")
    return (0 if report.ok else 1) + search_archive(archive)


def search_archive(archive: Archive) -> int:
    print("== Search the archive (Vietnamese, with or without marks) ==")
    award = next(r for r in list_documents(archive.db) if r.kind == "quyet_dinh_khen_thuong")
    typed = award.number_symbol.lower().replace("&", "")  # the award decision's number as a clerk types it
    for query in ("quyet dinh khen thuong", typed, "hội đồng thi đua bỏ phiếu"):
        results = index.search_archive(archive, query, limit=1)
        top = results.hits[0] if results.hits else None
        found = f"{top.number_symbol or '(no number)'}  {top.subject[:60]}" if top else "nothing"
        print(f"search {query!r:<32} -> {found}")
    report = check_index(archive)
    print(f"index check: {'complete' if report.ok else 'gaps found'}\n")
    return 0 if report.ok else 1


def build_example_dossier() -> int:
    print("== Build the nomination dossier from examples/dossier/ ==")
    dossier = EXAMPLES_DIR / "dossier"
    output = OUT / "ho-so-de-nghi-khen-thuong.zip"
    started = time.perf_counter()
    report = build_dossier(dossier / "campaign.yaml", dossier / "nominees.xlsx", output)
    summary = report.as_json()
    print(f"accepted {len(summary['accepted'])}, rejected {len(summary['rejected'])}; "
          f"{len(summary['files'])} files in {output} ({time.perf_counter() - started:.1f} s)")
    for rejected in summary["rejected"]:
        print(f"    rejected row {rejected['row']} {rejected['name']}: {'; '.join(rejected['reasons'])}")
    return 0


# One account per role; demo passwords, printed, for a demo home only.
DEMO_ACCOUNTS = {"quantri": ("admin", True), "vanthu": ("clerk", True), "soanthao": ("drafter", False),
                 "donvi": ("reader", False)}


def add_demo_accounts() -> None:
    from archive.users import add_user

    print("== Demo accounts of the web service (one per role) ==")
    with Archive.open(OUT / "home") as archive:
        for name, (role, secret) in DEMO_ACCOUNTS.items():
            password = f"{name}-demo-2025"
            add_user(archive, name, role, secret=secret, password=password, actor="demo")
            print(f"{role:<8} {name:<10} password {password}{'  (sees secret documents)' if secret else ''}")
    print()


def serve() -> int:
    """`docgen serve` on the demo home until Ctrl-C."""
    print("== Serving the demo home at http://127.0.0.1:8000 (Ctrl-C stops) ==", flush=True)
    command = [sys.executable, "-c", "from cli import cli; cli()", "--home", str(OUT / "home"), "serve",
               "--port", "8000"]
    try:
        return subprocess.run(command, cwd=EXAMPLES_DIR.parent).returncode
    except KeyboardInterrupt:
        return 0


def main() -> int:
    OUT.mkdir(exist_ok=True)
    problems = render_and_check()
    problems += issue_into_archive()
    problems += build_example_dossier()
    add_demo_accounts()
    if problems:
        return 1
    if os.environ.get("DEMO_SERVE", "1") != "0":
        return serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())

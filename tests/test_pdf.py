"""PDF output through real LibreOffice: one start per batch, text and pages as rendered."""

from __future__ import annotations

import http.server
import re
import subprocess
import threading
import unicodedata
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

import docgen
from docgen.check.recognize import NO_SUBJECT
from docgen.errors import ConversionError
from docgen.pdf import _profile
from docgen.vietnamese import fold

from .conftest import libreoffice_starts
from .test_render import png, with_linked_images


def pdf_text(path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_example_pdf_has_number_subject_and_signer(rendered_examples, example_pdfs):
    for stem, pdf in example_pdfs.items():
        document = docgen.render(*_kind_and_path(stem), number=5).document
        text = pdf_text(pdf)
        if document.number_symbol:
            assert f"Số: {document.number_symbol}" in text, stem
        subject_start = flat(document.subject)[:25]
        if subject_start and fold(document.kind.type_name or "") not in NO_SUBJECT:  # forms 1.8, 1.10 print none
            assert subject_start in text, stem
        signer = document.signer
        if signer:
            assert signer.name in text, stem


def test_page_counts(example_pdfs):
    pages = {stem: len(PdfReader(pdf).pages) for stem, pdf in example_pdfs.items()}
    # Long documents run to several pages; an attached list starts on a page of its own.
    assert pages["ke_hoach"] >= 3 and pages["cong_van"] >= 3
    for stem in ("quyet_dinh_khen_thuong", "to_trinh"):
        reader = PdfReader(example_pdfs[stem])
        first_list_page = next(i for i, p in enumerate(reader.pages) if "DANH SÁCH" in
                               unicodedata.normalize("NFC", p.extract_text() or ""))
        assert first_list_page >= 1, stem
        assert "Nơi nhận" not in unicodedata.normalize("NFC", reader.pages[first_list_page].extract_text())


def test_no_page_number_on_the_first_page_and_numbers_after(example_pdfs):
    reader = PdfReader(example_pdfs["ke_hoach"])
    first_lines = [unicodedata.normalize("NFC", p.extract_text()).strip().splitlines()[0].strip() for p in reader.pages]
    assert first_lines[0] != "1"
    assert first_lines[1:] == [str(n) for n in range(2, len(reader.pages) + 1)]


def test_one_libreoffice_start_per_batch(rendered_examples, soffice, tmp_path, monkeypatch):
    starts = libreoffice_starts(monkeypatch)
    pdfs = docgen.convert_to_pdf(list(rendered_examples.values()), out_dir=tmp_path)
    assert len(starts) == 1
    assert all(p.is_file() and p.parent == tmp_path for p in pdfs)


def test_missing_libreoffice_says_what_to_install(rendered_examples, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError, match="libreoffice-writer-nogui"):
        docgen.convert_to_pdf([next(iter(rendered_examples.values()))])


def _kind_and_path(stem):
    from docgen.catalog import example_files

    return next((kind, path) for kind, path in example_files() if path.stem == stem)


def _live_processes_naming(text: str) -> list[str]:
    """Processes still running (not zombies) whose command line contains `text`, read from /proc."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in command and state != "Z":
            found.append(f"{proc.name}: {command}")
    return found


def _long_table(path: Path, rows: int) -> Path:
    """A .docx LibreOffice needs many seconds for (a 3000-row table: about 20 s here)."""
    document = docx.Document()
    table = document.add_table(rows=rows, cols=4)
    for number, row in enumerate(table.rows):
        for cell in row.cells:
            cell.text = f"Nguyễn Văn {number}"
    document.save(path)
    return path


def test_a_timed_out_conversion_leaves_nothing_running_and_the_next_one_works(
        rendered_examples, soffice, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the profiles, so their processes are found
    with pytest.raises(ConversionError, match="in time"):
        docgen.convert_to_pdf([_long_table(tmp_path / "long.docx", 3000)], tmp_path / "out", timeout=3)
    assert _live_processes_naming(str(tmp_path)) == []
    pdf = docgen.convert_to_pdf([rendered_examples["to_trinh"]], tmp_path / "out")[0]
    assert "TỜ TRÌNH" in pdf_text(pdf)
    assert _live_processes_naming(str(tmp_path)) == []


def test_a_profile_a_live_process_holds_is_never_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with _profile() as (first, lock):
        # Like a LibreOffice that outlived its run: it inherited the profile's lock.
        survivor = subprocess.Popen(["sleep", "60"], pass_fds=(lock,))
    try:
        with _profile() as (second, _):
            assert second != first
    finally:
        survivor.kill()
        survivor.wait()
    with _profile() as (third, _):
        assert third == first


def test_conversions_reach_neither_the_network_nor_local_files_a_document_links(rendered_examples, soffice,
                                                                                 tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(png())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (tmp_path / "private.png").write_bytes(png())
    linked = with_linked_images(rendered_examples["to_trinh"], tmp_path / "linked.docx",
                                [f"http://127.0.0.1:{server.server_port}/tracker.png",
                                 (tmp_path / "private.png").as_uri()])
    try:
        pdf = docgen.convert_to_pdf([linked], tmp_path / "out")[0]
    finally:
        server.shutdown()
    assert requests == []
    assert "TỜ TRÌNH" in pdf_text(pdf)
    assert sum(len(page.images) for page in PdfReader(pdf).pages) == 0

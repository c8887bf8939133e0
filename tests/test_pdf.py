"""PDF output through real LibreOffice: one start per batch, text and pages as rendered."""

from __future__ import annotations

import re
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

import docgen
from docgen.errors import ConversionError


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
        if subject_start:
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
    starts = []
    real_run = subprocess.run

    def counting_run(command, *args, **kwargs):
        starts.append(command[0])
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting_run)
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

"""Conformance checker: does a .docx follow Decree 30/2020/NĐ-CP, Appendix I?

`check_document` reads any .docx, generated here or typed by hand in Word, finds the parts
of the document (thể thức) by their text and position, resolves the formatting Word
displays (direct run properties, then the character style, the paragraph style and its
basedOn chain, the table style, docDefaults) and reports every rule of the layout law it
can read (`docgen.layout` holds the numbers). A part that is absent is only reported when
the law requires it of every document (Quốc hiệu and Tiêu ngữ).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterable

from ..errors import DocgenError
from ..limits import DATA_FILE_BYTES, size_text, zip_part_refusal

from .anatomy import _Anatomy
from .annexes import _check_annexes
from .articles import _check_articles
from .content import _check_content
from .findings import Finding, _Report
from .fonts import _check_fonts
from .forms import _check_forms
from .numbering import _check_numbering
from .page import _check_page_numbers, _check_pages
from .parts import _check_parts
from .reader import _Reader, _open

__all__ = ["Finding", "check_document", "check_documents", "check_upload"]


def check_document(path: str | Path | bytes) -> list[Finding]:
    """Every rule of the layout law the file (or the .docx bytes) breaks, in reading order of the checks."""
    document = _open(path if isinstance(path, bytes) else Path(path))
    reader = _Reader(document)
    report = _Report()
    _check_pages(reader, report)
    _check_fonts(reader, report)
    _check_page_numbers(reader, report)
    anatomy = _Anatomy.of(reader)
    _check_parts(anatomy, report)
    _check_content(anatomy, report)
    _check_numbering(anatomy, report)
    _check_annexes(anatomy, report)
    _check_articles(anatomy, report)
    _check_forms(anatomy, report)
    return report.findings()


def check_documents(paths: Iterable[str | Path]) -> dict[str, list[Finding]]:
    return {str(path): check_document(path) for path in paths}


def check_upload(content: bytes, name: str) -> list[Finding]:
    """The findings for a .docx received as bytes (a web upload named `name`), refused with a message
    naming it when it is larger than DATA_FILE_BYTES, not a .docx, or a part would unpack like a zip bomb."""
    if len(content) > DATA_FILE_BYTES:
        raise DocgenError(f"{name}: more than the {size_text(DATA_FILE_BYTES)} a checked .docx may have")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            refusals = [r for info in package.infolist() if (r := zip_part_refusal(info))]
            if "word/document.xml" not in package.namelist():
                refusals.append("no word/document.xml: not a Word document")
    except zipfile.BadZipFile:
        raise DocgenError(f"{name}: not a .docx file (a Word document saved by Word 2007 or later)") from None
    if refusals:
        raise DocgenError(f"{name}: {refusals[0]}")
    try:
        return check_document(content)
    except DocgenError:
        raise
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise DocgenError(f"{name}: not a readable .docx file ({type(exc).__name__}: {exc})") from exc

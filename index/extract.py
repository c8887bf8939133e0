"""The text of a document file: .docx, .pdf, .doc (through LibreOffice), .txt, and scans
(.png, .jpg, .tif, and the pages of a PDF that have no text layer) read by OCR (index/ocr.py).

Text comes out NFC, one paragraph (or PDF line) a line, tables read row by row and cell by
cell, so the header block reads agency, number, then national title and date. Legacy
TCVN3 text (`.Vn` fonts) is converted to Unicode: by the run's font where the file names
fonts, else by the look of the text.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from docgen.errors import ConversionError, DocgenError
from docgen.limits import IMPORT_FILE_MAX_BYTES, MB, zip_part_refusal
from docgen.pdf import convert
from docgen.vietnamese import nfc

from . import ocr, tcvn3

FORMATS = (".docx", ".pdf", ".doc", ".txt", *ocr.IMAGE_FORMATS)
PDF_TEXT_TIMEOUT_S = 60
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ExtractError(DocgenError):
    """A file whose text cannot be read (reported, and the file skipped)."""


@dataclass
class Extracted:
    text: str
    format: str  # "docx", "pdf", "doc", "txt"
    legacy: bool = False  # converted from TCVN3
    pages: int | None = None
    ocr_pages: int = 0  # pages read by OCR (a scan, or PDF pages without a text layer)
    failed: list[str] = field(default_factory=list)  # pages that could not be read, each with why


def extract_files(paths: Iterable[str | Path], *, on_page: Callable[[Path, int, int], None] | None = None
                  ) -> Iterator[tuple[Path, Extracted | ExtractError]]:
    """The text of each file, or why it cannot be read; the .doc files among them go through
    one LibreOffice start for all, not one each. `on_page(path, done, total)` follows scans
    page by page."""
    paths = [Path(p) for p in paths]
    copies: dict[Path, Path | ExtractError] = {}
    docs = []
    for doc in dict.fromkeys(p for p in paths if p.suffix.lower() == ".doc" and p.is_file()):
        try:
            check_content(doc, ".doc")
            docs.append(doc)
        except ExtractError as exc:
            copies[doc] = exc
    with tempfile.TemporaryDirectory(prefix="docgen-doc-") as tmp:
        try:
            copies.update(_as_docx(docs, Path(tmp)) if docs else {})
        except ExtractError as exc:
            copies.update({doc: ExtractError(f"{doc}: {exc}") for doc in docs})
        for path in paths:
            try:
                copy = copies.get(path)
                if isinstance(copy, ExtractError):
                    raise copy
                pages = (lambda done, total, path=path: on_page(path, done, total)) if on_page else None
                yield path, extract(path, docx_copy=copy, on_page=pages)
            except ExtractError as exc:
                yield path, exc
            except MemoryError:
                yield path, ExtractError(f"{path}: too large to read in memory")


# What a file is by its first bytes, so that a .doc that is really a web page never reaches
# LibreOffice (which would fetch what the page links to).
_SIGNATURES = ((b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"),
               (b"{\\rtf", "RTF"))
_MARKUP = re.compile(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|img)\b", re.I | re.S)
_EXPECTED = {".pdf": ("PDF", "not a PDF"), ".docx": ("ZIP", "not a .docx (Word 2007 or later) file"),
             ".doc": ("OLE2", "not a Word 97-2003 file")}
_SEEN_AS = {"PDF": "a PDF", "ZIP": "a zip package (.docx, .xlsx, .odt?)", "OLE2": "a Word 97-2003 or other Office file",
            "RTF": "RTF (Rich Text Format): save it as .docx", "HTML": "HTML, a web page",
            "XML": "XML", "text": "plain text", "data": "unrecognised data"}


def content_type(head: bytes) -> str:
    """"PDF", "ZIP", "OLE2", "RTF", "HTML", "XML", "text" or "data", from a file's first kilobytes."""
    body = head.removeprefix(b"\xef\xbb\xbf")
    if b"%PDF-" in head[:1024]:  # readers accept the header anywhere in the first kilobyte
        return "PDF"
    for magic, name in _SIGNATURES:
        if body.startswith(magic):
            return name
    if _MARKUP.match(body):
        return "HTML"
    if body.lstrip().startswith(b"<"):
        return "XML"
    return "text" if b"\0" not in body else "data"


def check_content(path: Path, suffix: str) -> None:
    """Refuse a file bigger than imports take, or whose content is not what its extension says."""
    size = path.stat().st_size
    if size > IMPORT_FILE_MAX_BYTES:
        raise ExtractError(f"{path}: {size / MB:.0f} MB, more than the {IMPORT_FILE_MAX_BYTES // MB} MB "
                           "an imported file may have")
    if suffix not in _EXPECTED:
        return
    with open(path, "rb") as file:
        found = content_type(file.read(4096))
    expected, wrong = _EXPECTED[suffix]
    if found != expected:
        raise ExtractError(f"{path}: {wrong}: its content is {_SEEN_AS[found]}")


def extract(path: str | Path, *, suffix: str | None = None, docx_copy: Path | None = None,
            on_page: ocr.PageProgress | None = None) -> Extracted:
    """The text of `path`, read as its extension says (or as `suffix`, for store files named by hash).

    A .doc is read through LibreOffice's .docx copy of it: `docx_copy` when the caller made
    it (extract_files, for a batch), else one made here. Scans are read by OCR, `on_page`
    following the pages."""
    path = Path(path)
    suffix = (suffix or path.suffix).lower()
    if suffix not in FORMATS:
        raise ExtractError(f"{path}: cannot read {suffix or 'a file without extension'}: "
                           f"give {', '.join(FORMATS)}")
    if not path.is_file():
        raise ExtractError(f"{path}: file not found")
    check_content(path, suffix)
    try:
        if suffix == ".docx":
            result = _docx(path)
        elif suffix == ".pdf":
            result = _pdf(path, on_page)
        elif suffix in ocr.IMAGE_FORMATS:
            result = _scan(path, suffix, on_page)
        elif suffix == ".doc":
            result = _doc(path, docx_copy)
        else:
            result = _txt(path)
    except ExtractError:
        raise
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise ExtractError(f"{path}: not a readable {suffix} file ({type(exc).__name__}: {exc})") from None
    if not result.legacy and tcvn3.looks_like_tcvn3(result.text):
        result.text, result.legacy = tcvn3.to_unicode(result.text), True
    result.text = nfc(result.text).strip()
    if not result.text:
        why = f": {'; '.join(result.failed)}" if result.failed else ""
        raise ExtractError(f"{path}: no text found" + (" by OCR" if result.ocr_pages else "") + why)
    return result


# -- .docx ----------------------------------------------------------------------------------


class _Fonts:
    """Which font a run is set in: its own, else its paragraph style's (following basedOn),
    else the document default. Only the question "is it a .Vn font" matters here."""

    def __init__(self, styles_xml: bytes | None):
        self.styles: dict[str, tuple[str | None, str | None]] = {}
        self.default: str | None = None
        if styles_xml is None:
            return
        root = etree.fromstring(styles_xml)
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        self.default = _font_name(defaults)
        for style in root.iter(f"{W}style"):
            based = style.find(f"{W}basedOn")
            self.styles[style.get(f"{W}styleId")] = (_font_name(style.find(f"{W}rPr/{W}rFonts")),
                                                      based.get(f"{W}val") if based is not None else None)

    def of_style(self, style_id: str | None) -> str | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            font, style_id = self.styles.get(style_id, (None, None))
            if font:
                return font
        return self.default


def _font_name(fonts) -> str | None:
    if fonts is None:
        return None
    return fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi")


def _part(package: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """One part of a package, refused before it is unpacked if it would be too big or inflate like a zip bomb."""
    refusal = zip_part_refusal(package.getinfo(name))
    if refusal:
        raise ExtractError(f"{path}: {refusal}")
    return package.read(name)


def _docx(path: Path) -> Extracted:
    with zipfile.ZipFile(path) as package:
        document = etree.fromstring(_part(package, "word/document.xml", path))
        styles = _part(package, "word/styles.xml", path) if "word/styles.xml" in package.namelist() else None
    fonts = _Fonts(styles)
    lines: list[str] = []
    legacy = [False]
    body = document.find(f"{W}body")
    if body is None:
        raise ExtractError(f"{path}: a .docx without a document body")
    _block(body, lines, fonts, legacy)
    return Extracted("\n".join(lines), "docx", legacy=legacy[0])


def _block(container, lines: list[str], fonts: _Fonts, legacy: list[bool]) -> None:
    for child in container:
        if child.tag == f"{W}p":
            lines.append(_paragraph(child, fonts, legacy))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                for cell in row.findall(f"{W}tc"):
                    _block(cell, lines, fonts, legacy)
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            _block(child, lines, fonts, legacy)


def _paragraph(p, fonts: _Fonts, legacy: list[bool]) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    style_font = fonts.of_style(style.get(f"{W}val") if style is not None else None)
    parts = []
    for run in p.iter(f"{W}r"):
        font = _font_name(run.find(f"{W}rPr/{W}rFonts")) or style_font
        text = []
        for node in run:
            if node.tag == f"{W}t":
                text.append(node.text or "")
            elif node.tag == f"{W}tab":
                text.append("\t")
            elif node.tag in (f"{W}br", f"{W}cr"):
                text.append("\n")
        piece = "".join(text)
        if piece and tcvn3.is_legacy_font(font):
            legacy[0] = True
            piece = tcvn3.to_unicode(piece)
            if tcvn3.is_capitals_font(font):
                piece = piece.upper()
        parts.append(piece)
    return "".join(parts)


# -- .pdf -----------------------------------------------------------------------------------


def _pdf(path: Path, on_page: ocr.PageProgress | None) -> Extracted:
    """The text layer of each page; the pages without one (scanned) are read by OCR."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise ExtractError(f"{path}: the PDF is encrypted: give an unprotected copy")
        pages = _text_layer(path, reader)
        scanned = {number: (float(page.mediabox.width), float(page.mediabox.height), page.rotation)
                   for number, (page, text) in enumerate(zip(reader.pages, pages), 1) if not text.strip()}
    except LimitReachedError as exc:
        raise ExtractError(f"{path}: the PDF goes over a reading limit, a stream that unpacks too far ({exc})") from None
    except PyPdfError as exc:
        raise ExtractError(f"{path}: not a readable PDF ({exc})") from None
    failed = []
    if scanned:
        try:
            read = ocr.read_pdf_pages(path, scanned, on_page=on_page)
        except ocr.OcrUnavailable as exc:
            raise ExtractError(f"{path}: has pages without a text layer (a scan): {exc}") from None
        for number, text in read.items():
            if isinstance(text, DocgenError):
                failed.append(f"page {number}: {text}")
            else:
                pages[number - 1] = text
    return Extracted("\n".join(pages), "pdf", pages=len(pages), ocr_pages=len(scanned), failed=failed)


def _text_layer(path: Path, reader) -> list[str]:
    """The text layer of each page, in the order the page draws it (what the part recognition reads):
    poppler's pdftotext -raw, a process of its own with a timeout (5-10x faster than pypdf's
    extraction, and the same parts recognised on every example), else pypdf's extraction."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return [page.extract_text() or "" for page in reader.pages]
    for page in reader.pages:  # unpacked by pypdf first, within its limits: a stream bomb stops here
        if (contents := page.get_contents()) is not None:
            contents.get_data()
    try:
        printed = ocr.run_tool([pdftotext, "-raw", "-enc", "UTF-8", "-eol", "unix", str(path), "-"],
                               PDF_TEXT_TIMEOUT_S).stdout
    except DocgenError as exc:
        raise ExtractError(f"{path}: the text layer could not be read ({exc})") from None
    pages = printed.decode("utf-8", "replace").split("\f")[:len(reader.pages)]
    return pages + [""] * (len(reader.pages) - len(pages))


def _scan(path: Path, suffix: str, on_page: ocr.PageProgress | None) -> Extracted:
    try:
        read = ocr.read_image(path, on_page=on_page)
    except ocr.OcrUnavailable as exc:
        raise ExtractError(f"{path}: a scan: {exc}") from None
    fmt = {".jpeg": "jpg", ".tiff": "tif"}.get(suffix, suffix.lstrip("."))
    return Extracted("\n".join(read.pages), fmt, pages=len(read.pages), ocr_pages=len(read.pages),
                     failed=read.failed)


# -- .doc -----------------------------------------------------------------------------------


def _as_docx(docs: list[Path], folder: Path) -> dict[Path, Path | ExtractError]:
    """Word 97-2003 files as .docx (fonts kept, so .Vn text is found), one LibreOffice start."""
    try:
        copies = convert(docs, "docx", folder, skip_failures=True)
    except ConversionError as exc:
        raise ExtractError(str(exc)) from None
    return {doc: copy or ExtractError(f"{doc}: LibreOffice could not read it as a Word document")
            for doc, copy in zip(docs, copies)}


def _doc(path: Path, docx_copy: Path | None) -> Extracted:
    if docx_copy is None:
        with tempfile.TemporaryDirectory(prefix="docgen-doc-") as tmp:
            copy = _as_docx([path], Path(tmp))[path]
            if isinstance(copy, ExtractError):
                raise copy
            return _doc(path, copy)
    extracted = _docx(docx_copy)
    extracted.format = "doc"
    return extracted


# -- .txt -----------------------------------------------------------------------------------


def _txt(path: Path) -> Extracted:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return Extracted(data[3:].decode("utf-8", errors="replace"), "txt")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Extracted(data.decode("utf-16", errors="replace"), "txt")
    try:
        return Extracted(data.decode("utf-8"), "txt")
    except UnicodeDecodeError:
        # Not UTF-8: an 8-bit file, most often TCVN3 in an office; `extract` decides by its look.
        return Extracted(data.decode("latin-1"), "txt")

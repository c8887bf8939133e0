"""Lawful copies of issued documents (Decree 30/2020/NĐ-CP, Articles 25-27 and Appendix I):
sao y, sao lục and trích sao, each a document of the archive that points at what it copies.

    with Archive.open("docgen-data") as archive:
        copied = make_copy(archive, 12, "sao-y", signer="pho_giam_doc", recipients=["Phòng GDĐT Hòa An"])
        print(copied.record.number_symbol)      # 01/SY-SGD&ĐT

The copy is the copied document's PDF pages (all of them; for trích sao the pages asked
for), followed by the copy block (docgen/copy_block.py). Copies are numbered in a register
of their own, from 01 each calendar year, one sequence for the three forms: Decree 30,
Appendix I numbers copies "chung cho các loại bản sao" with the form's code (SY, SL, TS) in
the symbol. A secret document's copies are secret and number in their own register, as
secret documents do. The number is taken as an issue takes it: under the writers' lock,
in the transaction that records the copy, its files, the audit row and the change; a
failure anywhere consumes no number and leaves no file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from docgen.agency import Signer
from docgen.copy_block import FORMS, KIND, CopyForm, copy_symbol, recipients_lines, render_copy_block
from docgen.vietnamese import number_symbol, short_date

from . import audit, changelog
from .database import Database
from .errors import ArchiveError
from .home import Archive
from .pdf_copies import make_pdfs
from .records import DocumentRecord, load_record

REGISTER = "ban-sao"
SECRET_REGISTER = "ban-sao-mat"
MAX_PAGES_TEXT = 200
# How many times a copy is made again when other clerks keep taking the number it was made with.
ATTEMPTS = 3


@dataclass
class Copied:
    record: DocumentRecord
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.record.as_dict(), "warnings": self.warnings}


def make_copy(archive: Archive, source_id: int, form: str, *, pages: str | None = None, signer: str | None = None,
              recipients: list[str] | tuple[str, ...] = (), date: dt.date | None = None,
              actor: str | None = None) -> Copied:
    """Copy document `source_id` as `form` ("sao-y", "sao-luc", "trich-sao"), dated `date` (default today).

    `pages` ("1-2", "1,3") picks the pages of a trích sao; `signer` is a key of the agency
    file (default its first signer). A copy of a revoked document is refused; of a replaced
    one, made with a warning. The caller has found `source_id` with the user's right to see
    secret documents."""
    if form not in FORMS:
        raise ArchiveError(f"unknown form of copy {form!r}: one of {', '.join(FORMS)}")
    copy_form = FORMS[form]
    warnings: list[str] = []
    source = load_record(archive.db, source_id, archive.store)
    _check_source(archive.db, source, copy_form, warnings)
    signing = _signer(archive, signer)
    copy_date = date or dt.date.today()
    if copy_date > dt.date.today():
        raise ArchiveError(f"copy date {short_date(copy_date)} is in the future: give --date of today or earlier")
    if copy_date < dt.date.fromisoformat(source.date):
        raise ArchiveError(f"copy date {short_date(copy_date)} is before {source.number_symbol} was issued "
                           f"({short_date(source.date)}): a copy is made on or after that day")
    if "pdf" not in source.files:
        make_pdfs(archive, [source.id], actor=actor)
        source = load_record(archive.db, source.id, archive.store)
        warnings.append(f"{source.number_symbol} had no PDF: it was made first (`docgen pdf {source.id}`)")
    original = archive.store.read_verified(source.files["pdf"].sha256)
    chosen = _chosen_pages(pages, copy_form, source.files["pdf"].pages or _page_count(original))
    picked = pages_text(chosen) if pages else None
    register = SECRET_REGISTER if source.secrecy else REGISTER
    lines = recipients_lines(list(recipients))

    # Made outside the writers' lock (a LibreOffice start) with the number the register would give
    # now; under the lock the number is confirmed, or, when another clerk took it meanwhile, the
    # copy is made again, outside the lock, with the next one.
    for _ in range(ATTEMPTS):
        expected = archive.registers.next_number(archive.db, register, copy_date)
        made = _make(archive, copy_form, expected, copy_date, signing, lines, original, chosen)
        copy_id = _record(archive, made, expected, source, copy_form, register, copy_date, signing, signer, lines,
                          picked, actor)
        if copy_id is not None:
            return Copied(load_record(archive.db, copy_id, archive.store), warnings)
    raise ArchiveError(f"other clerks took the next copy number {ATTEMPTS} times while this copy was made: try "
                       "again (no number was used)")


def _record(archive: Archive, made: tuple[bytes, bytes, int], number: int, source: DocumentRecord,
            form: CopyForm, register: str, date: dt.date, signing: Signer, signer: str | None,
            lines: list[str], picked: str | None, actor: str | None) -> int | None:
    """Record the copy made with `number` under the writers' lock; None (nothing recorded) when
    that number was taken meanwhile."""
    block, pdf, page_count = made
    with archive.writing_files("the copy", "recorded", "nothing was recorded and no number was used") as (db, stage):
        db.lock_document(source.id)  # PostgreSQL: a revoke of the source waits for this copy, or it for the revoke
        _check_source(db, load_record(db, source.id), form, [])  # revoked meanwhile?
        if archive.registers.next_number(db, register, date) != number:
            return None
        staged = [stage(content) for content in (block, pdf)]
        copy_id, copy_number_symbol = _insert(db, archive, source, form, register, number, date, signing,
                                              signer, lines, picked, actor)
        db.executemany("INSERT INTO files (document_id, role, sha256, size, pages, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       [(copy_id, "docx", staged[0], len(block), None, audit.now()),
                        (copy_id, "pdf", staged[1], len(pdf), page_count, audit.now())])
        db.execute("INSERT INTO copies (document_id, source_id, form, pages) VALUES (?, ?, ?, ?)",
                   (copy_id, source.id, form.key, picked))
        audit.record(db, "copy", actor, copy_id, number_symbol=copy_number_symbol, register=register,
                     year=date.year, form=form.key, source_id=source.id,
                     source_number_symbol=source.number_symbol)
        changelog.record(db, "issue", document_id=copy_id)
    return copy_id


def _check_source(db: Database, source: DocumentRecord, form: CopyForm, warnings: list[str]) -> None:
    """Decree 30, Article 25: sao y and trích sao are made from the original, sao lục from a sao y copy."""
    made_from = db.execute("SELECT form, source_id FROM copies WHERE document_id = ?", (source.id,)).fetchone()
    if form.key == "sao-luc" and (made_from is None or made_from["form"] != "sao-y"):
        raise ArchiveError(f"{source.number_symbol} (id {source.id}) is not a sao y copy: a sao lục is made from a "
                           "sao y copy (Decree 30, Article 25): make one with `docgen copy "
                           f"{source.id} --form sao-y`, then copy that with --form sao-luc")
    if form.key != "sao-luc" and made_from is not None:
        raise ArchiveError(f"{source.number_symbol} (id {source.id}) is itself a copy: a {form.heading.lower()} is "
                           "made from the original (Decree 30, Article 25); a copy of a sao y copy is a sao lục "
                           "(--form sao-luc)")
    chain = [source] if made_from is None else [load_record(db, made_from["source_id"]), source]
    for document in chain:
        if document.status == "revoked":
            by = document.superseded_by
            raise ArchiveError(f"{document.number_symbol} (id {document.id}) was revoked by {by.number_symbol} "
                               f"(id {by.by_document_id}): a revoked document is not copied; nothing was numbered")
        if document.status == "replaced":
            by = document.superseded_by
            warnings.append(f"{document.number_symbol} (id {document.id}) was replaced by {by.number_symbol} "
                            f"(id {by.by_document_id}): the copy is of a document no longer in force")


def _signer(archive: Archive, key: str | None) -> Signer:
    if key is None:
        return next(iter(archive.agency.signers.values()))
    try:
        return archive.agency.signer(key)
    except KeyError as exc:
        raise ArchiveError(f"--signer: {exc.args[0]}") from None


_RANGE = re.compile(r"^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$")


def _chosen_pages(text: str | None, form: CopyForm, count: int) -> list[int]:
    """The 1-based pages copied: every page, or for trích sao those `text` names ("1-2", "1,3-4")."""
    if text is None:
        if form.key == "trich-sao":
            raise ArchiveError("--pages: a trích sao copies a part of the document: name its pages (e.g. --pages 1-2)")
        return list(range(1, count + 1))
    if form.key != "trich-sao":
        raise ArchiveError(f"--pages: a {form.heading.lower()} copies the whole document; only a trích sao "
                           "(--form trich-sao) takes pages")
    if len(text) > MAX_PAGES_TEXT:
        raise ArchiveError(f"--pages: at most {MAX_PAGES_TEXT} characters")
    chosen: list[int] = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise ArchiveError(f"--pages: {part.strip()!r} is not a page or a range (expected e.g. 1-2 or 1,3)")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if not 1 <= first <= last <= count:
            raise ArchiveError(f"--pages: {part.strip()} is not within the document's pages 1-{count}")
        chosen += [page for page in range(first, last + 1) if page not in chosen]
    return sorted(chosen)


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def pages_text(pages: list[int]) -> str:
    """`1-2, 4` for the pages [1, 2, 4]."""
    parts, start = [], None
    for i, page in enumerate(pages):
        start = page if start is None else start
        if i + 1 == len(pages) or pages[i + 1] != page + 1:
            parts.append(str(page) if start == page else f"{start}-{page}")
            start = None
    return ", ".join(parts)


def _make(archive: Archive, form: CopyForm, number: int, date: dt.date, signer: Signer, recipients: list[str],
          original: bytes, pages: list[int]) -> tuple[bytes, bytes, int]:
    """The copy block (.docx) and the copy's PDF: the chosen pages of the original, then the block."""
    from pypdf import PdfReader, PdfWriter

    from docgen.pdf import convert_to_pdf
    from docgen.workfolder import WorkFolder

    block = render_copy_block(form, archive.agency, number, date, signer, recipients)
    # In the home: the copy of a secret document is secret.
    with WorkFolder(archive.home, ".docgen-copy-") as tmp:
        (tmp / "block.docx").write_bytes(block)
        block_pdf = convert_to_pdf([tmp / "block.docx"], tmp / "out")[0].read_bytes()
    writer = PdfWriter()
    source = PdfReader(io.BytesIO(original))
    for page in pages:
        writer.add_page(source.pages[page - 1])
    block_pages = list(PdfReader(io.BytesIO(block_pdf)).pages)
    if len(block_pages) == 1 and _place_under_last_line(writer.pages[-1], block_pages[0]):
        block_pages = []
    for page in block_pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return block, out.getvalue(), len(writer.pages)


# Space kept between the copied document's last line and the copy block's rule.
GAP_PT = 20


def _place_under_last_line(page, block) -> bool:
    """Put the copy block on `page`, right under its last line, if it fits above the bottom margin.

    Decree 30, Appendix I (presentation of copies): the parts of a copy are set on the same
    sheet, right after the last part of the document copied, under a solid rule as wide as
    the text area. When the last page has no room left, the block takes a page of its own."""
    from pypdf import Transformation

    from docgen.layout import MARGINS_MM
    from docgen.signing import page_text_lines

    lowest = [line.y for line in page_text_lines(page)]
    block_lines = [line.y for line in page_text_lines(block)]
    if not lowest or not block_lines:
        return False
    # The block's rule sits at the top margin of its own page; its last line is its signer's name.
    block_top = float(block.mediabox.top) - MARGINS_MM["top"] * 72 / 25.4
    shift = min(lowest) - GAP_PT - block_top
    if min(block_lines) + shift - 6 < MARGINS_MM["bottom"] * 72 / 25.4:
        return False
    page.merge_transformed_page(block, Transformation().translate(0, shift))
    return True


def _insert(db: Database, archive: Archive, source: DocumentRecord, form: CopyForm, register: str,
            number: int, date: dt.date, signer: Signer, signer_key: str | None, recipients: list[str],
            pages: str | None, actor: str | None) -> tuple[int, str]:
    agency = archive.agency
    symbol = copy_symbol(form, agency)
    data = {"form": form.key, "source_id": source.id, "source_number_symbol": source.number_symbol,
            "pages": pages, "signer": signer_key, "recipients": recipients}
    row = {
        "register": register, "year": date.year, "number": number, "symbol": symbol,
        "number_symbol": number_symbol(number, symbol), "kind": KIND, "type_name": form.label,
        "type_code": form.code, "subject": source.subject, "date": date.isoformat(), "place": agency.place,
        "agency": agency.name, "parent_agency": agency.parent, "agency_code": agency.code, "drafting_unit": "",
        "signer_name": signer.name, "signer_title": signer.title, "signing_authority": signer.authority,
        "recipients": json.dumps(recipients, ensure_ascii=False), "file_copy": "VT", "copies": None,
        "secrecy": source.secrecy, "urgency": None, "language": "vi",
        "retention": archive.config.retention_for(KIND, form.code), "pdf_wanted": 1,
        "data": json.dumps(data, ensure_ascii=False), "issued_at": audit.now(),
        "issued_by": actor or audit.default_actor(),
    }
    columns, marks = ", ".join(row), ", ".join("?" for _ in row)
    inserted = db.execute(f"INSERT INTO documents ({columns}) VALUES ({marks}) RETURNING id",
                          list(row.values())).fetchone()[0]
    return inserted, row["number_symbol"]

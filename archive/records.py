"""Issued documents as the archive holds them: reading, naming (id or number-symbol), listing."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from .database import Database
from .errors import ArchiveError

STATUS_LABELS = {"issued": "đang có hiệu lực", "revoked": "đã bị thu hồi", "replaced": "đã bị thay thế"}
# Secret documents (secrecy set) exist only for whoever may see them: every lookup and listing
# takes `include_secret`, the caller's permission (the CLI's --include-secret, later a user's right).
NOT_SECRET = "(secrecy IS NULL OR secrecy = '')"


@dataclass
class FileRecord:
    role: str  # "docx", "pdf", or "signed" (the PDF with its digital signatures)
    sha256: str
    size: int
    pages: int | None
    created_at: str
    path: str = ""  # where it lies in the store


@dataclass
class Relation:
    relation: str  # "revoked" or "replaced"
    document_id: int  # the older document
    by_document_id: int  # the one that revokes or replaces it
    number_symbol: str  # of the other side, for display
    recorded_at: str
    recorded_by: str


@dataclass
class CopyLink:
    """A lawful copy (archive/copies.py) and the document it was made from."""

    form: str  # "sao-y", "sao-luc", "trich-sao"
    copy_id: int
    source_id: int
    number_symbol: str  # of the other side, for display
    pages: str | None  # the pages of a trích sao


@dataclass
class DocumentRecord:
    id: int
    register: str
    year: int
    number: int
    symbol: str
    number_symbol: str
    kind: str
    type_name: str
    type_code: str | None
    subject: str
    date: str
    place: str
    agency: str
    parent_agency: str
    agency_code: str
    drafting_unit: str
    signer_name: str | None
    signer_title: str | None
    signing_authority: str | None
    recipients: list[str]
    file_copy: str | None
    copies: int | None
    secrecy: str | None
    urgency: str | None
    language: str
    retention: str | None
    status: str
    pdf_wanted: bool
    issued_at: str
    issued_by: str
    files: dict[str, FileRecord] = field(default_factory=dict)
    # Relations where this document is the older side (at most one) and the newer side.
    superseded_by: Relation | None = None
    supersedes: list[Relation] = field(default_factory=list)
    # For a copy, the document it copies; for any document, the copies made of it.
    copy_of: CopyLink | None = None
    copies_made: list[CopyLink] = field(default_factory=list)

    @property
    def pages(self) -> int | None:
        pdf = self.files.get("pdf")
        return pdf.pages if pdf else None

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["files"] = list(out["files"].values())
        out["pages"] = self.pages
        return out


_COLUMNS = [f for f in DocumentRecord.__dataclass_fields__
            if f not in ("files", "superseded_by", "supersedes", "copy_of", "copies_made")]


def load_record(db: Database, document_id: int, store=None, *, include_secret: bool = True) -> DocumentRecord:
    """The record of a document by id (the archive's own calls, after issuing or find_document);
    without `include_secret`, a secret document is as missing as an id never issued."""
    sql = "SELECT * FROM documents WHERE id = ?" + ("" if include_secret else f" AND {NOT_SECRET}")
    row = db.execute(sql, (document_id,)).fetchone()
    if row is None:
        raise _no_document(document_id)
    return _record(db, row, store, include_secret)


def _no_document(document_id: int | str) -> ArchiveError:
    return ArchiveError(f"no document with id {document_id} in this archive (`docgen list` shows them)")


def _record(db: Database, row: Any, store, include_secret: bool = True) -> DocumentRecord:
    values = {name: row[name] for name in _COLUMNS}
    values["recipients"] = json.loads(values["recipients"])
    values["pdf_wanted"] = bool(values["pdf_wanted"])
    record = DocumentRecord(**values)
    for f in db.execute("SELECT * FROM files WHERE document_id = ? ORDER BY role", (record.id,)):
        record.files[f["role"]] = FileRecord(f["role"], f["sha256"], f["size"], f["pages"], f["created_at"],
                                             str(store.path(f["sha256"])) if store else "")
    visible = "" if include_secret else f" AND {NOT_SECRET.replace('secrecy', 'd.secrecy')}"
    for r in db.execute("SELECT r.*, d.number_symbol AS other FROM relations r JOIN documents d "
                        f"ON d.id = r.by_document_id WHERE r.document_id = ?{visible}", (record.id,)):
        record.superseded_by = Relation(r["relation"], r["document_id"], r["by_document_id"], r["other"],
                                        r["recorded_at"], r["recorded_by"])
    for r in db.execute("SELECT r.*, d.number_symbol AS other FROM relations r JOIN documents d "
                        f"ON d.id = r.document_id WHERE r.by_document_id = ?{visible} ORDER BY r.document_id",
                        (record.id,)):
        record.supersedes.append(Relation(r["relation"], r["document_id"], r["by_document_id"], r["other"],
                                          r["recorded_at"], r["recorded_by"]))
    for r in db.execute("SELECT c.*, d.number_symbol AS other FROM copies c JOIN documents d ON d.id = c.source_id "
                        f"WHERE c.document_id = ?{visible}", (record.id,)):
        record.copy_of = CopyLink(r["form"], r["document_id"], r["source_id"], r["other"], r["pages"])
    for r in db.execute("SELECT c.*, d.number_symbol AS other FROM copies c JOIN documents d ON d.id = c.document_id "
                        f"WHERE c.source_id = ?{visible} ORDER BY c.document_id", (record.id,)):
        record.copies_made.append(CopyLink(r["form"], r["document_id"], r["source_id"], r["other"], r["pages"]))
    return record


def stored_hashes(db: Database) -> set[str]:
    """Every store file a row names: issued documents' DOCX and PDF, and imported originals."""
    return {row[0] for row in db.execute("SELECT sha256 FROM files UNION SELECT sha256 FROM imported")}


def names_file(db: Database, sha256: str) -> bool:
    """Whether a committed row names the store file `sha256`."""
    return db.execute("SELECT 1 FROM files WHERE sha256 = ? UNION ALL SELECT 1 FROM imported WHERE sha256 = ? "
                      "LIMIT 1", (sha256, sha256)).fetchone() is not None


_NUMBER_SYMBOL = re.compile(r"^\s*(\d+)\s*/\s*(\S+)\s*$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


SQLITE_MAX_INTEGER = 2**63 - 1


def find_document(db: Database, ref: str | int, *, year: int | None = None,
                  include_secret: bool = False) -> int:
    """The id of the document named by `ref`: an id, or a number-symbol such as `05/QĐ-SGDĐT`.
    A secret document is found only with `include_secret`; otherwise it is as if it did not exist."""
    text = str(ref).strip()
    if any(int(digits) > SQLITE_MAX_INTEGER for digits in re.findall(r"\d+", text)):
        raise ArchiveError(f"no document {text} in this archive (`docgen list` shows them)")
    visible = "" if include_secret else f" AND {NOT_SECRET}"
    if text.isdigit():
        row = db.execute(f"SELECT year FROM documents WHERE id = ?{visible}", (int(text),)).fetchone()
        if row is None:
            raise _no_document(text)
        if year is not None and row["year"] != year:
            raise ArchiveError(f"document id {text} is of {row['year']}, not {year}")
        return int(text)
    match = _NUMBER_SYMBOL.match(text)
    if not match:
        raise ArchiveError(f"{text!r} names no document: give an id (e.g. 12) or a number-symbol "
                           "(e.g. 05/QĐ-SGDĐT)")
    number, symbol = int(match.group(1)), _fold(match.group(2))
    sql, params = f"SELECT id, year, register, number_symbol, symbol FROM documents WHERE number = ?{visible}", [number]
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    hits = [r for r in db.execute(sql, params) if _fold(r["symbol"]) == symbol]
    if not hits:
        where = f" in {year}" if year is not None else ""
        raise ArchiveError(f"no document {text}{where} in this archive (`docgen list` shows them)")
    if len(hits) > 1:
        listed = "; ".join(f"id {h['id']}: {h['number_symbol']} of {h['year']} in register {h['register']}"
                           for h in hits)
        hint = "give its id" if year is not None else "give --year or its id"
        raise ArchiveError(f"{text} names {len(hits)} documents ({listed}): {hint}")
    return hits[0]["id"]


def list_documents(db: Database, *, year: int | None = None, kind: str | None = None,
                   register: str | None = None, store=None, include_secret: bool = False) -> list[DocumentRecord]:
    """Documents in register order: by year, register, then number (secret ones only with `include_secret`)."""
    sql, params = "SELECT * FROM documents WHERE 1 = 1" + ("" if include_secret else f" AND {NOT_SECRET}"), []
    register = unicodedata.normalize("NFC", register) if register else register
    for column, value in (("year", year), ("kind", kind), ("register", register)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    sql += " ORDER BY year, register, number"
    return [_record(db, row, store, include_secret) for row in db.execute(sql, params).fetchall()]


class MissingCopy(ArchiveError):
    """The document has no stored file of the kind asked for (a PDF not made yet)."""


def read_copy(store, record: DocumentRecord, role: str) -> tuple[FileRecord, bytes]:
    """The stored DOCX or PDF of `record` as a user receives it, hash checked (IntegrityProblem
    otherwise): the PDF of a signed document is its signed PDF."""
    stored = record.files.get("signed" if role == "pdf" and "signed" in record.files else role)
    if stored is None:
        raise MissingCopy(f"{record.number_symbol} (id {record.id}) has no {role.upper()} yet: make it with "
                          f"`docgen pdf {record.id}`")
    return stored, store.read_verified(stored.sha256)

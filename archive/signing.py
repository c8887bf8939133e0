"""Signing an issued document's PDF (issue 13): the signer's key, then the agency's.

The signed PDF is stored beside the PDF LibreOffice made, as the file role `signed`: the store
stays append-only (the unsigned PDF is never deleted or rewritten) and, since both signatures
are incremental updates, the unsigned PDF is the signed one's first bytes, which `verify`
checks. `get --pdf` hands out the signed copy when there is one. Signing happens outside the
write lock; only the recording (file row, audit row, change) takes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import audit, changelog
from .errors import ArchiveError
from .home import Archive
from .keys import AGENCY, Prompt, load_party, trust_roots
from .records import DocumentRecord, load_record

SIGNED = "signed"


@dataclass
class Signatories:
    """The two keys a document is signed with, opened (passwords read) before anything is done."""
    signer_key: str
    signer: Any  # docgen.signing.Party
    agency: Any


@dataclass
class Signed:
    record: DocumentRecord
    size_added: int
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.record.as_dict(), "size_added": self.size_added, "warnings": self.warnings}


def signer_key_of(archive: Archive, data: dict[str, Any], signer_name: str | None) -> str:
    """The key of the document's signer: the agency file's signer key its data names, else the
    signer of the agency file with its name."""
    named = data.get("signer")
    if isinstance(named, str) and named in archive.agency.signers:
        return named
    for key, signer in archive.agency.signers.items():
        if signer_name and signer.name == signer_name:
            return key
    raise ArchiveError(f"the document's signer ({signer_name or 'none'}) is not a signer of the agency file: "
                       "it cannot be signed with a key of this home")


def open_signatories(archive: Archive, signer_key: str, signer_name: str, *,
                     prompt: Prompt | None = None) -> Signatories:
    agency = archive.agency
    return Signatories(signer_key, load_party(archive, signer_key, signer_name, prompt=prompt),
                       load_party(archive, AGENCY, agency.name.upper(), prompt=prompt))


def signatories_for(archive: Archive, document_id: int, *, prompt: Prompt | None = None) -> Signatories:
    row = archive.db.execute("SELECT data, signer_name FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise ArchiveError(f"no document with id {document_id} in this archive (`docgen list` shows them)")
    key = signer_key_of(archive, json.loads(row["data"]), row["signer_name"])
    return open_signatories(archive, key, row["signer_name"], prompt=prompt)


def sign_document(archive: Archive, document_id: int, signatories: Signatories, *,
                  actor: str | None = None) -> Signed:
    """Sign the stored PDF of an issued document and store the signed PDF (role `signed`)."""
    from docgen.signing import read_signatures, sign_pdf

    record = load_record(archive.db, document_id, archive.store)
    if SIGNED in record.files:
        raise ArchiveError(f"{record.number_symbol} (id {record.id}) is already signed")
    if record.status != "issued":
        raise ArchiveError(f"{record.number_symbol} (id {record.id}) is {record.status}: it is not signed any more")
    if "pdf" not in record.files:
        raise ArchiveError(f"{record.number_symbol} (id {record.id}) has no PDF to sign: run "
                           f"`docgen pdf {record.id}` first")
    unsigned = archive.store.read_verified(record.files["pdf"].sha256)
    signed = sign_pdf(unsigned, signatories.signer, signatories.agency, signer_name=record.signer_name or "",
                      number_symbol=record.number_symbol, place=record.place,
                      timestamp_url=archive.config.signing.timestamp_url)
    facts = read_signatures(signed, trust_roots(archive))
    with archive.writing_files("the signed PDF", "recorded", "the document stays unsigned") as (db, stage):
        db.lock_document(document_id)
        if db.execute("SELECT 1 FROM files WHERE document_id = ? AND role = ?", (document_id, SIGNED)).fetchone():
            raise ArchiveError(f"{record.number_symbol} (id {record.id}) was signed meanwhile")
        staged = stage(signed)
        db.execute("INSERT INTO files (document_id, role, sha256, size, pages, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   (document_id, SIGNED, staged, len(signed), record.files["pdf"].pages, audit.now()))
        audit.record(db, "sign", actor, document_id, sha256=staged, signer_key=signatories.signer_key,
                     signatures=[{k: f.as_dict()[k] for k in ("field", "signer", "organisation", "signed_at",
                                                                "timestamp")} for f in facts])
        changelog.record(db, "sign", document_id=document_id)
    warnings = [f"{f.field}: {problem}" for f in facts for problem in f.problems]
    return Signed(load_record(archive.db, document_id, archive.store), len(signed) - len(unsigned), warnings)


def signature_problems(archive: Archive, db, names: dict[int, str]) -> tuple[list[str], list[str]]:
    """`verify`: the signatures of every stored signed PDF. Problems: a signature broken or not
    covering the document, a signed PDF that does not begin with the stored PDF; untrusted
    signatures are problems when the home trusts a root, else warnings."""
    from docgen.signing import SigningError, read_signatures

    roots = trust_roots(archive)
    problems, warnings = [], []
    rows = db.execute("SELECT s.document_id, s.sha256 AS signed, p.sha256 AS pdf, p.size AS pdf_size FROM files s "
                      "LEFT JOIN files p ON p.document_id = s.document_id AND p.role = 'pdf' "
                      "WHERE s.role = ? ORDER BY s.document_id", (SIGNED,)).fetchall()
    for row in rows:
        name = names.get(row["document_id"], f"document id {row['document_id']}")
        path = archive.store.locate(row["signed"])
        if path is None:
            continue  # reported as missing by the file check
        data = path.read_bytes()
        try:
            facts = read_signatures(data, roots)
        except SigningError as exc:
            problems.append(f"{name}: signed PDF: {exc}")
            continue
        if len(facts) < 2:
            problems.append(f"{name}: signed PDF has {len(facts)} signature(s), not the signer's and the agency's")
        for f in facts:
            for problem in f.problems:
                if problem.startswith("untrusted") and not roots:
                    warnings.append(f"{name}: signature {f.field}: not checked against a trusted root (add the "
                                    "root with `docgen keys trust CA.pem`)")
                else:
                    problems.append(f"{name}: signature {f.field}: {problem}")
        pdf = archive.store.locate(row["pdf"]) if row["pdf"] else None
        if pdf is not None and data[:row["pdf_size"]] != pdf.read_bytes():
            problems.append(f"{name}: the signed PDF does not begin with the document's PDF: it signs something else")
    return problems, warnings

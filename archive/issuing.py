"""Issuing a document: validate, take the next number, render, store, record, audit.

Everything between taking the number and recording it happens inside one write
transaction, so a failure at any point (bad data, render error, crash, full disk)
consumes no number and leaves nothing behind. The PDF comes after the commit, outside the
lock: if LibreOffice fails the document stays issued and `docgen pdf ID` makes it later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen import load_document, render_document
from docgen.check import check_document
from docgen.kinds import Document, Kind, get_kind

from . import audit, changelog
from .database import Database
from .errors import ArchiveError, NotConforming, SecretRefused, StagedUntilOpened
from .home import Archive
from .pdf_copies import make_pdfs
from .records import DocumentRecord, load_record

if TYPE_CHECKING:
    from docgen.render import RenderedDocument


@dataclass
class Issued:
    record: DocumentRecord
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.record.as_dict(), "warnings": self.warnings}


@dataclass
class Preview:
    """What issuing a document now would give; nothing is recorded."""
    doc: Document
    register: str
    date: dt.date
    number: int  # the number the register would give it now
    rendered: "RenderedDocument"  # rendered with that number
    findings: list  # the Decree 30 checker's findings on it


def preview_issue(archive: Archive, kind: str | Kind, data: str | Path | Mapping[str, Any], *,
                  date: dt.date | None = None, include_secret: bool = True) -> Preview:
    """Render `data` as it would be issued now, with the number the register would give it, and
    check it against Decree 30. The issue itself confirms that number under the writers' lock
    (and keeps this rendering) or renders again with the number it takes, so checking never
    holds up other issuers."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    if not kind.numbered:
        raise ArchiveError(f"{kind.name} ({kind.label}) has no number of its own: it is an annex filed with "
                           "the dossier it belongs to, not issued")
    doc = load_document(kind, data, agency=archive.agency)
    if doc.data.secrecy and not include_secret:  # they wrote the mark themselves: refused, not hidden
        raise SecretRefused(f"Văn bản có độ mật ({doc.data.secrecy}): chỉ người được giao quyền xem văn bản mật "
                            "mới được ban hành")
    issue_date = date or doc.date or dt.date.today()
    if issue_date > dt.date.today():
        raise ArchiveError(f"issue date {issue_date:%d/%m/%Y} is in the future: a document is numbered when "
                           "it is issued (give --date of today or earlier)")
    if doc.date != issue_date:  # validated again with the date it will bear (a meeting before its invitation)
        doc = load_document(kind, data, agency=archive.agency, date=issue_date)
    register = archive.registers.register_for(doc)
    expected = archive.registers.next_number(archive.db, register, issue_date)
    rendered = render_document(doc.with_number(expected, issue_date))
    return Preview(doc, register, issue_date, expected, rendered, check_document(rendered.docx))


def issue_document(archive: Archive, kind: str | Kind, data: str | Path | Mapping[str, Any], *,
                   date: dt.date | None = None, pdf: bool = True, actor: str | None = None,
                   strict: bool = False, reuse: bool = False, sign: bool = False,
                   prompt: Callable[[str], str] | None = None, include_secret: bool = True) -> Issued:
    """Issue `data` as a document of `kind` in `archive`, dated `date` (else the data's date, else today).

    The document is checked against Decree 30 before a number is taken: each finding is a
    warning, and with `strict` any finding refuses the issue (NotConforming, nothing used).
    With `reuse`, a document in force already issued from the same data (same kind and content,
    whatever its number) is handed back instead of numbering it again: a retried run that was
    killed after taking its numbers (`dossier build --issue`) gets the same documents.
    With `sign`, the signer's and the agency's keys are opened before numbering (a missing key or
    a wrong password issues nothing) and the PDF is signed after it is made; a signing failure
    leaves the document issued, with a warning naming `docgen sign ID`. Without `include_secret` (a
    user who may not see secret documents) a secret document is refused (SecretRefused)."""
    preview = preview_issue(archive, kind, data, date=date, include_secret=include_secret)
    doc, register, issue_date, expected = preview.doc, preview.register, preview.date, preview.number
    warnings = []
    if doc.number is not None:
        warnings.append(f"the data's number {doc.number} was ignored: the register gives the number at issue")
    if preview.findings and strict:
        raise NotConforming(doc.source, preview.findings)
    warnings += [f"Decree 30: {finding}" for finding in preview.findings]
    signatories = _signatories(archive, doc, pdf, prompt) if sign else None
    actor = actor or audit.default_actor()
    content = content_digest(doc)

    renderings = {expected: preview.rendered}  # by the number each was rendered with
    while True:
        try:
            with archive.writing_files("the document", "issued", "nothing was issued and no number was used") \
                    as (db, stage):
                if reuse and (earlier := issued_from(db, content)) is not None:
                    record = load_record(db, earlier, archive.store)
                    return Issued(record, [*warnings, f"{record.number_symbol} (id {record.id}) was already issued "
                                                      "from the same data: that document is used, no new number was taken"])
                number = archive.registers.next_number(db, register, issue_date)
                issued = doc.with_number(number, issue_date)
                rendered = renderings.get(number)
                if rendered is None:
                    if len(renderings) <= RENDERS_OUTSIDE_THE_LOCK:
                        raise _NumberTaken(number)  # rolled back: the lock goes to the next writer at once
                    rendered = render_document(issued)
                staged = stage(rendered.docx)
                document_id = _insert(db, issued, register, archive, pdf, actor)
                db.execute("INSERT INTO files (document_id, role, sha256, size, created_at) VALUES (?, 'docx', ?, ?, ?)",
                           (document_id, staged, len(rendered.docx), audit.now()))
                audit.record(db, "issue", actor, document_id, number_symbol=issued.number_symbol,
                             register=register, year=issue_date.year, source=doc.source, content=content)
                changelog.record(db, "issue", document_id=document_id)
        except _NumberTaken as taken:
            renderings[taken.number] = render_document(doc.with_number(taken.number, issue_date))
            continue
        except StagedUntilOpened as exc:
            warnings.append(str(exc))
        break

    if pdf:
        try:
            make_pdfs(archive, [document_id], actor=actor)
        except Exception as exc:  # the document is committed: no PDF failure may read as a failed issue
            warnings.append(f"the document is issued but its PDF was not made ({exc}): "
                            f"run `docgen pdf {document_id}` to make it")
    if signatories is not None:
        from .signing import sign_document

        try:
            warnings += sign_document(archive, document_id, signatories, actor=actor).warnings
        except Exception as exc:  # as for the PDF: the document is issued whatever happens here
            warnings.append(f"the document is issued but not signed ({exc}): run `docgen sign {document_id}` "
                            "to sign it")
    return Issued(load_record(archive.db, document_id, archive.store), warnings)


# When another clerk took the number the document was rendered with, it is rendered again with the
# next free number outside the writers' lock (up to this many times) before it is rendered under the
# lock: rendering (~100-200 ms) under it made every writer wait, whatever the number of writers.
RENDERS_OUTSIDE_THE_LOCK = 2


class _NumberTaken(Exception):
    def __init__(self, number: int):
        self.number = number


def _signatories(archive: Archive, doc: Document, pdf: bool, prompt):
    from .signing import open_signatories, signer_key_of

    if not pdf:
        raise ArchiveError("a signed document is signed on its PDF: --sign cannot go with --no-pdf")
    signer = doc.signer
    name = signer.name if signer else None
    key = signer_key_of(archive, doc.data.model_dump(mode="json"), name)
    return open_signatories(archive, key, name, prompt=prompt)


def content_digest(doc: Document) -> str:
    """What a document says, apart from the number it is given: its kind and data."""
    data = doc.data.model_dump(mode="json", exclude={"agency", "number"})
    text = json.dumps([doc.kind.name, data], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def issued_from(db: Database, content: str) -> int | None:
    """The latest document in force issued from data with this content digest."""
    row = db.execute("SELECT a.document_id FROM audit a JOIN documents d ON d.id = a.document_id "
                     "WHERE a.action = 'issue' AND json_extract(a.detail, '$.content') = ? AND d.status = 'issued' "
                     "ORDER BY a.id DESC LIMIT 1", (content,)).fetchone()
    return row[0] if row else None


def _insert(db, doc: Document, register: str, archive: Archive, pdf: bool, actor: str) -> int:
    meta = doc.metadata()
    data = doc.data.model_dump(mode="json", exclude={"agency"})
    row = {
        "register": register,
        "year": doc.date.year,
        "number": doc.number,
        "symbol": meta["symbol"],
        "number_symbol": meta["number_symbol"],
        "kind": meta["kind"],
        "type_name": meta["type_name"],
        "type_code": meta["type_code"],
        "subject": meta["subject"],
        "date": meta["date"],
        "place": meta["place"],
        "agency": meta["agency"],
        "parent_agency": meta["parent_agency"],
        "agency_code": meta["agency_code"],
        "drafting_unit": meta["drafting_unit"],
        "signer_name": meta["signer_name"],
        "signer_title": meta["signer_title"],
        "signing_authority": meta["signing_authority"],
        "recipients": json.dumps(meta["recipients"], ensure_ascii=False),
        "file_copy": meta["file_copy"],
        "copies": meta["copies"],
        "secrecy": meta["secrecy"],
        "urgency": meta["urgency"],
        "language": meta["language"],
        "retention": archive.config.retention_for(meta["kind"], meta["type_code"]),
        "pdf_wanted": int(pdf),
        "data": json.dumps(data, ensure_ascii=False),
        "issued_at": audit.now(),
        "issued_by": actor,
    }
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    return db.execute(f"INSERT INTO documents ({columns}) VALUES ({marks}) RETURNING id", list(row.values())).fetchone()[0]

"""What the archive hands the index: its documents as `Entry`s, through the archive's own API.

The index never opens the archive's database itself. Issued documents come from
`archive.list_documents` / `load_record` (their text read from the stored DOCX), imported
ones from `archive.importing` (their text was extracted once, at import, and kept).
A fingerprint made of the metadata and the file hashes tells `index check` whether an
indexed entry still describes the document (a revoked document changes status, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .schema import Entry, fingerprint

if TYPE_CHECKING:
    from archive import Archive, DocumentRecord
    from archive.importing import ImportedRecord


def issued_fingerprint(record: "DocumentRecord") -> str:
    docx = record.files.get("docx")
    return fingerprint("issued", record.number_symbol, record.kind, record.subject, record.date, record.status,
                       record.secrecy, record.signer_name, record.drafting_unit, docx.sha256 if docx else None)


def imported_fingerprint(record: "ImportedRecord") -> str:
    return fingerprint("imported", record.number_symbol, record.kind, record.subject, record.date, record.status,
                       record.secrecy, record.signer_name, record.drafting_unit, record.sha256)


def issued_entry(record: "DocumentRecord") -> Entry:
    from .extract import ExtractError, extract

    # A lawful copy's text is its PDF's: the pages it copies, then its block (its DOCX is the block alone).
    role = "pdf" if record.copy_of else "docx"
    stored = record.files.get(role)
    text = ""
    if stored and stored.path:
        try:
            text = extract(stored.path, suffix=f".{role}").text
        except ExtractError:
            text = ""  # a missing or damaged file is `docgen verify`'s to report; index the metadata
    return Entry(
        key=str(record.id), kind=record.kind, subject=record.subject, text=text, status=record.status,
        number_symbol=record.number_symbol, type_name=record.type_name,
        date=dt.date.fromisoformat(record.date) if record.date else None,
        signer_name=record.signer_name, signer_title=record.signer_title,
        signing_authority=record.signing_authority, drafting_unit=record.drafting_unit,
        agency=record.agency, secrecy=record.secrecy, fingerprint=issued_fingerprint(record),
    )


def imported_entry(record: "ImportedRecord") -> Entry:
    return Entry(
        key=record.key, kind=record.kind, subject=record.subject, text=record.text, status=record.status,
        number_symbol=record.number_symbol or None, type_name=record.type_name or None,
        date=dt.date.fromisoformat(record.date) if record.date else None,
        signer_name=record.signer_name or None, signer_title=record.signer_title or None,
        signing_authority=record.signing_authority or None, drafting_unit=record.drafting_unit or None,
        agency=record.agency or None, secrecy=record.secrecy or None, fingerprint=imported_fingerprint(record),
        extra={"file_name": record.file_name},
    )


class ArchiveSource:
    """The archive's documents, issued and imported, as the index reads them."""

    def __init__(self, archive: "Archive"):
        self.archive = archive

    def fingerprints(self) -> dict[str, str]:
        """Every document's key and fingerprint, without reading any file."""
        from archive import list_documents
        from archive.importing import list_imported

        with self.archive.reading() as db:
            found = {str(r.id): issued_fingerprint(r)
                     for r in list_documents(db, store=self.archive.store, include_secret=True)}
            found.update((r.key, imported_fingerprint(r)) for r in list_imported(self.archive))
        return found

    def entry(self, key: str) -> Entry:
        from archive import load_record
        from archive.importing import load_imported

        if key.startswith("i"):
            return imported_entry(load_imported(self.archive, int(key[1:])))
        return issued_entry(load_record(self.archive.db, int(key), self.archive.store))

    def entries(self, keys: list[str] | None = None) -> Iterator[Entry]:
        for key in keys if keys is not None else list(self.fingerprints()):
            yield self.entry(key)

"""Documents issued elsewhere (or before docgen), kept in the archive with status `imported`.

An imported document takes no number from our registers: it keeps the number-symbol its
issuer gave it, as read from its text. The original file is stored unchanged in the same
content-addressed store as issued documents; its row lives in its own table (`imported`),
so the registers, their numbering checks and the register book never see it. Its id is
written `i<n>` (`i3`) wherever documents of both kinds are listed together (search).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import audit, changelog
from .errors import ArchiveError, StagedUntilOpened
from .home import Archive
from .store import sha256_bytes

# The metadata an import records (and `--set field=value` may override).
FIELDS = ("kind", "type_name", "number", "symbol", "number_symbol", "subject", "date", "place", "agency",
          "parent_agency", "drafting_unit", "signer_name", "signer_title", "signing_authority", "addressees",
          "recipients", "secrecy", "urgency")
_LISTS = ("addressees", "recipients")


@dataclass
class ImportedRecord:
    id: int
    kind: str
    type_name: str
    number: int | None
    symbol: str
    number_symbol: str
    subject: str
    date: str | None
    place: str
    agency: str
    parent_agency: str
    drafting_unit: str
    signer_name: str
    signer_title: str
    signing_authority: str
    addressees: list[str]
    recipients: list[str]
    secrecy: str | None
    urgency: str | None
    status: str
    missing: list[str]
    file_name: str
    format: str
    sha256: str
    size: int
    legacy_encoding: bool
    imported_at: str
    imported_by: str
    path: str = ""  # where the original lies in the store
    text: str = field(default="", repr=False)
    # A signed PDF's digital signatures as found at import (docgen.signing.SignatureFacts), vouched
    # for by the import's audit row.
    signatures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"i{self.id}"

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("text")
        out["id"] = self.key
        return out


@dataclass
class Incoming:
    """A file to import and what was read from it."""
    original: Path
    metadata: dict[str, Any]
    text: str
    format: str
    legacy_encoding: bool = False
    missing: list[str] = field(default_factory=list)


def store_imported(archive: Archive, original: Path, metadata: dict[str, Any], *, text: str, format: str,
                   legacy_encoding: bool = False, missing: list[str] | None = None,
                   actor: str | None = None) -> ImportedRecord:
    """Store `original` unchanged with its recognised `metadata` and extracted `text`.

    Raises ArchiveError when the same file (same SHA-256) is already imported."""
    stored = store_many(archive, [Incoming(Path(original), metadata, text, format, legacy_encoding, missing or [])],
                        actor=actor)[0]
    if isinstance(stored, ArchiveError):
        raise stored
    return stored


def store_many(archive: Archive, incoming: list[Incoming], *,
               actor: str | None = None) -> list[ImportedRecord | ArchiveError]:
    """Store several files in one transaction: one commit and one sync of the staging folder for the
    batch, not one each (what lets an import of hundreds of files run at disk speed). Each result is
    the file's record, or the ArchiveError that skipped it (an unknown field, the same content
    already imported, in the archive or earlier in the batch). A failure of the database or the
    disk stores none of them (ArchiveError raised, nothing imported)."""
    actor = actor or audit.default_actor()
    results: list[ImportedRecord | ArchiveError | None] = [None] * len(incoming)
    rows: dict[int, tuple[dict[str, Any], bytes, list[dict[str, Any]]]] = {}
    for position, item in enumerate(incoming):
        unknown = set(item.metadata) - set(FIELDS)
        if unknown:
            results[position] = ArchiveError(f"unknown field(s) for an imported document: {', '.join(sorted(unknown))} "
                                              f"(known: {', '.join(FIELDS)})")
            continue
        data = Path(item.original).read_bytes()
        rows[position] = (_row(item, data, actor), data, _signatures(archive, data) if item.format == "pdf" else [])
    new_ids: dict[int, int] = {}
    names = ", ".join(str(item.original) for item in incoming[:3]) + (", ..." if len(incoming) > 3 else "")
    try:
        with archive.writing_files(names, "imported", "nothing was imported") as (db, stage):
            earlier: dict[str, int] = {}
            for position, (row, data, signatures) in rows.items():
                original = incoming[position].original
                existing = earlier.get(row["sha256"])
                if existing is None and (found := db.execute("SELECT id FROM imported WHERE sha256 = ?",
                                                             (row["sha256"],)).fetchone()) is not None:
                    existing = found["id"]
                if existing is not None:
                    results[position] = ArchiveError(f"{original}: already imported as i{existing} (same content); "
                                                     "nothing was changed")
                    continue
                stage(data)
                columns, marks = ", ".join(row), ", ".join("?" for _ in row)
                new_id = db.execute(f"INSERT INTO imported ({columns}) VALUES ({marks}) RETURNING id",
                                    list(row.values())).fetchone()[0]
                audit.record(db, "import", actor, None, imported_id=new_id, file=str(original), sha256=row["sha256"],
                             number_symbol=row["number_symbol"] or None,
                             **({"signatures": signatures} if signatures else {}))
                changelog.record(db, "import", imported_id=new_id)
                new_ids[position] = earlier[row["sha256"]] = new_id
    except StagedUntilOpened:
        pass  # the rows are committed: the next open of the archive publishes the files
    for position, new_id in new_ids.items():
        results[position] = load_imported(archive, new_id)
    return results  # type: ignore[return-value]


def _row(item: Incoming, data: bytes, actor: str) -> dict[str, Any]:
    """The `imported` row of a file: its metadata as the table keeps it."""
    row = {name: item.metadata.get(name) for name in FIELDS}
    for name in _LISTS:
        row[name] = json.dumps(list(row[name] or []), ensure_ascii=False)
    for name in FIELDS:
        if name in ("number", "date", "secrecy", "urgency"):
            row[name] = row[name] or None
        elif row[name] is None:
            row[name] = ""
    if isinstance(row["date"], dt.date):
        row["date"] = row["date"].isoformat()
    row.update(status="imported", missing=json.dumps(item.missing, ensure_ascii=False),
               file_name=Path(item.original).name, format=item.format, sha256=sha256_bytes(data), size=len(data),
               legacy_encoding=int(item.legacy_encoding), text=item.text, imported_at=audit.now(), imported_by=actor)
    return row


def _signatures(archive: Archive, data: bytes) -> list[dict[str, Any]]:
    """The signatures of an imported PDF, checked against the home's trusted roots (none: a PDF
    whose signatures cannot be read is imported as unsigned)."""
    # A signature leaves its /Contents out of the bytes it signs (its /ByteRange, ISO 32000-1, 12.8.1),
    # so its dictionary lies uncompressed in the file: without one there is no signature to read
    if b"/ByteRange" not in data:
        return []  # (and pyHanko, a second to import, is not loaded)
    from docgen.signing import SigningError, read_signatures

    from .keys import trust_roots

    try:
        return [facts.as_dict() for facts in read_signatures(data, trust_roots(archive))]
    except SigningError:
        return []


def load_imported(archive: Archive, imported_id: int, *, with_text: bool = True) -> ImportedRecord:
    row = archive.db.execute("SELECT * FROM imported WHERE id = ?", (imported_id,)).fetchone()
    if row is None:
        raise ArchiveError(f"no imported document i{imported_id} in this archive")
    return _record(archive, row, with_text)


def list_imported(archive: Archive, *, with_text: bool = False) -> list[ImportedRecord]:
    rows = archive.db.execute("SELECT * FROM imported ORDER BY id").fetchall()
    return [_record(archive, row, with_text) for row in rows]


def _record(archive: Archive, row: Any, with_text: bool) -> ImportedRecord:
    values = {name: row[name] for name in row.keys() if name != "text"}
    for name in (*_LISTS, "missing"):
        values[name] = json.loads(values[name])
    values["legacy_encoding"] = bool(values["legacy_encoding"])
    imported = archive.db.execute("SELECT json_extract(detail, '$.signatures') FROM audit WHERE action = 'import' "
                                  "AND CAST(json_extract(detail, '$.imported_id') AS TEXT) = ? ORDER BY id LIMIT 1",
                                  (str(row["id"]),)).fetchone()
    return ImportedRecord(**values, path=str(archive.store.path(row["sha256"])),
                          text=row["text"] if with_text else "",
                          signatures=json.loads(imported[0]) if imported and imported[0] else [])

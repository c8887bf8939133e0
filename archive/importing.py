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
from .database import DatabaseError
from .errors import ArchiveError
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


def store_imported(archive: Archive, original: Path, metadata: dict[str, Any], *, text: str, format: str,
                   legacy_encoding: bool = False, missing: list[str] | None = None,
                   actor: str | None = None) -> ImportedRecord:
    """Store `original` unchanged with its recognised `metadata` and extracted `text`.

    Raises ArchiveError when the same file (same SHA-256) is already imported."""
    unknown = set(metadata) - set(FIELDS)
    if unknown:
        raise ArchiveError(f"unknown field(s) for an imported document: {', '.join(sorted(unknown))} "
                           f"(known: {', '.join(FIELDS)})")
    data = Path(original).read_bytes()
    row = {name: metadata.get(name) for name in FIELDS}
    for name in _LISTS:
        row[name] = json.dumps(list(row[name] or []), ensure_ascii=False)
    for name in FIELDS:
        if name in ("number", "date", "secrecy", "urgency"):
            row[name] = row[name] or None
        elif row[name] is None:
            row[name] = ""
    if isinstance(row["date"], dt.date):
        row["date"] = row["date"].isoformat()
    actor = actor or audit.default_actor()
    signatures = _signatures(archive, data) if format == "pdf" else []
    staged, committed = None, False
    try:
        with archive.writing() as db:
            existing = db.execute("SELECT id FROM imported WHERE sha256 = ?", (sha256_bytes(data),)).fetchone()
            if existing is not None:
                raise ArchiveError(f"{original}: already imported as i{existing['id']} (same content); "
                                   "nothing was changed")
            staged = archive.store.stage(data)
            row.update(status="imported", missing=json.dumps(missing or [], ensure_ascii=False),
                       file_name=Path(original).name, format=format, sha256=staged, size=len(data),
                       legacy_encoding=int(legacy_encoding), text=text, imported_at=audit.now(), imported_by=actor)
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            new_id = db.execute(f"INSERT INTO imported ({columns}) VALUES ({marks}) RETURNING id",
                                list(row.values())).fetchone()[0]
            audit.record(db, "import", actor, None, imported_id=new_id, file=str(original), sha256=staged,
                         number_symbol=row["number_symbol"] or None, **({"signatures": signatures} if signatures else {}))
            changelog.record(db, "import", imported_id=new_id)
        committed = True
        archive.store.publish(staged)
    except BaseException as exc:
        if staged and not committed:
            archive.store.settle([staged], committed)
        if isinstance(exc, (OSError, DatabaseError)) and not committed:
            raise ArchiveError(f"{archive.home}: could not store {original} ({exc}); nothing was imported") from exc
        raise
    return load_imported(archive, new_id)


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

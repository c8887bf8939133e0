"""Corrections are new documents: revoking or replacing one records the relation and the
old document's status; nothing is edited or deleted."""

from __future__ import annotations

from docgen.vietnamese import short_date

from . import audit, changelog
from .errors import ArchiveError
from .home import Archive
from .records import DocumentRecord, load_record


def revoke(archive: Archive, document_id: int, *, by: int, actor: str | None = None) -> DocumentRecord:
    """Record that document `by` revokes `document_id` (thu hồi)."""
    return _supersede(archive, document_id, by, "revoked", actor)


def replace(archive: Archive, document_id: int, *, by: int, actor: str | None = None) -> DocumentRecord:
    """Record that document `by` replaces `document_id` (thay thế)."""
    return _supersede(archive, document_id, by, "replaced", actor)


def _supersede(archive: Archive, document_id: int, by: int, relation: str, actor: str | None) -> DocumentRecord:
    verb = "revoke" if relation == "revoked" else "replace"
    with archive.writing() as db:
        db.lock_document(document_id)  # PostgreSQL: one change of a document's status at a time
        old, new = load_record(db, document_id), load_record(db, by)
        if old.id == new.id:
            raise ArchiveError(f"{old.number_symbol} cannot {verb} itself: --by names the newer document")
        if old.status != "issued":
            other = old.superseded_by
            raise ArchiveError(f"{old.number_symbol} (id {old.id}) is already {old.status} "
                               f"by {other.number_symbol} (id {other.by_document_id}); nothing was changed")
        if new.copy_of is not None:
            raise ArchiveError(f"{new.number_symbol} (id {new.id}) is a copy: only a document the agency issues "
                               f"can {verb} another")
        if new.status != "issued":
            raise ArchiveError(f"{new.number_symbol} (id {new.id}) is itself {new.status}: "
                               f"a document no longer in force cannot {verb} another")
        if new.date < old.date:
            raise ArchiveError(f"{new.number_symbol} of {short_date(new.date)} is older than {old.number_symbol} of "
                               f"{short_date(old.date)}: the document that {verb}s must be issued on or after it")
        db.execute("INSERT INTO relations (document_id, relation, by_document_id, recorded_at, recorded_by) "
                   "VALUES (?, ?, ?, ?, ?)", (old.id, relation, new.id, audit.now(), actor or audit.default_actor()))
        db.execute("UPDATE documents SET status = ? WHERE id = ?", (relation, old.id))
        audit.record(db, verb, actor, old.id, by=new.id, by_number_symbol=new.number_symbol,
                     number_symbol=old.number_symbol)
        changelog.record(db, verb, document_id=old.id)
    return load_record(archive.db, old.id, archive.store)


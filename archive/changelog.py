"""The archive's change log: every change to what the archive holds, in order, written in the
same transaction as the change itself. Whatever is derived from the archive (the search
index) reads the log and applies what it has not applied yet; the archive never calls it.

A change names one document (an issued one, or an imported one) or, for a restore or a
migration, none: the whole archive may differ. The log has an identity, renewed by a
restore, so a reader that kept a position of another log (a home copied, an older backup
restored) starts again from zero instead of trusting it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .database import Database

ACTIONS = ("issue", "revoke", "replace", "import", "restore", "migration", "sign")


@dataclass(frozen=True)
class Change:
    position: int
    at: str
    action: str
    document_id: int | None = None
    imported_id: int | None = None

    @property
    def key(self) -> str | None:
        """The document it changed as search names it (`12`, `i3`), or None for the whole archive."""
        if self.document_id is not None:
            return str(self.document_id)
        if self.imported_id is not None:
            return f"i{self.imported_id}"
        return None


@dataclass(frozen=True)
class LogEnd:
    log: str  # the log's identity
    position: int  # the last change's position (0 when empty)


def record(db: Database, action: str, *, document_id: int | None = None,
           imported_id: int | None = None) -> int:
    """Append a change (inside the caller's transaction); returns its position."""
    if action not in ACTIONS:
        raise ValueError(f"unknown change {action!r}")
    db.lock_log()  # positions become visible in the order they are taken (a reader never skips one)
    at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")
    return db.execute("INSERT INTO changes (at, action, document_id, imported_id) VALUES (?, ?, ?, ?) "
                      "RETURNING position", (at, action, document_id, imported_id)).fetchone()[0]


def end(db: Database) -> LogEnd:
    """The log's identity and last position, in one query."""
    row = db.execute("SELECT id, (SELECT coalesce(max(position), 0) FROM changes) FROM change_log").fetchone()
    return LogEnd(row[0], row[1])


def since(db: Database, position: int, limit: int) -> list[Change]:
    """The changes after `position`, oldest first, at most `limit`."""
    rows = db.execute("SELECT position, at, action, document_id, imported_id FROM changes WHERE position > ? "
                      "ORDER BY position LIMIT ?", (position, limit)).fetchall()
    return [Change(*row) for row in rows]


def renew(db: Database) -> None:
    """A new identity for the log (a restored home is not the home it was copied from)."""
    db.execute("UPDATE change_log SET id = ?", (uuid.uuid4().hex,))

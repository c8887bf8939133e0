"""The audit trail: who did what, when, to which document, as a tamper-evident chain.

Each row carries `state`, the digest of what its document (or imported document) looked
like right after the change it records (the fields below and its files' hashes), and
`hash`, the digest of the row itself and the hash of the row before it. Editing a record,
a file's hash or a row, or deleting a row, breaks the chain or leaves a record that no
longer matches its latest state: `verify` and `restore` report both. The chain has no
secret key: it catches edits made beside docgen (sqlite3 by hand, a forged backup), not a
forger who recomputes every hash.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .database import Database

# The fields of a record the trail vouches for: what was issued, by whom, and its status.
DOCUMENT_FIELDS = (
    "register", "year", "number", "symbol", "number_symbol", "kind", "type_name", "type_code", "subject", "date",
    "place", "agency", "parent_agency", "agency_code", "drafting_unit", "signer_name", "signer_title",
    "signing_authority", "recipients", "file_copy", "copies", "secrecy", "urgency", "language", "retention",
    "status", "pdf_wanted", "data", "issued_at", "issued_by",
)
IMPORTED_FIELDS = (
    "kind", "type_name", "number", "symbol", "number_symbol", "subject", "date", "place", "agency",
    "parent_agency", "drafting_unit", "signer_name", "signer_title", "signing_authority", "addressees",
    "recipients", "secrecy", "urgency", "status", "missing", "file_name", "format", "sha256", "size",
    "legacy_encoding", "text", "imported_at", "imported_by",
)


def default_actor() -> str:
    """The OS user, as the audit names whoever gave no --actor."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid {os.getuid()}"


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def record(db: Database, action: str, actor: str | None, document_id: int | None = None,
           **detail: Any) -> None:
    """Append a row to the trail (call inside the write transaction of the change it records)."""
    db.lock_log()  # the chain's end is ours until commit
    last = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    row = {"id": last[0] + 1 if last else 1, "at": now(), "actor": actor or default_actor(), "action": action,
           "document_id": document_id, "detail": json.dumps(detail, ensure_ascii=False, default=str)}
    row["state"] = state_of(db, document_id, detail.get("imported_id"))
    row["hash"] = link(last[1] if last else "", row)
    db.execute("INSERT INTO audit (id, at, actor, action, document_id, detail, state, hash) "
               "VALUES (:id, :at, :actor, :action, :document_id, :detail, :state, :hash)", row)


def link(previous: str, row: Any) -> str:
    """The hash of an audit row, chained to the hash of the row before it."""
    fields = [previous, *(row[name] for name in ("id", "at", "actor", "action", "document_id", "detail", "state"))]
    return _digest(fields)


def state_of(db: Database, document_id: int | None, imported_id: int | None = None) -> str | None:
    """The digest of a document's (or an imported document's) fields and files as they are now."""
    if document_id is not None:
        row = db.execute(f"SELECT {', '.join(DOCUMENT_FIELDS)} FROM documents WHERE id = ?", (document_id,)).fetchone()
        files = db.execute("SELECT role, sha256, size, pages FROM files WHERE document_id = ? ORDER BY role",
                           (document_id,)).fetchall()
        return document_state(dict(zip(DOCUMENT_FIELDS, row)), files) if row is not None else None
    if imported_id is not None:
        row = db.execute(f"SELECT {', '.join(IMPORTED_FIELDS)} FROM imported WHERE id = ?", (imported_id,)).fetchone()
        return imported_state(dict(zip(IMPORTED_FIELDS, row))) if row is not None else None
    return None


def document_state(row: Any, files: list[Any]) -> str:
    return _digest([[row[name] for name in DOCUMENT_FIELDS], [list(f) for f in files]])


def imported_state(row: Any) -> str:
    return _digest([row[name] for name in IMPORTED_FIELDS])


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain_problems(db: Database, names: dict[int, str]) -> list[str]:
    """What the trail shows was changed beside docgen: rows edited or deleted, records edited.

    `names` maps document ids to how a message names them."""
    problems, previous, expected_id = [], "", 1
    latest: dict[int, str | None] = {}
    imported: dict[int, str | None] = {}
    for row in db.execute("SELECT id, at, actor, action, document_id, detail, state, hash FROM audit ORDER BY id"):
        if row["id"] != expected_id:
            missing = f"{expected_id}" if row["id"] == expected_id + 1 else f"{expected_id}-{row['id'] - 1}"
            problems.append(f"audit: row(s) {missing} deleted (the trail jumps to row {row['id']})")
        elif row["hash"] != link(previous, row):
            problems.append(f"audit: row {row['id']} ({row['action']} of {row['at']}) was edited, or a row before "
                            "it deleted: its hash no longer follows from the row before")
        previous, expected_id = row["hash"] or "", row["id"] + 1
        if row["document_id"] is not None:
            latest[row["document_id"]] = row["state"]
        elif row["action"] == "import":
            imported_id = json.loads(row["detail"]).get("imported_id")
            if isinstance(imported_id, int):
                imported[imported_id] = row["state"]
    files: dict[int, list[Any]] = {}
    for f in db.execute("SELECT document_id, role, sha256, size, pages FROM files ORDER BY document_id, role"):
        files.setdefault(f[0], []).append(tuple(f)[1:])
    for row in db.execute(f"SELECT id, {', '.join(DOCUMENT_FIELDS)} FROM documents ORDER BY id"):
        if row["id"] in latest and latest[row["id"]] != document_state(row, files.get(row["id"], [])):
            problems.append(f"{names.get(row['id'], 'document id %d' % row['id'])}: its record or file hashes were "
                            "changed outside docgen (they differ from what the audit trail vouched for)")
    for row in db.execute(f"SELECT id, {', '.join(IMPORTED_FIELDS)} FROM imported ORDER BY id"):
        if row["id"] not in imported:
            problems.append(f"imported i{row['id']} ({row['file_name']}): no audit row for its import")
        elif imported[row["id"]] != imported_state(row):
            problems.append(f"imported i{row['id']} ({row['file_name']}): its record was changed outside docgen "
                            "(it differs from what the audit trail vouched for)")
    return problems


def chain_existing(db: Database) -> None:
    """Give the rows of an older archive their state and chain (their past states are unknown:
    each row vouches for its record as it is at the upgrade)."""
    previous = ""
    names = ("id", "at", "actor", "action", "document_id", "detail")
    for row in db.execute(f"SELECT {', '.join(names)} FROM audit ORDER BY id").fetchall():
        values = dict(zip(names, row))
        imported_id = json.loads(values["detail"]).get("imported_id") if values["action"] == "import" else None
        values["state"] = state_of(db, values["document_id"], imported_id if isinstance(imported_id, int) else None)
        values["hash"] = previous = link(previous, values)
        db.execute("UPDATE audit SET state = ?, hash = ? WHERE id = ?", (values["state"], values["hash"], values["id"]))


def history(db: Database, document_id: int | None = None) -> list[dict[str, Any]]:
    """Audit rows, oldest first: of one document, or of the whole archive."""
    if document_id is None:
        rows = db.execute("SELECT * FROM audit ORDER BY id").fetchall()
    else:
        rows = db.execute("SELECT * FROM audit WHERE document_id = ? ORDER BY id", (document_id,)).fetchall()
    return [{"at": r["at"], "actor": r["actor"], "action": r["action"], "document_id": r["document_id"],
             "detail": json.loads(r["detail"])} for r in rows]

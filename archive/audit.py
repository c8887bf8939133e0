"""The audit trail: who did what, when, to which document."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sqlite3
from typing import Any


def default_actor() -> str:
    """The OS user, as the audit names whoever gave no --actor."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid {os.getuid()}"


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def record(db: sqlite3.Connection, action: str, actor: str | None, document_id: int | None = None,
           **detail: Any) -> None:
    db.execute("INSERT INTO audit (at, actor, action, document_id, detail) VALUES (?, ?, ?, ?, ?)",
               (now(), actor or default_actor(), action, document_id,
                json.dumps(detail, ensure_ascii=False, default=str)))


def history(db: sqlite3.Connection, document_id: int | None = None) -> list[dict[str, Any]]:
    """Audit rows, oldest first: of one document, or of the whole archive."""
    if document_id is None:
        rows = db.execute("SELECT * FROM audit ORDER BY id").fetchall()
    else:
        rows = db.execute("SELECT * FROM audit WHERE document_id = ? ORDER BY id", (document_id,)).fetchall()
    return [{"at": r["at"], "actor": r["actor"], "action": r["action"], "document_id": r["document_id"],
             "detail": json.loads(r["detail"])} for r in rows]

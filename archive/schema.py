"""The archive's schema as ordered migrations, written in SQLite's SQL and run on PostgreSQL through
archive.database.postgres_sql (types and the few functions that differ); versioned by PRAGMA
user_version on SQLite, by the table docgen_schema on PostgreSQL.

A migration is never edited once released: a later change is a new entry at the end, so
an archive made by any earlier version opens (and is upgraded) in every later one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from . import changelog
from .database import Database
from .errors import ArchiveError


def _chain_audit(db: Database) -> None:
    """3: the audit trail as a hash chain (archive/audit.py); older rows are chained as they are."""
    from .audit import chain_existing

    db.execute(db.ddl("ALTER TABLE audit ADD COLUMN state TEXT"))
    db.execute(db.ddl("ALTER TABLE audit ADD COLUMN hash TEXT"))
    chain_existing(db)


# A migration is SQL, or a function when rows must be computed in Python.
MIGRATIONS: list[str | Callable[[Database], None]] = [
    # 1: documents and their numbers, files, relations between documents, audit trail.
    """
    CREATE TABLE documents (
        id                INTEGER PRIMARY KEY,
        register          TEXT    NOT NULL,
        year              INTEGER NOT NULL,
        number            INTEGER NOT NULL CHECK (number >= 1),
        symbol            TEXT    NOT NULL,
        number_symbol     TEXT    NOT NULL,
        kind              TEXT    NOT NULL,
        type_name         TEXT    NOT NULL,
        type_code         TEXT,
        subject           TEXT    NOT NULL,
        date              TEXT    NOT NULL,
        place             TEXT    NOT NULL,
        agency            TEXT    NOT NULL,
        parent_agency     TEXT    NOT NULL,
        agency_code       TEXT    NOT NULL,
        drafting_unit     TEXT    NOT NULL,
        signer_name       TEXT,
        signer_title      TEXT,
        signing_authority TEXT,
        recipients        TEXT    NOT NULL,
        file_copy         TEXT,
        copies            INTEGER,
        secrecy           TEXT,
        urgency           TEXT,
        language          TEXT    NOT NULL,
        retention         TEXT,
        status            TEXT    NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'revoked', 'replaced')),
        pdf_wanted        INTEGER NOT NULL,
        data              TEXT    NOT NULL,
        issued_at         TEXT    NOT NULL,
        issued_by         TEXT    NOT NULL
    );
    CREATE UNIQUE INDEX documents_register_year_number ON documents (register, year, number);
    CREATE INDEX documents_number ON documents (number);
    CREATE INDEX documents_year_kind ON documents (year, kind);

    CREATE TABLE files (
        document_id INTEGER NOT NULL REFERENCES documents (id),
        role        TEXT    NOT NULL CHECK (role IN ('docx', 'pdf')),
        sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),
        size        INTEGER NOT NULL,
        pages       INTEGER,
        created_at  TEXT    NOT NULL,
        PRIMARY KEY (document_id, role)
    );
    CREATE INDEX files_sha256 ON files (sha256);

    CREATE TABLE relations (
        document_id    INTEGER NOT NULL UNIQUE REFERENCES documents (id),
        relation       TEXT    NOT NULL CHECK (relation IN ('revoked', 'replaced')),
        by_document_id INTEGER NOT NULL REFERENCES documents (id),
        recorded_at    TEXT    NOT NULL,
        recorded_by    TEXT    NOT NULL,
        CHECK (document_id <> by_document_id)
    );
    CREATE INDEX relations_by ON relations (by_document_id);

    CREATE TABLE audit (
        id          INTEGER PRIMARY KEY,
        at          TEXT    NOT NULL,
        actor       TEXT    NOT NULL,
        action      TEXT    NOT NULL,
        document_id INTEGER REFERENCES documents (id),
        detail      TEXT    NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_document ON audit (document_id);
    """,
    # 2: documents issued elsewhere, imported with their original file (archive/importing.py).
    """
    CREATE TABLE imported (
        id                INTEGER PRIMARY KEY,
        kind              TEXT    NOT NULL DEFAULT '',
        type_name         TEXT    NOT NULL DEFAULT '',
        number            INTEGER,
        symbol            TEXT    NOT NULL DEFAULT '',
        number_symbol     TEXT    NOT NULL DEFAULT '',
        subject           TEXT    NOT NULL DEFAULT '',
        date              TEXT,
        place             TEXT    NOT NULL DEFAULT '',
        agency            TEXT    NOT NULL DEFAULT '',
        parent_agency     TEXT    NOT NULL DEFAULT '',
        drafting_unit     TEXT    NOT NULL DEFAULT '',
        signer_name       TEXT    NOT NULL DEFAULT '',
        signer_title      TEXT    NOT NULL DEFAULT '',
        signing_authority TEXT    NOT NULL DEFAULT '',
        addressees        TEXT    NOT NULL DEFAULT '[]',
        recipients        TEXT    NOT NULL DEFAULT '[]',
        secrecy           TEXT,
        urgency           TEXT,
        status            TEXT    NOT NULL DEFAULT 'imported' CHECK (status = 'imported'),
        missing           TEXT    NOT NULL DEFAULT '[]',
        file_name         TEXT    NOT NULL,
        format            TEXT    NOT NULL,
        sha256            TEXT    NOT NULL CHECK (length(sha256) = 64),
        size              INTEGER NOT NULL,
        legacy_encoding   INTEGER NOT NULL DEFAULT 0,
        text              TEXT    NOT NULL,
        imported_at       TEXT    NOT NULL,
        imported_by       TEXT    NOT NULL
    );
    CREATE UNIQUE INDEX imported_sha256 ON imported (sha256);
    """,
    _chain_audit,
    # 4: the change log (archive/changelog.py), written in the transaction of each change, and its identity.
    """
    CREATE TABLE changes (
        position    INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT    NOT NULL,
        action      TEXT    NOT NULL CHECK (action IN ('issue', 'revoke', 'replace', 'import', 'restore',
                                                       'migration')),
        document_id INTEGER REFERENCES documents (id),
        imported_id INTEGER REFERENCES imported (id),
        CHECK (document_id IS NULL OR imported_id IS NULL)
    );
    CREATE TABLE change_log (
        id TEXT NOT NULL
    );
    INSERT INTO change_log (id) VALUES (lower(hex(randomblob(16))));
    """,
    # 5: signed PDFs (archive/signing.py): the file role 'signed' and the change 'sign'. SQLite
    # cannot alter a CHECK, so both tables are rebuilt with their rows.
    """
    CREATE TABLE files_new (
        document_id INTEGER NOT NULL REFERENCES documents (id),
        role        TEXT    NOT NULL CHECK (role IN ('docx', 'pdf', 'signed')),
        sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),
        size        INTEGER NOT NULL,
        pages       INTEGER,
        created_at  TEXT    NOT NULL,
        PRIMARY KEY (document_id, role)
    );
    INSERT INTO files_new SELECT document_id, role, sha256, size, pages, created_at FROM files;
    DROP TABLE files;
    ALTER TABLE files_new RENAME TO files;
    CREATE INDEX files_sha256 ON files (sha256);
    CREATE TABLE changes_new (
        position    INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT    NOT NULL,
        action      TEXT    NOT NULL CHECK (action IN ('issue', 'revoke', 'replace', 'import', 'restore',
                                                       'migration', 'sign')),
        document_id INTEGER REFERENCES documents (id),
        imported_id INTEGER REFERENCES imported (id),
        CHECK (document_id IS NULL OR imported_id IS NULL)
    );
    INSERT INTO changes_new SELECT position, at, action, document_id, imported_id FROM changes;
    DROP TABLE changes;
    ALTER TABLE changes_new RENAME TO changes;
    """,
    # 6: lawful copies (archive/copies.py): a copy is a document of its own register that points at
    # the document it copies (sao y, trích sao: the original; sao lục: a sao y copy).
    """
    CREATE TABLE copies (
        document_id INTEGER PRIMARY KEY REFERENCES documents (id),
        source_id   INTEGER NOT NULL REFERENCES documents (id),
        form        TEXT    NOT NULL CHECK (form IN ('sao-y', 'sao-luc', 'trich-sao')),
        pages       TEXT,
        CHECK (document_id <> source_id)
    );
    CREATE INDEX copies_source ON copies (source_id);
    """,
    # 7: the web service's users (archive/users.py): Argon2 password hashes, API tokens stored as hashes.
    """
    CREATE TABLE users (
        name          TEXT    PRIMARY KEY,
        role          TEXT    NOT NULL CHECK (role IN ('reader', 'drafter', 'clerk', 'admin')),
        secret        INTEGER NOT NULL DEFAULT 0 CHECK (secret IN (0, 1)),
        password_hash TEXT,
        created_at    TEXT    NOT NULL,
        created_by    TEXT    NOT NULL
    );
    CREATE TABLE tokens (
        id         INTEGER PRIMARY KEY,
        user_name  TEXT    NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        digest     TEXT    NOT NULL UNIQUE CHECK (length(digest) = 64),
        created_at TEXT    NOT NULL,
        revoked_at TEXT
    );
    CREATE INDEX tokens_user ON tokens (user_name);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    found, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {current.strip()[:60]!r}")
    return found


def schema_version(db: Database) -> int:
    return db.schema_version()


def migrate(db: Database, source: str) -> int:
    """Bring the database up to SCHEMA_VERSION; returns the version it had."""
    found = db.schema_version()
    if found == SCHEMA_VERSION:
        return found
    if found > SCHEMA_VERSION:
        raise ArchiveError(f"{source}: made by a newer docgen (schema version {found}; this one knows "
                           f"up to {SCHEMA_VERSION}): upgrade docgen to open it")
    with db.write():
        db.lock_log()  # nodes starting at once: one migrates, the others then find it done
        found = db.schema_version()
        _upgrade(db, found)
    return found


def create(db: Database) -> None:
    """docgen's schema in an empty database, inside the caller's write transaction."""
    db.lock_log()
    _upgrade(db, 0)


def _upgrade(db: Database, found: int) -> None:
    apply_migrations(db, found, SCHEMA_VERSION)
    if found < SCHEMA_VERSION:  # what readers derived from the old schema is looked at again
        changelog.record(db, "migration")
    db.set_schema_version(SCHEMA_VERSION)


def apply_migrations(db: Database, start: int, end: int) -> None:
    for migration in MIGRATIONS[start:end]:
        if callable(migration):
            migration(db)
        else:
            for statement in statements(migration):
                db.execute(db.ddl(statement))


def schema_problems(db: Database) -> list[str]:
    """How the database's schema differs from what the migrations make: an extra trigger, view,
    table or index (a trigger could rewrite every later document), a missing or altered one."""
    version = db.schema_version()
    if version > SCHEMA_VERSION:
        return [f"made by a newer docgen (schema version {version}; this one knows up to {SCHEMA_VERSION})"]
    found = db.schema_objects()
    expected = db.expected_objects(version)
    problems = []
    for kind, name, _table, _sql in sorted(found - expected, key=str):
        altered = any(e[0] == kind and e[1] == name for e in expected)
        problems.append(f"{kind} {name!r} " + ("differs from docgen's schema" if altered else
                                               "is not part of docgen's schema"))
    for kind, name, _table, _sql in sorted(expected - found, key=str):
        if not any(f[0] == kind and f[1] == name for f in found):
            problems.append(f"{kind} {name!r} of docgen's schema is missing")
    return problems

"""Copying an archive's records from one database to another, row for row: an embedded home
moved into PostgreSQL (`docgen migrate`), a server home's records exported into an SQLite file
inside its backup, such a backup restored into PostgreSQL.

Both ends must be at the same schema version, the target empty. Tables are copied in the
order their foreign keys need, with their ids (the audit chain hashes them), every value as
it is; PostgreSQL's sequences are then set past the copied ids. `compare` tells whether two
databases hold the same rows (counted and hashed table by table).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .database import Database
from .errors import ArchiveError

# Rows per INSERT batch (a million-row audit trail is never whole in memory).
BATCH = 1000
# Rows the migrations themselves write into a new database (the log's identity, a 'migration'
# change): replaced by the source's.
MADE_BY_MIGRATIONS = ("changes", "change_log")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # what orders its rows (its primary key, else every column)


def tables(db: Database) -> list[Table]:
    """The tables of an SQLite archive database (one end of every copy is one), each after the
    tables its foreign keys name."""
    names = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    needs = {name: {row[2] for row in db.execute(f'PRAGMA foreign_key_list("{name}")')} - {name} for name in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [name for name in names if name not in ordered and needs[name] <= set(ordered)]
        if not ready:
            raise ArchiveError(f"the tables {sorted(set(names) - set(ordered))} name one another: cannot order them")
        ordered += ready
    found = []
    for name in ordered:
        info = list(db.execute(f'PRAGMA table_info("{name}")'))
        columns = tuple(row[1] for row in info)
        key = tuple(row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])) or columns
        found.append(Table(name, columns, key))
    return found


def rows(db: Database, table: Table) -> Iterator[tuple]:
    """Every row of `table` in key order, read in batches."""
    columns = ", ".join(f'"{c}"' for c in table.columns)
    order = ", ".join(f'"{c}"' for c in table.key)
    cursor = db.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY {order}')
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            yield tuple(row)


def copy_rows(source: Database, target: Database, schema: list[Table]) -> dict[str, int]:
    """Copy every table of `schema` from `source` into the same, empty tables of `target`, inside
    the caller's transactions on both; returns the rows copied per table."""
    counts = {}
    for name in MADE_BY_MIGRATIONS:
        target.execute(f'DELETE FROM "{name}"')
    for table in schema:
        present = target.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
        if present:
            raise ArchiveError(f"{target.name}: its table {table.name} already holds {present} row(s): an archive "
                               "is copied only into an empty database")
        columns = ", ".join(f'"{c}"' for c in table.columns)
        insert = f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" for _ in table.columns)})'
        batch, count = [], 0
        for row in rows(source, table):
            batch.append(row)
            if len(batch) == BATCH:
                target.executemany(insert, batch)
                count, batch = count + len(batch), []
        if batch:
            target.executemany(insert, batch)
            count += len(batch)
        counts[table.name] = count
    if target.kind == "postgresql":
        _advance_sequences(target, schema)
    return counts


def _advance_sequences(db: Database, schema: list[Table]) -> None:
    """Each identity column's sequence set past the highest id copied (the next insert takes the next)."""
    for table in schema:
        for column in table.key:
            sequence = db.execute("SELECT pg_get_serial_sequence(?, ?)", (f'"{table.name}"', column)).fetchone()[0]
            if sequence is not None:
                db.execute(f'SELECT setval(?, coalesce((SELECT max("{column}") FROM "{table.name}"), 0) + 1, false)',
                           (sequence,))


def fingerprint(db: Database, table: Table) -> tuple[int, str]:
    """A table's row count and a digest of its rows (in key order, values as JSON)."""
    digest, count = hashlib.sha256(), 0
    for row in rows(db, table):
        digest.update(json.dumps(row, ensure_ascii=False, default=str).encode("utf-8") + b"\n")
        count += 1
    return count, digest.hexdigest()


def compare(source: Database, target: Database, schema: list[Table]) -> list[str]:
    """How `target`'s rows differ from `source`'s, table by table (empty: the same rows)."""
    problems = []
    for table in schema:
        (have, have_digest), (got, got_digest) = fingerprint(source, table), fingerprint(target, table)
        if have != got:
            problems.append(f"table {table.name}: {have} row(s) in the source, {got} in the copy")
        elif have_digest != got_digest:
            problems.append(f"table {table.name}: the same {have} row(s) counted, but their values differ")
    return problems


def export_sqlite(source: Database, path: Path) -> None:
    """The records of `source` (a server home's database), in one consistent snapshot, into a new
    SQLite archive file at `path` made by the migrations: what a backup holds in both modes."""
    from .database import SqliteDatabase
    from .schema import migrate

    target = SqliteDatabase(path)
    try:
        migrate(target, str(path))
        schema = tables(target)
        with source.read(), target.write():
            copy_rows(source, target, schema)
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        target.close()

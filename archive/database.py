"""Where an archive keeps its records: the embedded SQLite file, or a PostgreSQL server (server
mode, many app nodes). archive/ writes its SQL once, against this small interface:

    db = open_database("postgresql://docgen@db.example.vn/docgen")   # or a Path to archive.sqlite
    with db.write():                                  # one write transaction
        db.lock_register("chung", 2025)               # the register's next number is ours to take
        new_id = db.execute("INSERT INTO t (a) VALUES (?) RETURNING id", (1,)).fetchone()[0]
    with db.read():                                   # one consistent snapshot
        rows = db.execute("SELECT * FROM t WHERE a = :a", {"a": 1}).fetchall()

Placeholders are SQLite's (`?`, `:name`), translated for psycopg; rows answer both row[0] and
row["name"]; `json_extract(column, '$.key')` reads a JSON text's key on both. Errors are this
module's (DatabaseError and its kinds), never sqlite3's or psycopg's, so callers catch one family.

SQLite has one writer at a time (BEGIN IMMEDIATE), so the lock_* calls cost nothing there. On
PostgreSQL writers run side by side; each takes a transaction-scoped advisory lock on what it
must have to itself: a register's year (its next number), the log (the audit chain's next row
and the change log's next position, so both are committed in the order they were taken), a
document (its status or files); and every writer holds the staging folder shared, but recovery
alone (write(staging_alone=True)). The unique indexes stay the safety net.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ArchiveError, WritersBusy

# SQLite writers wait this long for the write lock; an issue holds it for tens of milliseconds.
BUSY_TIMEOUT_S = 120


class DatabaseError(ArchiveError):
    """The database refused or failed a statement (the original error is its __cause__)."""


class UniqueViolation(DatabaseError):
    """A row would duplicate a unique key (a number taken twice, a user that exists...)."""


class ServerRefused(DatabaseError):
    """The database server could not be reached or refused the connection."""


class ConnectionLost(DatabaseError):
    """The connection broke during a statement or a transaction. `committed` says what became of
    the transaction that was committing: False (it did not commit), or None (unknown: the server
    could not be asked). The next statement reconnects."""

    def __init__(self, message: str, committed: bool | None = False):
        super().__init__(message)
        self.committed = committed


def is_url(where: str | os.PathLike) -> bool:
    return isinstance(where, str) and where.startswith(("postgresql://", "postgres://"))


def open_database(where: str | os.PathLike, *, same_thread: bool = True,
                  writers_lock: Path | None = None) -> "Database":
    """A PostgreSQL URL, or the path of an SQLite file (made, 0600, when missing)."""
    if is_url(where):
        return PostgresDatabase(str(where))
    return SqliteDatabase(Path(where), same_thread=same_thread, writers_lock=writers_lock)


class Database:
    kind: str
    # What messages call it: the SQLite file's path, or the URL without password.
    name: str

    def __init__(self) -> None:
        self._writing = False

    # -- statements ----------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def ddl(self, statement: str) -> str:
        """A statement of a migration (SQLite's SQL) as this database runs it."""
        return statement

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def write(self, *, staging_alone: bool = False, wait: bool = True) -> Iterator["Database"]:
        """A write transaction. `staging_alone`: no other writer runs meanwhile that could have a file
        staged and not committed (recovery of the staging folder). Without `wait`, WritersBusy when
        another writer holds the database (SQLite, whose writers take turns)."""
        raise NotImplementedError
        yield self

    @contextmanager
    def read(self) -> Iterator["Database"]:
        raise NotImplementedError
        yield self

    @property
    def in_transaction(self) -> bool:
        raise NotImplementedError

    def lock_register(self, register: str, year: int) -> None:
        """Hold the register's year until commit (inside write())."""

    def lock_log(self) -> None:
        """Hold the audit chain's and change log's end until commit (inside write())."""

    def lock_document(self, document_id: int) -> None:
        """Hold a document's status and files until commit (inside write())."""

    # -- the schema ----------------------------------------------------------------------

    def schema_version(self) -> int:
        raise NotImplementedError

    def set_schema_version(self, version: int) -> None:
        raise NotImplementedError

    def schema_objects(self) -> frozenset[tuple]:
        """(kind, name, table, definition) of every table, index, view, trigger... docgen's or not."""
        raise NotImplementedError

    def expected_objects(self, version: int) -> frozenset[tuple]:
        """schema_objects() of an empty database brought to `version` by the migrations."""
        raise NotImplementedError

    def integrity_problems(self) -> list[str]:
        """What the database's own check finds damaged (nothing when it has none to offer)."""
        return []

    def close(self) -> None:
        raise NotImplementedError


# -- SQLite -------------------------------------------------------------------------------


class SqliteDatabase(Database):
    kind = "sqlite"

    def __init__(self, path: Path, *, same_thread: bool = True, writers_lock: Path | None = None):
        super().__init__()
        self.path = path
        self.name = str(path)
        self.connection = connect_sqlite(path, same_thread)
        self._writers_lock = writers_lock
        self._queue_fd: int | None = None

    @classmethod
    def over(cls, connection: sqlite3.Connection, name: str = ":memory:") -> "SqliteDatabase":
        """The interface over a connection the caller opened (a backup's snapshot, a scratch database)."""
        db = cls.__new__(cls)
        Database.__init__(db)
        db.path, db.name, db.connection = Path(name), name, connection
        db._writers_lock, db._queue_fd = None, None
        return db

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        try:
            return self.connection.execute(sql, params)
        except sqlite3.Error as exc:
            raise sqlite_error(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self.connection.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise sqlite_error(exc) from exc

    @property
    def in_transaction(self) -> bool:
        return self.connection.in_transaction

    @contextmanager
    def write(self, *, staging_alone: bool = False, wait: bool = True) -> Iterator["SqliteDatabase"]:
        """BEGIN IMMEDIATE: SQLite's write lock, one writer at a time across processes (so the
        staging folder is always this writer's alone)."""
        with self._writers_queue(wait):
            self.execute("BEGIN IMMEDIATE")
            self._writing = True
            try:
                try:
                    yield self
                except BaseException:
                    self.execute("ROLLBACK")
                    raise
                try:
                    self.execute("COMMIT")
                except BaseException:
                    if self.connection.in_transaction:
                        self.execute("ROLLBACK")
                    raise
            finally:
                self._writing = False

    @contextmanager
    def _writers_queue(self, wait: bool = True) -> Iterator[None]:
        """Writers wait their turn on a file lock before BEGIN IMMEDIATE.

        SQLite's busy handler retries after sleeps of up to 100 ms, so a writer that has just
        committed nearly always takes the lock again before the sleepers wake: a clerk could
        wait seconds behind a batch (measured: 1.5 s worst case with 4 writers; 0.13 s with
        this queue). The kernel wakes a blocked flock() as soon as it is free, so turns
        alternate. BEGIN IMMEDIATE stays the guarantee; this only orders the queue. The lock
        is held only while a transaction runs, the kernel drops it when its holder dies (even
        by SIGKILL), and Ctrl-C interrupts the wait.
        """
        if self._writers_lock is None:
            yield
            return
        if self._queue_fd is None:
            self._queue_fd = os.open(self._writers_lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._queue_fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise WritersBusy(f"{self.name}: another writer holds the archive") from None
        try:
            yield
        finally:
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    @contextmanager
    def read(self) -> Iterator["SqliteDatabase"]:
        self.execute("BEGIN")
        try:
            yield self
        finally:
            self.execute("COMMIT")

    def schema_version(self) -> int:
        return self.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {int(version)}")  # PRAGMA takes no parameters

    def schema_objects(self) -> frozenset[tuple]:
        # sqlite_sequence is SQLite's own counter for AUTOINCREMENT tables: it holds no code and
        # outlives the tables that made it, so it is left out of the comparison.
        return frozenset(tuple(row) for row in self.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != 'sqlite_sequence'"))

    def expected_objects(self, version: int) -> frozenset[tuple]:
        return _sqlite_schema_of(version)

    def integrity_problems(self) -> list[str]:
        return [row[0] for row in self.execute("PRAGMA quick_check") if row[0] != "ok"]

    def close(self) -> None:
        if self._queue_fd is not None:
            os.close(self._queue_fd)
            self._queue_fd = None
        self.connection.close()


@lru_cache(maxsize=None)
def _sqlite_schema_of(version: int) -> frozenset[tuple]:
    from .schema import apply_migrations

    fresh = SqliteDatabase.over(sqlite3.connect(":memory:", isolation_level=None))
    try:
        apply_migrations(fresh, 0, version)
        return fresh.schema_objects()
    finally:
        fresh.connection.close()


def sqlite_error(exc: sqlite3.Error) -> DatabaseError:
    if isinstance(exc, sqlite3.IntegrityError) and "UNIQUE" in str(exc):
        return UniqueViolation(str(exc))
    return DatabaseError(str(exc))


def connect_sqlite(path: Path, same_thread: bool = True) -> sqlite3.Connection:
    # The database, its -wal and -shm (SQLite gives them the database's mode) are the owner's alone.
    # Made only when missing: closing any descriptor of an open database drops every POSIX lock this
    # process holds on it (fcntl(2)), and another process may then checkpoint and delete the WAL
    # under our other connections (SQLite's "How To Corrupt", 2.2.1).
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    # isolation_level=None: we issue BEGIN/COMMIT ourselves (BEGIN IMMEDIATE for writers).
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=same_thread)
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        # FULL: a commit is on disk before we publish files that rely on it (NORMAL could lose
        # the last commits on power loss and leave published files without rows).
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA journal_mode = WAL")
    except BaseException:
        db.close()
        raise
    return db


# -- PostgreSQL ---------------------------------------------------------------------------

SCHEMA_TABLE = "docgen_schema"
# Advisory lock keys: (class, value) pairs of int4; the classes keep docgen's apart from each other.
_LOCK_REGISTER, _LOCK_LOG, _LOCK_DOCUMENT, _LOCK_STAGING = 0x64670001, 0x64670002, 0x64670003, 0x64670004


class Row:
    """A row as sqlite3.Row gives it: by position or by column name, dict(row), tuple(row)."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence[Any]):
        self._names = names
        self._values = values

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            return self._values[self._names[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (Row, tuple)) else NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._values))

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._names, self._values))!r})"


def _row_factory(cursor: Any) -> Any:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(names, values)


# SQLite's SQL as psycopg takes it: literals kept (their % doubled), ? and :name as %s and
# %(name)s, json_extract(column, '$.key') as PostgreSQL's ->> on the JSON text.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|%|\?|(?<![:\w]):([A-Za-z_]\w*)")
_JSON_EXTRACT = re.compile(r"json_extract\(\s*([\w.]+)\s*,\s*'\$\.(\w+)'\s*\)")


@lru_cache(maxsize=512)
def postgres_query(sql: str, with_params: bool) -> str:
    sql = _JSON_EXTRACT.sub(r"(\1::json ->> '\2')", sql)
    if not with_params:
        return sql

    def token(match: re.Match) -> str:
        text = match.group(0)
        if text[0] in "'\"" or text == "%":
            return text.replace("%", "%%")
        if text == "?":
            return "%s"
        return f"%({match.group(1)})s"

    return _TOKENS.sub(token, sql)


# A migration's SQLite DDL as PostgreSQL runs it; the types keep the values Python sees the same
# (integers, text) so a record's digest in the audit chain is the same on both.
_DDL = [
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?", re.I), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    # "C": text compares and sorts by code point, as SQLite's BINARY does with UTF-8, whatever the
    # database's locale (a register listed in the same order on both).
    (re.compile(r"((?:^|\bCOLUMN)\s*\w+\s+)TEXT\b", re.I | re.M), r'\1TEXT COLLATE "C"'),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"lower\(hex\(randomblob\(16\)\)\)", re.I), "replace(gen_random_uuid()::text, '-', '')"),
]


def postgres_sql(statement: str) -> str:
    for pattern, replacement in _DDL:
        statement = pattern.sub(replacement, statement)
    return statement


def safe_url(url: str) -> str:
    """The URL as messages show it (never a password)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def check_database_url(url: str, where: str, error: type[Exception] = ArchiveError) -> str:
    """A PostgreSQL URL a home may record: postgresql://USER@HOST/DB, never with a password."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise error(f"{where}: a database is a postgresql://USER@HOST/DB address (got {url!r})")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a bad port raises here)
    except ValueError as exc:
        raise error(f"{where}: not a valid database address ({exc})") from exc
    if parts.password is not None or "password=" in parts.query:
        raise error(f"{where}: the database address holds a password, which would be kept in clear in the home's "
                    "config.yaml: give the URL without it and keep the password in libpq's password file "
                    "(~/.pgpass, or PGPASSFILE) or the PGPASSWORD environment variable")
    return url


class PostgresDatabase(Database):
    kind = "postgresql"
    # How long to keep asking, after a lost COMMIT answer, whether it committed.
    COMMIT_STATUS_WAIT_S = 10.0

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.name = safe_url(url)
        self.connection = self._connect()
        self._locked_log = self._reading = False

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self.url, autocommit=True, row_factory=_row_factory,
                                   application_name="docgen", connect_timeout=30)
        except psycopg.Error as exc:
            raise ServerRefused(f"{self.name}: cannot connect to the database server ({_first_line(exc)})") from exc

    def _ensure(self) -> None:
        """A connection that broke earlier is replaced (outside a transaction only)."""
        if self.connection.closed or self.connection.broken:
            if self._writing or self._reading:
                raise ConnectionLost(f"{self.name}: the connection to the database server was lost in a transaction")
            self.connection = self._connect()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        self._ensure()
        query = postgres_query(sql, bool(params))
        idle = not self.in_transaction
        try:
            return self.connection.execute(query, params or None)
        except Exception as exc:
            error = self._error(exc)
            if not (isinstance(error, ConnectionLost) and idle and _RETRIED.match(sql)):
                raise error from exc
        # A restarted server cut a connection that sat idle: a read, or the BEGIN of a transaction,
        # changed nothing and is sent again once on a new connection.
        self.connection = self._connect()
        try:
            return self.connection.execute(query, params or None)
        except Exception as exc:
            raise self._error(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._ensure()
        try:
            with self.connection.cursor() as cursor:
                cursor.executemany(postgres_query(sql, True), rows)
        except Exception as exc:
            raise self._error(exc) from exc

    def _error(self, exc: Exception) -> Exception:
        import psycopg

        if not isinstance(exc, psycopg.Error):
            return exc
        if isinstance(exc, psycopg.errors.UniqueViolation):
            return UniqueViolation(_first_line(exc))
        if self.connection.broken or self.connection.closed:
            return ConnectionLost(f"{self.name}: the connection to the database server was lost ({_first_line(exc)})")
        return DatabaseError(_first_line(exc))

    def ddl(self, statement: str) -> str:
        return postgres_sql(statement)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.connection.info.transaction_status != TransactionStatus.IDLE

    @contextmanager
    def write(self, *, staging_alone: bool = False, wait: bool = True) -> Iterator["PostgresDatabase"]:
        """A READ COMMITTED transaction: each statement sees what committed before it (so what a lock
        guards is read fresh once the lock is held); the staging folder held shared, or alone."""
        self._ensure()
        lock = "pg_advisory_xact_lock" if staging_alone else "pg_advisory_xact_lock_shared"
        cursor = self.execute(f"BEGIN; SELECT {lock}({_LOCK_STAGING}, 0), txid_current()")
        cursor.nextset()
        txid = cursor.fetchone()[1]
        self._writing, self._locked_log = True, False
        try:
            try:
                yield self
            except BaseException:
                self._rollback()
                raise
            self._commit(txid)
        finally:
            self._writing = False

    def _rollback(self) -> None:
        if self.connection.broken or self.connection.closed:
            return  # the server rolls back what a broken connection left
        try:
            self.connection.execute("ROLLBACK")
        except Exception:
            pass

    def _commit(self, txid: int) -> None:
        import psycopg

        try:
            self.connection.execute("COMMIT")
        except psycopg.Error as exc:
            if not (self.connection.broken or self.connection.closed):
                self._rollback()
                raise self._error(exc) from exc
            committed = self._commit_status(txid)
            if committed:
                return
            raise ConnectionLost(f"{self.name}: the connection to the database server was lost while committing; "
                                 + ("the change was not recorded" if committed is False else
                                    "whether the change was recorded is unknown"), committed) from exc

    def _commit_status(self, txid: int) -> bool | None:
        """Whether transaction `txid` committed, asked on a new connection (None: no answer)."""
        deadline = time.monotonic() + self.COMMIT_STATUS_WAIT_S
        while True:
            try:
                self.connection = self._connect()
                status = self.connection.execute("SELECT txid_status(%s)", (txid,)).fetchone()[0]
            except Exception:
                status = None
            if status == "committed":
                return True
            if status == "aborted":
                return False
            if time.monotonic() > deadline:
                return None
            time.sleep(0.2)  # 'in progress' until the server finishes recovery, or no server yet

    @contextmanager
    def read(self) -> Iterator["PostgresDatabase"]:
        self._ensure()
        self.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        self._reading = True
        try:
            yield self
        finally:
            self._reading = False
            self._rollback()

    def _lock(self, kind: int, *key: Any) -> None:
        if self._writing:
            value = int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=4).digest(), "big", signed=True)
            self.execute("SELECT pg_advisory_xact_lock(?::integer, ?::integer)", (kind, value))

    def lock_register(self, register: str, year: int) -> None:
        self._lock(_LOCK_REGISTER, register, year)

    def lock_log(self) -> None:
        if not self._locked_log:
            self._lock(_LOCK_LOG)
            self._locked_log = self._writing

    def lock_document(self, document_id: int) -> None:
        self._lock(_LOCK_DOCUMENT, document_id)

    def schema_version(self) -> int:
        if self.execute(f"SELECT to_regclass('{SCHEMA_TABLE}')").fetchone()[0] is None:
            return 0
        row = self.execute(f"SELECT version FROM {SCHEMA_TABLE}").fetchone()
        return row[0] if row else 0

    def set_schema_version(self, version: int) -> None:
        self.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (version BIGINT NOT NULL)")
        self.execute(f"DELETE FROM {SCHEMA_TABLE}")
        self.execute(f"INSERT INTO {SCHEMA_TABLE} (version) VALUES (?)", (version,))

    def schema_objects(self, schema: str | None = None) -> frozenset[tuple]:
        schema = schema or self.execute("SELECT current_schema()").fetchone()[0]
        found = set()
        rows = self.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "pg_get_expr(d.adbin, d.adrelid), a.attidentity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
            "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
            "WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname <> ? ORDER BY c.relname, a.attnum",
            (schema, SCHEMA_TABLE))
        tables: dict[str, list] = {}
        for table, *column in rows:
            tables.setdefault(table, []).append(tuple(column))
        found |= {("table", table, table, repr(columns)) for table, columns in tables.items()}
        for name, table, definition in self.execute(
                "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = ? AND tablename <> ?",
                (schema, SCHEMA_TABLE)):
            found.add(("index", name, table, definition.replace(f" {schema}.", " ")))
        for name, table, definition in self.execute(
                "SELECT con.conname, c.relname, pg_get_constraintdef(con.oid) FROM pg_constraint con "
                "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = ? AND c.relname <> ?", (schema, SCHEMA_TABLE)):
            found.add(("constraint", name, table, definition.replace(f"{schema}.", "")))
        for name, table, definition in self.execute(
                "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c "
                "ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = ? AND NOT t.tgisinternal", (schema,)):
            found.add(("trigger", name, table, definition))
        for name, kind in self.execute(
                "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = ? AND c.relkind IN ('v', 'm', 'f')", (schema,)):
            found.add(("view", name, name, kind))
        for name, definition in self.execute(
                "SELECT r.rulename, r.definition FROM pg_rules r WHERE r.schemaname = ?", (schema,)):
            found.add(("rule", name, "", definition))
        for name, in self.execute(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ?",
                (schema,)):
            found.add(("function", name, "", ""))
        return frozenset(found)

    def expected_objects(self, version: int) -> frozenset[tuple]:
        if version not in _postgres_schemas:
            _postgres_schemas[version] = self._build_expected(version)
        return _postgres_schemas[version]

    def _build_expected(self, version: int) -> frozenset[tuple]:
        """The migrations run in a scratch schema of a transaction that is rolled back."""
        from .schema import apply_migrations

        outer = self.in_transaction
        scratch = f"docgen_expected_{os.getpid()}"
        self.execute("SAVEPOINT docgen_expected" if outer else "BEGIN")
        try:
            self.execute(f"CREATE SCHEMA {scratch}")
            self.execute(f"SET LOCAL search_path = {scratch}")
            apply_migrations(self, 0, version)
            return self.schema_objects(scratch)
        finally:
            self.execute("ROLLBACK TO SAVEPOINT docgen_expected" if outer else "ROLLBACK")

    def close(self) -> None:
        self.connection.close()


_postgres_schemas: dict[int, frozenset[tuple]] = {}
_RETRIED = re.compile(r"\s*(SELECT|BEGIN)\b", re.I)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().split("\n", 1)[0]

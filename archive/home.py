"""An archive home: HOME/archive.sqlite, HOME/files/ (the store), HOME/staging/,
HOME/index/ (for search), HOME/agency.yaml and optionally HOME/config.yaml.

A home is private to its owner whatever the umask: folders 0700, files 0600, store
files 0400 (secret documents live here).

    from archive import Archive
    Archive.init("docgen-data", agency="examples/agency.yaml")
    with Archive.open("docgen-data") as archive:
        ...
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from docgen import disk
from docgen.workfolder import WorkFolder

from . import audit, changelog
from .changelog import Change, LogEnd
from .errors import ArchiveError, WritersBusy
from .schema import SCHEMA_VERSION, migrate, schema_problems, schema_version
from .store import FileStore

if TYPE_CHECKING:  # the models (pydantic) are loaded when a command needs them, not to search
    from docgen.agency import Agency

    from .config import ArchiveConfig
    from .register import NumberRegister

DATABASE = "archive.sqlite"
AGENCY_FILE = "agency.yaml"
WRITERS_LOCK = "writers.lock"
# Writers wait this long for the write lock; an issue holds it for tens of milliseconds.
BUSY_TIMEOUT_S = 120


class Archive:
    def __init__(self, home: str | os.PathLike, db: sqlite3.Connection):
        self.home = Path(home).absolute()
        self.db = db
        self.store = FileStore(self.home / "files", self.home / "staging")
        self._queue_fd: int | None = None
        # How the database's schema differs from docgen's (a trigger, a view...): nothing is written then.
        self.foreign_schema: list[str] = []

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def init(cls, home: str | os.PathLike, agency: str | os.PathLike, *, config: str | os.PathLike | None = None,
             actor: str | None = None) -> "Archive":
        """Create an archive home (its folder may exist if empty) and open it."""
        home = Path(home)
        if (home / DATABASE).exists():
            raise ArchiveError(f"{home}: already an archive home ({DATABASE} exists); nothing was changed")
        if home.exists() and (not home.is_dir() or any(home.iterdir())):
            raise ArchiveError(f"{home}: exists and is not an empty folder: choose a new folder for the archive home")
        from docgen.agency import load_agency
        from docgen.datafile import load_model

        from .config import CONFIG_FILE, ArchiveConfig

        load_agency(agency)  # a bad agency file stops here, before anything is created
        if config is not None:
            load_model(ArchiveConfig, config)
        home.parent.mkdir(parents=True, exist_ok=True)
        # Built beside the target and renamed into place: a failed init leaves nothing.
        with building_beside(home, "init") as build:
            make_folders(build)
            copy_private(agency, build / AGENCY_FILE)
            if config is not None:
                copy_private(config, build / CONFIG_FILE)
            db = connect(build / DATABASE)
            try:
                db.execute("PRAGMA journal_mode = WAL")
                migrate(db, str(build / DATABASE))
                db.execute("BEGIN IMMEDIATE")
                audit.record(db, "init", actor, agency=str(agency))
                db.execute("COMMIT")
            finally:
                db.close()
            os.replace(build, home)  # onto a missing or empty folder
        return cls.open(home)

    @classmethod
    def open(cls, home: str | os.PathLike, *, handed_between_threads: bool = False) -> "Archive":
        """Open a home: run pending migrations, then finish any interrupted issue.

        `handed_between_threads`: the caller uses it from one thread at a time, not always the
        same one (the web service opens it in one worker thread and answers in another)."""
        home = Path(home)
        path = home / DATABASE
        if not path.is_file():
            raise ArchiveError(f"{home}: not an archive home (no {DATABASE}): create one with "
                               f"`docgen --home {home} init --agency AGENCY.yaml`")
        try:
            db = connect(path, same_thread=not handed_between_threads)
        except sqlite3.DatabaseError as exc:
            raise cannot_open(path, exc) from exc
        try:
            db.execute("PRAGMA journal_mode = WAL")
            foreign = schema_problems(db)
            if not foreign:
                migrate(db, str(path))
            elif schema_version(db) > SCHEMA_VERSION:
                raise ArchiveError(f"{path}: {foreign[0]}: upgrade docgen to open it")
            archive = cls(home, db)
            archive.foreign_schema = foreign
            make_folders(home)
            if archive.store.has_staged() and not foreign:
                archive.recover()
        except sqlite3.DatabaseError as exc:
            db.close()
            raise cannot_open(path, exc) from exc
        except BaseException:
            db.close()
            raise
        return archive

    def close(self) -> None:
        if self._queue_fd is not None:
            os.close(self._queue_fd)
            self._queue_fd = None
        self.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- configuration -------------------------------------------------------------------

    @cached_property
    def agency(self) -> Agency:
        from docgen.agency import load_agency

        return load_agency(self.home / AGENCY_FILE)

    @cached_property
    def config(self) -> ArchiveConfig:
        from .config import load_config

        return load_config(self.home)

    @cached_property
    def registers(self) -> NumberRegister:
        from .register import NumberRegister

        return NumberRegister(self.config.registers)

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def writing(self, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """A write transaction holding SQLite's write lock: one writer at a time, across processes.
        Without `wait`, WritersBusy is raised at once when another writer holds or awaits it."""
        if self.foreign_schema:
            raise ArchiveError(f"{self.home / DATABASE}: its schema is not docgen's ({'; '.join(self.foreign_schema)}): "
                               "nothing is written to it; run `docgen verify`, then restore the home from a backup")
        with self._writers_queue(wait):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            try:
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

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
        if self._queue_fd is None:
            self._queue_fd = os.open(self.home / WRITERS_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._queue_fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise WritersBusy(f"{self.home}: another writer holds the archive") from None
        try:
            yield
        finally:
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot while others keep writing."""
        self.db.execute("BEGIN")
        try:
            yield self.db
        finally:
            self.db.execute("COMMIT")

    # -- the change log (archive/changelog.py), what derived data such as search follows -----

    def change_log_end(self) -> LogEnd:
        """The log's identity and its last position: one query."""
        return changelog.end(self.db)

    def changes_since(self, position: int, limit: int = 1000) -> list[Change]:
        """The changes after `position`, oldest first, at most `limit`."""
        return changelog.since(self.db, position, limit)

    def recover(self) -> dict[str, int]:
        """Publish staged files that committed rows name; delete the rest (a crashed writer's)."""
        from .records import names_file

        with self.writing() as db:
            return self.store.recover(lambda sha: names_file(db, sha))


def building_beside(home: Path, purpose: str) -> WorkFolder:
    """A private folder next to `home` (same filesystem, so it can be renamed into place as the
    home, 0700); what a killed init or restore left there is removed on the next one."""
    return WorkFolder(home.parent, f".{home.name}-{purpose}-")


def make_folders(home: Path) -> None:
    for folder in ("files", "staging", "index"):
        (home / folder).mkdir(mode=0o700, exist_ok=True)


def copy_private(source: str | os.PathLike, target: Path) -> None:
    with open(source, "rb") as reading, open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        shutil.copyfileobj(reading, out)


def cannot_open(path: Path, exc: sqlite3.DatabaseError) -> ArchiveError:
    """Why the database cannot be opened: a full disk is not damage, and only damage calls for a restore."""
    if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return ArchiveError(f"{path}: cannot open the archive database: it is damaged ({exc}); restore the home "
                            "from a backup (`docgen restore`)")
    if disk.is_full(path.parent, exc):
        return ArchiveError(f"{path}: cannot open the archive database: {disk.full_message(path.parent)}; "
                            "the archive itself was not changed")
    return ArchiveError(f"{path}: cannot open the archive database ({exc}); `docgen verify` tells whether it is "
                        "damaged")


_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


def connect(path: Path, same_thread: bool = True) -> sqlite3.Connection:
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
    except BaseException:
        db.close()
        raise
    return db

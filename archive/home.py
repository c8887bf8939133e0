"""An archive home: HOME/archive.sqlite, HOME/files/ (the store), HOME/staging/,
HOME/index/ (for search), HOME/agency.yaml and optionally HOME/config.yaml. In server mode the
records are in PostgreSQL instead (config.yaml's `database`, archive/database.py) and the
home folder, shared by the app nodes, holds the rest.

A home is private to its owner whatever the umask: folders 0700, files 0600, store
files 0400 (secret documents live here).

    from archive import Archive
    Archive.init("docgen-data", agency="examples/agency.yaml")
    with Archive.open("docgen-data") as archive:
        ...
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from docgen import disk
from docgen.workfolder import WorkFolder

from . import audit, changelog
from .changelog import Change, LogEnd
from .database import (ConnectionLost, Database, DatabaseError, ServerRefused, check_database_url, open_database,
                       safe_url)
from .errors import ArchiveError, StagedUntilOpened
from .schema import SCHEMA_VERSION, migrate, schema_problems, schema_version
from .schema import create as create_schema
from .store import FileStore

if TYPE_CHECKING:  # the models (pydantic) are loaded when a command needs them, not to search
    from docgen.agency import Agency

    from .config import ArchiveConfig
    from .register import NumberRegister

DATABASE = "archive.sqlite"
AGENCY_FILE = "agency.yaml"
WRITERS_LOCK = "writers.lock"
CONFIG_FILE = "config.yaml"  # as archive.config names it (loaded with the models, when needed)


class Archive:
    def __init__(self, home: str | os.PathLike, db: Database):
        self.home = Path(home).absolute()
        self.db = db
        self.store = FileStore(self.home / "files", self.home / "staging")
        # How the database's schema differs from docgen's (a trigger, a view...): nothing is written then.
        self.foreign_schema: list[str] = []

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def init(cls, home: str | os.PathLike, agency: str | os.PathLike, *, config: str | os.PathLike | None = None,
             actor: str | None = None, database: str | None = None) -> "Archive":
        """Create an archive home (its folder may exist if empty) and open it. With `database` (a
        postgresql:// URL, no password in it) the records are kept in that PostgreSQL database
        (server mode) and the home's config.yaml names it; else in HOME/archive.sqlite."""
        home = Path(home)
        if (home / DATABASE).exists() or (home / CONFIG_FILE).exists():
            raise ArchiveError(f"{home}: already an archive home ({DATABASE if (home / DATABASE).exists() else CONFIG_FILE} "
                               "exists); nothing was changed")
        if home.exists() and (not home.is_dir() or any(home.iterdir())):
            raise ArchiveError(f"{home}: exists and is not an empty folder: choose a new folder for the archive home")
        from docgen.agency import load_agency
        from docgen.datafile import load_model

        from .config import ArchiveConfig

        if database is not None:
            check_database_url(database, "--database")
        load_agency(agency)  # a bad agency file stops here, before anything is created
        named = load_model(ArchiveConfig, config).database if config is not None else None  # by the config file
        if database is not None and named is not None:
            raise ArchiveError(f"{config}: names a database and --database gives one too: give it once")
        database = database or named
        home.parent.mkdir(parents=True, exist_ok=True)
        # Built beside the target and renamed into place: a failed init leaves nothing.
        with building_beside(home, "init") as build:
            make_folders(build)
            copy_private(agency, build / AGENCY_FILE)
            if config is not None:
                copy_private(config, build / CONFIG_FILE)
            if database is not None and named is None:
                record_database(build / CONFIG_FILE, database)
            if database is None:
                db = open_database(build / DATABASE)
                try:
                    migrate(db, db.name)
                    with db.write():
                        audit.record(db, "init", actor, agency=str(agency))
                finally:
                    db.close()
                os.replace(build, home)  # onto a missing or empty folder
            else:
                _init_server(build, home, open_database(database), actor, agency)
        return cls.open(home)

    @classmethod
    def open(cls, home: str | os.PathLike, *, handed_between_threads: bool = False) -> "Archive":
        """Open a home: run pending migrations, then finish any interrupted issue.

        `handed_between_threads`: the caller uses it from one thread at a time, not always the
        same one (the web service opens it in one worker thread and answers in another)."""
        home = Path(home)
        url = database_url(home)
        path = home / DATABASE
        if url is None and not path.is_file():
            raise ArchiveError(f"{home}: not an archive home (no {DATABASE}): create one with "
                               f"`docgen --home {home} init --agency AGENCY.yaml`")
        try:
            db = open_database(url or path, same_thread=not handed_between_threads, writers_lock=home / WRITERS_LOCK)
        except DatabaseError as exc:
            raise cannot_open(url or path, exc) from exc
        except sqlite3.DatabaseError as exc:
            raise cannot_open(path, exc) from exc
        try:
            if url is not None and schema_version(db) == 0:
                # Never a new, empty register under an existing home (its numbers would start again at 01).
                raise ArchiveError(f"{db.name}: the database holds no archive (no docgen schema), yet the home "
                                   f"{home} names it: check `database` in {home / CONFIG_FILE}; nothing was changed")
            foreign = schema_problems(db)
            if not foreign:
                migrate(db, db.name)
            elif schema_version(db) > SCHEMA_VERSION:
                raise ArchiveError(f"{db.name}: {foreign[0]}: upgrade docgen to open it")
            archive = cls(home, db)
            archive.foreign_schema = foreign
            make_folders(home)
            if archive.store.has_staged() and not foreign:
                archive.recover()
        except DatabaseError as exc:
            db.close()
            raise cannot_open(url or path, exc) from exc
        except BaseException:
            db.close()
            raise
        return archive

    def close(self) -> None:
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
    def writing(self, *, staging_alone: bool = False, wait: bool = True) -> Iterator[Database]:
        """A write transaction (archive/database.py): on SQLite one writer at a time across processes.
        Without `wait`, WritersBusy is raised at once when another writer holds the archive (SQLite;
        PostgreSQL's writers run side by side and only wait for the locks they take)."""
        if self.foreign_schema:
            raise ArchiveError(f"{self.db.name}: its schema is not docgen's ({'; '.join(self.foreign_schema)}): "
                               "nothing is written to it; run `docgen verify`, then restore the home from a backup")
        with self.db.write(staging_alone=staging_alone, wait=wait) as db:
            yield db

    @contextmanager
    def writing_files(self, what: str, done: str, refused: str) -> Iterator[tuple[Database, Callable[[bytes], str]]]:
        """A write transaction whose rows name files put in staging with the `stage(data) -> sha256` it
        yields: staging is synced once before the commit, the files are published after it, discarded
        if it rolls back, and kept for the next open's recovery when a lost connection left the commit
        unknown. A failure of the database or the disk is an ArchiveError naming `what` and saying
        what was not done (`refused`), or, commit unknown, how to find out whether it was `done`."""
        staged: list[str] = []

        def stage(data: bytes) -> str:
            staged.append(self.store.stage(data))
            return staged[-1]

        try:
            with self.writing() as db:
                yield db, stage
                if staged:
                    self.store.sync_staging()
        except (OSError, DatabaseError) as exc:
            if isinstance(exc, ConnectionLost) and exc.committed is None:  # the next open's recovery settles them
                raise ArchiveError(f"{self.home}: the connection to the database was lost while {what} was recorded "
                                   f"({exc}): run `docgen verify` (or `docgen list`) to see whether it was {done}; "
                                   "its files are kept until then") from exc
            self.store.settle(staged, committed=False)
            raise ArchiveError(f"{self.home}: could not record {what} ({exc}); {refused}") from exc
        except BaseException:
            self.store.settle(staged, committed=False)
            raise
        try:
            self.store.settle(staged, committed=True)
        except OSError as exc:
            raise StagedUntilOpened(f"{what} is {done}; its files stay staged until the archive is next opened "
                                    f"({exc})") from exc

    @contextmanager
    def reading(self) -> Iterator[Database]:
        """A read transaction: one consistent snapshot while others keep writing."""
        with self.db.read() as db:
            yield db

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

        with self.writing(staging_alone=True) as db:  # no writer has a file staged, uncommitted, meanwhile
            return self.store.recover(lambda sha: names_file(db, sha))


def _init_server(build: Path, home: Path, db: Database, actor: str | None, agency: str | os.PathLike) -> None:
    """The schema made, the init audited and the home put in place in one transaction: a failure
    anywhere leaves neither tables in the database nor a home."""
    was_folder, placed = home.is_dir(), False
    try:
        with db.write():
            db.lock_log()
            if db.schema_version() or db.schema_objects():
                raise ArchiveError(f"{db.name}: the database is not empty (it holds tables of its own, or another "
                                   "archive): give a new, empty database; nothing was changed")
            create_schema(db)
            audit.record(db, "init", actor, agency=str(agency))
            os.replace(build, home)  # onto a missing or empty folder; the commit comes next
            placed = True
    except BaseException:
        if placed:  # the database did not commit: the home goes back to be removed with the build
            os.replace(home, build)
            if was_folder:
                home.mkdir(mode=0o700)
        raise
    finally:
        db.close()


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


def cannot_open(where: Path | str, exc: Exception) -> ArchiveError:
    """Why the database cannot be opened: a full disk is not damage, and only damage calls for a restore."""
    if isinstance(exc, ServerRefused):
        return ArchiveError(f"{exc}; the archive itself was not changed")
    if isinstance(where, str):
        return ArchiveError(f"{safe_url(where)}: cannot open the archive database ({exc})")
    path = where
    cause = exc if isinstance(exc, sqlite3.Error) else exc.__cause__
    if (getattr(cause, "sqlite_errorcode", 0) & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return ArchiveError(f"{path}: cannot open the archive database: it is damaged ({exc}); restore the home "
                            "from a backup (`docgen restore`)")
    if disk.is_full(path.parent, exc):
        return ArchiveError(f"{path}: cannot open the archive database: {disk.full_message(path.parent)}; "
                            "the archive itself was not changed")
    return ArchiveError(f"{path}: cannot open the archive database ({exc}); `docgen verify` tells whether it is "
                        "damaged")


_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


def database_url(home: Path) -> str | None:
    """The PostgreSQL database a server-mode home keeps its records in (config.yaml's `database`)."""
    path = home / CONFIG_FILE
    if not path.is_file():
        return None
    import yaml  # noqa: PLC0415 (only a home with a config.yaml pays for it)

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ArchiveError(f"{path}: cannot be read ({exc})") from exc
    url = data.get("database") if isinstance(data, dict) else None
    if url is None:
        return None
    if not isinstance(url, str):
        raise ArchiveError(f"{path}: database: a postgresql:// address was expected")
    return check_database_url(url, f"{path}: database")


def record_database(path: Path, url: str) -> None:
    """Add `database: URL` to a home's config.yaml (made 0600 when missing)."""

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with open(fd, "a", encoding="utf-8") as out:
        out.write(f"\ndatabase: {json.dumps(url)}\n")  # a JSON string is a YAML string

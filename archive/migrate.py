"""Moving an embedded home (SQLite) into server mode (PostgreSQL): `docgen migrate --to URL --new-home DIR`.

The records (documents, files' rows, relations, copies, imported documents, the audit chain,
the change log, users and tokens) are copied row for row with their ids into an empty
PostgreSQL database, the home's files (store, agency, config, keys, the web's key) into a new
home folder built beside DIR whose config.yaml names the database. The copy is then checked:
every table's rows counted and hashed against the source, and `verify` of the new home
(schema, audit chain, every stored file re-hashed). Only then is the folder renamed into
place; on any failure the tables made in the database are dropped and the folder removed, so
nothing half-written is left. The embedded home is only read (and gets an audit row saying
where it went once the copy is in place); issuing on it should stop while this runs.

    from archive import Archive
    from archive.migrate import migrate_home

    with Archive.open("docgen-data") as archive:
        new_home, report = migrate_home(archive, "postgresql://docgen@db.example.vn/docgen", "/srv/docgen")
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import audit, changelog
from .config import CONFIG_FILE
from .database import SCHEMA_TABLE, Database, DatabaseError, check_database_url, open_database, safe_url
from .errors import ArchiveError
from .home import DATABASE, WRITERS_LOCK, Archive, building_beside, make_folders, record_database
from .schema import SCHEMA_VERSION, migrate
from .store import FILE_MODE, fsync_dir
from .transfer import Table, compare, copy_rows, tables
from .verify import VerifyReport, verify

# What of an embedded home is not carried over: its database (copied as rows), its search
# index (the new home's is rebuilt from the change log), staging (empty once opened), locks.
_LEFT_BEHIND = {DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal", "index", "staging",
                WRITERS_LOCK, CONFIG_FILE}


@dataclass
class MigrateReport:
    home: str
    database: str  # the URL, without any password
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    verify: VerifyReport | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.verify is not None and self.verify.ok, "home": self.home, "database": self.database,
                "rows": self.rows, "files": self.files, "verify": self.verify.as_dict() if self.verify else None}


def migrate_home(source: Archive, url: str, new_home: str | os.PathLike, *,
                 actor: str | None = None) -> tuple[Archive, MigrateReport]:
    """Copy the embedded home `source` into the empty PostgreSQL database `url` and a new home folder
    `new_home`, check the copy, and open it. Raises ArchiveError, leaving nothing behind, when any
    step fails."""
    new_home = Path(new_home)
    if source.db.kind != "sqlite":
        raise ArchiveError(f"{source.home}: its records are already in a database server ({source.db.name}); "
                           "nothing to migrate (back it up and restore it with --database to move it)")
    check_database_url(url, "--to")
    if new_home.exists() and (not new_home.is_dir() or any(new_home.iterdir())):
        raise ArchiveError(f"{new_home}: exists and is not empty: give a new folder for the server home "
                           "(nothing was changed)")
    if new_home.absolute() == source.home:
        raise ArchiveError(f"{new_home}: is the embedded home itself: give a new folder (nothing was changed)")
    if source.foreign_schema:
        raise ArchiveError(f"{source.db.name}: its schema is not docgen's: run `docgen verify` (nothing was changed)")
    new_home.parent.mkdir(parents=True, exist_ok=True)
    report = MigrateReport(str(new_home.absolute()), safe_url(url))
    with building_beside(new_home, "migrate") as build:
        report.files = _copy_folder(source.home, build)
        _write_config(source.home, build, url)
        make_folders(build)
        # Issuers on the embedded home wait while its rows are copied (one consistent state).
        with filled_database(url, source.db) as rows:
            report.rows = rows
            with Archive.open(build) as built:
                report.verify = verify(built)
                if not report.verify.ok:
                    raise ArchiveError(f"{new_home}: the copy does not verify: "
                                       + "; ".join(report.verify.problems[:5]) + "; nothing was migrated")
                with built.writing() as db:
                    audit.record(db, "migrate", actor, source=str(source.home), database=safe_url(url))
                    # A search index that followed the embedded home's log starts again from zero.
                    changelog.renew(db)
                    changelog.record(db, "migration")
            os.replace(build, new_home)
    fsync_dir(new_home.parent)
    with source.writing() as db:
        audit.record(db, "migrate", actor, home=str(new_home.absolute()), database=safe_url(url))
    return Archive.open(new_home), report


@contextmanager
def filled_database(url: str, source: Database) -> Iterator[dict[str, int]]:
    """The empty PostgreSQL database `url` given docgen's schema and every row of `source` (an SQLite
    archive database at the same schema version), checked table by table; yields the rows copied per
    table. If anything fails, here or in the caller's block, the tables made are dropped again."""
    schema = tables(source)
    target = open_database(url)
    created = False
    try:
        if target.schema_version() or target.schema_objects():
            raise ArchiveError(f"{target.name}: the database is not empty (it holds tables of its own, or another "
                               "archive): give a new, empty database; nothing was changed")
        created = True
        migrate(target, target.name)
        with source.write(), target.write():
            if source.schema_version() != SCHEMA_VERSION:
                raise ArchiveError(f"{source.name}: schema version {source.schema_version()}, this docgen copies "
                                   f"version {SCHEMA_VERSION}")
            rows = copy_rows(source, target, schema)
            problems = compare(source, target, schema)
            if problems:
                raise ArchiveError(f"{target.name}: the copy differs from {source.name}: " + "; ".join(problems))
        yield rows
    except BaseException:
        if created:
            _drop_created(target, schema)
        raise
    finally:
        target.close()


def _copy_folder(home: Path, build: Path) -> int:
    """The home's files into `build`, modes kept; store files are linked when on the same file
    system (they never change), else copied. Returns how many store files."""
    count = 0
    for entry in sorted(home.iterdir()):
        if entry.name in _LEFT_BEHIND or entry.name.startswith("."):
            continue
        target = build / entry.name
        if entry.is_dir() and not entry.is_symlink():
            if entry.name == "files":
                count += _copy_store(entry, target)
            else:
                shutil.copytree(entry, target, symlinks=True)
        elif entry.is_file() and not entry.is_symlink():
            shutil.copy2(entry, target)
    return count


def _copy_store(store: Path, target: Path) -> int:
    target.mkdir(mode=0o700, exist_ok=True)
    count = 0
    for folder in sorted(store.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue  # verify of the source reports it; the copy holds only what rows name
        (target / folder.name).mkdir(mode=0o700, exist_ok=True)
        for path in sorted(folder.iterdir()):
            copied = target / folder.name / path.name
            try:
                os.link(path, copied)
            except OSError:
                shutil.copyfile(path, copied)
                os.chmod(copied, FILE_MODE)
            count += 1
        fsync_dir(target / folder.name)
    return count


def _write_config(home: Path, build: Path, url: str) -> None:
    from docgen.datafile import load_model

    from .config import ArchiveConfig

    if (home / CONFIG_FILE).is_file():
        if load_model(ArchiveConfig, home / CONFIG_FILE).database is not None:
            raise ArchiveError(f"{home / CONFIG_FILE}: already names a database")
        shutil.copy2(home / CONFIG_FILE, build / CONFIG_FILE)
    record_database(build / CONFIG_FILE, url)


def _drop_created(db: Database, schema: list[Table]) -> None:
    """Drop the tables this migration made (the database was empty before it)."""
    try:
        if db.in_transaction:
            db.execute("ROLLBACK")
        with db.write():
            for table in reversed(schema):
                db.execute(f'DROP TABLE IF EXISTS "{table.name}" CASCADE')
            db.execute(f"DROP TABLE IF EXISTS {SCHEMA_TABLE}")
    except DatabaseError:
        pass  # the server is gone: nothing of ours can be dropped, and the error that brought us here is raised

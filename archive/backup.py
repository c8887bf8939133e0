"""Backup and restore of a whole archive home, taken while others keep issuing.

A backup is a .tar.gz holding backup.json first, then a snapshot of the database made with
SQLite's online backup (one step, so one consistent state), the agency and config files
and the store files that snapshot names. Files are immutable, so copying them after the
snapshot is safe. backup.json carries the SHA-256 of the database and of the settings
files, and the total size of what follows.

A backup is untrusted input. Restore reads it as a stream, checks the manifest first,
bounds every member's size and the total before reading it, checks every hash, and then
checks the database itself (the schema must be exactly what the migrations make: a
trigger could forge every later document; integrity; the audit chain; every file a row
names present) in a private folder beside the new home. Only a backup that passes all of
that is renamed into place; otherwise nothing is left behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.agency import load_agency
from docgen.errors import DocgenError
from docgen.workfolder import WorkFolder

from . import audit, changelog
from .config import CONFIG_FILE, load_config
from .database import DatabaseError, SqliteDatabase, check_database_url
from .errors import ArchiveError
from .home import AGENCY_FILE, DATABASE, Archive, building_beside, make_folders, record_database
from .records import stored_hashes
from .schema import SCHEMA_VERSION, schema_problems, schema_version
from .store import CHUNK, FILE_MODE, HASH, fsync_dir, sha256_file
from .transfer import export_sqlite
from .verify import VerifyReport, verify

FORMAT = "docgen-archive-backup"
FORMAT_VERSION = 2  # 2: backup.json first, with hashes and the total size
MANIFEST = "backup.json"
_STORE_MEMBER = re.compile(r"^files/([0-9a-f]{2})/(\1[0-9a-f]{62})$")
_SETTINGS = (AGENCY_FILE, CONFIG_FILE)

# Bounds on what a restore reads (a member's size is checked from its header, before reading).
MAX_MANIFEST_BYTES = 1 << 20
MAX_SETTINGS_BYTES = 1 << 20
MAX_DATABASE_BYTES = 1 << 30
MAX_STORE_FILE_BYTES = 256 << 20
MAX_BACKUP_BYTES = 64 << 30
_LIMITS = {MANIFEST: MAX_MANIFEST_BYTES, DATABASE: MAX_DATABASE_BYTES, AGENCY_FILE: MAX_SETTINGS_BYTES,
           CONFIG_FILE: MAX_SETTINGS_BYTES}
# At most this many problems are listed when a backup is refused.
_SHOWN = 10


@dataclass
class BackupResult:
    path: str
    documents: int
    files: int
    bytes: int
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": not self.problems, **self.__dict__}


def backup(archive: Archive, output: str | os.PathLike, *, actor: str | None = None) -> BackupResult:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    problems, missing, corrupted = [], [], []
    with WorkFolder(output.parent, ".docgen-backup-") as tmp:
        snapshot = tmp / DATABASE
        if archive.db.kind != "sqlite":  # server mode: the records exported, so it restores in either mode
            export_sqlite(archive.db, snapshot)
        target = sqlite3.connect(snapshot)
        try:
            if archive.db.kind == "sqlite":
                archive.db.connection.backup(target)  # pages=-1: the whole database in one step, one snapshot
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            documents = target.execute("SELECT count(*) FROM documents").fetchone()[0]
            hashes = sorted(stored_hashes(target))
            version = schema_version(SqliteDatabase.over(target))
        finally:
            target.close()
        members = [(DATABASE, snapshot)] + [(name, archive.home / name) for name in _SETTINGS
                                            if (archive.home / name).is_file()]
        digests = {name: sha256_file(path) for name, path in members}
        total = sum(path.stat().st_size for _, path in members)
        for sha in hashes:
            path = archive.store.locate(sha)
            if path is None:
                problems.append(f"file {sha} is missing from the store: not in the backup")
                missing.append(sha)
                continue
            name = f"files/{sha[:2]}/{sha}"
            with _open_member(archive, name, path) as handle:
                found, size = _hashed(handle)
            if found != sha:
                problems.append(f"{path}: corrupted (SHA-256 mismatch): backed up as it is")
                corrupted.append(sha)
            members.append((name, path))
            total += size
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": version,
                    "created_at": audit.now(), "home": str(archive.home.resolve()), "documents": documents,
                    "files": len(hashes) - len(missing), "bytes": total,
                    "sha256": digests, "missing_files": missing, "corrupted_files": corrupted,
                    "problems": problems}
        packed = tmp / "backup.tar.gz"
        with open(os.open(packed, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6) as tar:
                text = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                tar.addfile(_member_info(MANIFEST, len(text)), io.BytesIO(text))
                for name, path in members:
                    with _open_member(archive, name, path) as source:
                        tar.addfile(_member_info(name, os.fstat(source.fileno()).st_size), source)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(packed, output)
    fsync_dir(output.parent)
    with archive.writing() as db:
        audit.record(db, "backup", actor, path=str(output.resolve()), documents=documents, files=len(hashes))
    return BackupResult(str(output), documents, len(hashes), output.stat().st_size, problems)


def _member_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    return info


def _open_member(archive: Archive, name: str, path: Path):
    """Open a member to pack; a store file staged when the snapshot was taken may have been
    published since (same content, in the store), so it is looked for again."""
    store_file = _STORE_MEMBER.match(name)
    try:
        return open(path, "rb")
    except FileNotFoundError:
        if not store_file or (moved := archive.store.locate(store_file.group(2))) is None:
            raise
        return open(moved, "rb")


def _hashed(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def restore(backup_file: str | os.PathLike, home: str | os.PathLike, *, actor: str | None = None,
            database: str | None = None) -> tuple[Archive, VerifyReport]:
    """Check `backup_file` and unpack it into a new home (missing or empty), then verify it. With
    `database` (an empty PostgreSQL database's URL) the records go there and the home is a server
    home; else into HOME/archive.sqlite, whichever mode the backup was taken in.

    Raises ArchiveError, leaving nothing behind (in the folder or the database), when the backup is
    not one docgen made or was changed since."""
    backup_file, home = Path(backup_file), Path(home)
    if database is not None:
        check_database_url(database, "--database")
    if (home / DATABASE).exists() or (home.exists() and (not home.is_dir() or any(home.iterdir()))):
        raise ArchiveError(f"{home}: exists and is not empty: restore into a new folder (nothing was changed)")
    home.parent.mkdir(parents=True, exist_ok=True)
    with building_beside(home, "restore") as build:
        make_folders(build)
        try:
            with tarfile.open(backup_file, "r|*") as tar:
                manifest, seen = _unpack(tar, backup_file, build)
        except (tarfile.TarError, EOFError, zlib.error) as exc:
            raise ArchiveError(f"{backup_file}: not a readable docgen backup (.tar.gz): {exc}; nothing was "
                               "restored") from None
        except OSError as exc:
            raise ArchiveError(f"{backup_file}: could not unpack ({exc}); nothing was restored") from None
        problems = check_database(build / DATABASE, seen, set(manifest["missing_files"]))
        if problems:
            shown = "\n  ".join(problems[:_SHOWN]) + (f"\n  ... and {len(problems) - _SHOWN} more"
                                                       if len(problems) > _SHOWN else "")
            raise ArchiveError(f"{backup_file}: refused, its database is not one docgen made or was changed "
                               f"since:\n  {shown}\nnothing was restored")
        try:
            load_agency(build / AGENCY_FILE)
            load_config(build)
        except DocgenError as exc:
            raise ArchiveError(f"{backup_file}: refused, its settings are not valid: {exc}\nnothing was "
                               "restored") from None
        # The backup of a server home names its database: the restored home uses its own, or none.
        forget_database(build / CONFIG_FILE)
        with Archive.open(build) as built:  # upgrades an older backup's schema before it is in place
            with built.writing() as db:
                audit.record(db, "restore", actor, backup=str(backup_file.resolve()))
                # A restored home is not the home it was copied from: whatever followed that home's
                # log (an index carried over) starts again from zero.
                changelog.renew(db)
                changelog.record(db, "restore")
        if database is None:
            os.replace(build, home)
        else:
            _into_server(build, database)
            os.replace(build, home)
    fsync_dir(home.parent)
    archive = Archive.open(home)
    return archive, verify(archive)


def forget_database(config: Path) -> None:
    """Take the `database` line out of a home's config.yaml (what record_database wrote)."""
    if not config.is_file():
        return
    text = config.read_text(encoding="utf-8")
    kept = re.sub(r"(?m)^database:.*(\n|$)", "", text)
    if kept != text:
        config.write_text(kept, encoding="utf-8")


def _into_server(build: Path, url: str) -> None:
    """The restored records moved from build/archive.sqlite into the empty database `url` (checked
    row for row, then by verify); on failure the tables made there are dropped again."""
    from .migrate import filled_database

    records = SqliteDatabase(build / DATABASE)
    try:
        with filled_database(url, records):
            records.close()
            for name in (DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm"):
                (build / name).unlink(missing_ok=True)
            record_database(build / CONFIG_FILE, url)
            with Archive.open(build) as built:
                report = verify(built)
                if not report.ok:
                    raise ArchiveError(f"{url}: the restored records do not verify: "
                                       + "; ".join(report.problems[:5]) + "; nothing was restored")
    finally:
        records.close()


def _unpack(tar: tarfile.TarFile, source: Path, build: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """Stream the members into `build`: the manifest first, every size bounded before it is read,
    every hash checked. Returns the manifest and the store files seen (hash -> size)."""
    def refuse(why: str) -> ArchiveError:
        return ArchiveError(f"{source}: {why}; nothing was restored")

    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile() or first.size > MAX_MANIFEST_BYTES:
        raise refuse(f"not a docgen backup: it must begin with {MANIFEST} (backups made before docgen wrote "
                     "it first cannot be restored by this version)")
    try:
        manifest = json.loads(tar.extractfile(first).read(MAX_MANIFEST_BYTES))
    except (ValueError, RecursionError) as exc:
        raise refuse(f"{MANIFEST} is not valid JSON ({type(exc).__name__}: {exc})") from None
    manifest = _checked_manifest(manifest, refuse)
    declared, total = manifest["bytes"], 0
    free = shutil.disk_usage(build).free
    if declared > free:
        raise refuse(f"it holds {declared:,} bytes and {build.parent} has {free:,} bytes free")
    seen: dict[str, int] = {}
    settings: set[str] = set()
    while (member := tar.next()) is not None:
        name = member.name
        store_file = _STORE_MEMBER.match(name)
        if not member.isfile() or not (store_file or name in _LIMITS) or name == MANIFEST:
            raise refuse(f"unexpected entry {name!r} ({_kind(member)}): not a docgen backup")
        if name in settings or (store_file and store_file.group(2) in seen):
            raise refuse(f"entry {name!r} appears twice")
        limit = MAX_STORE_FILE_BYTES if store_file else _LIMITS[name]
        if member.size > limit:
            raise refuse(f"entry {name!r} claims {member.size:,} bytes, over the limit of {limit:,}")
        total += member.size
        if total > declared:
            raise refuse(f"its entries hold more than the {declared:,} bytes {MANIFEST} declares (at {name!r})")
        target = build / name
        target.parent.mkdir(mode=0o700, exist_ok=True)
        digest = _copy(tar.extractfile(member), target, member.size)
        if store_file:
            sha = store_file.group(2)
            if digest != sha and sha not in manifest["corrupted_files"]:
                raise refuse(f"store file {sha} does not match its hash (it was changed)")
            os.chmod(target, FILE_MODE)
            seen[sha] = member.size
        else:
            if digest != manifest["sha256"].get(name):
                raise refuse(f"{name} does not match the SHA-256 in {MANIFEST} (it was changed)")
            settings.add(name)
    for name in manifest["sha256"]:
        if name not in settings:
            raise refuse(f"{name} is missing from the backup")
    return manifest, seen


def _checked_manifest(manifest: Any, refuse) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse(f"{MANIFEST} is not a docgen backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise refuse(f"{MANIFEST} has format version {manifest.get('format_version')!r}; this docgen reads "
                     f"{FORMAT_VERSION} (back up again with this version)")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise refuse(f"made by a newer docgen (schema version {version!r}; this one knows up to "
                     f"{SCHEMA_VERSION}): upgrade docgen to restore it")
    hashes = manifest.get("sha256")
    if (not isinstance(hashes, dict) or not {DATABASE, AGENCY_FILE} <= set(hashes) or not set(hashes) <= set(_SETTINGS) | {DATABASE}
            or not all(isinstance(v, str) and HASH.match(v) for v in hashes.values())):
        raise refuse(f"{MANIFEST}: 'sha256' must give the SHA-256 of {DATABASE} and {AGENCY_FILE}")
    declared = manifest.get("bytes")
    if not isinstance(declared, int) or not 0 <= declared <= MAX_BACKUP_BYTES:
        raise refuse(f"{MANIFEST}: 'bytes' must be the total size, at most {MAX_BACKUP_BYTES:,}")
    for key in ("missing_files", "corrupted_files"):
        listed = manifest.get(key, [])
        if not isinstance(listed, list) or not all(isinstance(v, str) and HASH.match(v) for v in listed):
            raise refuse(f"{MANIFEST}: {key!r} must list SHA-256 hashes")
        manifest[key] = listed
    return manifest


def _kind(member: tarfile.TarInfo) -> str:
    if member.issym() or member.islnk():
        return f"a link to {member.linkname!r}"
    return "a folder" if member.isdir() else "a file" if member.isfile() else "a device or special file"


def _copy(reading, target: Path, size: int) -> str:
    """Copy a member to `target` in chunks (never whole in memory); return its SHA-256."""
    digest, left = hashlib.sha256(), size
    with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while left > 0:
            chunk = reading.read(min(CHUNK, left))
            if not chunk:
                raise EOFError(f"{target.name} is cut short")
            digest.update(chunk)
            out.write(chunk)
            left -= len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def check_database(path: Path, present: dict[str, int], missing: set[str]) -> list[str]:
    """What is wrong with a backup's database, read-only and before anything trusts it: not an
    SQLite database, a schema other than the migrations', damage, a broken audit chain, a row
    naming a store file the backup lacks (unless the backup says it was already missing)."""
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        return [f"{DATABASE}: cannot be opened ({exc})"]
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA trusted_schema = OFF")
        db = SqliteDatabase.over(db, str(path))
        if schema_version(db) < 1:
            return [f"{DATABASE}: not a docgen archive database (it has no schema version)"]
        problems = schema_problems(db)  # first: nothing else is read from a schema we did not make
        if problems:
            return problems
        problems += [f"damaged: {row[0]}" for row in db.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"a row of {row[0]} names a missing row of {row[2]}" for row in db.execute("PRAGMA foreign_key_check")]
        if problems:
            return problems
        if "hash" in {row["name"] for row in db.execute("PRAGMA table_info(audit)")}:
            names = {r["id"]: f"{r['number_symbol']} (id {r['id']}, {r['year']})"
                     for r in db.execute("SELECT id, number_symbol, year FROM documents")}
            problems += audit.chain_problems(db, names)
        for sha in sorted(stored_hashes(db)):
            if not HASH.match(sha):
                problems.append(f"a row names the store file {sha!r}, which is not a SHA-256")
            elif sha not in present and sha not in missing:
                problems.append(f"a row names the store file {sha}, which the backup does not hold")
        return problems
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        return [f"{DATABASE}: not a usable SQLite database ({exc})"]
    finally:
        db.close()

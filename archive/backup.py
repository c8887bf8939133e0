"""Backup and restore of a whole archive home, taken while others keep issuing.

A backup is a .tar.gz holding a snapshot of the database made with SQLite's online backup
(one step, so one consistent state), the files that snapshot names, the agency and config
files, and backup.json. Files are immutable, so copying them after the snapshot is safe.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import audit, changelog
from .config import CONFIG_FILE
from .errors import ArchiveError
from .home import AGENCY_FILE, DATABASE, Archive, new_folder_beside
from .records import stored_hashes
from .schema import schema_version
from .store import fsync_dir, sha256_bytes
from .verify import VerifyReport, verify

FORMAT = "docgen-archive-backup"
MANIFEST = "backup.json"
_STORE_MEMBER = re.compile(r"^files/([0-9a-f]{2})/(\1[0-9a-f]{62})$")
_PLAIN_MEMBERS = {DATABASE, AGENCY_FILE, CONFIG_FILE, MANIFEST}


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
    problems = []
    with tempfile.TemporaryDirectory(prefix=".docgen-backup-", dir=output.parent) as tmp:
        snapshot = Path(tmp) / DATABASE
        target = sqlite3.connect(snapshot)
        try:
            archive.db.backup(target)  # pages=-1: the whole database in one step, one snapshot
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            documents = target.execute("SELECT count(*) FROM documents").fetchone()[0]
            hashes = sorted(stored_hashes(target))
            version = schema_version(target)
        finally:
            target.close()
        packed = Path(tmp) / "backup.tar.gz"
        with tarfile.open(packed, "w:gz", compresslevel=6) as tar:
            tar.add(snapshot, DATABASE)
            for name in (AGENCY_FILE, CONFIG_FILE):
                if (archive.home / name).is_file():
                    tar.add(archive.home / name, name)
            for sha in hashes:
                path = archive.store.locate(sha)
                if path is None:
                    problems.append(f"file {sha} is missing from the store: not in the backup")
                    continue
                data = path.read_bytes()
                if sha256_bytes(data) != sha:
                    problems.append(f"{path}: corrupted (SHA-256 mismatch): backed up as it is")
                _add_bytes(tar, f"files/{sha[:2]}/{sha}", data, 0o444)
            manifest = {"format": FORMAT, "schema_version": version, "created_at": audit.now(),
                        "home": str(archive.home.resolve()), "documents": documents, "files": len(hashes),
                        "problems": problems}
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode(), 0o644)
        with open(packed, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(packed, output)
    fsync_dir(output.parent)
    with archive.writing() as db:
        audit.record(db, "backup", actor, path=str(output.resolve()), documents=documents, files=len(hashes))
    return BackupResult(str(output), documents, len(hashes), output.stat().st_size, problems)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mode: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), mode
    tar.addfile(info, io.BytesIO(data))


def restore(backup_file: str | os.PathLike, home: str | os.PathLike, *,
            actor: str | None = None) -> tuple[Archive, VerifyReport]:
    """Unpack `backup_file` into a new home (missing or empty), open it and verify it."""
    backup_file, home = Path(backup_file), Path(home)
    if (home / DATABASE).exists() or (home.exists() and (not home.is_dir() or any(home.iterdir()))):
        raise ArchiveError(f"{home}: exists and is not empty: restore into a new folder (nothing was changed)")
    try:
        tar = tarfile.open(backup_file, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise ArchiveError(f"{backup_file}: not a readable docgen backup (.tar.gz): {exc}") from None
    home.parent.mkdir(parents=True, exist_ok=True)
    build = new_folder_beside(home, "restore")
    try:
        with tar:
            _unpack(tar, backup_file, build)
        for folder in ("files", "staging", "index"):
            (build / folder).mkdir(exist_ok=True)
        os.replace(build, home)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    archive = Archive.open(home)
    with archive.writing() as db:
        audit.record(db, "restore", actor, backup=str(backup_file.resolve()))
        # A restored home is not the home it was copied from: whatever followed that home's log
        # (an index carried over) starts again from zero.
        changelog.renew(db)
        changelog.record(db, "restore")
    return archive, verify(archive)


def _unpack(tar: tarfile.TarFile, source: Path, build: Path) -> None:
    seen = set()
    try:
        for member in tar:
            name = member.name
            store_file = _STORE_MEMBER.match(name)
            if not member.isfile() or not (store_file or name in _PLAIN_MEMBERS):
                raise ArchiveError(f"{source}: unexpected entry {name!r}: not a docgen backup (nothing was restored)")
            data = tar.extractfile(member).read()
            target = build / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if store_file:
                os.chmod(target, 0o444)
            seen.add(name)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise ArchiveError(f"{source}: damaged backup ({exc}); nothing was restored") from None
    manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8")) if MANIFEST in seen else {}
    if manifest.get("format") != FORMAT or DATABASE not in seen or AGENCY_FILE not in seen:
        raise ArchiveError(f"{source}: not a docgen backup (needs {MANIFEST}, {DATABASE} and {AGENCY_FILE}); "
                           "nothing was restored")


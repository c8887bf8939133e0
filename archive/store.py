"""Content-addressed, immutable file store: HOME/files/ab/<sha256>, staged in HOME/staging/.

A file reaches the store in two steps. `stage` writes it to the staging folder (temp file,
fsync, read-only, rename to its hash, fsync of the folder) while the writer holds the
database's write lock; the writer then commits the rows that name the hash, and
`publish` renames the staged file into the store. `recover`, run under the same lock,
finishes what a crashed writer left: a staged file a row names is published, any other
staged file is deleted. Store paths come only from hashes, never from user text.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import IntegrityProblem

HASH = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 20
# Store files are read-only to their owner and closed to everyone else, whatever the umask.
FILE_MODE = 0o400


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileStore:
    def __init__(self, root: Path, staging: Path):
        self.root = root
        self.staging = staging

    def path(self, sha256: str) -> Path:
        if not HASH.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def staged_path(self, sha256: str) -> Path:
        if not HASH.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.staging / sha256

    def stage(self, data: bytes) -> str:
        """Write `data` durably into staging under its hash, inside the write transaction whose rows
        name it (Archive.writing_files); `sync_staging` makes the folder's entries durable, once for
        all the files of the transaction, before it commits."""
        sha256 = sha256_bytes(data)
        temp = self.staging / f".tmp-{uuid.uuid4().hex}"
        try:
            with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, FILE_MODE)
            os.replace(temp, self.staged_path(sha256))
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return sha256

    def sync_staging(self) -> None:
        fsync_dir(self.staging)

    def publish(self, sha256: str) -> Path:
        """Move a staged file into the store (after its rows are committed)."""
        target = self.path(sha256)
        staged = self.staged_path(sha256)
        target.parent.mkdir(mode=0o700, exist_ok=True)
        if target.exists():
            # Same content already stored (or another process published it first).
            staged.unlink(missing_ok=True)
            return target
        try:
            os.replace(staged, target)
        except FileNotFoundError:
            if not target.exists():
                raise
            return target  # a concurrent recovery published it
        fsync_dir(target.parent)
        return target

    def settle(self, staged: Iterable[str], committed: bool) -> None:
        """After the transaction whose rows name `staged`: publish them if it committed, discard
        them if it rolled back."""
        for sha256 in staged:
            (self.publish if committed else self.discard)(sha256)

    def discard(self, sha256: str) -> None:
        """Drop a staged file whose transaction rolled back."""
        self.staged_path(sha256).unlink(missing_ok=True)

    def locate(self, sha256: str) -> Path | None:
        """Where the file is now: the store, or staging between commit and publish."""
        for path in (self.path(sha256), self.staged_path(sha256), self.path(sha256)):
            if path.is_file():
                return path
        return None

    def has_staged(self) -> bool:
        try:
            return any(True for _ in os.scandir(self.staging))
        except FileNotFoundError:
            return False

    def recover(self, is_referenced: Callable[[str], bool]) -> dict[str, int]:
        """Finish or undo what a crashed writer left in staging (call inside a write transaction)."""
        published = deleted = 0
        for entry in list(os.scandir(self.staging)):
            if HASH.match(entry.name) and is_referenced(entry.name):
                self.publish(entry.name)
                published += 1
            else:
                Path(entry.path).unlink(missing_ok=True)
                deleted += 1
        if deleted:
            fsync_dir(self.staging)
        return {"published": published, "deleted": deleted}

    def walk(self) -> Iterator[Path]:
        """Every entry under the store's root: the files in its folders, and anything else as it is
        (links are not followed)."""
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and not folder.is_symlink():
                yield from sorted(p for p in folder.iterdir())
            else:
                yield folder

    def read_verified(self, sha256: str) -> bytes:
        """The file's bytes, checked against its hash."""
        path = self.locate(sha256)
        if path is None:
            raise IntegrityProblem(f"file {sha256} is missing from the store {self.root}: run `docgen verify`, "
                                   "then restore it from a backup")
        data = path.read_bytes()
        if sha256_bytes(data) != sha256:
            raise IntegrityProblem(f"{path}: the file is corrupted (its SHA-256 no longer matches): run "
                                   "`docgen verify`, then restore it from a backup")
        return data

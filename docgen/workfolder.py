"""Private work folders for commands that build their result beside it and rename it into
place, and the cleanup of the folders that killed runs leave behind.

Each run holds an exclusive lock on its own folder (flock on the folder itself: the kernel
drops it when the process ends, even by SIGKILL). The next run of the same command, with
the same prefix in the same parent folder, deletes every folder of that prefix nobody
holds. The folder is 0700 (mkdtemp), so what is built there stays private whatever the umask.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

# A folder this young may belong to a run between mkdtemp and taking its lock.
_GRACE_S = 2


class WorkFolder:
    """`with WorkFolder(parent, ".docgen-backup-") as folder:` a locked, private folder, removed
    at the end unless the run renamed it into place."""

    def __init__(self, parent: str | os.PathLike, prefix: str):
        self.parent, self.prefix = Path(parent), prefix
        self.path: Path | None = None
        self._fd: int | None = None

    def __enter__(self) -> Path:
        sweep(self.parent, self.prefix)
        self.path = Path(tempfile.mkdtemp(prefix=self.prefix, dir=self.parent))
        self._fd = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return self.path

    def __exit__(self, *exc: Any) -> None:
        try:
            if self.path is not None and self.path.is_dir() and not self.path.is_symlink():
                shutil.rmtree(self.path, ignore_errors=True)
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def sweep(parent: Path, prefix: str) -> list[Path]:
    """Delete the folders of `prefix` in `parent` that no live run holds; return them."""
    removed = []
    try:
        entries = list(os.scandir(parent))
    except FileNotFoundError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if time.time() - entry.stat(follow_symlinks=False).st_mtime < _GRACE_S:
                continue
            fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # a live run's
        try:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
        finally:
            os.close(fd)
    return removed

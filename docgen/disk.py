"""Telling a full disk from damage: a write that failed for want of space says so, and
names the folder and the space left, so nobody restores an archive that is intact."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

# Below this much free space a failed write is put down to the disk being full.
NEARLY_FULL_BYTES = 1 << 20
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
_SQLITE_FULL = 13


def free_bytes(folder: str | os.PathLike) -> int | None:
    """Space an unprivileged writer may still use on the disk holding `folder` (None if unknown)."""
    path = Path(folder)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        stats = os.statvfs(path)
    except OSError:
        return None
    return stats.f_bavail * stats.f_frsize


def says_full(exc: BaseException | None) -> bool:
    """Whether `exc`, or an error that led to it, is a write refused for want of space."""
    seen = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in _NO_SPACE:
            return True
        if isinstance(seen, sqlite3.Error) and ((getattr(seen, "sqlite_errorcode", 0) & 0xFF) == _SQLITE_FULL
                                                or "disk is full" in str(seen)):
            return True
        if "No space left on device" in str(seen) or "Disk quota exceeded" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def is_full(folder: str | os.PathLike, exc: BaseException | None = None) -> bool:
    """Whether `exc` (or, without one, the state of the disk) says the disk holding `folder` is full."""
    if says_full(exc):
        return True
    free = free_bytes(folder)
    return free is not None and free < NEARLY_FULL_BYTES


def full_message(folder: str | os.PathLike) -> str:
    free = free_bytes(folder)
    left = f"{free:,} bytes free" if free is not None else "no space left"
    return f"the disk holding {folder} is full ({left}): free some space and try again"

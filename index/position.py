"""How far the index has followed the archive's change log: HOME/index/applied.json, written
atomically after each engine commit, and the lock held by whoever applies changes.

The file names the log (its identity) and the position of the last change applied. It is
written only after the entries are committed, and applying a change twice gives the same
index, so a process killed anywhere loses nothing: the next one applies from the last
position written. A missing or unreadable file, or one naming another log, means nothing
applied can be trusted: the index is reconciled with the archive from zero.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

POSITION_FILE = "applied.json"
FOLLOW_LOCK = ".follow.lock"


@dataclass(frozen=True)
class Applied:
    log: str  # the identity of the archive's change log
    position: int  # the last change applied


def trusted(applied: Applied | None, end) -> bool:
    """Whether a recorded position belongs to this log (`end`, the archive's LogEnd) and is within it:
    a position of another log (a restored or migrated home) or past its end is not."""
    return applied is not None and applied.log == end.log and applied.position <= end.position


def read(folder: Path) -> Applied | None:
    try:
        data = json.loads((Path(folder) / POSITION_FILE).read_text(encoding="utf-8"))
        return Applied(str(data["log"]), int(data["position"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(folder: Path, applied: Applied) -> None:
    folder = Path(folder)
    temp = folder / f".{POSITION_FILE}.{os.getpid()}"
    try:
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump({"log": applied.log, "position": applied.position}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, folder / POSITION_FILE)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def following(folder: Path, *, wait: bool) -> Iterator[bool]:
    """The right to apply changes to the index (one process at a time). Yields False, at once,
    when another process holds it and `wait` is false; the kernel drops it if its holder dies."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / FOLLOW_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock

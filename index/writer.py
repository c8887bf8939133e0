"""One writer at a time: Whoosh's write lock, taken in turn.

Whoosh refuses a second writer at once (LockError) instead of waiting. Several clerks
issue at the same moment from separate processes, and a writer that merely retried would
lose again and again to the one that just finished (measured: 4.9 s worst wait with 4
issuing processes). So the processes that add documents first queue on a file lock the
kernel hands over in turn, as the archive's writers do (archive.home), and only then ask
Whoosh, retrying with backoff until a deadline for the one writer outside the queue: a
rebuild, which holds the lock for its whole run. Both locks are fcntl locks on files in
the index folder: a process that dies holding one releases it.
"""

from __future__ import annotations

import fcntl
import os
import random
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Iterator

from whoosh.index import FileIndex, LockError
from whoosh.writing import CLEAR, IndexWriter

from .store import SearchIndexError

# An issue holds the lock for well under a second; a rebuild holds it for its whole run.
WAIT_S = 120.0
FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.5
QUEUE_LOCK = ".writers.lock"


class IndexBusy(SearchIndexError):
    """The index stayed locked past the deadline."""


def acquire(ix: FileIndex, *, timeout: float = WAIT_S, **options: Any) -> IndexWriter:
    deadline = time.monotonic() + timeout
    pause = FIRST_PAUSE_S
    while True:
        try:
            return ix.writer(**options)
        except LockError:
            now = time.monotonic()
            if now >= deadline:
                raise IndexBusy(f"the search index stayed locked by another writer for {timeout:.0f} s "
                                "(a rebuild running?); try again, or run `docgen index check` later") from None
            time.sleep(min(pause * random.uniform(0.5, 1.5), deadline - now))
            pause = min(pause * 2, LONGEST_PAUSE_S)


@contextmanager
def in_turn(folder: str | os.PathLike) -> Iterator[None]:
    """Wait for this process's turn among the index's writers (the kernel queues them)."""
    fd = os.open(Path(folder) / QUEUE_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def writing(ix: FileIndex, *, timeout: float = WAIT_S, clear: bool = False, **options: Any) -> Iterator[IndexWriter]:
    """A writer holding the lock; committed when the block ends, cancelled if it raises.
    With `clear`, the commit replaces everything the index held (a rebuild), and the
    rebuild does not queue behind issuers: they wait for it, up to their deadline."""
    with nullcontext() if clear else in_turn(ix.storage.folder):
        writer = acquire(ix, timeout=timeout, **options)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        try:
            writer.commit(mergetype=CLEAR) if clear else writer.commit()
        except BaseException:
            _give_up(writer)  # a failed commit (a full disk) keeps Whoosh's lock unless released
            raise


def _give_up(writer: IndexWriter) -> None:
    if getattr(writer, "is_closed", True):
        return
    try:
        writer.cancel()
    except Exception:  # cancelling writes too, and the disk may still be full: release the lock at least
        if getattr(writer, "writelock", None):
            writer.writelock.release()

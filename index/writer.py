"""One writer at a time: Tantivy's write lock, taken in turn.

Tantivy refuses a second writer at once (LockBusy) instead of waiting. Several clerks
issue at the same moment from separate processes, and a writer that merely retried would
lose again and again to the one that just finished (measured with Whoosh, which behaves the
same: 4.9 s worst wait with 4 issuing processes). So the processes that add documents first
queue on a file lock the kernel hands over in turn, as the archive's writers do
(archive.home), and only then ask Tantivy, retrying with backoff until a deadline for the one
writer outside the queue: a rebuild, which holds the lock for its whole run. Both locks are
released by the kernel when a process holding one dies.
"""

from __future__ import annotations

import fcntl
import os
import random
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

import tantivy

from .store import SearchIndexError

# An issue holds the lock for well under a second; a rebuild holds it for its whole run.
WAIT_S = 120.0
FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.5
QUEUE_LOCK = ".writers.lock"
# Memory for documents not yet written out: a few documents at a time for puts, more for a rebuild.
PUT_HEAP = 20_000_000
REBUILD_HEAP = 200_000_000


class IndexBusy(SearchIndexError):
    """The index stayed locked past the deadline."""


def acquire(ix: tantivy.Index, *, timeout: float = WAIT_S, heap_size: int = PUT_HEAP,
            num_threads: int = 1) -> tantivy.IndexWriter:
    deadline = time.monotonic() + timeout
    pause = FIRST_PAUSE_S
    while True:
        try:
            return ix.writer(heap_size=heap_size, num_threads=num_threads)
        except ValueError as exc:
            if "LockBusy" not in str(exc):
                raise
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
def writing(ix: tantivy.Index, folder: Path, *, timeout: float = WAIT_S,
            rebuild: bool = False) -> Iterator[tantivy.IndexWriter]:
    """A writer holding the lock; committed when the block ends, rolled back if it raises.
    A rebuild does not queue behind issuers: they wait for it, up to their deadline. The
    writer waits for the merges its commit started, so segments do not pile up one per issue."""
    with nullcontext() if rebuild else in_turn(folder):
        writer = acquire(ix, timeout=timeout, heap_size=REBUILD_HEAP if rebuild else PUT_HEAP,
                         num_threads=min(os.cpu_count() or 1, 4) if rebuild else 1)
        try:
            yield writer
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()  # releases Tantivy's lock
            raise
        try:
            writer.commit()
        except BaseException:
            _give_up(writer)  # a failed commit (a full disk) must not keep Tantivy's lock
            raise
        writer.wait_merging_threads()
    ix.reload()


def _give_up(writer: tantivy.IndexWriter) -> None:
    try:
        writer.rollback()
    except Exception:  # rolling back writes too, and the disk may still be full
        pass
    try:
        writer.wait_merging_threads()  # releases Tantivy's lock
    except Exception:
        pass

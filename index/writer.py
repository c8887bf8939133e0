"""One writer at a time: Whoosh's write lock, waited for with backoff.

Whoosh refuses a second writer at once (LockError) instead of waiting. Several clerks
issue at the same moment from separate processes, so a writer that finds the lock taken
sleeps and tries again, doubling the pause (with jitter, so waiting processes do not
retry in step) up to a ceiling, until a deadline. The lock is an fcntl lock on a file in
the index folder: a process that dies holding it releases it.
"""

from __future__ import annotations

import random
import time
from contextlib import contextmanager
from typing import Any, Iterator

from whoosh.index import FileIndex, LockError
from whoosh.writing import CLEAR, IndexWriter

from .store import SearchIndexError

# An issue holds the lock for well under a second; a rebuild holds it for its whole run.
WAIT_S = 120.0
FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.5


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
def writing(ix: FileIndex, *, timeout: float = WAIT_S, clear: bool = False, **options: Any) -> Iterator[IndexWriter]:
    """A writer holding the lock; committed when the block ends, cancelled if it raises.
    With `clear`, the commit replaces everything the index held (a rebuild)."""
    writer = acquire(ix, timeout=timeout, **options)
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    if clear:
        writer.commit(mergetype=CLEAR)
    else:
        writer.commit()

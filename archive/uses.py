"""The audit rows of what users do that changes nothing: a search, a view, a download, a login.

A reader must not wait behind a clerk's issue for the archive's write lock. So such a row is
written at once when no writer holds the archive, and otherwise queued and written, with all
that was queued meanwhile, in one transaction by a thread of this process as soon as the lock
is free (and at exit). Nor does a reader wait for the disk: these rows are committed without
fsync (SQLite's synchronous=NORMAL in WAL mode, PostgreSQL's synchronous_commit=off), and become durable with the next change's
commit (which syncs the log they are in) or checkpoint. A crash of the process loses at most
the rows still queued; a power cut, the rows of reads since the last change. Every change
(issue, revoke, users, tokens) is audited in its own transaction, synced, as before.
"""

from __future__ import annotations

import atexit
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import audit
from .database import Database
from .errors import WritersBusy
from .home import Archive

MAX_QUEUED = 10_000  # past it (the archive cannot be written for long), the oldest rows are dropped, said on stderr
RETRY_S = 1.0

_queues: dict[Path, "_Queue"] = {}
_queues_guard = threading.Lock()


def record_use(archive: Archive, actor: str, action: str, **detail) -> None:
    """Audit what a user did that changes nothing; the row is in the trail at once or within moments."""
    queue = _queues.get(archive.home)
    if queue is None or not queue.rows:  # behind queued rows it waits its turn: the trail keeps their order
        try:
            with _unsynced(archive.db), archive.writing(wait=False) as db:
                audit.record(db, action, actor, **detail)
            return
        except WritersBusy:
            pass
    _queue_of(archive.home).put((actor, action, detail))


def flush_uses() -> None:
    """Write every queued row now (at exit; a test that reads the trail)."""
    for queue in list(_queues.values()):
        queue.flush()


@contextmanager
def _unsynced(db: Database) -> Iterator[None]:
    if db.kind == "sqlite":
        on, off = "PRAGMA synchronous = NORMAL", "PRAGMA synchronous = FULL"  # FULL: as archive/database.py
    else:  # the commit answers before its WAL record is flushed, as above
        on, off = "SET synchronous_commit = off", "RESET synchronous_commit"
    db.execute(on)
    try:
        yield
    finally:
        db.execute(off)


def _queue_of(home: Path) -> "_Queue":
    with _queues_guard:
        if home not in _queues:
            _queues[home] = _Queue(home)
        return _queues[home]


class _Queue:
    def __init__(self, home: Path):
        self.home = home
        self.rows: list[tuple[str, str, dict]] = []
        self.guard = threading.Lock()  # the list
        self.flushing = threading.Lock()  # one flush at a time (the thread's, or one at exit)
        self.wake = threading.Event()
        self.archive: Archive | None = None
        threading.Thread(target=self._run, name="docgen-audit-uses", daemon=True).start()

    def put(self, row: tuple[str, str, dict]) -> None:
        with self.guard:
            self.rows.append(row)
            if len(self.rows) > MAX_QUEUED:
                del self.rows[0]
                print(f"docgen: {self.home}: the audit trail cannot be written; a queued row of what a user "
                      "viewed was dropped", file=sys.stderr)
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            self.wake.clear()
            try:
                self.flush()
            except Exception as exc:  # a full disk, a locked database: the rows stay queued
                print(f"docgen: {self.home}: queued audit rows not written yet ({exc})", file=sys.stderr)
                time.sleep(RETRY_S)
                self.wake.set()

    def flush(self) -> None:
        with self.flushing:
            if not self.rows:
                return
            if self.archive is None:
                self.archive = Archive.open(self.home, handed_between_threads=True)
            rows: list[tuple[str, str, dict]] = []
            try:
                with _unsynced(self.archive.db), self.archive.writing() as db:
                    with self.guard:
                        rows, self.rows = self.rows, []
                    for actor, action, detail in rows:
                        audit.record(db, action, actor, **detail)
            except BaseException:
                with self.guard:
                    self.rows[:0] = rows
                raise


atexit.register(flush_uses)

"""The index follows the archive's change log: before it answers, it applies the changes
recorded since the last one it applied (one query when there are none).

Only one process applies changes at a time. A search that finds another process applying
them does not wait: it answers from the index as it stands and says how many changes are
not searchable yet. An index with nothing to trust (none yet, a restored home, the log of
another home) is reconciled with the archive from zero: what differs is indexed, by
fingerprint, so an index that is nearly right costs little. A restore or a migration in the
log does the same, since it may change any document.

In the web service a Follower thread applies the changes moments after they are committed,
and searches answer from the index as it stands (at most one round of the follower behind)
without applying anything: a reader does not pay for a clerk's issue.

    from archive import Archive
    from index import catch_up, search_archive

    with Archive.open("docgen-data") as archive:
        results = search_archive(archive, "quyet dinh khen thuong")
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import DocgenError

from . import position
from .maintenance import BATCH, Progress, index_documents, rebuild_holding_lock, reconcile
from .search import SearchResults
from .searchindex import SearchIndex
from .store import SearchIndexError, index_folder

@dataclass
class CatchUp:
    applied: int = 0  # changes applied by this call
    pending: int = 0  # changes still not applied
    position: int = 0  # the last change the index has applied
    notices: list[str] = field(default_factory=list)


def pending(archive) -> int:
    """How many changes of the archive's log the index has not applied."""
    return _pending(archive.change_log_end(), position.read(index_folder(archive.home)))


def _pending(end, applied: position.Applied | None) -> int:
    return end.position - applied.position if position.trusted(applied, end) else end.position


def catch_up(archive, *, wait: bool = False, progress: Progress | None = None) -> CatchUp:
    """Apply the changes recorded since the last one applied. Without `wait`, returns at once
    (with the number still pending) when another process is applying them."""
    folder = index_folder(archive.home)
    end = archive.change_log_end()
    applied = position.read(folder)
    if applied is not None and applied.log == end.log and applied.position == end.position:
        return CatchUp(position=end.position)
    with position.following(folder, wait=wait) as ours:
        if not ours:
            waiting = _pending(end, applied)
            return CatchUp(pending=waiting, notices=[
                f"{waiting} change(s) to the archive are not searchable yet: another process is updating the "
                "search index; this answer is from the index as it stands"])
        return _apply(archive, progress)


def _apply(archive, progress: Progress | None) -> CatchUp:
    folder = index_folder(archive.home)
    end = archive.change_log_end()
    applied = position.read(folder)  # another process may have applied changes while we waited
    try:
        search_index = SearchIndex.of_archive(archive, create_missing=False)
    except SearchIndexError:  # none yet, or of another version: start from zero
        rebuild_holding_lock(archive, progress=progress)
        return CatchUp(applied=end.position - (applied.position if applied else 0), position=end.position)
    if not position.trusted(applied, end):
        applied = _from_zero(archive, search_index, progress)
    total, done = end.position - applied.position, 0
    while changes := archive.changes_since(applied.position, BATCH):
        if any(change.key is None for change in changes):  # a restore, a migration
            applied = _from_zero(archive, search_index, progress)
            continue
        index_documents(archive, [change.key for change in changes], search_index)
        applied = position.Applied(applied.log, changes[-1].position)
        position.write(folder, applied)
        done += len(changes)
        if progress:
            progress(done, max(total, done))
    return CatchUp(applied=done, position=applied.position)


def _from_zero(archive, search_index: SearchIndex, progress: Progress | None) -> position.Applied:
    end = archive.change_log_end()  # read first: the documents read next are at least this recent
    reconcile(archive, search_index, progress=progress)
    applied = position.Applied(end.log, end.position)
    position.write(index_folder(archive.home), applied)
    return applied


def catch_up_or_notice(archive, *, progress: Progress | None = None) -> CatchUp:
    """catch_up; when it cannot (a full disk, an unreadable archive), a notice saying why: the
    index stays as it is and the next search tries again."""
    try:
        return catch_up(archive, progress=progress)
    except (OSError, DocgenError) as exc:
        return CatchUp(notices=[f"the search index could not be brought up to date ({exc}); it answers as it "
                                "stands and the next search tries again"])


def search_archive(archive, text: str, *, progress: Progress | None = None, **options) -> SearchResults:
    """Search the archive (options as SearchIndex.search) once the index has caught up with it.
    When it cannot catch up (another process is at it, a full disk), the answer comes from the
    index as it stands, with a notice saying so. While a Follower of this process keeps the
    index up, the index as it stands is the answer."""
    follower = _followers.get(archive.home)
    if follower is not None and follower.keeping_up():
        state = CatchUp()
    else:
        state = catch_up_or_notice(archive, progress=progress)
    results = SearchIndex.of_archive(archive).search(text, **options)
    results.notices.extend(state.notices)
    return results


FOLLOW_S = 0.1  # how often the follower looks at the change log (one query when nothing is new)
STALE_S = 5.0  # a follower without a round done for this long is not trusted: searches catch up again
_followers: dict[Path, "Follower"] = {}


class Follower:
    """Applies an archive's changes to its index from a thread of this process, as they come:
    `with Follower(home): ...` (the web service, for as long as it serves)."""

    def __init__(self, home: str | Path, *, every: float = FOLLOW_S):
        self.home = Path(home).absolute()
        self.every = every
        self.last_round = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="docgen-index-follower", daemon=True)

    def __enter__(self) -> "Follower":
        self._thread.start()
        _followers[self.home] = self
        return self

    def __exit__(self, *exc) -> None:
        _followers.pop(self.home, None)
        self._stop.set()
        self._thread.join()

    def keeping_up(self) -> bool:
        return self._thread.is_alive() and time.monotonic() - self.last_round < STALE_S

    def _run(self) -> None:
        from archive import Archive

        archive = None
        while not self._stop.wait(self.every):
            try:
                archive = archive or Archive.open(self.home)
                if not catch_up_or_notice(archive).notices:  # another process applying: it keeps the index
                    self.last_round = time.monotonic()
            except Exception as exc:  # searches catch up themselves until it works again
                print(f"docgen: {self.home}: the search index follower: {exc}", file=sys.stderr)
        if archive is not None:
            archive.close()

"""The index against the archive: a rebuild from zero, a reconciliation that fixes only what
differs, and a check that compares both the position applied with the archive's change log
and the stored entries with the archive's documents.

The archive's register is the truth and the index follows its change log (index/follow.py):
`issue` never touches the index. A rebuild that fails (a full disk) removes what it wrote
and says why; the archive is not touched by it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from docgen import disk

from . import position
from .searchindex import SearchIndex, reusable
from .source import ArchiveSource
from .store import SearchIndexError, exists, index_folder

Progress = Callable[[int, int], None]
# Entries (or changes) per engine commit, when reconciling or catching up: what a killed run has
# committed stays done, and the position is written after each commit.
BATCH = 200


def index_documents(archive, keys: list[str], search_index: SearchIndex | None = None) -> int:
    """(Re)index the named documents (`12` issued, `i3` imported) in `search_index` (default: the
    archive's, opened here); those the archive no longer holds are removed from the index."""
    from archive import ArchiveError

    search_index = search_index or SearchIndex.of_archive(archive)
    source = ArchiveSource(archive)
    entries, gone = [], []
    for key in dict.fromkeys(keys):
        try:
            entries.append(source.entry(key))
        except ArchiveError:
            gone.append(key)
    count = search_index.put(entries) if entries else 0
    if gone:
        search_index.remove(gone)
    return count


def rebuild(archive, *, progress: Progress | None = None) -> int:
    """Recreate the whole index from the archive's records; returns how many were indexed."""
    folder = index_folder(archive.home)
    with position.following(folder, wait=True):
        return rebuild_holding_lock(archive, progress=progress)


def rebuild_holding_lock(archive, *, progress: Progress | None = None) -> int:
    folder = index_folder(archive.home)
    end = archive.change_log_end()  # read first: the entries read next are at least this recent
    source = ArchiveSource(archive)
    keys = list(source.fingerprints())
    total = len(keys)
    before = _files(folder)
    try:
        # Until the engine commits, the old index and its position stand (a killed rebuild loses nothing).
        search_index = reusable(folder)
        if progress:
            progress(0, total)
        count = search_index.replace_all(source.entries(keys), progress=(lambda done: progress(done, total))
                                         if progress else None)
        position.write(folder, position.Applied(end.log, end.position))
    except (OSError, SearchIndexError, ValueError, RuntimeError) as exc:
        if not disk.is_full(folder, exc):
            raise
        _remove_new_files(folder, before)
        raise SearchIndexError(f"{folder}: the index was not rebuilt: {disk.full_message(folder)}; the partial "
                               "index files were removed and the archive itself is intact") from exc
    return count


def _files(folder: Path) -> set[Path]:
    return {path for path in Path(folder).rglob("*") if path.is_file()} if Path(folder).exists() else set()


def _remove_new_files(folder: Path, before: set[Path]) -> None:
    """What a failed rebuild wrote (only this process writes the index while it holds the lock)."""
    for path in _files(folder) - before:
        if not path.name.endswith(".lock"):
            path.unlink(missing_ok=True)
    for path in sorted((p for p in Path(folder).rglob("*") if p.is_dir()), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()


def reconcile(archive, search_index: SearchIndex, *, progress: Progress | None = None) -> int:
    """Make the index hold exactly the archive's documents, indexing only what differs (by
    fingerprint), BATCH entries a commit; returns how many entries were written or removed."""
    source = ArchiveSource(archive)
    wanted = source.fingerprints()
    indexed = search_index.fingerprints()
    changed = [key for key, print_ in wanted.items() if indexed.get(key) != print_]
    orphaned = [key for key in indexed if key not in wanted]
    total, done = len(changed) + len(orphaned), 0
    for batch in _batches(changed, BATCH):
        search_index.put(source.entries(batch))
        done += len(batch)
        if progress:
            progress(done, total)
    if orphaned:
        search_index.remove(orphaned)
        done += len(orphaned)
        if progress:
            progress(done, total)
    return done


def _batches(items: Iterable[str], size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass
class CheckReport:
    documents: int = 0
    indexed: int = 0
    applied: int = 0  # the last change of the archive's log the index has applied
    log_end: int = 0  # the last change in the log
    pending: int = 0  # changes not applied yet: the next search (or `docgen index update`) applies them
    missing: list[str] = field(default_factory=list)  # in the archive, not in the index
    stale: list[str] = field(default_factory=list)  # indexed, but the document changed since
    orphaned: list[str] = field(default_factory=list)  # in the index, not in the archive

    @property
    def ok(self) -> bool:
        """No entry differs from the archive except where a pending change explains it."""
        return not (self.missing or self.stale or self.orphaned)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, **asdict(self)}


def check(archive) -> CheckReport:
    """Compare the applied position with the log's end, and the stored entries with the archive.
    A difference that a pending change explains is reported as pending, not as a problem."""
    folder = index_folder(archive.home)
    end = archive.change_log_end()
    wanted = ArchiveSource(archive).fingerprints()
    report = CheckReport(documents=len(wanted), log_end=end.position)
    applied = position.read(folder)
    trusted = position.trusted(applied, end) and exists(folder)
    report.applied = applied.position if trusted else 0
    report.pending = end.position - report.applied
    if not exists(folder):
        return report  # nothing indexed yet: every change is pending
    indexed = SearchIndex(folder).fingerprints()
    report.indexed = len(indexed)
    explained: set[str] | None = set()  # None: the whole archive may differ (nothing trusted, a restore)
    if not trusted:
        explained = None
    else:
        for change in _all_since(archive, report.applied):
            if change.key is None:
                explained = None
                break
            explained.add(change.key)
    if explained is None:
        return report

    def unexplained(keys):
        return sorted((k for k in keys if k not in explained), key=_order)

    report.missing = unexplained(k for k in wanted if k not in indexed)
    report.stale = unexplained(k for k in wanted if k in indexed and indexed[k] != wanted[k])
    report.orphaned = unexplained(k for k in indexed if k not in wanted)
    return report


def _all_since(archive, start: int):
    while changes := archive.changes_since(start, 1000):
        yield from changes
        start = changes[-1].position


def _order(key: str) -> tuple[int, int]:
    return (1, int(key[1:])) if key.startswith("i") else (0, int(key))

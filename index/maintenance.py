"""Keeping the index in step with the archive: after each issue or change, a full rebuild,
and a check that lists what the index lacks or holds out of date.

The archive's register is the truth. Indexing after an issue happens after the archive
committed; if it fails the document stays issued and `check` reports the gap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from .searchindex import SearchIndex, reusable
from .source import ArchiveSource
from .store import exists


class ArchiveIndexer:
    """The archive's Indexer: told of each issued or changed document, it (re)indexes it.

    The document is read from the archive while the index's write lock is held, so when
    two processes change the same document the last one to write indexes its latest state."""

    def document_changed(self, archive, document_id: int | str) -> None:
        index_documents(archive, [str(document_id)])


def index_documents(archive, keys: list[str]) -> int:
    """(Re)index the named documents (`12` issued, `i3` imported)."""
    search_index = SearchIndex.of_archive(archive)
    source = ArchiveSource(archive)
    return search_index.put(source.entry(key) for key in keys)


def rebuild(archive, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Recreate the whole index from the archive's records; returns how many were indexed."""
    folder = archive.home / "index"
    source = ArchiveSource(archive)
    search_index = reusable(folder)
    keys = list(source.fingerprints())
    total = len(keys)
    if progress:
        progress(0, total)
    return search_index.replace_all(source.entries(keys), progress=(lambda done: progress(done, total))
                                    if progress else None)


@dataclass
class CheckReport:
    documents: int = 0
    indexed: int = 0
    missing: list[str] = field(default_factory=list)  # in the archive, not in the index
    stale: list[str] = field(default_factory=list)  # indexed, but the document changed since
    orphaned: list[str] = field(default_factory=list)  # in the index, not in the archive
    problem: str | None = None  # no usable index at all

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.orphaned or self.problem)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, **asdict(self)}


def check(archive) -> CheckReport:
    wanted = ArchiveSource(archive).fingerprints()
    report = CheckReport(documents=len(wanted))
    folder = archive.home / "index"
    if not exists(folder):
        report.problem = "there is no usable search index: run `docgen index rebuild`"
        report.missing = sorted(wanted, key=_order)
        return report
    indexed = SearchIndex(folder).fingerprints()
    report.indexed = len(indexed)
    report.missing = sorted((k for k in wanted if k not in indexed), key=_order)
    report.stale = sorted((k for k in wanted if k in indexed and indexed[k] != wanted[k]), key=_order)
    report.orphaned = sorted((k for k in indexed if k not in wanted), key=_order)
    return report


def _order(key: str) -> tuple[int, int]:
    return (1, int(key[1:])) if key.startswith("i") else (0, int(key))

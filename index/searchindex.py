"""One search index on disk: adding and replacing entries under the write lock, searching."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from . import store
from .schema import Entry, document_fields
from .search import Filters, SearchResults, search
from .writer import WAIT_S, writing

Progress = Callable[[int], None]


class SearchIndex:
    def __init__(self, folder: str | Path, *, create_missing: bool = True):
        self.folder = Path(folder)
        self.ix: FileIndex = store.open_index(self.folder, create_missing=create_missing)
        self._searcher: Searcher | None = None

    @classmethod
    def of_archive(cls, archive, *, create_missing: bool = True) -> "SearchIndex":
        """The index of an archive home (HOME/index/)."""
        return cls(archive.home / "index", create_missing=create_missing)

    def put(self, entries: Iterable[Entry], *, timeout: float = WAIT_S) -> int:
        """Add or replace entries (by key), in one commit."""
        count = 0
        with writing(self.ix, timeout=timeout) as writer:
            for entry in entries:
                writer.update_document(**document_fields(entry))
                count += 1
        return count

    def remove(self, keys: Iterable[str], *, timeout: float = WAIT_S) -> None:
        with writing(self.ix, timeout=timeout) as writer:
            for key in keys:
                writer.delete_by_term("key", key)

    def replace_all(self, entries: Iterable[Entry], *, progress: Progress | None = None,
                    timeout: float = WAIT_S, limitmb: int = 128, procs: int = 1) -> int:
        """Everything the index holds replaced by `entries`, in one commit: searchers see the
        old index until then, and writers (issuers) wait for the lock meanwhile."""
        count = 0
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        with writing(self.ix, timeout=timeout, clear=True, limitmb=limitmb, **options) as writer:
            for entry in entries:
                writer.add_document(**document_fields(entry))
                count += 1
                if progress:
                    progress(count)
        self.ix = store.open_index(self.folder)
        self.close()
        return count

    def fingerprints(self) -> dict[str, str]:
        """Every indexed key with the fingerprint it was indexed with."""
        with self.ix.searcher() as searcher:
            return {fields["key"]: (fields.get("meta") or {}).get("fingerprint", "")
                    for fields in searcher.all_stored_fields()}

    def count(self) -> int:
        return self.ix.doc_count()

    def search(self, text: str, *, filters: Filters | None = None, sort: str = "relevance", limit: int = 20,
               include_secret: bool = False, snippets: bool = True) -> SearchResults:
        return search(self.searcher(), text, filters=filters, sort=sort, limit=limit,
                      include_secret=include_secret, snippets=snippets)

    def searcher(self) -> Searcher:
        """One searcher kept open and refreshed when the index changed: opening one reads every
        segment's files and columns, a large share of a query's time when done each time."""
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


def fresh(folder: str | Path) -> SearchIndex:
    """An empty index in `folder`, whatever was there (another schema version, a damaged index)."""
    folder = Path(folder)
    if folder.exists():
        for path in folder.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            elif not path.name.endswith(".lock"):  # lock files others may hold open stay
                path.unlink()
    store.create(folder)
    return SearchIndex(folder)

"""One search index on disk: adding and replacing entries under the write lock, searching."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import tantivy

from . import store
from .schema import Entry, document
from .search import Filters, SearchResults, search
from .writer import WAIT_S, writing

Progress = Callable[[int], None]


class SearchIndex:
    def __init__(self, folder: str | Path, *, create_missing: bool = True):
        self.folder = Path(folder)
        self.ix: tantivy.Index = store.open_index(self.folder, create_missing=create_missing)

    @classmethod
    def of_archive(cls, archive, *, create_missing: bool = True) -> "SearchIndex":
        """The index of an archive home (DOCGEN_INDEX, else HOME/index/)."""
        return cls(store.index_folder(archive.home), create_missing=create_missing)

    def put(self, entries: Iterable[Entry], *, timeout: float = WAIT_S) -> int:
        """Add or replace entries (by key), in one commit."""
        count = 0
        with writing(self.ix, self.folder, timeout=timeout) as writer:
            for entry in entries:
                writer.delete_documents_by_term("key", entry.key)
                writer.add_document(document(entry))
                count += 1
        return count

    def remove(self, keys: Iterable[str], *, timeout: float = WAIT_S) -> None:
        with writing(self.ix, self.folder, timeout=timeout) as writer:
            for key in keys:
                writer.delete_documents_by_term("key", key)

    def replace_all(self, entries: Iterable[Entry], *, progress: Progress | None = None,
                    timeout: float = WAIT_S) -> int:
        """Everything the index holds replaced by `entries`, in one commit: searchers see the
        old index until then, and writers (issuers) wait for the lock meanwhile."""
        count = 0
        with writing(self.ix, self.folder, timeout=timeout, rebuild=True) as writer:
            writer.delete_all_documents()
            for entry in entries:
                writer.add_document(document(entry))
                count += 1
                if progress:
                    progress(count)
        return count

    def fingerprints(self) -> dict[str, str]:
        """Every indexed key with the fingerprint it was indexed with (read from the terms, not the documents)."""
        terms = self.searcher().terms_with_prefix("keyprint", "", filter_query=tantivy.Query.all_query())
        return dict(term.split(" ", 1) for term, _ in terms)

    def count(self) -> int:
        return self.searcher().num_docs

    def search(self, text: str, *, filters: Filters | None = None, sort: str = "relevance", limit: int = 20,
               offset: int = 0, include_secret: bool = False, snippets: bool = True) -> SearchResults:
        return search(self.searcher(), self.ix.schema, text, filters=filters, sort=sort, limit=limit, offset=offset,
                      include_secret=include_secret, snippets=snippets)

    def searcher(self) -> tantivy.Searcher:
        """A searcher of the latest commit (another process may have written since)."""
        self.ix.reload()
        return self.ix.searcher()


def fresh(folder: str | Path) -> SearchIndex:
    """An empty index in `folder`, whatever was there (another engine or schema version, a damaged index)."""
    folder = Path(folder)
    if folder.exists():
        for path in folder.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            elif not path.name.endswith(".lock"):  # lock files others may hold open stay
                path.unlink()
    store.create(folder)
    return SearchIndex(folder)


def reusable(folder: str | Path) -> SearchIndex:
    """The index in `folder` to refill, or a new, empty one when it cannot be used (none, another
    engine or schema version, damaged)."""
    try:
        return SearchIndex(folder)
    except store.SearchIndexError:
        return fresh(folder)

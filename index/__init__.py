"""Vietnamese full-text search of the archive (Tantivy), and importing documents issued elsewhere.

    from archive import Archive
    from index import Filters, check, import_files, search_archive

    with Archive.open("docgen-data") as archive:
        results = search_archive(archive, "quyet dinh khen thuong", filters=Filters(year=2025))
        for hit in results.hits:
            print(hit.rank, hit.number_symbol, hit.subject)
        assert check(archive).ok

The index lives in HOME/index/ (or DOCGEN_INDEX: a node's own) and is derived: it follows the archive's change log (`catch_up`,
done by `search_archive` before it answers), and `rebuild` recreates it from the archive.
"""

from typing import TYPE_CHECKING

from docgen.lazy import lazy_attributes

if TYPE_CHECKING:
    from .analysis import fold, symbol_key
    from .extract import ExtractError, Extracted, extract, extract_files
    from .importer import ImportReport, import_files, parse_overrides
    from .follow import CatchUp, catch_up, pending, search_archive
    from .maintenance import CheckReport, check, index_documents, rebuild
    from .recognize import Recognized, recognize
    from .schema import Entry
    from .search import Filters, Hit, SearchResults
    from .searchindex import SearchIndex
    from .store import SearchIndexError, index_folder
    from .writer import IndexBusy

LAZY = {
    "fold": "analysis", "symbol_key": "analysis", "ExtractError": "extract", "Extracted": "extract",
    "extract": "extract", "extract_files": "extract", "ImportReport": "importer", "import_files": "importer",
    "parse_overrides": "importer", "CatchUp": "follow", "catch_up": "follow", "pending": "follow",
    "search_archive": "follow", "CheckReport": "maintenance",
    "check": "maintenance", "index_documents": "maintenance", "rebuild": "maintenance",
    "Recognized": "recognize", "recognize": "recognize", "Entry": "schema", "Filters": "search", "Hit": "search",
    "SearchResults": "search", "SearchIndex": "searchindex", "SearchIndexError": "store",
    "index_folder": "store", "IndexBusy": "writer",
}

__getattr__ = lazy_attributes(__name__, LAZY, like_modules=frozenset({"extract", "recognize"}))

__all__ = [
    "CatchUp", "CheckReport", "Entry", "ExtractError", "Extracted", "Filters", "Hit", "ImportReport",
    "IndexBusy", "Recognized", "SearchIndex", "SearchIndexError", "SearchResults", "check", "extract",
    "extract_files", "fold", "index_folder",
    "catch_up", "import_files", "index_documents", "parse_overrides", "pending", "rebuild", "recognize",
    "search_archive", "symbol_key",
]

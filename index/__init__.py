"""Vietnamese full-text search of the archive (Tantivy), and importing documents issued elsewhere.

    from archive import Archive
    from index import SearchIndex, Filters, rebuild, check, import_files

    with Archive.open("docgen-data") as archive:
        results = SearchIndex.of_archive(archive).search("quyet dinh khen thuong", filters=Filters(year=2025))
        for hit in results.hits:
            print(hit.rank, hit.number_symbol, hit.subject)
        assert check(archive).ok

The index lives in HOME/index/ and is derived: `rebuild` recreates it from the archive.
"""

from .analysis import fold, symbol_key
from .extract import ExtractError, Extracted, extract, extract_files
from .importer import ImportReport, import_files, parse_overrides
from .maintenance import ArchiveIndexer, CheckReport, check, index_documents, rebuild
from .recognize import Recognized, recognize
from .schema import Entry
from .search import Filters, Hit, SearchResults
from .searchindex import SearchIndex
from .store import SearchIndexError
from .writer import IndexBusy

__all__ = [
    "ArchiveIndexer", "CheckReport", "Entry", "ExtractError", "Extracted", "Filters", "Hit", "ImportReport",
    "IndexBusy", "Recognized", "SearchIndex", "SearchIndexError", "SearchResults", "check", "extract",
    "extract_files", "fold",
    "import_files", "index_documents", "parse_overrides", "rebuild", "recognize", "symbol_key",
]

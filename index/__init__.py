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

import sys
from importlib import import_module
from types import ModuleType

# What each public name is imported from, when first used: `docgen search` needs the search
# modules only, not extraction, import and recognition (LibreOffice, lxml, the kinds).
_FROM = {
    "fold": "analysis", "symbol_key": "analysis",
    "ExtractError": "extract", "Extracted": "extract", "extract": "extract", "extract_files": "extract",
    "ImportReport": "importer", "import_files": "importer", "parse_overrides": "importer",
    "ArchiveIndexer": "maintenance", "CheckReport": "maintenance", "check": "maintenance",
    "index_documents": "maintenance", "rebuild": "maintenance",
    "Recognized": "recognize", "recognize": "recognize",
    "Entry": "schema", "Filters": "search", "Hit": "search", "SearchResults": "search",
    "SearchIndex": "searchindex", "SearchIndexError": "store", "IndexBusy": "writer",
}

__all__ = sorted(_FROM)


class _Package(ModuleType):
    def __setattr__(self, name: str, value) -> None:
        # `extract` and `recognize` name a module and its function: importing the module must not
        # replace the function the package exports.
        if name in _FROM and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_FROM[name]}", __name__), name)
    globals()[name] = value
    return value


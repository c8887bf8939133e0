"""Where the index lives (an archive home's index/ folder) and opening it.

The folder holds the Whoosh index and `version.json` naming the schema version it was
built with; an index of another version (or none) is reported, and `docgen index rebuild`
makes a new one.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from whoosh import index as whoosh_index
from whoosh.index import FileIndex

from docgen.errors import DocgenError

from .schema import SCHEMA_VERSION, build_schema

INDEX_NAME = "documents"
VERSION_FILE = "version.json"


class SearchIndexError(DocgenError):
    """The index cannot be used as asked (missing, of another version, busy): exit 2."""


@contextmanager
def _creation_lock(folder: Path) -> Iterator[None]:
    """Two processes finding no index must not both create one (the second would wipe the first)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".create.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def version_of(folder: Path) -> int | None:
    try:
        return json.loads((folder / VERSION_FILE).read_text(encoding="utf-8"))["schema_version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def exists(folder: Path) -> bool:
    return whoosh_index.exists_in(str(folder), indexname=INDEX_NAME) and version_of(folder) == SCHEMA_VERSION


def create(folder: Path) -> FileIndex:
    """A new, empty index in `folder` (which must not hold one being used)."""
    folder.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    _write_version(folder)
    return ix


def _write_version(folder: Path) -> None:
    temp = folder / f".{VERSION_FILE}.{os.getpid()}"
    temp.write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
    os.replace(temp, folder / VERSION_FILE)


def open_index(folder: Path, *, create_missing: bool = True) -> FileIndex:
    """The index in `folder`; created empty when there is none and `create_missing`."""
    folder = Path(folder)
    if exists(folder):
        return whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    if whoosh_index.exists_in(str(folder), indexname=INDEX_NAME):
        raise SearchIndexError(f"{folder}: the search index was made by another version of docgen "
                          f"(schema {version_of(folder)}, this one uses {SCHEMA_VERSION}): "
                          "run `docgen index rebuild`")
    if not create_missing:
        raise SearchIndexError(f"{folder}: there is no search index yet: run `docgen index rebuild`")
    with _creation_lock(folder):
        if exists(folder):
            return whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
        return create(folder)

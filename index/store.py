"""Where the index lives (DOCGEN_INDEX, else the archive home's index/ folder) and opening it.

Each app node of a home in server mode keeps its own index on a local disk (DOCGEN_INDEX) and
follows the change log in the shared database, so nodes never call one another.

The folder holds the Tantivy index and `version.json` naming the engine and the schema
version it was built with; an index of another version or engine (a Whoosh index of
docgen before schema 2) is reported, and `docgen index rebuild` makes a new one.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import tantivy

from docgen.errors import DocgenError

from .schema import ENGINE, SCHEMA_VERSION, analyzers, build_schema

VERSION_FILE = "version.json"
INDEX_ENV = "DOCGEN_INDEX"


class SearchIndexError(DocgenError):
    """The index cannot be used as asked (missing, of another version, busy): exit 2."""


def index_folder(home: str | os.PathLike) -> Path:
    """The folder of the search index of the archive home `home`: DOCGEN_INDEX when set (this
    node's own index, on a local disk), else HOME/index. It holds the text of secret documents:
    made, or kept, private (0700)."""
    chosen = os.environ.get(INDEX_ENV, "").strip()
    folder = Path(chosen).expanduser().absolute() if chosen else Path(home).absolute() / "index"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except OSError as exc:
        raise SearchIndexError(f"{folder}: cannot use it as the search index folder ({exc.strerror})"
                               + (f"; {INDEX_ENV} names it" if chosen else "")) from None
    return folder


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


def version_of(folder: Path) -> tuple[str, int] | None:
    """The engine and schema version the index in `folder` was made with (Whoosh's recorded no engine)."""
    try:
        recorded = json.loads((folder / VERSION_FILE).read_text(encoding="utf-8"))
        return recorded.get("engine", "whoosh"), int(recorded["schema_version"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def exists(folder: Path) -> bool:
    return version_of(folder) == (ENGINE, SCHEMA_VERSION) and tantivy.Index.exists(str(folder))


def _opened(ix: tantivy.Index) -> tantivy.Index:
    for name, analyzer in analyzers().items():
        ix.register_tokenizer(name, analyzer)
    return ix


def _open(folder: Path) -> tantivy.Index:
    try:
        return _opened(tantivy.Index.open(str(folder)))
    except ValueError as exc:  # Tantivy's word for a damaged or unreadable index
        raise SearchIndexError(f"{folder}: the search index cannot be read ({exc}): "
                               "run `docgen index rebuild`") from None


def create(folder: Path) -> tantivy.Index:
    """A new, empty index in `folder` (which must hold none)."""
    folder.mkdir(parents=True, exist_ok=True)
    ix = _opened(tantivy.Index(build_schema(), path=str(folder), reuse=False))
    temp = folder / f".{VERSION_FILE}.{os.getpid()}"
    temp.write_text(json.dumps({"engine": ENGINE, "schema_version": SCHEMA_VERSION}), encoding="utf-8")
    os.replace(temp, folder / VERSION_FILE)
    return ix


def open_index(folder: Path, *, create_missing: bool = True) -> tantivy.Index:
    """The index in `folder`; created empty when there is none and `create_missing`."""
    folder = Path(folder)
    if exists(folder):
        return _open(folder)
    recorded = version_of(folder)
    if recorded is not None or (folder / VERSION_FILE).exists():
        made = f"{recorded[0]}, schema {recorded[1]}" if recorded else "an unreadable version.json"
        raise SearchIndexError(f"{folder}: the search index was made by another version of docgen ({made}; this "
                               f"one uses {ENGINE}, schema {SCHEMA_VERSION}): run `docgen index rebuild`")
    if not create_missing:
        raise SearchIndexError(f"{folder}: there is no search index yet: run `docgen index rebuild`")
    with _creation_lock(folder):
        if exists(folder):
            return _open(folder)
        return create(folder)

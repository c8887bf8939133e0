"""Uploaded files on their way to the library: saved under names of our making, bounded, and the
library's messages told back with the names the user knows (not the server's temporary folder)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from fastapi import HTTPException, UploadFile

from docgen.errors import DataError, DocgenError
from docgen.limits import size_text

CHUNK = 1024 * 1024


def safe_name(name: str | None, default: str) -> str:
    """The last part of a client's file name, NFC, with only letters, digits, '.', '-' and '_' (at most
    100 characters, never hidden): a name for a file in a folder of ours, never a path."""
    base = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    base = re.sub(r"[^\w.-]+", "-", base).strip(".-")[-100:].lstrip(".-")
    return base or default


def save_upload(upload: UploadFile, folder: Path, default: str, limit: int, *, suffixes: tuple[str, ...] = ()) -> Path:
    """`upload` written to `folder` under its safe name (with a suffix of `suffixes`, else the first);
    413 naming it past `limit` bytes."""
    name = safe_name(upload.filename, default)
    if suffixes and Path(name).suffix.lower() not in suffixes:
        name += suffixes[0]
    path = folder / name
    written = 0
    with open(path, "wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise HTTPException(413, f"{name}: more than the {size_text(limit)} this file may have")
            out.write(chunk)
    return path


def as_uploaded(text: str, shown: dict[str, str]) -> str:
    """`text` with each temporary path of `shown` replaced by what the user uploaded it as."""
    for path, name in shown.items():
        text = text.replace(path, name)
    return text


def told_as_uploaded(exc: DocgenError, shown: dict[str, str]) -> DocgenError:
    """The library's error with the temporary paths taken out of its messages (as_uploaded)."""
    exc.args = tuple(as_uploaded(a, shown) if isinstance(a, str) else a for a in exc.args)
    if isinstance(exc, DataError):
        exc.source = as_uploaded(exc.source, shown)
        exc.problems = [as_uploaded(p, shown) for p in exc.problems]
    return exc

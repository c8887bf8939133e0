"""PDF through LibreOffice headless: one start for a whole batch of documents."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import ConversionError

INSTALL_HINT = ("LibreOffice is needed for PDF output and was not found: install it with "
                "`apt-get install libreoffice-writer-nogui fonts-liberation2` (or run `make demo` as root)")


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise ConversionError(INSTALL_HINT)


def _profile_root() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "docgen" / "libreoffice-profile"


@contextmanager
def _profile() -> Iterator[Path]:
    """A LibreOffice user profile for this batch.

    A profile already set up makes LibreOffice start several times faster, but two
    instances cannot share one; so take the cached profile when it is free, else a fresh one.
    """
    root = _profile_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = open(root.with_suffix(".lock"), "w")
    except OSError:
        lock = None
    if lock is not None:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            lock = None
    if lock is not None:
        try:
            yield root
        finally:
            lock.close()
        return
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as tmp:
        yield Path(tmp)


def convert_to_pdf(docx_files: list[str | Path], out_dir: str | Path | None = None,
                   timeout: float | None = None) -> list[Path]:
    """Convert every .docx to PDF with a single LibreOffice start.

    Each PDF is written next to its .docx (or into `out_dir`) with the same stem, and
    the list of PDF paths is returned in the input order.
    """
    sources = [Path(p).resolve() for p in docx_files]
    if not sources:
        return []
    for src in sources:
        if not src.is_file():
            raise ConversionError(f"{src}: file not found")
    soffice = find_soffice()
    targets = [(Path(out_dir) if out_dir else src.parent) / (src.stem + ".pdf") for src in sources]
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as tmp, _profile() as profile:
        work = Path(tmp)
        # Numbered copies: inputs from different folders may share a name.
        inputs = []
        for index, src in enumerate(sources):
            link = work / f"{index:05d}.docx"
            os.symlink(src, link)
            inputs.append(link)
        command = [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(work / "out"), *map(str, inputs)]
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=timeout or 60 + 10 * len(inputs))
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice did not finish converting {len(inputs)} file(s) in time") from None
        except OSError as exc:
            raise ConversionError(f"could not start LibreOffice ({soffice}): {exc}") from None
        for index, (src, target) in enumerate(zip(sources, targets)):
            produced = work / "out" / f"{index:05d}.pdf"
            if not produced.is_file():
                detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
                raise ConversionError(f"{src}: LibreOffice produced no PDF ({detail[0]})")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), target)
    return targets

"""`docgen import`: read files issued elsewhere, recognise their parts, store them (the index
follows the archive's change log, which records each import).

Each file is read, recognised and stored on its own: a file that cannot be read is
reported and skipped, and the rest are imported. `--set field=value` overrides what was
recognised (or fills what was not) for every file of the run; bad overrides stop the run
before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen import limits
from docgen.datafile import OneOf
from docgen.errors import DocgenError
from docgen.kinds import KINDS
from docgen.layout import SECRECY_MARKS, URGENCY_MARKS
from docgen.vietnamese import nfc, parse_date

from .extract import extract_files
from .recognize import recognize

# Files stored in one transaction (archive.importing.store_many): one commit for many, bounded so a
# batch of large scans does not hold the writers' lock long or keep much in memory.
STORE_BATCH = 64
STORE_BATCH_BYTES = 32 * limits.MB
MARKS = {"secrecy": OneOf(SECRECY_MARKS), "urgency": OneOf(URGENCY_MARKS)}
SETTABLE = ("kind", "type_name", "number_symbol", "subject", "date", "place", "agency", "parent_agency",
            "drafting_unit", "signer_name", "signer_title", "signing_authority", "secrecy", "urgency")


@dataclass
class ImportReport:
    imported: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)  # {"file", "reason"}
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"imported": self.imported, "skipped": self.skipped, "warnings": self.warnings}


def parse_overrides(pairs: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """`field=value` pairs, checked: the field is known and the value fits it."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name, value = name.strip(), nfc(value.strip())
        if not sep or not name:
            raise DocgenError(f"--set {pair!r}: expected field=value, e.g. --set kind=cong_van")
        if name not in SETTABLE:
            raise DocgenError(f"--set {name}: not a field that can be set (fields: {', '.join(SETTABLE)})")
        if len(value) > limits.DATA_FIELD_CHARS:
            raise DocgenError(f"--set {name}: {len(value):,} characters; a field may hold at most "
                              f"{limits.DATA_FIELD_CHARS:,}")
        if name == "date":
            try:
                overrides[name] = parse_date(value)
            except ValueError as exc:
                raise DocgenError(f"--set date={value}: {exc}") from None
        elif name == "kind" and value not in KINDS:
            raise DocgenError(f"--set kind={value}: not a document kind (kinds: {', '.join(KINDS)})")
        elif name in MARKS:
            overrides[name] = MARKS[name](value)
            if overrides[name] not in MARKS[name].values:
                raise DocgenError(f"--set {name}={value}: expected {MARKS[name].accepted}")
        else:
            overrides[name] = value
    if "number_symbol" in overrides:
        number, slash, symbol = overrides["number_symbol"].partition("/")
        if not slash or not number.strip().isdigit() or not symbol.strip() or len(number.strip()) > 9:
            raise DocgenError(f"--set number_symbol={overrides['number_symbol']}: expected NUMBER/SYMBOL, a number "
                              "of at most 9 digits, e.g. 1140/SGD&ĐT-VP")
        overrides["number"], overrides["symbol"] = int(number), symbol.strip()
    return overrides


def import_files(archive, paths: list[Path], *, overrides: dict[str, Any] | None = None, actor: str | None = None,
                 progress: Callable[..., None] | None = None, include_secret: bool = True) -> ImportReport:
    """Import `paths`; `progress(done, total)` follows the files, and `progress(done, total, label)`
    the pages of a scan being read by OCR. Without `include_secret` (a web user who may not see secret
    documents) a file marked MẬT, TỐI MẬT or TUYỆT MẬT is skipped: it would vanish from its importer's view."""
    from archive import ArchiveError
    from archive.importing import Incoming, store_many

    report = ImportReport()
    overrides = overrides or {}
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        _tick(progress, done, len(paths))

    def skip(path, reason: str) -> None:
        report.skipped.append({"file": path, "reason": reason})
        tick()

    batch: list[tuple[Path, Any, Incoming]] = []
    batch_bytes = 0

    def store_batch() -> None:
        try:
            stored = store_many(archive, [incoming for _, _, incoming in batch], actor=actor)
        except ArchiveError as exc:
            stored = [exc] * len(batch)
        for (path, extracted, _), record in zip(batch, stored):
            if isinstance(record, ArchiveError):
                skip(str(path), str(record))
                continue
            item = record.as_dict()
            item["file"] = str(path)
            item["ocr_pages"] = extracted.ocr_pages
            report.warnings.extend(f"{path}: {failure}: not read, imported without it" for failure in extracted.failed)
            report.imported.append(item)
            tick()
        batch.clear()

    refused = {path: reason for path in paths if (reason := refused_name(path))}
    for path in refused:
        skip(shown(path), refused[path])
    accepted = [path for path in paths if path not in refused]
    on_page = (lambda path, page, pages: progress(page, pages, f"OCR {path.name}")) if progress else None
    for path, extracted in extract_files(accepted, on_page=on_page):
        if isinstance(extracted, DocgenError):
            skip(str(path), str(extracted))
            continue
        found = recognize(extracted.text)
        metadata = {k: v for k, v in found.as_dict().items() if k not in ("missing",)}
        metadata.update(overrides)
        if isinstance(metadata.get("date"), dt.date):
            metadata["date"] = metadata["date"].isoformat()
        missing = [name for name in found.missing if not overrides.get(name)]
        if metadata.get("kind") in KINDS and not overrides.get("type_name") and not found.type_name:
            metadata["type_name"] = KINDS[metadata["kind"]].type_name or KINDS[metadata["kind"]].label
        if not include_secret and metadata.get("secrecy"):
            skip(str(path), f"{path}: marked {metadata['secrecy']}: only a user who may see secret documents "
                 "imports it; nothing was stored")
            continue
        batch.append((path, extracted, Incoming(path, metadata, extracted.text, extracted.format, extracted.legacy,
                                                missing)))
        batch_bytes += path.stat().st_size
        if len(batch) >= STORE_BATCH or batch_bytes >= STORE_BATCH_BYTES:
            store_batch()
            batch_bytes = 0
    if batch:
        store_batch()
    return report


def index_imported(archive, report: ImportReport, *, progress: Callable[..., None] | None = None) -> None:
    """Bring the search index up to date after an import that stored something, so the documents are
    found at once; when it cannot, the report warns why (the next search tries again)."""
    from .follow import catch_up_or_notice

    if report.imported:
        report.warnings += catch_up_or_notice(archive, progress=progress).notices


# Characters a file name may not have: controls (a newline forges a line of output, ESC drives the
# terminal), undecodable bytes, line and paragraph separators, and the bidirectional overrides that
# make a name read differently from what it is.
_BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI_CONTROLS


def shown(path: Path) -> str:
    """A file name as it may be printed: control characters written out as escapes (\\x1b, \\n)."""
    return "".join(repr(char)[1:-1] if _is_control(char) else char for char in str(path))


def refused_name(path: Path) -> str | None:
    """Why a file is not imported whatever it holds: a symbolic link (it would import what it points
    to, e.g. /etc/shadow) or a name with control characters; else None."""
    controls = sorted({repr(char)[1:-1] for char in str(path) if _is_control(char)})
    if controls:
        return (f"{shown(path)}: the file name has control characters or bytes that are not UTF-8 "
                f"({', '.join(controls)}): rename the file")
    if path.is_symlink():
        return f"{path}: a symbolic link, not imported: give the file itself"
    return None


def _tick(progress, done: int, total: int) -> None:
    if progress:
        progress(done, total)

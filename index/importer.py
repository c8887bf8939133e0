"""`docgen import`: read files issued elsewhere, recognise their parts, store them (the index
follows the archive's change log, which records each import).

Each file is read, recognised and stored on its own: a file that cannot be read is
reported and skipped, and the rest are imported. `--set field=value` overrides what was
recognised (or fills what was not) for every file of the run; bad overrides stop the run
before anything is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.kinds import KINDS
from docgen.vietnamese import nfc, parse_date

from .extract import extract_files
from .recognize import recognize

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
        if name == "date":
            try:
                overrides[name] = parse_date(value)
            except ValueError as exc:
                raise DocgenError(f"--set date={value}: {exc}") from None
        else:
            overrides[name] = value
    if "number_symbol" in overrides:
        number, slash, symbol = overrides["number_symbol"].partition("/")
        if not slash or not number.strip().isdigit() or not symbol.strip():
            raise DocgenError(f"--set number_symbol={overrides['number_symbol']}: expected NUMBER/SYMBOL, "
                              "e.g. 1140/SGD&ĐT-VP")
        overrides["number"], overrides["symbol"] = int(number), symbol.strip()
    return overrides


def import_files(archive, paths: list[Path], *, overrides: dict[str, Any] | None = None, actor: str | None = None,
                 progress: Callable[..., None] | None = None) -> ImportReport:
    """Import `paths`; `progress(done, total)` follows the files, and `progress(done, total, label)`
    the pages of a scan being read by OCR."""
    from archive import ArchiveError
    from archive.importing import store_imported

    report = ImportReport()
    overrides = overrides or {}
    on_page = (lambda path, done, total: progress(done, total, f"OCR {path.name}")) if progress else None
    for done, (path, extracted) in enumerate(extract_files(paths, on_page=on_page), 1):
        if isinstance(extracted, DocgenError):
            report.skipped.append({"file": str(path), "reason": str(extracted)})
            _tick(progress, done, len(paths))
            continue
        found = recognize(extracted.text)
        metadata = {k: v for k, v in found.as_dict().items() if k not in ("missing",)}
        metadata.update(overrides)
        if isinstance(metadata.get("date"), dt.date):
            metadata["date"] = metadata["date"].isoformat()
        missing = [name for name in found.missing if not overrides.get(name)]
        if metadata.get("kind") in KINDS and not overrides.get("type_name") and not found.type_name:
            metadata["type_name"] = KINDS[metadata["kind"]].type_name or KINDS[metadata["kind"]].label
        try:
            record = store_imported(archive, path, metadata, text=extracted.text, format=extracted.format,
                                    legacy_encoding=extracted.legacy, missing=missing, actor=actor)
        except ArchiveError as exc:
            report.skipped.append({"file": str(path), "reason": str(exc)})
            _tick(progress, done, len(paths))
            continue
        item = record.as_dict()
        item["file"] = str(path)
        item["ocr_pages"] = extracted.ocr_pages
        report.warnings.extend(f"{path}: {failure}: not read, imported without it" for failure in extracted.failed)
        report.imported.append(item)
        _tick(progress, done, len(paths))
    return report


def _tick(progress, done: int, total: int) -> None:
    if progress:
        progress(done, total)

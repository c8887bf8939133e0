"""The dossier as one ZIP: every document as .docx and PDF, one merged PDF, a manifest.

Everything is written in a folder beside the output and the ZIP is renamed into place at
the end, so a failure at any step leaves no ZIP (and no half-written one) behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pypdf import PdfReader, PdfWriter

from ..pdf import convert_to_pdf
from ..workfolder import WorkFolder

MERGED = "ho-so-de-nghi-khen-thuong.pdf"
MANIFEST = "manifest.json"


@dataclass
class Part:
    """One document of the dossier, rendered."""

    stem: str  # `02-to-trinh`: its order and name in the ZIP
    kind: str
    title: str  # the bookmark in the merged PDF
    docx: bytes
    number_symbol: str | None = None
    date: str | None = None
    pages: int = 0


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_dossier(parts: list[Part], output: Path, manifest: dict[str, Any],
                  progress: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """Write the ZIP at `output`; return its files (path, SHA-256, bytes), the manifest last."""
    say = progress or (lambda _message: None)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    # A killed build's folder is removed by the next build into the same folder.
    with WorkFolder(output.parent, ".docgen-dossier-") as work:
        (work / "docx").mkdir()
        (work / "pdf").mkdir()
        docx_paths = []
        for part in parts:
            path = work / "docx" / f"{part.stem}.docx"
            path.write_bytes(part.docx)
            docx_paths.append(path)
        say(f"PDF: {len(parts)} văn bản, một lần chạy LibreOffice")
        pdf_paths = convert_to_pdf(docx_paths, out_dir=work / "pdf")
        say("Gộp PDF theo thứ tự hồ sơ")
        merged = work / MERGED
        writer = PdfWriter()
        for part, pdf in zip(parts, pdf_paths):
            part.pages = len(PdfReader(pdf).pages)
            writer.append(str(pdf), outline_item=part.title)
        writer.page_mode = "/UseOutlines"
        with open(merged, "wb") as handle:
            writer.write(handle)
        entries = [(MERGED, merged)]
        for part, docx, pdf in zip(parts, docx_paths, pdf_paths):
            entries += [(f"docx/{docx.name}", docx), (f"pdf/{pdf.name}", pdf)]
        files = [{"path": name, "sha256": sha256(path.read_bytes()), "bytes": path.stat().st_size}
                 for name, path in entries]
        manifest = {**manifest, "documents": [_document(p) for p in parts], "files": files}
        staged = work / "dossier.zip"
        with zipfile.ZipFile(staged, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            for name, path in entries:
                archive.write(path, name)
        os.replace(staged, output)
    return files


def _document(part: Part) -> dict[str, Any]:
    return {"file": part.stem, "kind": part.kind, "title": part.title, "number_symbol": part.number_symbol,
            "date": part.date, "pages": part.pages, "docx": f"docx/{part.stem}.docx", "pdf": f"pdf/{part.stem}.pdf"}

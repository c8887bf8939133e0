"""docgen: official documents under Decree 30/2020/NĐ-CP, from data to .docx and PDF.

    import docgen
    rendered = docgen.render("ke_hoach", "plan.yaml", number=5)
    rendered.save("plan.docx")
    docgen.convert_to_pdf(["plan.docx"])
    findings = docgen.check_document("plan.docx")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConversionError, DataError, DocgenError, TemplateFault
from .lazy import lazy_attributes

if TYPE_CHECKING:
    from .agency import Agency, load_agency
    from .compose import load_document
    from .kinds import KINDS, Document, Kind, get_kind
    from .pdf import convert_to_pdf
    from .render import RenderedDocument, render_document, write_rendered

LAZY = {
    "Agency": "agency", "load_agency": "agency", "load_document": "compose", "KINDS": "kinds",
    "Document": "kinds", "Kind": "kinds", "get_kind": "kinds", "convert_to_pdf": "pdf",
    "RenderedDocument": "render", "render_document": "render", "write_rendered": "render",
}

__getattr__ = lazy_attributes(__name__, LAZY, like_modules=frozenset({"render"}))


def render(kind: str, data: str | Path | Mapping[str, Any], *, agency: Agency | str | Path | None = None,
           number: int | None = None, date: dt.date | None = None,
           template: str | Path | None = None) -> RenderedDocument:
    """Validate `data` as a document of `kind` and fill its template."""
    from .compose import load_document
    from .render import render_document

    return render_document(load_document(kind, data, agency=agency, number=number, date=date), template)


def render_to_files(kind: str, data: str | Path | Mapping[str, Any], output: str | Path, *, pdf: bool = False,
                    **options: Any) -> dict[str, Any]:
    """Render to `output` (.docx) and, with `pdf`, its PDF beside it; all or nothing."""
    from .render import write_rendered

    return write_rendered(render(kind, data, **options), output, pdf=pdf)


def check_document(path: str | Path | bytes):
    """Decree 30 findings for a .docx, a path or its bytes (an empty list when it conforms)."""
    from .check import check_document as check

    return check(path)


def build_dossier(campaign: str | Path, nominees: str | Path, output: str | Path, **options: Any):
    """A nomination dossier ZIP from a campaign file and the units' nominee list (docgen.dossier)."""
    from .dossier import build_dossier as build

    return build(campaign, nominees, output, **options)


def render_decision(kind: str, data: str | Path | Mapping[str, Any], nominees: str | Path, output: str | Path,
                    **options: Any) -> dict[str, Any]:
    """Like render_to_files, with the attached list read from a spreadsheet and the bonus computed."""
    from .dossier import render_decision as render_with_list

    return render_with_list(kind, data, nominees, output, **options)


__all__ = [
    "Agency", "ConversionError", "DataError", "DocgenError", "Document", "KINDS", "Kind", "RenderedDocument",
    "TemplateFault", "build_dossier", "check_document", "convert_to_pdf", "get_kind", "load_agency", "load_document",
    "render", "render_decision", "render_document", "render_to_files", "write_rendered",
]

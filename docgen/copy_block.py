"""The block a lawful copy (bản sao) carries after the pages it copies (Decree 30/2020/NĐ-CP,
Articles 25-27 and Appendix I, the presentation of copies): the form of copy, the copying
agency, the copy's number and symbol, place and date, the signing authority and signer,
and Nơi nhận. Rendered from templates_docx/ban_sao.docx; the archive (archive/copies.py)
numbers the copy and puts the block after the original's pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .agency import Agency, Signer
from .kinds.base import header_names, signature_context
from .vietnamese import date_line, number_symbol, symbol_for

# How the archive names a copy's kind, and how listings show it.
KIND = "ban_sao"
KIND_LABEL = "Bản sao"
TEMPLATE = "ban_sao"


@dataclass(frozen=True)
class CopyForm:
    key: str  # as the command line names it: "sao-y"
    heading: str  # printed in the block: "SAO Y"
    code: str  # the copy's symbol code, Decree 30 Appendix III: "SY"
    label: str  # the type as the register shows it: "Bản sao y"


# Decree 30, Article 25: sao y (the whole original), sao lục (made from a sao y copy),
# trích sao (a part of the original).
FORMS = {form.key: form for form in (
    CopyForm("sao-y", "SAO Y", "SY", "Bản sao y"),
    CopyForm("sao-luc", "SAO LỤC", "SL", "Bản sao lục"),
    CopyForm("trich-sao", "TRÍCH SAO", "TS", "Bản trích sao"),
)}


def copy_symbol(form: CopyForm, agency: Agency) -> str:
    """`SY-SGDĐT`: the form's code, then the copying agency's own code."""
    return symbol_for(form.code, agency.code)


def recipients_lines(recipients: list[str]) -> list[str]:
    """Nơi nhận of a copy, each `- X;`, the last `- Lưu: VT.` (Appendix I, item 9b)."""
    names = [r.strip().lstrip("-").strip().rstrip(";.").strip() for r in recipients]
    return [*(f"- {name};" for name in names if name and not name.startswith("Lưu:")), "- Lưu: VT."]


def copy_context(form: CopyForm, agency: Agency, number: int, date: dt.date, signer: Signer,
                 recipients: list[str]) -> dict[str, Any]:
    return {
        **header_names(agency.parent, agency.name, agency.parent_lines, agency.name_lines),
        "copy_form": form.heading,
        "number_line": f"Số: {number_symbol(number, copy_symbol(form, agency))}",
        "date_line": date_line(agency.place, date),
        "recipients": recipients_lines(recipients),
        "signature": signature_context(signer),
    }


def render_copy_block(form: CopyForm, agency: Agency, number: int, date: dt.date, signer: Signer,
                      recipients: list[str]) -> bytes:
    """The copy block as a .docx (one page: LibreOffice makes its PDF)."""
    from .render import render_docx, template_path

    return render_docx(template_path(TEMPLATE), copy_context(form, agency, number, date, signer, recipients))

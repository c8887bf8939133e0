"""Danh mục hồ sơ: the list of what a nomination dossier contains, as a document of its own.

A small kind used by the dossier builder (not listed by `docgen kinds`): header block,
title, a table of the documents with their number-symbol and copies, and the preparer's
signature. Its template is built by `danh_muc_ho_so()` in templates_docx/build.py.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .. import markup
from ..agency import Strict
from ..kinds.base import Document, DocumentData, Kind, body_blocks, common_context, paragraph, upper_lines
from ..kinds.bao_cao_thanh_tich import Signatory
from ..vietnamese import padded


class ChecklistRow(Strict):
    title: str = Field(title="Tên tài liệu")
    reference: str = Field("", title="Số, ký hiệu, ngày")
    copies: int = Field(1, ge=1, title="Số bản")
    note: str = Field("", title="Ghi chú")


class ChecklistData(DocumentData):
    subject: str = Field(title="Trích yếu", examples=["Đề nghị tặng Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"])
    period: str = Field("", title="Phong trào, giai đoạn")
    intro: str = Field("", title="Lời dẫn")
    items: list[ChecklistRow] = Field(min_length=1, title="Tài liệu")
    preparer: Signatory = Field(Signatory(role="NGƯỜI LẬP DANH MỤC"), title="Người lập danh mục")


def context(doc: Document) -> dict[str, Any]:
    data: ChecklistData = doc.data
    ctx = common_context(doc)
    ctx["subject_lines"] = [line for line in (data.subject, f"({data.period})" if data.period else "") if line]
    ctx["body"] = body_blocks([paragraph("p", data.intro)] if data.intro else [])
    ctx["items"] = [{"no": str(i), "title": row.title, "reference": row.reference, "copies": padded(row.copies),
                     "note": row.note} for i, row in enumerate(data.items, 1)]
    ctx["body_after"] = body_blocks(markup.end_content(
        [paragraph("p", f"Tổng số: {padded(len(data.items))} tài liệu.")]))
    ctx["preparer"] = {"lines": upper_lines(data.preparer.role), "note": data.preparer.note, "name": data.preparer.name}
    return ctx


KIND = Kind("danh_muc_ho_so", "Danh mục hồ sơ đề nghị khen thưởng", "DANH MỤC HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG", None, False,
            ChecklistData, context, "the list of documents in a nomination dossier (built by `docgen dossier build`)")

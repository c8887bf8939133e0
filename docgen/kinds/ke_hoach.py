"""Kế hoạch (plan), type code KH."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .. import markup
from ..datafile import Paragraphs
from .base import Document, Kind, SignedData, body_blocks, common_context


class PlanData(SignedData):
    subject: str = Field(
        title="Trích yếu nội dung", description="the line under KẾ HOẠCH",
        examples=["Thực hiện Phong trào thi đua “Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập” giai đoạn 2020-2025"],
    )
    basis: Paragraphs = Field("", title="Căn cứ, mục đích ban hành",
                              description="markup, or a list of paragraphs: the 'Thực hiện ...' paragraphs before the sections")
    body: str = Field(title="Nội dung", description="markup: # section, ## subsection, ### point, - item, + sub-item")
    level3: markup.Level3 = Field("letter", title="Đánh số đề mục cấp 3", description="'letter' for a), b); 'decimal' for 1.1., 1.2.")


def context(doc: Document) -> dict[str, Any]:
    data: PlanData = doc.data
    blocks = markup.parse(data.basis) + markup.parse(data.body, level3=data.level3)
    return {**common_context(doc), "body": body_blocks(markup.end_content(blocks))}


KIND = Kind("ke_hoach", "Kế hoạch", "KẾ HOẠCH", "KH", True, PlanData, context,
            "a plan: basis paragraphs, then sections I., 1., a) and items")

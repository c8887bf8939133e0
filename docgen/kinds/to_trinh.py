"""Tờ trình đề nghị khen thưởng (nomination submission), type code TTr, with its attached list."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .. import markup
from ..datafile import TextList
from ..vietnamese import collectives_and_individuals
from .base import Document, Kind, SignedData, addressee_lines, bases, body_blocks, common_context, paragraph
from .nominees import Nominee, annex_context, annex_note, awardees, count_by_type


class SubmissionData(SignedData):
    subject: str = Field(title="Trích yếu nội dung",
                         examples=["Về việc đề nghị tặng Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"])
    addressees: list[str] = Field(min_length=1, title="Kính gửi",
                                  examples=[["Bộ Giáo dục và Đào tạo (qua Vụ Thi đua - Khen thưởng)"]])
    bases: TextList = Field(default_factory=list, title="Căn cứ", description="a list, or a text with one basis a line",
                            examples=[["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"]])
    body: str = Field("", title="Nội dung", description="markup: the movement's results and the council's decision")
    award: str = Field(title="Hình thức khen thưởng đề nghị", examples=["Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"])
    decider: str = Field(title="Người có thẩm quyền quyết định", examples=["Bộ trưởng Bộ Giáo dục và Đào tạo"])
    achievement: str = Field(title="Thành tích", examples=["đã có thành tích xuất sắc trong thực hiện Phong trào thi đua ..."])
    nominees: list[Nominee] = Field(min_length=1, title="Danh sách đề nghị")


def context(doc: Document) -> dict[str, Any]:
    data: SubmissionData = doc.data
    agency = doc.agency
    counts = collectives_and_individuals(*count_by_type(data.nominees))
    blocks = bases(data.bases, style="p") + markup.parse(data.body) + [
        paragraph("p", f"{agency.full_name} kính trình {data.decider} xem xét, tặng {data.award} "
                       f"cho {counts} (có danh sách kèm theo), {data.achievement.rstrip('.')}."),
        paragraph("p", f"{agency.full_name} kính trình {data.decider} xem xét, quyết định."),
    ]
    ctx = common_context(doc)
    ctx["addressees"] = addressee_lines(data.addressees)
    ctx["addressees_note"] = ""
    ctx["body"] = body_blocks(markup.end_content(blocks))
    ctx["annex"] = annex_context(
        doc, data.nominees,
        title=f"{awardees(*count_by_type(data.nominees))} đề nghị tặng {data.award}",
        note=annex_note(doc, "Tờ trình", agency.full_name),
    )
    return ctx


KIND = Kind("to_trinh", "Tờ trình đề nghị khen thưởng", "TỜ TRÌNH", "TTr", True, SubmissionData, context,
            "a submission asking a higher level to award the listed collectives and individuals")

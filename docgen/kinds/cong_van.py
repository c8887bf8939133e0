"""Công văn (letter, including guidance letters): no type name, symbol <agency>-<unit>."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from .. import markup
from .base import Document, Kind, SignedData, addressee_lines, body_blocks, common_context


class LetterData(SignedData):
    subject: str = Field(
        title="Trích yếu (V/v)", description="what the letter is about; 'V/v ' is added; a line break may be typed",
        examples=["hướng dẫn thực hiện Phong trào “Đổi mới, sáng tạo trong dạy và học” giai đoạn 2016 - 2020"],
    )
    addressees: list[str] = Field(min_length=1, title="Kính gửi", examples=[["Phòng Giáo dục và Đào tạo các huyện, thành phố"]])
    addressees_note: str = Field("", title="Ghi chú sau Kính gửi", examples=["(Trong văn bản gọi chung là các đơn vị)"])
    body: str = Field(title="Nội dung", description="markup: # section, ## subsection, ### point, - item, + sub-item")
    level3: markup.Level3 = Field("letter", title="Đánh số đề mục cấp 3", description="'letter' for a), b); 'decimal' for 1.1., 1.2.")

    @field_validator("subject")
    @classmethod
    def _no_vv(cls, value: str) -> str:
        for prefix in ("V/v", "v/v", "Về việc"):
            if value.startswith(prefix):
                return value[len(prefix):].strip()
        return value


def context(doc: Document) -> dict[str, Any]:
    data: LetterData = doc.data
    blocks = markup.end_content(markup.parse(data.body, level3=data.level3))
    ctx = common_context(doc)
    ctx["subject_lines"] = []
    ctx["letter_subject_lines"] = ("V/v " + data.subject).splitlines()
    ctx["addressees"] = addressee_lines(data.addressees)
    ctx["addressees_note"] = data.addressees_note
    ctx["body"] = body_blocks(blocks)
    return ctx


KIND = Kind("cong_van", "Công văn", None, None, True, LetterData, context,
            "a letter (guidance, request, reply): V/v subject, Kính gửi, content")

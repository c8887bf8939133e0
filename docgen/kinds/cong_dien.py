"""Công điện (urgent telegram), type code CĐ: Decree 30, Appendix III, form 1.6.

The form differs from other typed documents in two details: the subject under `CÔNG ĐIỆN`
is followed by the line `<SENDER> điện:` and the list of those it is sent to, each `- X;`
(no `Kính gửi:`); and a telegram is always urgent, so the urgency mark (Appendix I, item
10b) is required.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from .. import markup
from ..vietnamese import upper
from .base import Document, Kind, SignedData, Urgency, body_blocks, common_context, paragraph


class TelegramData(SignedData):
    urgency: Urgency = Field(title="Mức độ khẩn", description="a telegram is always urgent (form 1.6)")
    subject: str = Field(
        title="Trích yếu nội dung", description="the line under CÔNG ĐIỆN",
        examples=["Về việc chủ động ứng phó với mưa lũ, bảo đảm an toàn cho học sinh, giáo viên"],
    )
    sender: str = Field(
        "", title="Cơ quan / người điện",
        description="who sends it, before 'điện:'; default the head of the agency (agency file: authority)",
        examples=["GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"],
    )
    addressees: list[str] = Field(
        min_length=1, title="Nơi nhận điện", description="one a line, after '<SENDER> điện:'; '- ' and ';' are added",
        examples=[["Trưởng phòng Giáo dục và Đào tạo các huyện, thành phố"]],
    )
    body: str = Field(title="Nội dung", description="markup: # section, ## subsection, ### point, - item, + sub-item")

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        value = value.strip().rstrip(":").strip()
        if value.lower().endswith(" điện"):
            value = value[: -len(" điện")].strip()
        return upper(value)


def sender_line(doc: Document) -> str:
    """`GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO điện:` (form 1.6: the sender in capitals, then `điện:`)."""
    return f"{doc.data.sender or doc.agency.authority_line} điện:"


def listed(names: list[str]) -> list[str]:
    """`- X;` each, the last `- Y.` (the list of a telegram's addressees, form 1.6)."""
    cleaned = [n.strip().lstrip("-").strip().rstrip(";.").strip() for n in names if n.strip()]
    return [f"- {n}{';' if i < len(cleaned) - 1 else '.'}" for i, n in enumerate(cleaned)]


def context(doc: Document) -> dict[str, Any]:
    data: TelegramData = doc.data
    blocks = ([paragraph("center", sender_line(doc))] + [paragraph("item", line) for line in listed(data.addressees)]
              + markup.parse(data.body))
    return {**common_context(doc), "body": body_blocks(markup.end_content(blocks))}


KIND = Kind("cong_dien", "Công điện", "CÔNG ĐIỆN", "CĐ", True, TelegramData, context,
            "an urgent telegram: urgency mark, '<SENDER> điện:' and its addressees, content")

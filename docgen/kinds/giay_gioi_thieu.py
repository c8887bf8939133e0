"""Giấy giới thiệu (letter of introduction), type code GGT: Decree 30, Appendix III, form 1.8.

The form has no subject under `GIẤY GIỚI THIỆU` and no `Kính gửi:`: the agency introduces the
person (name, position), where they are sent and why, and the paper ends with the line of its
validity, `Giấy này có giá trị đến hết ngày ...`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from .. import markup
from ..datafile import Date
from ..vietnamese import legal_date
from .base import Document, Kind, SignedData, body_blocks, common_context, paragraph
from .person import PersonData

VALIDITY = "Giấy này có giá trị đến hết"


class IntroductionData(SignedData, PersonData):
    destination: str = Field(title="Được cử đến", examples=["Trường Trung học phổ thông Chuyên Cao Bằng"])
    purpose: str = Field(title="Về việc", examples=["Kiểm tra công tác chuẩn bị Kỳ thi chọn học sinh giỏi cấp tỉnh năm học 2025 - 2026"])
    valid_until: Date = Field(title="Có giá trị đến hết ngày", description="YYYY-MM-DD or dd/mm/yyyy")

    @model_validator(mode="after")
    def _valid_after_issue(self) -> "IntroductionData":
        if self.date is not None and self.valid_until < self.date:
            raise ValueError(f"valid_until ({self.valid_until:%d/%m/%Y}) is before the date of the paper "
                             f"({self.date:%d/%m/%Y}): a letter of introduction is valid from its date on")
        return self


def validity_line(data: IntroductionData) -> str:
    return f"{VALIDITY} {legal_date(data.valid_until)}."


def context(doc: Document) -> dict[str, Any]:
    data: IntroductionData = doc.data
    lines = [f"{doc.agency.full_name} trân trọng giới thiệu:", *data.person_lines(),
             f"Được cử đến: {data.destination.rstrip('.')}", f"Về việc: {data.purpose.rstrip('.')}.",
             f"Đề nghị Quý cơ quan tạo điều kiện để {data.pronoun()} có tên ở trên hoàn thành nhiệm vụ.",
             validity_line(data)]
    return {**common_context(doc), "body": body_blocks(markup.end_content([paragraph("p", line) for line in lines]))}


KIND = Kind("giay_gioi_thieu", "Giấy giới thiệu", "GIẤY GIỚI THIỆU", "GGT", True, IntroductionData, context,
            "a letter of introduction: who, their position, where sent, why, valid until")

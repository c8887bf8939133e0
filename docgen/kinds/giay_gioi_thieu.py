"""Giấy giới thiệu (letter of introduction), type code GGT: Decree 30, Appendix III, form 1.8.

The form has no subject under `GIẤY GIỚI THIỆU` and no `Kính gửi:`: the agency introduces the
person (name, position), where they are sent and why, and the paper ends with the line of its
validity, `Giấy này có giá trị đến hết ngày ...`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, ValidationInfo, field_validator

from .. import markup
from ..datafile import Date
from ..vietnamese import legal_date
from .base import Document, Kind, SignedData, body_blocks, common_context, paragraph
from .person import PersonData

VALIDITY = "Giấy này có giá trị đến hết"


class IntroductionData(PersonData, SignedData):
    destination: str = Field(title="Được cử đến", examples=["Trường Trung học phổ thông Chuyên Cao Bằng"])
    purpose: str = Field(title="Về việc", examples=["Kiểm tra công tác chuẩn bị Kỳ thi chọn học sinh giỏi cấp tỉnh năm học 2025 - 2026"])
    valid_until: Date = Field(title="Có giá trị đến hết ngày", description="YYYY-MM-DD or dd/mm/yyyy")

    @field_validator("valid_until")
    @classmethod
    def _not_before_issue(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        issued = info.data.get("date")
        if issued is not None and value < issued:
            raise ValueError(f"{value:%d/%m/%Y} is before the date of the paper {issued:%d/%m/%Y} (date)")
        return value

    @property
    def subject(self) -> str:
        """The register's trích yếu: the form prints none (Decree 30, Appendix III, form 1.8)."""
        return f"Giới thiệu {self.pronoun()} {self.person} đến {self.destination.rstrip('.')}"


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

"""Giấy nghỉ phép (leave paper), type code NP: Decree 30, Appendix III, form 1.10.

No subject under `GIẤY NGHỈ PHÉP` and no `Kính gửi:`: the head of the agency grants the person
(name, position) leave for a period, at a place, for a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, ValidationInfo, field_validator

from .. import markup
from ..datafile import Date
from ..vietnamese import legal_date, padded
from .base import Document, Kind, SignedData, body_blocks, common_context, paragraph
from .person import PersonData


class LeaveData(PersonData, SignedData):
    leave: str = Field("", title="Loại nghỉ", description="default 'phép năm <year of the first day>'",
                       examples=["phép năm 2025"])
    start: Date = Field(title="Nghỉ từ ngày", description="YYYY-MM-DD or dd/mm/yyyy")
    end: Date = Field(title="Đến hết ngày", description="YYYY-MM-DD or dd/mm/yyyy")
    days: int | None = Field(None, ge=1, title="Số ngày nghỉ", description="working days granted; at most the period's length",
                             examples=[5])
    place: str = Field(title="Nơi nghỉ phép", examples=["xã Hòa An, tỉnh Cao Bằng"])
    reason: str = Field(title="Lý do", examples=["Giải quyết việc riêng của gia đình"])
    request_date: Date | None = Field(None, title="Ngày của đơn đề nghị nghỉ phép",
                                      description="the date of the person's request, if any")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"the last day {end:%d/%m/%Y} is before the first day {start:%d/%m/%Y} (start)")
        return end

    @field_validator("days")
    @classmethod
    def _days_within(cls, days: int | None, info: ValidationInfo) -> int | None:
        start, end = info.data.get("start"), info.data.get("end")
        if days is not None and start is not None and end is not None and days > (end - start).days + 1:
            raise ValueError(f"{days} days do not fit in the {(end - start).days + 1} days "
                             f"from {start:%d/%m/%Y} to {end:%d/%m/%Y}")
        return days

    @property
    def subject(self) -> str:
        """The register's trích yếu: the form prints none (Decree 30, Appendix III, form 1.10)."""
        return f"Cho {self.pronoun()} {self.person} nghỉ {leave_name(self)} từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"


def leave_name(data: LeaveData) -> str:
    return data.leave.strip() or f"phép năm {data.start.year}"


def period_line(data: LeaveData) -> str:
    """`Nghỉ phép năm 2025 trong thời gian: 05 ngày, kể từ ngày ... đến hết ngày ...` (form 1.10)."""
    during = f" trong thời gian: {padded(data.days)} ngày," if data.days else ""
    return f"Nghỉ {leave_name(data)}{during} kể từ {legal_date(data.start)} đến hết {legal_date(data.end)}."


def context(doc: Document) -> dict[str, Any]:
    data: LeaveData = doc.data
    request = (f"Xét Đơn đề nghị nghỉ phép {legal_date(data.request_date)} của {data.pronoun()} {data.person},"
               if data.request_date else f"Xét đề nghị của {data.pronoun()} {data.person},")
    lines = [request, f"{doc.agency.authority_in_text} cấp cho:", *data.person_lines(), period_line(data),
             f"Tại: {data.place.rstrip('.')}.", f"Lý do: {data.reason.rstrip('.')}."]
    return {**common_context(doc), "body": body_blocks(markup.end_content([paragraph("p", line) for line in lines]))}


KIND = Kind("giay_nghi_phep", "Giấy nghỉ phép", "GIẤY NGHỈ PHÉP", "NP", True, LeaveData, context,
            "a leave paper: who, their position, the period, the place, the reason")

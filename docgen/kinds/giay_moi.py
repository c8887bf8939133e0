"""Giấy mời (invitation), type code GM: Decree 30, Appendix III, form 1.7.

Under `GIẤY MỜI` and its subject there is no `Kính gửi:`: the agency `trân trọng kính mời`
those invited, then says what to attend, the time, the place, and whom to contact.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import Field, ValidationInfo, field_validator

from .. import markup
from ..datafile import Paragraphs
from ..vietnamese import legal_date, padded, parse_date
from .base import Document, Kind, SignedData, body_blocks, common_context, paragraph

_START = re.compile(r"(?P<date>[\d/-]+)[ T]+(?P<hour>\d{1,2})[:h](?P<minute>\d{2})")
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


class InvitationData(SignedData):
    subject: str = Field(title="Trích yếu nội dung", description="the line under GIẤY MỜI",
                         examples=["Dự Hội nghị tổng kết Phong trào thi đua năm học 2024 - 2025"])
    invitees: list[str] = Field(min_length=1, title="Kính mời", description="who is invited, one a line",
                                examples=[["Trưởng phòng Giáo dục và Đào tạo các huyện, thành phố"]])
    event: str = Field(title="Tới dự", description="what they are invited to",
                       examples=["Hội nghị tổng kết Phong trào thi đua năm học 2024 - 2025"])
    start: dt.datetime = Field(title="Thời gian bắt đầu", description="YYYY-MM-DD HH:MM", examples=["2025-10-15 08:00"])
    duration: str = Field("", title="Thời gian", description="how long, before the start time", examples=["01 buổi"])
    place: str = Field(title="Địa điểm", examples=["Hội trường tầng 3, Sở Giáo dục và Đào tạo, số 036 đường Hoàng Đình Giong"])
    notes: Paragraphs = Field("", title="Nội dung, đề nghị", description="markup: what to prepare, what to bring")
    contact: str = Field("", title="Liên hệ", description="who to contact",
                         examples=["Đồng chí Nông Thị Hạnh, Văn phòng Sở, điện thoại 0206.3856.930"])

    @field_validator("start", mode="before")
    @classmethod
    def _parse_start(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        match = _START.fullmatch(value.strip())
        if match is None:
            raise ValueError(f"{value!r} is not a date and a time: write YYYY-MM-DD HH:MM or dd/mm/yyyy HH:MM "
                             "(e.g. 2025-10-15 08:00)")
        hour, minute = int(match.group("hour")), int(match.group("minute"))
        if hour > 23 or minute > 59:
            raise ValueError(f"{match.group('hour')}:{match.group('minute')} is not a time of day")
        return dt.datetime.combine(parse_date(match.group("date")), dt.time(hour, minute))

    @field_validator("start")
    @classmethod
    def _not_before_issue(cls, value: dt.datetime, info: ValidationInfo) -> dt.datetime:
        issued = info.data.get("date")
        if issued is not None and value.date() < issued:
            raise ValueError(f"{value:%d/%m/%Y} is before the date of the invitation {issued:%d/%m/%Y} (date)")
        return value


def time_line(data: InvitationData) -> str:
    """`Thời gian: 01 buổi, bắt đầu từ 08 giờ 00 phút, thứ Tư, ngày 15 tháng 10 năm 2025.`"""
    start = data.start
    when = (f"{padded(start.hour)} giờ {start.minute:02d} phút, {WEEKDAYS[start.weekday()]}, "
            f"{legal_date(start.date())}")
    return f"Thời gian: {data.duration.rstrip(',. ')}, bắt đầu từ {when}." if data.duration else f"Thời gian: {when}."


def invitee_lines(agency_name: str, invitees: list[str]) -> list[str]:
    """One invitee on the line of `trân trọng kính mời:`; several, each `- X;` and the last `- Y.`."""
    cleaned = [n.strip().lstrip("-").strip().rstrip(";.").strip() for n in invitees if n.strip()]
    opening = f"{agency_name} trân trọng kính mời:"
    if len(cleaned) == 1:
        return [f"{opening} {cleaned[0]}."]
    return [opening] + [f"- {n}{';' if i < len(cleaned) - 1 else '.'}" for i, n in enumerate(cleaned)]


def context(doc: Document) -> dict[str, Any]:
    data: InvitationData = doc.data
    invited = invitee_lines(doc.agency.full_name, data.invitees)
    blocks = [paragraph("p", invited[0]), *(paragraph("item", line) for line in invited[1:]),
              paragraph("p", f"Tới dự: {data.event.rstrip('.')}."),
              paragraph("p", time_line(data)),
              paragraph("p", f"Địa điểm: {data.place.rstrip('.')}."),
              *markup.parse(data.notes)]
    if data.contact:
        blocks.append(paragraph("p", f"Liên hệ: {data.contact.rstrip('.')}."))
    return {**common_context(doc), "body": body_blocks(markup.end_content(blocks))}


KIND = Kind("giay_moi", "Giấy mời", "GIẤY MỜI", "GM", True, InvitationData, context,
            "an invitation: who is invited, to what, time, place, contact")

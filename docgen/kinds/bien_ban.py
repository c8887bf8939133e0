"""Biên bản họp Hội đồng Thi đua - Khen thưởng (council minutes), type code BB.

Issued in the council's own name, with the council's own number sequence and code
(Decree 30, Article 15: a council that uses the agency's seal has its own sequence).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, model_validator

from .. import markup
from ..markup import literal
from ..agency import Signer, Strict
from ..vietnamese import legal_date, padded, upper
from .base import DocumentData, Document, Kind, body_blocks, common_context, paragraph

VOTES_HERE = "\x01votes"  # where the vote table stands among the content blocks


class Member(Strict):
    name: str = Field(title="Họ và tên", examples=["Đàm Văn Hùng"])
    title: str = Field(title="Chức vụ", examples=["Giám đốc Sở, Chủ tịch Hội đồng"])
    role: str = Field("", title="Chức danh ký", description="printed above the signature", examples=["CHỦ TỊCH HỘI ĐỒNG"])


class VoteRow(Strict):
    name: str = Field(title="Tên tập thể / Họ và tên")
    unit: str = Field("", title="Đơn vị")
    votes: int = Field(ge=0, title="Số phiếu đồng ý")


class MeetingData(DocumentData):
    council: str = Field(title="Hội đồng", description="key of a council in the agency file", examples=["hdtdkt"])
    subject: str = Field(title="Trích yếu nội dung", description="what the meeting was for; read after 'họp' in the opening sentence",
                         examples=["Xét đề nghị tặng Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"])
    start: dt.datetime = Field(title="Thời gian bắt đầu", examples=["2025-06-10 08:00"])
    end: dt.time = Field(title="Thời gian kết thúc", examples=["11:00"])
    place: str = Field(title="Địa điểm", examples=["Phòng họp tầng 2, Sở Giáo dục và Đào tạo Cao Bằng"])
    chair: Member = Field(title="Chủ trì")
    secretary: Member = Field(title="Thư ký")
    members_present: int = Field(ge=1, title="Số thành viên có mặt")
    members_total: int = Field(ge=1, title="Tổng số thành viên")
    absent: list[str] = Field(default_factory=list, title="Vắng mặt")
    agenda: str = Field(title="Nội dung cuộc họp", description="markup")
    award: str = Field(title="Hình thức đề nghị", examples=["Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"])
    votes: list[VoteRow] = Field(min_length=1, title="Kết quả bỏ phiếu")
    conclusion: str = Field(title="Kết luận", description="markup")

    @model_validator(mode="after")
    def _counts(self) -> "MeetingData":
        if self.members_present > self.members_total:
            raise ValueError(f"members_present ({self.members_present}) is more than members_total ({self.members_total})")
        for row in self.votes:
            if row.votes > self.members_present:
                raise ValueError(f"votes for {row.name!r} ({row.votes}) are more than the members present ({self.members_present})")
        if self.date is None:
            self.date = self.start.date()  # minutes are dated the day of the meeting
        return self


def percent(part: int, whole: int) -> str:
    """`90,91` (Vietnamese decimal comma, at most two decimals)."""
    text = f"{100 * part / whole:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def clock(t: dt.time) -> str:
    return f"{padded(t.hour)} giờ {padded(t.minute)} phút"


def resolve_issuer(doc: Document) -> None:
    """Minutes are issued by the council: the agency becomes the line above it."""
    council = doc.agency.councils.get(doc.data.council)
    if council is None:
        known = ", ".join(doc.agency.councils) or "none"
        raise KeyError(f"no council {doc.data.council!r} in the agency file (known: {known})")
    doc.issuer_parent, doc.issuer_name, doc.issuer_code = doc.agency.name, upper(council.name), council.code
    doc.parent_lines, doc.issuer_lines = doc.agency.name_lines, council.name_lines
    doc.extra["council_full_name"] = council.full_name


def context(doc: Document) -> dict[str, Any]:
    data: MeetingData = doc.data
    subject = data.subject[:1].lower() + data.subject[1:]
    meeting = subject if subject.startswith("họp") else f"họp {subject}"
    present = f"{padded(data.members_present)}/{padded(data.members_total)} thành viên"
    absent = f" (vắng: {', '.join(data.absent)})" if data.absent else ""
    # Plain fields go into the markup source escaped (markup.literal); agenda and conclusion are markup.
    source = "\n".join([
        literal(f"Vào lúc {clock(data.start.time())}, {legal_date(data.start.date())}, tại {data.place}, "
                f"{doc.extra['council_full_name']} {meeting.rstrip('.')}."),
        "",
        "# Thành phần",
        "- " + literal(f"Chủ trì: {data.chair.name}, {data.chair.title};"),
        "- " + literal(f"Thư ký: {data.secretary.name}, {data.secretary.title};"),
        "- " + literal(f"Thành viên Hội đồng có mặt: {present}{absent}."),
        "",
        "# Nội dung",
        data.agenda,
        "",
        "# Kết quả bỏ phiếu",
        literal(f"Hội đồng bỏ phiếu kín đề nghị tặng {data.award}; kết quả như sau:"),
        "",
        VOTES_HERE,
        "",
        "# Kết luận",
        data.conclusion,
    ])
    blocks = markup.parse(source)
    blocks.append(paragraph("p", f"Cuộc họp kết thúc vào lúc {clock(data.end)} cùng ngày. Biên bản đã được "
                                 "thông qua trước toàn thể thành viên dự họp."))
    blocks = markup.end_content(blocks)
    split = next(i for i, b in enumerate(blocks) if b.text == VOTES_HERE)
    ctx = common_context(doc)
    ctx["body"] = body_blocks(blocks[:split])
    ctx["body_after"] = body_blocks(blocks[split + 1:])
    ctx["votes"] = [{"no": str(i), "name": row.name, "unit": row.unit,
                     "votes": f"{padded(row.votes)}/{padded(data.members_total)}", "percent": percent(row.votes, data.members_total)}
                    for i, row in enumerate(data.votes, 1)]
    ctx["signatures"] = [
        {"lines": [data.secretary.role or "THƯ KÝ"], "name": data.secretary.name},
        {"lines": [data.chair.role or "CHỦ TỊCH HỘI ĐỒNG"], "name": data.chair.name},
    ]
    return ctx


def chair(doc: Document) -> Signer:
    """The minutes are signed for the council by its chair (and the secretary)."""
    member = doc.data.chair
    return Signer(name=member.name, title=member.role or "CHỦ TỊCH HỘI ĐỒNG")


KIND = Kind("bien_ban", "Biên bản họp Hội đồng Thi đua - Khen thưởng", "BIÊN BẢN", "BB", True, MeetingData, context,
            "minutes of the emulation-and-commendation council: attendance, agenda, vote per nominee, two signatures",
            resolve_issuer=resolve_issuer, signed_by=chair)

"""Báo cáo thành tích (achievement report) of one individual or one collective.

An annex of a nomination dossier: no number of its own, signed by the nominee and
certified by the head of the unit (individual), or by the unit's head and certified by
the level above (collective); layout after Decree 98/2023/NĐ-CP, forms 01 and 02.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .. import markup
from ..markup import literal
from ..agency import Strict
from ..datafile import Date
from ..vietnamese import short_date, upper
from .base import Document, DocumentData, Kind, body_blocks, common_context, header_names, upper_lines

TITLES_HERE = "\x01titles"
AWARDS_HERE = "\x01awards"


class Initiative(Strict):
    title: str = Field(title="Tên sáng kiến, đề tài")
    recognition: str = Field(title="Công nhận", examples=["Quyết định số 125/QĐ-SGDĐT ngày 20/5/2024 của Sở GD&ĐT công nhận phạm vi ảnh hưởng cấp tỉnh"])


class Recognition(Strict):
    year: str = Field(title="Năm", examples=["2023-2024"])
    title: str = Field(title="Danh hiệu / hình thức khen thưởng", examples=["Chiến sĩ thi đua cơ sở"])
    decision: str = Field(title="Số, ngày quyết định; cơ quan ban hành", examples=["Quyết định số 412/QĐ-SGDĐT ngày 10/8/2024 của Sở GD&ĐT Cao Bằng"])

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class Signatory(Strict):
    role: str = Field(title="Chức danh ký", examples=["HIỆU TRƯỞNG"])
    name: str = Field("", title="Họ và tên", description="blank leaves room for the name by hand")
    note: str = Field("", title="Ghi chú dưới chức danh", examples=["(Ký, đóng dấu)"])


class AchievementData(DocumentData):
    subject_type: Literal["individual", "collective"] = Field(title="Đối tượng (cá nhân / tập thể)")
    award: str = Field(title="Hình thức đề nghị", examples=["Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"])
    period: str = Field(title="Thời gian lập thành tích", examples=["năm học 2023-2024 và 2024-2025"])
    unit: str = Field(title="Đơn vị", description="the nominee's unit (or the collective itself), upper-cased in the header",
                      examples=["Trường THPT Chuyên Cao Bằng"])
    parent_unit: str = Field("", title="Đơn vị cấp trên",
                             description="the line above the unit in the header; default the agency's name",
                             examples=["PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN HÒA AN"])
    name: str = Field(title="Họ và tên / Tên tập thể", examples=["Hoàng Thị Thu Hà"])
    profile: dict[str, str] = Field(
        default_factory=dict, title="Sơ lược lý lịch / đặc điểm",
        description="label -> value, printed in order ('Sinh ngày', 'Quê quán', 'Trình độ chuyên môn'; for a collective 'Địa chỉ', 'Điện thoại', ...)",
    )
    birth_date: Date | None = Field(None, title="Ngày sinh")
    sex: str = Field("", title="Giới tính")
    position: str = Field("", title="Chức vụ")
    duties: str = Field(title="Chức năng, nhiệm vụ được giao", description="markup")
    achievements: str = Field(title="Thành tích đạt được", description="markup")
    initiatives: list[Initiative] = Field(default_factory=list, title="Sáng kiến, đề tài")
    titles: list[Recognition] = Field(default_factory=list, title="Danh hiệu thi đua đã đạt")
    awards: list[Recognition] = Field(default_factory=list, title="Hình thức khen thưởng đã nhận")
    reporter: Signatory = Field(title="Người báo cáo / thủ trưởng đơn vị")
    certifier: Signatory = Field(title="Thủ trưởng xác nhận")


    @field_validator("profile", mode="before")
    @classmethod
    def _profile_text(cls, value: Any) -> Any:
        """A year or a head count typed as a number is still a profile line."""
        if isinstance(value, dict):
            return {k: str(v) if isinstance(v, (int, float)) else v for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _individual(self) -> "AchievementData":
        if self.subject_type == "individual" and self.birth_date is None:
            raise ValueError("an individual's report needs birth_date (Ngày sinh)")
        return self


def _profile_lines(data: AchievementData) -> list[str]:
    if data.subject_type == "individual":
        fixed = [("Họ và tên", data.name), ("Sinh ngày", short_date(data.birth_date) if data.birth_date else ""),
                 ("Giới tính", data.sex), ("Chức vụ", data.position), ("Đơn vị công tác", data.unit)]
    else:
        fixed = [("Tên tập thể", data.name)]
    rows = fixed + list(data.profile.items())
    return ["- " + literal(f"{label}: {value}.") for label, value in rows if value]


def context(doc: Document) -> dict[str, Any]:
    data: AchievementData = doc.data
    individual = data.subject_type == "individual"
    initiatives = ["- " + literal(f"{i.title}: {i.recognition}.") for i in data.initiatives]
    source = "\n".join([
        "# " + ("Sơ lược lý lịch" if individual else "Sơ lược đặc điểm, tình hình"),
        *_profile_lines(data),
        "",
        "# Thành tích đạt được",
        "## " + ("Quyền hạn, nhiệm vụ được giao" if individual else "Chức năng, nhiệm vụ được giao"),
        data.duties,
        "",
        "## Thành tích đạt được",
        data.achievements,
        "",
        *(["## Sáng kiến, đề tài, giải pháp đổi mới", *initiatives, ""] if initiatives else []),
        "# Các hình thức đã được khen thưởng",
        "## Danh hiệu thi đua",
        "" if data.titles else "Chưa có.\n",  # a blank line keeps the table marker a paragraph of its own
        TITLES_HERE,
        "",
        "## Hình thức khen thưởng",
        "" if data.awards else "Chưa có.\n",
        AWARDS_HERE,
    ])
    blocks = markup.parse(source)
    texts = [b.text for b in blocks]
    t, a = texts.index(TITLES_HERE), texts.index(AWARDS_HERE)
    ctx = common_context(doc)
    if data.parent_unit:
        ctx.update(header_names(upper(data.parent_unit), upper(data.unit)))
    else:
        ctx.update(header_names(doc.agency.name, upper(data.unit), doc.agency.name_lines))
    ctx["type_name"] = "BÁO CÁO THÀNH TÍCH"
    ctx["subject_lines"] = [f"Đề nghị tặng {data.award}", f"({data.period})"]
    ctx["body"] = body_blocks(blocks[:t])
    ctx["body_mid"] = body_blocks(blocks[t + 1:a])
    ctx["titles"] = [{"year": r.year, "title": r.title, "decision": r.decision} for r in data.titles]
    ctx["awards"] = [{"year": r.year, "title": r.title, "decision": r.decision} for r in data.awards]
    # The certifying head signs on the left, the one reporting on the right (forms 01, 02).
    ctx["signatures"] = [{"lines": upper_lines(s.role), "note": s.note, "name": s.name}
                         for s in (data.certifier, data.reporter)]
    return ctx


KIND = Kind("bao_cao_thanh_tich", "Báo cáo thành tích", "BÁO CÁO THÀNH TÍCH", None, False, AchievementData, context,
            "the achievement report of one nominee (individual or collective), an annex of the dossier")

"""The campaign file: one nomination round, written once by the commendation officer.

It names the movement and its period, the award requested, the submitting agency (the
agency file), whom the submission goes to and on which legal bases, the council meeting,
and the signers. Whatever the documents can compute (counts, votes, lists) is not typed here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import Field, model_validator

from ..agency import Agency, Strict, load_agency
from ..datafile import Date, read_mapping, validate
from ..errors import DataError
from ..kinds.bao_cao_thanh_tich import Signatory
from ..kinds.bien_ban import Member


class Submission(Strict):
    drafting_unit: str = Field(title="Đơn vị soạn thảo", examples=["VP"])
    signer: str = Field(title="Người ký", description="key of a signer in the agency file", examples=["giam_doc"])
    date: Date | None = Field(None, title="Ngày ký Tờ trình", description="blank: a draft, dated when signed")
    number: int | None = Field(None, ge=1, title="Số Tờ trình", description="given at issue (or by --issue)")
    subject: str = Field("", title="Trích yếu", description="default: 'Về việc đề nghị tặng <award> ...'")
    addressees: list[str] = Field(min_length=1, title="Kính gửi",
                                  examples=[["Bộ Giáo dục và Đào tạo (qua Vụ Thi đua - Khen thưởng)"]])
    bases: list[str] = Field(default_factory=list, title="Căn cứ")
    body: str = Field("", title="Kết quả phong trào", description="markup; the council's result is added after it")
    recipients: list[str] = Field(default_factory=lambda: ["Như kính gửi"], title="Nơi nhận")
    drafter: str | None = Field(None, title="Ký hiệu người soạn thảo")
    copies: int | None = Field(None, ge=1, title="Số lượng bản")



class Meeting(Strict):
    council: str = Field(title="Hội đồng", description="key of a council in the agency file", examples=["hdtdkt"])
    start: dt.datetime = Field(title="Thời gian bắt đầu", examples=["2025-06-10 08:00"])
    end: dt.time = Field(title="Thời gian kết thúc", examples=["11:00"])
    place: str = Field(title="Địa điểm")
    chair: Member = Field(title="Chủ trì")
    secretary: Member = Field(title="Thư ký")
    members_present: int = Field(ge=1, title="Số thành viên có mặt")
    members_total: int = Field(ge=1, title="Tổng số thành viên")
    absent: list[str] = Field(default_factory=list, title="Vắng mặt")
    number: int | None = Field(None, ge=1, title="Số Biên bản", description="given at issue (or by --issue)")
    agenda: str = Field("", title="Nội dung cuộc họp", description="markup; default: the usual order of business")
    conclusion: str = Field("", title="Kết luận thêm", description="markup added after the computed conclusion")

    @model_validator(mode="after")
    def _present(self) -> "Meeting":
        if self.members_present > self.members_total:
            raise ValueError(f"members_present ({self.members_present}) is more than members_total ({self.members_total})")
        return self


class Reports(Strict):
    date: Date | None = Field(None, title="Ngày lập báo cáo")
    period: str = Field("", title="Thời gian lập thành tích",
                        description="default: 'Thành tích trong <movement> <period>'")
    details: str | None = Field(None, title="Thư mục chi tiết thành tích",
                                description="folder of per-nominee YAML files, relative to the campaign file",
                                examples=["details"])
    individual_reporter: Signatory = Field(
        Signatory(role="NGƯỜI BÁO CÁO THÀNH TÍCH", note="(Ký, ghi rõ họ và tên)"), title="Người báo cáo (cá nhân)")
    individual_certifier: Signatory = Field(
        Signatory(role="THỦ TRƯỞNG ĐƠN VỊ\nXÁC NHẬN, ĐỀ NGHỊ", note="(Ký, đóng dấu)"), title="Xác nhận (cá nhân)")
    collective_reporter: Signatory = Field(
        Signatory(role="THỦ TRƯỞNG ĐƠN VỊ", note="(Ký, đóng dấu)"), title="Người báo cáo (tập thể)")
    collective_certifier: Signatory = Field(
        Signatory(role="XÁC NHẬN CỦA CẤP TRÊN TRỰC TIẾP", note="(Ký, đóng dấu)"), title="Xác nhận (tập thể)")



class ChecklistItem(Strict):
    title: str = Field(title="Tên tài liệu", examples=["Bản sao quyết định công nhận sáng kiến"])
    copies: int = Field(1, ge=1, title="Số bản")
    note: str = Field("", title="Ghi chú")


class Checklist(Strict):
    preparer: Signatory = Field(Signatory(role="NGƯỜI LẬP DANH MỤC"), title="Người lập danh mục")
    copies: int = Field(1, ge=1, title="Số bản mỗi tài liệu")
    extra: list[ChecklistItem] = Field(default_factory=list, title="Tài liệu kèm theo khác",
                                       description="supporting evidence sent on paper with the dossier")


class Campaign(Strict):
    agency: str | Agency | None = Field(None, title="Tệp cơ quan",
                                        description="agency file, relative to the campaign file (required but "
                                                    "on the web, where the archive's agency is used)",
                                        examples=["../agency.yaml"])
    movement: str = Field(title="Phong trào thi đua",
                          examples=["Phong trào thi đua “Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập”"])
    period: str = Field(title="Giai đoạn", examples=["giai đoạn 2020-2025"])
    start_year: int = Field(ge=1945, le=2100, title="Năm bắt đầu")
    end_year: int = Field(ge=1945, le=2100, title="Năm kết thúc")
    award: str = Field(title="Hình thức đề nghị", description="an award of the rules file, by name or alias",
                       examples=["Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"])
    decider: str = Field(title="Người quyết định khen thưởng", examples=["Bộ trưởng Bộ Giáo dục và Đào tạo"])
    achievement: str = Field("", title="Thành tích", description="default: 'đã có thành tích xuất sắc trong thực hiện <movement> <period>'")
    submission: Submission = Field(title="Tờ trình")
    meeting: Meeting = Field(title="Cuộc họp Hội đồng Thi đua - Khen thưởng")
    reports: Reports = Field(default_factory=Reports, title="Báo cáo thành tích")
    checklist: Checklist = Field(default_factory=Checklist, title="Danh mục hồ sơ")

    @model_validator(mode="after")
    def _years(self) -> "Campaign":
        if self.start_year > self.end_year:
            raise ValueError(f"start_year ({self.start_year}) is after end_year ({self.end_year})")
        return self

    @property
    def achievement_text(self) -> str:
        return self.achievement or f"đã có thành tích xuất sắc trong thực hiện {self.movement} {self.period}"

    @property
    def report_period(self) -> str:
        return self.reports.period or f"Thành tích trong {self.movement} {self.period}"


class LoadedCampaign:
    """A campaign with its agency resolved and the folder its relative paths start from."""

    def __init__(self, campaign: Campaign, agency: Agency, path: Path, notes: list[str] | None = None):
        self.campaign, self.agency, self.path = campaign, agency, path
        self.notes = notes or []  # what the build report says about how the file was read

    @property
    def details_dir(self) -> Path | None:
        folder = self.campaign.reports.details
        return (self.path.parent / folder) if folder else None


def load_campaign(path: str | Path, *, agency: Agency | None = None, details: bool = True) -> LoadedCampaign:
    """The campaign file at `path`. With `agency` (an archive's own, for an uploaded campaign) the file's
    `agency` is not read; without `details` (an upload has no folder beside it) `reports.details` is not
    read either and the report says so."""
    path = Path(path)
    campaign = validate(Campaign, read_mapping(path), str(path))
    notes = []
    if agency is None:
        if campaign.agency is None:
            raise DataError(str(path), ["field 'agency' (Tệp cơ quan): missing: give the agency file, relative to "
                                        "the campaign file"])
        agency = campaign.agency if isinstance(campaign.agency, Agency) else load_agency(path.parent / campaign.agency)
    if not details and campaign.reports.details:
        notes.append(f"reports.details ({campaign.reports.details}) không được đọc: hồ sơ tải lên không kèm thư mục "
                     "chi tiết thành tích")
        campaign.reports.details = None
    problems = []
    if campaign.submission.drafting_unit not in agency.units:
        problems.append(f"field 'submission.drafting_unit' (Đơn vị soạn thảo): {campaign.submission.drafting_unit!r} "
                        f"is not a unit of the agency file (known: {', '.join(agency.units)})")
    if campaign.submission.signer not in agency.signers:
        problems.append(f"field 'submission.signer' (Người ký): no signer {campaign.submission.signer!r} in the agency "
                        f"file (known: {', '.join(agency.signers)})")
    if campaign.meeting.council not in agency.councils:
        problems.append(f"field 'meeting.council' (Hội đồng): no council {campaign.meeting.council!r} in the agency "
                        f"file (known: {', '.join(agency.councils) or 'none'})")
    if problems:
        raise DataError(str(path), problems)
    return LoadedCampaign(campaign, agency, path, notes)

"""Per-nominee detail for the achievement report (one YAML file each, matched by name and unit).

Duties, results, initiatives with their recognition, earlier titles and awards by year:
what a spreadsheet row has no room for. A nominee without a file gets a report built from
the list's summary, and the build report says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from ..agency import Strict
from ..datafile import Date, read_mapping, validate
from ..errors import DataError
from ..kinds.bao_cao_thanh_tich import Recognition, Signatory
from .folding import match_key


class InitiativeDetail(Strict):
    title: str = Field(title="Tên sáng kiến, đề tài")
    recognition: str = Field(title="Công nhận", description="the recognising decision; its wording gives the level")
    level: str | None = Field(None, title="Cấp công nhận", description="a key of the rules' initiative_levels, if the wording does not say")


class NomineeDetail(Strict):
    name: str = Field(title="Họ và tên / Tên tập thể", description="as in the nominee list")
    unit: str = Field("", title="Đơn vị", description="as in the nominee list; tells apart two people of one name")
    report_unit: str = Field("", title="Đơn vị ghi trên báo cáo", description="default: the unit (a collective: itself)")
    parent_unit: str = Field("", title="Đơn vị cấp trên ghi trên báo cáo", description="default: worked out from the list")
    date: Date | None = Field(None, title="Ngày lập báo cáo")
    profile: dict[str, str] = Field(default_factory=dict, title="Sơ lược lý lịch / đặc điểm")
    duties: str = Field("", title="Chức năng, nhiệm vụ được giao")
    achievements: str = Field("", title="Thành tích đạt được")
    initiatives: list[InitiativeDetail] = Field(default_factory=list, title="Sáng kiến, đề tài")
    titles: list[Recognition] = Field(default_factory=list, title="Danh hiệu thi đua đã đạt")
    awards: list[Recognition] = Field(default_factory=list, title="Hình thức khen thưởng đã nhận")
    reporter: Signatory | None = Field(None, title="Người báo cáo")
    certifier: Signatory | None = Field(None, title="Xác nhận")


    @field_validator("profile", mode="before")
    @classmethod
    def _profile(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value


@dataclass
class DetailFile:
    path: Path
    detail: NomineeDetail


def load_details(folder: Path | None) -> list[DetailFile]:
    if folder is None:
        return []
    if not folder.is_dir():
        raise DataError(str(folder), ["thư mục chi tiết thành tích không tồn tại (reports.details trong tệp chiến dịch)"])
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    return [DetailFile(path, validate(NomineeDetail, read_mapping(path), str(path))) for path in files]


def match_details(entries: list, details: list[DetailFile]) -> tuple[dict[int, DetailFile], list[str]]:
    """Entry index -> its detail file, and notes about files that match no one.

    A file matches the nominee of the same name and unit (folded); a file without a unit
    matches the only nominee of that name.
    """
    by_key: dict[tuple[str, str], list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        by_key.setdefault((match_key(entry.name), match_key(entry.unit)), []).append(index)
        by_name.setdefault(match_key(entry.name), []).append(index)
    matched: dict[int, DetailFile] = {}
    notes, problems = [], []
    for item in details:
        name, unit = match_key(item.detail.name), match_key(item.detail.unit)
        candidates = by_key.get((name, unit), []) if unit else by_name.get(name, [])
        if len(candidates) != 1:
            why = "không khớp với tập thể, cá nhân nào trong danh sách" if not candidates else \
                "khớp với nhiều người cùng tên: ghi thêm 'unit' (đơn vị) như trong danh sách"
            notes.append(f"{item.path.name}: {item.detail.name}" + (f" ({item.detail.unit})" if item.detail.unit else "")
                         + f" {why}")
            continue
        index = candidates[0]
        if index in matched:
            problems.append(f"{item.path.name} and {matched[index].path.name} both describe {item.detail.name}")
            continue
        matched[index] = item
    if problems:
        raise DataError(str(details[0].path.parent), problems)
    return matched, notes

"""Which column of a nominee list holds what: headers matched in any order, case or spelling.

A header is folded (no marks, `đ` as `d`) and compared with the aliases below; a longer
alias found inside a header wins over a shorter one (`Chức vụ, đơn vị công tác` is the
combined column, not `Đơn vị`). Earlier titles (`Năm đạt CSTĐCS`) come from the rules file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .folding import match_key
from .rules import Rules

# field -> (Vietnamese name for messages, aliases); the first alias is the usual header.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "no": ("STT", ("STT", "Số thứ tự", "TT", "Số TT")),
    "type": ("Loại", ("Loại", "Loại (Tập thể/Cá nhân)", "Phân loại", "Đối tượng", "Tập thể/Cá nhân",
                      "Tập thể hay cá nhân", "Loại đối tượng", "Loại hình")),
    "name": ("Họ và tên", ("Họ và tên", "Họ tên", "Tên", "Tên tập thể", "Tên tập thể, cá nhân", "Tên tập thể/cá nhân",
                           "Họ và tên/Tên tập thể", "Tên tập thể hoặc họ và tên", "Tên đơn vị", "Tên tập thể/Họ và tên",
                           "Họ và tên cá nhân", "Tập thể, cá nhân", "Tên cá nhân", "Họ và tên / tên tập thể")),
    "birth_date": ("Ngày sinh", ("Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày", "Năm sinh",
                                 "Ngày/tháng/năm sinh")),
    "sex": ("Giới tính", ("Giới tính", "Nam/Nữ", "Nam, nữ", "Phái")),
    "position": ("Chức vụ", ("Chức vụ", "Chức danh", "Chức vụ/Chức danh", "Chức vụ, chức danh", "Chức vụ hiện nay")),
    "unit": ("Đơn vị", ("Đơn vị", "Đơn vị công tác", "Cơ quan, đơn vị", "Cơ quan/Đơn vị", "Nơi công tác",
                        "Đơn vị trực thuộc", "Đơn vị quản lý", "Cơ quan công tác", "Trường", "Đơn vị đề nghị")),
    "position_unit": ("Chức vụ, đơn vị công tác", ("Chức vụ, đơn vị công tác", "Chức vụ, đơn vị", "Chức vụ và đơn vị công tác",
                                                   "Chức vụ/Đơn vị", "Chức danh, đơn vị công tác")),
    "award": ("Hình thức đề nghị", ("Hình thức đề nghị", "Hình thức khen thưởng", "Hình thức đề nghị khen thưởng",
                                    "Hình thức khen thưởng đề nghị", "Danh hiệu đề nghị", "Đề nghị khen thưởng",
                                    "Hình thức", "Danh hiệu/Hình thức đề nghị", "Đề nghị")),
    "summary": ("Thành tích tóm tắt", ("Thành tích tóm tắt", "Tóm tắt thành tích", "Thành tích", "Thành tích nổi bật",
                                       "Tóm tắt thành tích nổi bật", "Thành tích đạt được")),
    "votes": ("Số phiếu đồng ý", ("Số phiếu đồng ý", "Số phiếu", "Phiếu đồng ý", "Số phiếu bầu đồng ý", "Kết quả bỏ phiếu",
                                  "Số phiếu tán thành", "Đồng ý", "Tán thành", "Số phiếu đạt", "Phiếu bầu", "Kết quả bầu")),
    "votes_total": ("Tổng số phiếu", ("Tổng số phiếu", "Tổng số thành viên", "Tổng số thành viên Hội đồng", "Số thành viên",
                                      "Số thành viên Hội đồng", "Tổng số", "Số phiếu phát ra", "Tổng số phiếu bầu",
                                      "Số phiếu tổng số", "Số người bỏ phiếu", "Số thành viên có mặt")),
    "initiatives": ("Sáng kiến", ("Sáng kiến", "Số sáng kiến", "Sáng kiến được công nhận", "Sáng kiến, đề tài",
                                  "Số sáng kiến được công nhận", "Sáng kiến kinh nghiệm", "SKKN", "Sáng kiến/đề tài")),
    "initiative_level": ("Cấp công nhận sáng kiến", ("Cấp công nhận sáng kiến", "Cấp công nhận", "Phạm vi ảnh hưởng",
                                                     "Cấp sáng kiến")),
    "ignored": ("", ("Ghi chú", "Tỷ lệ", "Tỷ lệ %", "Tỷ lệ phiếu", "Tỷ lệ phiếu đồng ý", "Tỷ lệ (%)", "Điện thoại",
                     "Email", "Số điện thoại", "Dân tộc", "Quê quán", "Trình độ", "Trình độ chuyên môn", "Ký tên")),
}

# Aliases matched only as the whole header: short words that occur inside unrelated headers.
WHOLE_ONLY = {"tt", "ten", "loai", "phai", "truong", "hinh thuc", "dong y", "tong so", "de nghi", "thanh tich",
              "doi tuong", "so phieu", "tan thanh", "phieu bau", "so tt"}

_ALIASES: list[tuple[str, str]] = sorted(
    ((match_key(alias), field) for field, (_, aliases) in FIELDS.items() for alias in aliases),
    key=lambda pair: -len(pair[0]),
)
_PARENS = re.compile(r"\([^)]*\)")


def label(field: str) -> str:
    """The usual Vietnamese header of a field, for messages about a missing column."""
    if field.startswith("title:"):
        return field.split(":", 1)[1]
    return FIELDS[field][0]


def match_header(text: str, rules: Rules) -> str | None:
    """The field a header names, `title:<key>` for an earlier title's years, or None."""
    full = match_key(text)
    bare = match_key(_PARENS.sub(" ", text))
    if not full:
        return None
    for candidate in (full, bare):
        for alias, field in _ALIASES:
            if candidate == alias:
                return field
    title = rules.title_key(bare, whole=False) or rules.title_key(full, whole=False)
    if title:
        return f"title:{title}"
    for candidate in (bare, full):
        padded = f" {candidate} "
        for alias, field in _ALIASES:
            if alias not in WHOLE_ONLY and f" {alias} " in padded:
                return field
    return None


@dataclass
class Column:
    index: int  # 0-based
    header: str  # as typed (parent and sub-header joined)
    field: str


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

"""The layout law in numbers: Decree 30/2020/NĐ-CP, Appendix I.

One table that both the template builder (which picks one value per element) and the
conformance checker (which accepts the whole legal range) read, so they cannot disagree.
Lengths are in the unit they are written in the law (mm, cm, pt); `twips` converts.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT = "Times New Roman"

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297

# (lowest, highest) allowed by the law, and the value our templates use.
MARGIN_RANGES_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}

BODY_SIZES = (13, 14)
BODY_SIZE = 14
BODY_INDENT_CM_RANGE = (1.0, 1.27)
BODY_INDENT_CM = 1.27
BODY_SPACE_AFTER_PT_MIN = 6
BODY_SPACE_AFTER_PT = 6
# Line spacing "from single to 1.5 lines": w:line in 240ths of a line when lineRule=auto.
LINE_SPACING_RANGE = (240, 360)
LINE_SPACING = 264  # 1.1 lines

# The header's left column (agency) and the signature block's left column (Nơi nhận).
HEADER_COLUMN_CM = 6.5
RECIPIENTS_COLUMN_CM = 7.5

PAGE_NUMBER_SIZES = (13, 14)
PAGE_NUMBER_SIZE = 13


@dataclass(frozen=True)
class PartStyle:
    """How one part of the document (thể thức) must look."""

    label: str  # the part's Vietnamese name, used in findings and help
    sizes: tuple[int, int]  # allowed range in pt
    size: int  # the value our templates use
    bold: bool | None  # None: the law does not say
    italic: bool | None
    upper: bool = False


PARTS: dict[str, PartStyle] = {
    "national_title": PartStyle("Quốc hiệu", (12, 13), 12, True, False, upper=True),
    "motto": PartStyle("Tiêu ngữ", (13, 14), 13, True, False),
    "parent_agency": PartStyle("Tên cơ quan chủ quản", (12, 13), 12, False, False, upper=True),
    "agency": PartStyle("Tên cơ quan ban hành", (12, 13), 12, True, False, upper=True),
    "number": PartStyle("Số, ký hiệu", (13, 13), 13, None, False),
    "date": PartStyle("Địa danh, thời gian", (13, 14), 14, None, True),
    "type_name": PartStyle("Tên loại văn bản", (13, 14), 14, True, False, upper=True),
    "subject": PartStyle("Trích yếu nội dung", (13, 14), 14, True, False),
    "letter_subject": PartStyle("Trích yếu công văn (V/v)", (12, 13), 12, False, False),
    "authority": PartStyle("Quyền hạn, chức vụ người ký", (13, 14), 14, True, False, upper=True),
    "signer": PartStyle("Họ tên người ký", (13, 14), 14, True, False),
    "addressees": PartStyle("Kính gửi", (14, 14), 14, None, False),
    "recipients_label": PartStyle("Nơi nhận (nhãn)", (12, 12), 12, True, True),
    "recipients": PartStyle("Nơi nhận (danh sách)", (11, 11), 11, False, False),
    "mark": PartStyle("Dấu chỉ độ mật, mức độ khẩn", (13, 14), 13, True, False, upper=True),
    "circulation": PartStyle("Chỉ dẫn phạm vi lưu hành", (13, 14), 13, True, False, upper=True),
    "copies": PartStyle("Ký hiệu người soạn thảo, số lượng bản", (11, 11), 11, None, None),
    "contact": PartStyle("Thông tin liên hệ", (11, 12), 11, None, None),
    "body": PartStyle("Nội dung", BODY_SIZES, BODY_SIZE, None, None),
    "page_number": PartStyle("Số trang", PAGE_NUMBER_SIZES, PAGE_NUMBER_SIZE, False, False),
}

# Length of the rule under a part, as a share of the text's own length.
RULE_SHARE = {"motto": (1.0, 1.0), "agency": (1 / 3, 1 / 2), "subject": (1 / 3, 1 / 2)}
RULE_SHARE_USED = {"motto": 1.0, "agency": 0.4, "subject": 0.4}

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

SECRECY_MARKS = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
URGENCY_MARKS = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")
CIRCULATION_NOTES = ("XEM XONG TRẢ LẠI", "LƯU HÀNH NỘI BỘ")
SIGNING_PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")

# Type codes, Decree 30 Appendix III.
TYPE_CODES = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC",
    "Quy định": "QyĐ", "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD",
    "Chương trình": "CTr", "Kế hoạch": "KH", "Phương án": "PA", "Đề án": "ĐA",
    "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "GN", "Bản thỏa thuận": "TTh",
    "Giấy ủy quyền": "UQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT",
    "Giấy nghỉ phép": "NP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB",
}


def twips(*, mm: float = 0, cm: float = 0, pt: float = 0) -> int:
    """Word's unit, 1/20 pt."""
    return round(mm * 1440 / 25.4 + cm * 1440 / 2.54 + pt * 20)


def text_width_mm() -> float:
    return PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]

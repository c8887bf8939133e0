"""Make examples/dossier/nominees.xlsx, the list the units sent in, as an office lays it out.

    .venv/bin/python examples/dossier/make_nominees.py

A title block above the header, Vietnamese headers, collectives and individuals in one
sheet told apart by the `Loại` column, birth dates as Excel dates, votes typed as `10/11`,
the years of earlier titles, a totals line and the preparer's signature under the table.
The same 12 nominees and votes as examples/to_trinh.yaml and examples/bien_ban.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

OUT = Path(__file__).resolve().parent / "nominees.xlsx"

HEADERS = ["STT", "Họ và tên / Tên tập thể", "Loại", "Ngày sinh", "Giới tính", "Chức vụ", "Đơn vị",
           "Hình thức đề nghị", "Thành tích tóm tắt", "Số phiếu đồng ý", "Năm đạt CSTĐCS",
           "Số sáng kiến được công nhận", "Ghi chú"]
WIDTHS = [6, 34, 10, 12, 9, 20, 32, 30, 60, 12, 18, 14, 12]
AWARD = "Bằng khen của Bộ trưởng Bộ GD&ĐT"

# (Loại, name, birth date, sex, position, unit, summary, votes of 11, CSTĐCS years, initiatives)
NOMINEES = [
    ("Tập thể", "Trường PTDTNT tỉnh Cao Bằng", None, "", "", "Sở Giáo dục và Đào tạo Cao Bằng",
     "Đổi mới công tác nuôi dưỡng, giáo dục học sinh dân tộc thiểu số; 100% học sinh tốt nghiệp THPT ba năm liền; "
     "01 dự án khoa học kỹ thuật đạt giải cấp quốc gia năm 2024", 10, "", 1),
    ("Tập thể", "Trường THCS Hợp Giang", None, "", "", "Phòng GD&ĐT thành phố Cao Bằng",
     "Đơn vị dẫn đầu thành phố về chuyển đổi số trong quản lý và dạy học; đạt kiểm định chất lượng giáo dục cấp độ 3 "
     "năm 2023", 9, "", None),
    ("Tập thể", "Tổ Toán - Tin, Trường THPT Chuyên Cao Bằng", None, "", "", "Trường THPT Chuyên Cao Bằng",
     "Bồi dưỡng học sinh đạt 11 giải Kỳ thi chọn học sinh giỏi quốc gia môn Toán, Tin học giai đoạn 2020-2025", 10, "", None),
    ("Cá nhân", "Nông Thị Thu Hằng", dt.date(1983, 4, 12), "Nữ", "Tổ trưởng Tổ Ngữ văn", "Trường THPT Chuyên Cao Bằng",
     "Bồi dưỡng 07 học sinh đạt giải Kỳ thi chọn học sinh giỏi quốc gia môn Ngữ văn; 02 sáng kiến được công nhận; "
     "Chiến sĩ thi đua cơ sở hai năm liền", 10, "2022-2023, 2023-2024", 2),
    ("Cá nhân", "Lý Văn Thịnh", dt.date(1972, 9, 5), "Nam", "Hiệu trưởng", "Trường THPT Thành phố Cao Bằng",
     "Chỉ đạo quản trị nhà trường trên nền tảng số; tỷ lệ học sinh tốt nghiệp THPT đạt 100% ba năm liền", 9,
     "2023-2024", 1),
    ("Cá nhân", "Lục Thị Mai", dt.date(1988, 2, 20), "Nữ", "Giáo viên", "Trường Tiểu học Sông Bằng",
     "Giáo viên dạy giỏi cấp tỉnh; sáng kiến tăng cường tiếng Việt cho học sinh lớp 1 người dân tộc thiểu số", 9,
     "2024-2025", 1),
    ("Cá nhân", "Đinh Văn Quang", dt.date(1976, 11, 3), "Nam", "Trưởng phòng", "Phòng GD&ĐT huyện Hòa An",
     "Tham mưu sắp xếp mạng lưới trường, lớp; 100% trường học trên địa bàn sử dụng học bạ, sổ điểm điện tử", 8, "", 1),
    ("Cá nhân", "Bế Thị Hương", dt.date(1985, 6, 18), "Nữ", "Phó Hiệu trưởng", "Trường Mầm non Tuổi thơ",
     "Chỉ đạo xây dựng trường mầm non lấy trẻ làm trung tâm; sáng kiến tổ chức hoạt động trải nghiệm cho trẻ 5 tuổi", 9,
     "2023-2024, 2024-2025", 1),
    ("Cá nhân", "Triệu Văn Khánh", dt.date(1990, 1, 27), "Nam", "Giáo viên", "Trường PTDTNT tỉnh Cao Bằng",
     "Hướng dẫn dự án đạt giải Nhất Cuộc thi khoa học kỹ thuật cấp tỉnh và giải Tư cấp quốc gia năm 2024", 10, "", 1),
    ("Cá nhân", "Lương Thị Ngọc Ánh", dt.date(1987, 8, 9), "Nữ", "Giáo viên", "Trường THCS Hợp Giang",
     "Ứng dụng công nghệ thông tin trong dạy học Tiếng Anh; bồi dưỡng 12 học sinh đạt giải học sinh giỏi cấp tỉnh", 9,
     "", None),
    ("Cá nhân", "Hà Văn Lâm", dt.date(1980, 12, 15), "Nam", "Phó Giám đốc", "Trung tâm GDNN-GDTX huyện Hòa An",
     "Mở rộng liên kết đào tạo nghề cho học viên giáo dục thường xuyên; tỷ lệ học viên tốt nghiệp đạt trên 95%", 8,
     "", None),
    ("Cá nhân", "Sầm Thị Thúy", dt.date(1991, 3, 22), "Nữ", "Nhân viên thư viện", "Trường THCS Hợp Giang",
     "Xây dựng thư viện số với trên 3.000 học liệu điện tử; tổ chức hiệu quả Ngày hội đọc sách hằng năm", 8, "", None),
]
MEMBERS_TOTAL = 11


def make(path: Path = OUT) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đề nghị"
    last = len(HEADERS)
    bold = Font(name="Times New Roman", bold=True, size=12)
    plain = Font(name="Times New Roman", size=12)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")

    sheet.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO CAO BẰNG"])
    sheet.append(["DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO"])
    sheet.append(["(Thành tích trong Phong trào thi đua “Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập” "
                  "giai đoạn 2020-2025)"])
    sheet.append([])
    for row in (2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        sheet.cell(row, 1).alignment = Alignment(horizontal="center")
    sheet.cell(1, 1).font = bold
    sheet.cell(2, 1).font = Font(name="Times New Roman", bold=True, size=13)
    sheet.cell(3, 1).font = Font(name="Times New Roman", italic=True, size=12)

    sheet.append(HEADERS)
    header_row = sheet.max_row
    for col in range(1, last + 1):
        cell = sheet.cell(header_row, col)
        cell.font, cell.border = bold, box
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")

    for number, (kind, name, born, sex, position, unit, summary, votes, years, initiatives) in enumerate(NOMINEES, 1):
        sheet.append([number, name, kind, born, sex, position, unit, AWARD, summary,
                      f"{votes}/{MEMBERS_TOTAL}", years or None, initiatives, None])
        row = sheet.max_row
        for col in range(1, last + 1):
            cell = sheet.cell(row, col)
            cell.font, cell.border, cell.alignment = plain, box, wrap
        sheet.cell(row, 4).number_format = "dd/mm/yyyy"
        sheet.cell(row, 10).number_format = "@"  # text: Excel would read 10/11 as a date

    collectives = sum(1 for n in NOMINEES if n[0] == "Tập thể")
    sheet.append([])
    sheet.append([None, f"Tổng cộng: {collectives:02d} tập thể và {len(NOMINEES) - collectives:02d} cá nhân"])
    sheet.cell(sheet.max_row, 2).font = bold
    sheet.append([])
    sheet.append([None, None, None, None, None, None, None, None, "NGƯỜI LẬP BIỂU"])
    sheet.append([None, None, None, None, None, None, None, None, "Nguyễn Thị Hồng Nhung"])

    for col, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[chr(64 + col)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    workbook.properties.creator = "Văn phòng Sở Giáo dục và Đào tạo Cao Bằng"
    # Fixed dates keep the file the same from one run to the next.
    workbook.properties.created = workbook.properties.modified = dt.datetime(2025, 6, 11, 8, 0)
    workbook.save(path)
    _same_bytes_every_time(path)
    return path


def _same_bytes_every_time(path: Path) -> None:
    """Rewrite the .xlsx package with fixed entry dates, so the committed file is reproducible."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":  # openpyxl stamps the time of saving here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-06-11T08:00:00Z", data)
            target.writestr(zipfile.ZipInfo(name, date_time=(2025, 6, 11, 8, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    print(make(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))

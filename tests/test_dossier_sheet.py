"""Reading the nominee lists units send in: real .xlsx files written with openpyxl, and .csv."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from docgen.dossier import CouncilSize, SheetError, load_rules, read_nominee_list
from docgen.errors import DataError

from .conftest import EXAMPLES

EXAMPLE_LIST = EXAMPLES / "dossier" / "nominees.xlsx"
COUNCIL = CouncilSize(present=10, total=11)
TODAY = dt.date(2025, 6, 20)


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per entry, rows as given (None for an empty cell)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def read(path, **options):
    options.setdefault("council", COUNCIL)
    return read_nominee_list(path, rules=load_rules(), today=TODAY, **options)


def faults_of(path, **options) -> list:
    with pytest.raises(SheetError) as caught:
        read(path, **options)
    return caught.value.faults


HEADER = ["STT", "Họ và tên", "Loại", "Ngày sinh", "Giới tính", "Chức vụ", "Đơn vị", "Hình thức đề nghị",
          "Số phiếu đồng ý"]


def person(no, name, born, votes="9/11", *, kind="Cá nhân", unit="Trường THCS Hợp Giang",
           award="Bằng khen của Bộ trưởng Bộ GD&ĐT"):
    return [no, name, kind, born, "Nữ", "Giáo viên", unit, award, votes]


def test_the_example_list_reads_as_the_office_made_it():
    listed = read(EXAMPLE_LIST)
    assert listed.counts() == (3, 9)
    first, hang = listed.entries[0], listed.entries[3]
    # Four title rows above the header, so the first nominee is on row 6 of the sheet.
    assert (first.sheet, first.row, first.type, first.name) == ("Danh sách đề nghị", 6, "collective",
                                                                  "Trường PTDTNT tỉnh Cao Bằng")
    assert (hang.name, hang.birth_date, hang.sex, hang.votes, hang.votes_counted) == (
        "Nông Thị Thu Hằng", dt.date(1983, 4, 12), "Nữ", 10, 11)
    assert hang.award == "bang_khen_bo_truong"  # `Bằng khen của Bộ trưởng Bộ GD&ĐT` is an alias
    assert hang.titles == {"chien_si_thi_dua_co_so": [2023, 2024]}  # school years count by their end
    assert len(hang.initiatives) == 2
    # The totals line and the preparer's signature under the table are not nominees.
    assert all("Tổng cộng" not in e.name and "LẬP BIỂU" not in e.name for e in listed.entries)


def test_headers_without_marks_in_another_order_and_case(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", {"DS": [
        ["DANH SACH DE NGHI KHEN THUONG"],
        [],
        ["don vi", "HO VA TEN", "so phieu dong y", "ngay sinh", "LOAI", "stt", "hinh thuc de nghi"],
        ["Trường THCS Hợp Giang", "Lương Thị Ngọc Ánh", 9, "09/08/1987", "ca nhan", 1, "bang khen cua bo truong"],
        ["Phòng GD&ĐT thành phố Cao Bằng", "Trường THCS Hợp Giang", "9/11 phiếu (81,82%)", None, "TẬP THỂ", 2, None],
    ]})
    a, b = read(path).entries
    assert (a.name, a.unit, a.birth_date, a.votes, a.type) == (
        "Lương Thị Ngọc Ánh", "Trường THCS Hợp Giang", dt.date(1987, 8, 9), 9, "individual")
    assert (b.type, b.award, b.votes_counted) == ("collective", None, 11)


def test_collectives_and_individuals_in_separate_sheets(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", {
        "Hướng dẫn": [["Ghi mỗi tập thể, cá nhân một dòng; không sửa dòng tiêu đề."]],
        "Tập thể": [["STT", "Tên tập thể", "Đơn vị", "Số phiếu đồng ý"],
                    [1, "Trường THCS Hợp Giang", "Phòng GD&ĐT thành phố Cao Bằng", 9]],
        "Cá nhân": [["STT", "Họ và tên", "Ngày sinh", "Đơn vị", "Số phiếu đồng ý"],
                    [1, "Sầm Thị Thúy", dt.datetime(1991, 3, 22), "Trường THCS Hợp Giang", 8],
                    [2, "Hà Văn Lâm", "15/12/1980", "Trung tâm GDNN-GDTX huyện Hòa An", 8]],
    })
    listed = read(path)
    assert [(e.sheet, e.row, e.type) for e in listed.entries] == [
        ("Tập thể", 2, "collective"), ("Cá nhân", 2, "individual"), ("Cá nhân", 3, "individual")]
    assert any("Hướng dẫn" in note for note in listed.notes)


def test_section_rows_two_header_rows_and_the_numbering_row(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", {"Sheet1": [
        ["STT", "Tên tập thể, cá nhân", "Ngày, tháng, năm sinh", "Chức vụ, đơn vị công tác", "Số phiếu", None],
        [None, None, None, None, "Đồng ý", "Tổng số"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["I", "TẬP THỂ"],
        [1, "Trường THCS Hợp Giang", None, "Phòng GD&ĐT thành phố Cao Bằng", 9, 11],
        [None, None, None, None, None, None],
        ["II", "CÁ NHÂN"],
        [1, "Lý Văn Thịnh", "05/09/1972", "Hiệu trưởng, Trường THPT Thành phố Cao Bằng", 9, 11],
        [2],  # a row numbered in advance and left empty
        [None, "Cộng: 01 tập thể, 01 cá nhân"],
    ]})
    collective, individual = read(path).entries
    assert (collective.type, collective.votes, collective.votes_counted) == ("collective", 9, 11)
    assert (individual.type, individual.position, individual.unit) == (
        "individual", "Hiệu trưởng", "Trường THPT Thành phố Cao Bằng")


def test_csv_with_semicolons_and_decomposed_marks_is_read_as_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Nông Thị Thu Hằng")
    text = "\n".join([
        "STT;Họ và tên;Loại;Ngày sinh;Đơn vị;Số phiếu đồng ý",
        f"1;{nfd};Cá nhân;12/04/1983;Trường THPT Chuyên Cao Bằng;10/11",
        ";;;;;",
        ";Tổng số: 01 cá nhân;;;;",
    ])
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8-sig")
    (entry,) = read(path).entries
    assert entry.name == "Nông Thị Thu Hằng" and unicodedata.is_normalized("NFC", entry.name)
    assert entry.where == "dòng 2"


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: â ă ê ô ơ ư whole, tone marks as separate combining marks."""
    text = unicodedata.normalize("NFD", text)
    for base in "aAeEoOuU":
        for mark in "\u0302\u0306\u031b":
            whole = unicodedata.normalize("NFC", base + mark)
            if len(whole) == 1:
                text = text.replace(base + mark, whole)
    return text.encode("cp1258")


def test_csv_saved_by_excel_on_a_vietnamese_windows_is_decoded(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(windows_1258("STT,Họ và tên,Loại,Ngày sinh,Đơn vị,Số phiếu đồng ý\n"
                                  "1,Nông Thị Thu Hằng,Cá nhân,12/04/1983,Trường THPT Chuyên Cao Bằng,10\n"))
    (entry,) = read(path).entries
    assert (entry.name, entry.unit, entry.votes) == ("Nông Thị Thu Hằng", "Trường THPT Chuyên Cao Bằng", 10)


def test_every_fault_is_named_with_its_sheet_row_and_column(tmp_path):
    path = write_xlsx(tmp_path / "faulty.xlsx", {"Danh sách": [
        ["DANH SÁCH ĐỀ NGHỊ"],
        HEADER,
        person(1, "Nông Thị Thu Hằng", "12/04/1983"),
        person(2, "Lục Thị Mai", "31/02/1980"),                               # impossible date
        person(3, "Bế Thị Hương", "18/06/1985", award="Huân chương Lao động"),  # unknown award
        person(4, "Triệu Văn Khánh", "27/01/1990", votes=11),                  # 11 votes, 10 present
        person(5, None, "09/08/1987"),                                         # no name
        person(6, "Hà Văn Lâm", None),                                         # an individual's birth date
        [None, "Đề nghị bổ sung sau khi có kết quả thẩm định"],                  # not a nominee
        person(7, "Nông Thị Thu Hằng", "12/04/1983"),                          # the same person again
        person(8, "Sầm Thị Thúy", "22/03/1991", votes="8/12"),                  # 12 voters: the council has 11
    ]})
    faults = faults_of(path)
    found = {(f.row, f.column): f.message for f in faults}
    assert all(f.sheet == "Danh sách" for f in faults)
    assert "31/02/1980" in found[(4, "D")] and "không phải là ngày có thật" in found[(4, "D")]
    assert "Huân chương Lao động" in found[(5, "H")] and "Bằng khen của Bộ trưởng" in found[(5, "H")]
    assert "11 phiếu đồng ý nhiều hơn số thành viên Hội đồng có mặt (10/11)" in found[(6, "I")]
    assert "thiếu tên" in found[(7, "B")]
    assert "thiếu ngày sinh" in found[(8, "D")]
    assert "không phải là một tập thể, cá nhân" in found[(9, "B")]
    assert "trùng với sheet 'Danh sách', dòng 3" in found[(10, None)]
    assert "không khớp với Hội đồng" in found[(11, "I")]
    assert len(faults) == 8
    # One message for the clerk: file, then one line per fault with its place.
    text = str(SheetError(str(path), faults))
    assert str(path) in text and "sheet 'Danh sách', dòng 4, cột D (Ngày sinh)" in text


def test_votes_in_two_columns_must_agree_and_must_not_be_a_date(tmp_path):
    path = write_xlsx(tmp_path / "votes.xlsx", {"DS": [
        ["STT", "Họ và tên", "Loại", "Ngày sinh", "Đơn vị", "Số phiếu đồng ý", "Tổng số phiếu"],
        [1, "Lý Văn Thịnh", "Cá nhân", "05/09/1972", "Trường THPT Thành phố Cao Bằng", 12, 11],
        [2, "Lục Thị Mai", "Cá nhân", "20/02/1988", "Trường Tiểu học Sông Bằng", dt.datetime(2025, 11, 9), 11],
        [3, "Đinh Văn Quang", "Cá nhân", "03/11/1976", "Phòng GD&ĐT huyện Hòa An", "8/10", 11],
    ]})
    found = {f.row: f for f in faults_of(path)}
    assert "12 phiếu đồng ý nhiều hơn tổng số 11" in found[2].message
    assert found[3].column == "F" and "Excel đã đổi số phiếu thành ngày 09/11" in found[3].message
    assert found[4].column == "G" and "khác với" in found[4].message


def test_a_list_without_the_votes_column_is_refused_for_a_dossier_but_fine_for_a_decision(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", {"DS": [
        ["STT", "Họ và tên", "Loại", "Ngày sinh", "Đơn vị"],
        [1, "Lý Văn Thịnh", "Cá nhân", "05/09/1972", "Trường THPT Thành phố Cao Bằng"],
    ]})
    (fault,) = faults_of(path)
    assert fault.row == 1 and "thiếu cột 'Số phiếu đồng ý'" in fault.message
    assert len(read(path, purpose="decision", council=None).entries) == 1


def test_collective_or_individual_must_be_told(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", {"DS": [
        ["STT", "Họ và tên", "Đơn vị", "Số phiếu đồng ý"],
        [1, "Trường THCS Hợp Giang", "Phòng GD&ĐT thành phố Cao Bằng", 9],
    ]})
    (fault,) = faults_of(path)
    assert fault.row == 2 and "Loại" in fault.message and "Tập thể" in fault.message


def test_a_file_without_a_header_row_or_in_the_old_format(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", {"DS": [["Danh sách"], ["Nguyễn Văn A", "Trường X"]]})
    (fault,) = faults_of(path)
    assert "không tìm thấy dòng tiêu đề" in fault.message and "'DS'" in fault.message
    old = tmp_path / "list.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataError, match="lưu lại dưới dạng .xlsx"):
        read(old)
    with pytest.raises(DataError, match="không tìm thấy tệp"):
        read(tmp_path / "missing.xlsx")


def test_earlier_titles_columns_are_read_as_years(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", {"DS": [
        ["STT", "Họ và tên", "Loại", "Ngày sinh", "Đơn vị", "Số phiếu đồng ý", "Năm đạt LĐTT", "CSTĐ cơ sở (năm học)"],
        [1, "Lý Văn Thịnh", "Cá nhân", "05/09/1972", "Trường THPT", 9, "2021, 2022; 2023", "2022-2023"],
        [2, "Lục Thị Mai", "Cá nhân", "20/02/1988", "Trường TH", 9, "có", None],
    ]})
    (fault,) = faults_of(path)
    assert (fault.row, fault.column) == (3, "G") and "2022-2023" in fault.message


def test_cells_merged_down_over_several_nominees_are_read_for_each(tmp_path):
    path = tmp_path / "merged.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Họ và tên", "Loại", "Ngày sinh", "Giới tính", "Chức vụ", "Đơn vị", "Hình thức đề nghị",
                  "Số phiếu", None])
    sheet.append([None, None, None, None, None, None, None, None, "Đồng ý", "Tổng số"])
    for column in "ABCDEFGH":  # the two header rows merged, as offices make them
        sheet.merge_cells(f"{column}1:{column}2")
    sheet.merge_cells("I1:J1")
    sheet.append(["I", "CÁ NHÂN"])
    sheet.merge_cells("B3:J3")
    sheet.append([1, "Hoàng Thị Lan", "Cá nhân", "12/03/1980", "Nữ", "Giáo viên", "Trường THCS Hợp Giang",
                  "Bằng khen của Bộ trưởng Bộ GD&ĐT", 9, 11])
    sheet.append([2, "Nông Văn Tú", "Cá nhân", "01/01/1979", "Nam", "Giáo viên"])
    sheet.append([3, "Lục Thị Mai", "Cá nhân", "05/05/1985", "Nữ", "Giáo viên"])
    for column in "GHIJ":  # one unit, award and vote for the three teachers
        sheet.merge_cells(f"{column}4:{column}6")
    workbook.save(path)
    entries = read(path).entries
    assert [(e.name, e.unit, e.votes, e.votes_counted) for e in entries] == [
        ("Hoàng Thị Lan", "Trường THCS Hợp Giang", 9, 11),
        ("Nông Văn Tú", "Trường THCS Hợp Giang", 9, 11),
        ("Lục Thị Mai", "Trường THCS Hợp Giang", 9, 11)]
    assert len({e.award for e in entries}) == 1 and entries[0].award

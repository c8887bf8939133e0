"""The forms of Decree 30, Appendix III for a telegram (1.6), an invitation (1.7), a letter of
introduction (1.8) and a leave paper (1.10): what they print, what the checker asks of them,
and that they issue through the archive."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

import docx
import pytest
import yaml
from pypdf import PdfReader

import docgen
from archive import Archive, issue_document
from docgen.check import check_document
from docgen.compose import load_document
from docgen.errors import DataError
from docgen.render import render_document

from .conftest import AGENCY, EXAMPLES
from .test_render import all_paragraphs, paragraph

FORMS = ("cong_dien", "giay_moi", "giay_gioi_thieu", "giay_nghi_phep")


def example(kind: str, **changes) -> dict:
    data = yaml.safe_load((EXAMPLES / f"{kind}.yaml").read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def rendered(kind: str, **changes) -> docx.Document:
    return docx.Document(io.BytesIO(docgen.render(kind, example(kind, **changes), number=5).docx))


def texts(document) -> list[str]:
    return [p.text for p in all_paragraphs(document) if p.text.strip()]


def check_of(document, tmp_path) -> set[str]:
    path = tmp_path / "form.docx"
    document.save(path)
    return {finding.rule for finding in check_document(path)}


def drop(document, pattern: str) -> None:
    p = paragraph(document, pattern)
    p._p.getparent().remove(p._p)


def retype(document, pattern: str, text: str) -> None:
    p = paragraph(document, pattern)
    p.runs[0].text = text
    for run in p.runs[1:]:
        run.text = ""


# --------------------------------------------------------------------------- each form renders clean

@pytest.mark.parametrize("kind", FORMS)
def test_each_form_renders_from_its_example_with_no_findings_issued_and_as_a_draft(kind, tmp_path):
    for number in (5, None):
        path = docgen.render(kind, EXAMPLES / f"{kind}.yaml", number=number).save(tmp_path / f"{kind}-{number}.docx")
        assert check_document(path) == [], (kind, number)


def test_each_form_is_one_page_in_pdf_with_its_number_and_key_lines(example_pdfs):
    expected = {
        "cong_dien": ["Số: 05/CĐ-SGD&ĐT", "HỎA TỐC", "CÔNG ĐIỆN", "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO điện:"],
        "giay_moi": ["Số: 05/GM-SGD&ĐT", "GIẤY MỜI", "Sở Giáo dục và Đào tạo Cao Bằng trân trọng kính mời:",
                     "Địa điểm:", "Liên hệ:"],
        "giay_gioi_thieu": ["Số: 05/GGT-SGD&ĐT", "GIẤY GIỚI THIỆU",
                            "Giấy này có giá trị đến hết ngày 31 tháng 10 năm 2025./."],
        "giay_nghi_phep": ["Số: 05/NP-SGD&ĐT", "GIẤY NGHỈ PHÉP", "Giám đốc Sở Giáo dục và Đào tạo Cao Bằng cấp cho:"],
    }
    for kind, lines in expected.items():
        reader = PdfReader(example_pdfs[kind])
        assert len(reader.pages) == 1, kind
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", reader.pages[0].extract_text()))
        for line in lines:
            assert line in text, (kind, line)


def test_each_form_issues_through_the_archive_in_the_shared_register(tmp_path):
    with Archive.init(tmp_path / "home", AGENCY) as archive:
        issued = [issue_document(archive, kind, EXAMPLES / f"{kind}.yaml", date=dt.date(2025, 10, 8),
                                 pdf=False, strict=True) for kind in FORMS]
    assert [i.record.number_symbol for i in issued] == [
        "01/CĐ-SGD&ĐT", "02/GM-SGD&ĐT", "03/GGT-SGD&ĐT", "04/NP-SGD&ĐT"]
    assert issued[0].record.urgency == "HỎA TỐC"
    # Forms 1.8 and 1.10 print no subject; the register's trích yếu is made from their data.
    assert [i.record.subject for i in issued[2:]] == [
        "Giới thiệu ông Nông Văn Minh đến Trường Trung học phổ thông Chuyên Cao Bằng",
        "Cho bà Lương Thị Hà nghỉ phép năm 2025 từ 20/10/2025 đến 24/10/2025"]
    assert all(not i.warnings for i in issued)


# --------------------------------------------------------------------------- what each form prints

def test_telegram_sender_line_follows_the_subject_and_lists_its_addressees():
    document = rendered("cong_dien")
    lines = texts(document)
    at = lines.index("GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO điện:")
    assert lines[at - 1].startswith("Về việc chủ động ứng phó")
    assert lines[at + 1] == "- Trưởng phòng Giáo dục và Đào tạo các huyện, thành phố;"
    assert lines[at + 3].endswith("tỉnh.")
    sender = paragraph(document, "điện:$")
    assert sender.style.name == "ND30 Center"  # centred, bold
    mark = paragraph(document, "^HỎA TỐC$")
    assert mark.style.name == "ND30 Mark"
    other = rendered("cong_dien", sender="Chủ tịch Hội đồng Thi đua - Khen thưởng Sở điện:")
    assert "CHỦ TỊCH HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG SỞ điện:" in texts(other)


def test_invitation_time_from_its_start_and_duration():
    lines = texts(rendered("giay_moi"))
    assert "Thời gian: 01 buổi, bắt đầu từ 08 giờ 00 phút, thứ Tư, ngày 15 tháng 10 năm 2025." in lines
    one = texts(rendered("giay_moi", invitees=["Ông Hoàng Văn Nam, Hiệu trưởng Trường THPT Bảo Lạc"],
                         duration=None, start="15/10/2025 14:30"))
    assert ("Sở Giáo dục và Đào tạo Cao Bằng trân trọng kính mời: Ông Hoàng Văn Nam, "
            "Hiệu trưởng Trường THPT Bảo Lạc.") in one
    assert "Thời gian: 14 giờ 30 phút, thứ Tư, ngày 15 tháng 10 năm 2025." in one


def test_letter_of_introduction_has_no_subject_and_ends_with_its_validity():
    document = rendered("giay_gioi_thieu")
    lines = texts(document)
    at = lines.index("GIẤY GIỚI THIỆU")
    assert lines[at + 1:at + 5] == ["Sở Giáo dục và Đào tạo Cao Bằng trân trọng giới thiệu:", "Ông: Nông Văn Minh",
                                    "Chức vụ: Chuyên viên Phòng Giáo dục Trung học",
                                    "Được cử đến: Trường Trung học phổ thông Chuyên Cao Bằng"]
    assert "Đề nghị Quý cơ quan tạo điều kiện để ông có tên ở trên hoàn thành nhiệm vụ." in lines
    assert not [p for p in all_paragraphs(document) if p.style.name in ("ND30 Subject", "ND30 Rule")
                and p._p.getparent().tag.endswith("body")]  # no subject, so no rule under it
    assert "Ông (bà): Nông Văn Minh" in texts(rendered("giay_gioi_thieu", salutation=None))


def test_leave_paper_period_place_and_reason():
    lines = texts(rendered("giay_nghi_phep"))
    assert lines[lines.index("GIẤY NGHỈ PHÉP") + 1] == \
        "Xét Đơn đề nghị nghỉ phép ngày 06 tháng 10 năm 2025 của bà Lương Thị Hà,"
    assert ("Nghỉ phép năm 2025 trong thời gian: 05 ngày, kể từ ngày 20 tháng 10 năm 2025 "
            "đến hết ngày 24 tháng 10 năm 2025.") in lines
    assert "Tại: xóm Nà Pàn, xã Hòa An, tỉnh Cao Bằng." in lines
    assert "Lý do: Giải quyết việc riêng của gia đình./." in lines


@pytest.mark.parametrize("kind, changes, expected", [
    ("cong_dien", {"urgency": None}, "'urgency' (Mức độ khẩn): required"),
    ("giay_moi", {"start": "15/10/2025 8h"}, "'start' (Thời gian bắt đầu): '15/10/2025 8h' is not a date and a time"),
    ("giay_moi", {"start": "2025-10-15 25:00"}, "25:00 is not a time of day"),
    ("giay_moi", {"start": "2025-10-01 08:00"}, "01/10/2025 is before the date of the invitation 06/10/2025"),
    ("giay_gioi_thieu", {"valid_until": "2025-10-01"}, "'valid_until' (Có giá trị đến hết ngày): 01/10/2025 is before"),
    ("giay_nghi_phep", {"end": "2025-10-19"}, "'end' (Đến hết ngày): the last day 19/10/2025 is before the first day"),
    ("giay_nghi_phep", {"days": 6}, "'days' (Số ngày nghỉ): 6 days do not fit in the 5 days"),
    ("giay_nghi_phep", {"salutation": "Cô"}, "'salutation' (Ông/Bà)"),
])
def test_bad_form_data_names_the_field(kind, changes, expected, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(example(kind, **changes), allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as info:
        docgen.render(kind, path)
    assert str(path) in str(info.value) and expected in str(info.value)


# --------------------------------------------------------------------------- the checker's rules

def test_a_telegram_without_its_sender_line(tmp_path):
    document = rendered("cong_dien")
    retype(document, "điện:$", "Giám đốc Sở Giáo dục và Đào tạo điện:")
    assert "telegram.sender_line" in check_of(document, tmp_path)
    drop(document, "điện:$")
    assert "telegram.sender_line" in check_of(document, tmp_path)


def test_a_telegram_without_an_urgency_mark(tmp_path):
    document = rendered("cong_dien")
    drop(document, "^HỎA TỐC$")
    assert check_of(document, tmp_path) == {"telegram.urgency"}


def test_an_invitation_without_its_place(tmp_path):
    document = rendered("giay_moi")
    drop(document, "^Địa điểm:")
    path = tmp_path / "form.docx"
    document.save(path)
    assert [(f.rule, f.found) for f in check_document(path)] == [("invitation.details", "no line 'Địa điểm:'")]


def test_an_invitation_dated_after_its_meeting(tmp_path):
    issued = load_document("giay_moi", example("giay_moi")).with_number(5, dt.date(2025, 10, 16))
    path = tmp_path / "late.docx"
    render_document(issued).save(path)
    assert [(f.rule, f.found) for f in check_document(path)] == [
        ("invitation.time", "held 15/10/2025, invited 16/10/2025")]


def test_a_letter_of_introduction_without_a_readable_validity(tmp_path):
    document = rendered("giay_gioi_thieu")
    retype(document, "^Giấy này có giá trị", "Giấy này có giá trị đến hết ngày ... ./.")
    assert check_of(document, tmp_path) == {"introduction.validity"}
    drop(document, "^Giấy này có giá trị")
    assert check_of(document, tmp_path) == {"introduction.validity"}
    # Issued on a date after its validity (`docgen issue --date`: the data was valid, its date is replaced).
    issued = load_document("giay_gioi_thieu", example("giay_gioi_thieu")).with_number(5, dt.date(2025, 11, 3))
    issued_late = docx.Document(io.BytesIO(render_document(issued).docx))
    assert check_of(issued_late, tmp_path) == {"introduction.validity"}


def test_a_leave_paper_whose_period_ends_before_it_starts(tmp_path):
    document = rendered("giay_nghi_phep")
    retype(document, "^Nghỉ phép năm", "Nghỉ phép năm 2025, kể từ ngày 24/10/2025 đến hết ngày 20/10/2025.")
    assert check_of(document, tmp_path) == {"leave.period"}
    drop(document, "^Nghỉ phép năm")
    assert check_of(document, tmp_path) == {"leave.period"}


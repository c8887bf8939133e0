"""Conforming Decree 30 documents built with python-docx, for the checker's tests.

`build(kind)` makes a fully conforming plan (KH), decision (QĐ) or letter (công văn) and
returns a `Fixture`: the python-docx Document plus handles on its parts, so a test can
break exactly one thing, save and check.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from docgen import layout
from docgen.metrics import text_width_pt

LEFT_COLUMN = layout.twips(cm=6.0)
RIGHT_COLUMN = layout.twips(mm=layout.text_width_mm()) - LEFT_COLUMN
CELL_MARGINS = 2 * 108  # the "Normal Table" style of python-docx's template
PARTS = layout.PARTS


@dataclass
class Fixture:
    doc: object
    parts: dict[str, object] = field(default_factory=dict)  # part name -> Paragraph
    tables: dict[str, object] = field(default_factory=dict)

    def save(self, folder: Path, name: str = "doc.docx") -> Path:
        path = Path(folder) / name
        self.doc.save(str(path))
        return path


def build(kind: str = "plan", *, page_numbers: bool = True, annex: bool = True) -> Fixture:
    fixture = Fixture(_base_document())
    _header_block(fixture, kind)
    _title_block(fixture, kind)
    _CONTENT[kind](fixture)
    _signature_block(fixture, kind)
    if annex:
        _annex(fixture)
    if page_numbers:
        _page_numbers(fixture)
    return fixture


# --------------------------------------------------------------------------- document basics

def _base_document():
    doc = docx.Document()
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), layout.FONT)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(layout.BODY_SIZE * 2))
    spacing = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    body = doc.styles.add_style("ND30 Body", 1)
    body.base_style = doc.styles["Normal"]
    fmt = body.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Twips(layout.twips(cm=layout.BODY_INDENT_CM))
    fmt.space_after = Pt(layout.BODY_SPACE_AFTER_PT)
    fmt.line_spacing = layout.LINE_SPACING / 240

    section = doc.sections[0]
    section.page_width = Twips(layout.twips(mm=layout.PAGE_WIDTH_MM))
    section.page_height = Twips(layout.twips(mm=layout.PAGE_HEIGHT_MM))
    for side, mm in layout.MARGINS_MM.items():
        setattr(section, f"{side}_margin", Twips(layout.twips(mm=mm)))
    return doc


def paragraph(container, text: str = "", *, part: str | None = None, size: float | None = None,
              bold: bool = False, italic: bool = False, align=None, style: str | None = None):
    """A paragraph with one run, sized and styled as `part` of layout.PARTS when given."""
    p = container.add_paragraph(style=style)
    if align is not None:
        p.alignment = align
    if text:
        run = p.add_run(text)
        look = PARTS.get(part) if part else None
        run.font.size = Pt(size or (look.size if look else layout.BODY_SIZE))
        run.bold = bool(look.bold) if look and look.bold is not None else bold
        run.italic = bool(look.italic) if look and look.italic is not None else italic
    return p


def rule_under(container, text: str, part: str, width_twips: float, share: float):
    """An empty paragraph with a bottom border, centred, `share` of the text's length."""
    look = PARTS[part]
    length = share * text_width_pt(text, look.size, bool(look.bold)) * 20
    indent = (width_twips - length) / 2
    p = container.add_paragraph()
    p.paragraph_format.left_indent = Twips(round(indent))
    p.paragraph_format.right_indent = Twips(round(indent))
    p_pr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{attr}"), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")
    return p


def two_column_table(doc, left: int = LEFT_COLUMN, right: int = RIGHT_COLUMN):
    table = doc.add_table(rows=1, cols=2)
    for column, width in zip(table.columns, (left, right)):
        column.width = Twips(width)
        for cell in column.cells:
            cell.width = Twips(width)
    for cell in table.rows[0].cells:  # drop the empty paragraph python-docx puts in each cell
        cell._tc.remove(cell.paragraphs[0]._p)
    return table


# --------------------------------------------------------------------------- parts

_NUMBERS = {"plan": "Số: 05/KH-SGDĐT", "decision": "Số: 12/QĐ-SGDĐT", "letter": "Số: 1140/SGDĐT-VP"}
PARENT_AGENCY = "UBND TỈNH CAO BẰNG"
AGENCY = "SỞ GIÁO DỤC VÀ ĐÀO TẠO"


def _header_block(fx: Fixture, kind: str) -> None:
    table = two_column_table(fx.doc)
    left, right = table.rows[0].cells
    center = WD_ALIGN_PARAGRAPH.CENTER
    fx.parts["parent_agency"] = paragraph(left, PARENT_AGENCY, part="parent_agency", align=center)
    fx.parts["agency"] = paragraph(left, AGENCY, part="agency", align=center)
    fx.parts["agency_rule"] = rule_under(left, AGENCY, "agency", LEFT_COLUMN - CELL_MARGINS,
                                         layout.RULE_SHARE_USED["agency"])
    fx.parts["number"] = paragraph(left, _NUMBERS[kind], part="number", align=center)
    if kind == "letter":
        fx.parts["letter_subject"] = paragraph(left, "V/v hướng dẫn thực hiện Phong trào thi đua",
                                               part="letter_subject", align=center)
    fx.parts["national_title"] = paragraph(right, layout.NATIONAL_TITLE, part="national_title", align=center)
    fx.parts["motto"] = paragraph(right, layout.MOTTO, part="motto", align=center)
    fx.parts["motto_rule"] = rule_under(right, layout.MOTTO, "motto", RIGHT_COLUMN - CELL_MARGINS,
                                        layout.RULE_SHARE_USED["motto"])
    fx.parts["date"] = paragraph(right, "Cao Bằng, ngày 05 tháng 01 năm 2025", part="date", align=center)
    fx.tables["header"] = table
    paragraph(fx.doc)


_TITLES = {
    "plan": ("KẾ HOẠCH", "Thực hiện Phong trào thi đua năm học 2024 - 2025"),
    "decision": ("QUYẾT ĐỊNH", "Về việc khen thưởng các tập thể, cá nhân"),
}


def _title_block(fx: Fixture, kind: str) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    if kind == "letter":
        fx.parts["addressees_label"] = paragraph(fx.doc, "Kính gửi:", part="addressees", align=center)
        fx.parts["addressee_1"] = paragraph(fx.doc, "- Phòng Giáo dục và Đào tạo các huyện, thành phố;",
                                            part="addressees")
        fx.parts["addressee_2"] = paragraph(fx.doc, "- Các trường trung học phổ thông trực thuộc Sở.",
                                            part="addressees")
        return
    type_name, subject = _TITLES[kind]
    fx.parts["type_name"] = paragraph(fx.doc, type_name, part="type_name", align=center)
    fx.parts["subject"] = paragraph(fx.doc, subject, part="subject", align=center)
    fx.parts["subject_rule"] = rule_under(fx.doc, subject, "subject", layout.twips(mm=layout.text_width_mm()),
                                          layout.RULE_SHARE_USED["subject"])


def body(fx: Fixture, text: str, *, name: str | None = None, bold: bool = False, italic: bool = False):
    p = paragraph(fx.doc, text, style="ND30 Body", bold=bold, italic=italic)
    if name:
        fx.parts[name] = p
    return p


def _plan_content(fx: Fixture) -> None:
    body(fx, "Thực hiện Kế hoạch số 1374/KH-BGDĐT ngày 02/11/2020 của Bộ Giáo dục và Đào tạo, "
             "Sở Giáo dục và Đào tạo ban hành Kế hoạch như sau:", name="body")
    body(fx, "I. MỤC ĐÍCH, YÊU CẦU", name="heading_I", bold=True)
    body(fx, "1. Mục đích", bold=True)
    body(fx, "a) Tập thể: các cơ sở giáo dục mầm non, giáo dục phổ thông trực thuộc Sở;", name="item_a")
    body(fx, "b) Cá nhân: cán bộ quản lý, giáo viên, nhân viên ngành Giáo dục.", name="item_b")
    body(fx, "2. Yêu cầu", bold=True)
    body(fx, "- Việc triển khai Phong trào thi đua là nhiệm vụ thường xuyên của từng đơn vị.")
    body(fx, "II. NỘI DUNG THI ĐUA", name="heading_II", bold=True)
    body(fx, "1. Đối tượng", bold=True)
    body(fx, "Các đơn vị, trường học, cán bộ quản lý giáo dục, giáo viên và nhân viên.")
    body(fx, "III. TỔ CHỨC THỰC HIỆN", name="heading_III", bold=True)
    body(fx, "Các đơn vị xây dựng kế hoạch và báo cáo kết quả về Sở trước ngày 30/5/2025./.", name="last")


def _decision_content(fx: Fixture) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph(fx.doc, "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", part="type_name", align=center)
    body(fx, "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", name="basis_1", italic=True)
    body(fx, "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;",
         name="basis_2", italic=True)
    body(fx, "Theo đề nghị của Trưởng phòng Tổ chức cán bộ.", name="proposal", italic=True)
    fx.parts["decision_heading"] = paragraph(fx.doc, "QUYẾT ĐỊNH:", part="type_name", align=center)
    for number, text in ((1, "Khen thưởng 03 tập thể và 09 cá nhân (có danh sách kèm theo)."),
                         (2, "Mức thưởng thực hiện theo quy định hiện hành."),
                         (3, "Chánh Văn phòng và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
                             "Quyết định này./.")):
        p = fx.doc.add_paragraph(style="ND30 Body")
        label = p.add_run(f"Điều {number}.")
        label.bold = True
        p.add_run(f" {text}")
        for run in p.runs:
            run.font.size = Pt(layout.BODY_SIZE)
        fx.parts[f"article_{number}"] = p


def _letter_content(fx: Fixture) -> None:
    body(fx, "Thực hiện Công văn số 3282/BGDĐT-TĐKT ngày 28 tháng 7 năm 2017 của Bộ Giáo dục và Đào tạo, "
             "Sở hướng dẫn các đơn vị thực hiện một số nội dung sau:", name="body")
    body(fx, "I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    body(fx, "1. Mục đích", bold=True)
    body(fx, "Phát hiện, tôn vinh những tập thể, cá nhân điển hình tiên tiến trong dạy và học.")
    body(fx, "II. TỔ CHỨC THỰC HIỆN", bold=True)
    body(fx, "Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị báo cáo về Sở (qua Văn phòng)./.")


_CONTENT = {"plan": _plan_content, "decision": _decision_content, "letter": _letter_content}

_RECIPIENTS = {
    "plan": ["- Bộ Giáo dục và Đào tạo (để b/c);", "- UBND tỉnh (để b/c);", "- Các đơn vị trực thuộc;",
             "- Lưu: VT, VP."],
    "decision": ["- Như Điều 3;", "- Lưu: VT, TCCB."],
    "letter": ["- Như kính gửi;", "- Lưu: VT, VP."],
}


def _signature_block(fx: Fixture, kind: str) -> None:
    paragraph(fx.doc)
    table = two_column_table(fx.doc, layout.twips(cm=7.5), layout.twips(mm=layout.text_width_mm()) - layout.twips(cm=7.5))
    left, right = table.rows[0].cells
    fx.parts["recipients_label"] = paragraph(left, "Nơi nhận:", part="recipients_label")
    for n, text in enumerate(_RECIPIENTS[kind], 1):
        fx.parts[f"recipient_{n}"] = paragraph(left, text, part="recipients")
    fx.parts["recipient_last"] = fx.parts[f"recipient_{len(_RECIPIENTS[kind])}"]
    center = WD_ALIGN_PARAGRAPH.CENTER
    fx.parts["authority_1"] = paragraph(right, "KT. GIÁM ĐỐC", part="authority", align=center)
    fx.parts["authority_2"] = paragraph(right, "PHÓ GIÁM ĐỐC", part="authority", align=center)
    for _ in range(3):
        paragraph(right)
    fx.parts["signer"] = paragraph(right, "Nguyễn Mai Phương", part="signer", align=center)
    fx.tables["signature"] = table


def _annex(fx: Fixture) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    breaker = fx.doc.add_paragraph()
    breaker.add_run().add_break(WD_BREAK.PAGE)
    paragraph(fx.doc, "DANH SÁCH", part="type_name", align=center)
    fx.parts["annex_note"] = paragraph(
        fx.doc, "(Kèm theo Kế hoạch số 05/KH-SGDĐT ngày 05 tháng 01 năm 2025 của Sở Giáo dục và Đào tạo)",
        size=14, italic=True, align=center)
    table = fx.doc.add_table(rows=3, cols=3)
    table.style = fx.doc.styles["Table Grid"]
    rows = [("STT", "HỌ VÀ TÊN", "ĐƠN VỊ"), ("1", "Nguyễn Văn An", "Trường THPT Cao Bình"),
            ("2", "Trần Thị Bình", "Trường THPT Thông Nông")]
    for index, (row, values) in enumerate(zip(table.rows, rows)):
        for cell, value in zip(row.cells, values):
            run = cell.paragraphs[0].add_run(value)
            run.font.size = Pt(13)
            run.bold = index == 0
    repeat = OxmlElement("w:tblHeader")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    fx.tables["annex"] = table


def page_field_runs(paragraph_, size: float = layout.PAGE_NUMBER_SIZE) -> None:
    """A PAGE field: begin, instruction, separate, result, end."""
    def run_with(child):
        run = paragraph_.add_run()
        run.font.size = Pt(size)
        run._r.append(child)
        return run

    for kind in ("begin",):
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run_with(fld)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    for kind, text in (("separate", None), (None, "2"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run_with(fld)
        else:
            paragraph_.add_run(text).font.size = Pt(size)


def _page_numbers(fx: Fixture) -> None:
    section = fx.doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_field_runs(p)
    fx.parts["page_number"] = p
    section.first_page_header.is_linked_to_previous = False  # an empty first-page header


def landscape_section(fx: Fixture) -> None:
    """Append a landscape section (allowed for a wide table after the first)."""
    section = fx.doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def clone_paragraph_after(p, text: str | None = None):
    """A copy of `p` right after it, optionally with another text in its first run."""
    new = copy.deepcopy(p._p)
    p._p.addnext(new)
    from docx.text.paragraph import Paragraph
    clone = Paragraph(new, p._parent)
    if text is not None:
        clone.runs[0].text = text
    return clone

"""The Decree 30 conformance checker: a conforming document passes, each broken rule is named."""

from __future__ import annotations

import zipfile

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from tests.check_fixtures import (
    AGENCY, CELL_MARGINS, LEFT_COLUMN, RIGHT_COLUMN, body, build, clone_paragraph_after, landscape_section,
)
from docgen import layout
from docgen.check import Finding, check_document, check_documents
from docgen.errors import DocgenError
from docgen.metrics import text_width_pt


def findings(fx, tmp_path) -> list[Finding]:
    return check_document(fx.save(tmp_path))


def rules(fx, tmp_path) -> set[str]:
    return {f.rule for f in findings(fx, tmp_path)}


def set_text(paragraph, text: str) -> None:
    paragraph.runs[0].text = text
    for run in paragraph.runs[1:]:
        run.text = ""


def set_size(paragraph, size: float) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)


def set_rule_length(rule_paragraph, container_twips: float, length_pt: float) -> None:
    indent = round((container_twips - length_pt * 20) / 2)
    rule_paragraph.paragraph_format.left_indent = Twips(indent)
    rule_paragraph.paragraph_format.right_indent = Twips(indent)


# --------------------------------------------------------------------------- conforming documents

@pytest.mark.parametrize("kind", ["plan", "decision", "letter"])
def test_a_conforming_document_has_no_findings(kind, tmp_path):
    assert findings(build(kind), tmp_path) == []


def test_drafts_leave_number_and_date_blank(tmp_path):
    fx = build()
    set_text(fx.parts["number"], "Số:      /KH-SGDĐT")
    set_text(fx.parts["date"], "Cao Bằng, ngày      tháng      năm 2025")
    assert findings(fx, tmp_path) == []


def test_a_later_landscape_section_is_allowed(tmp_path):
    fx = build()
    landscape_section(fx)
    assert findings(fx, tmp_path) == []


def test_findings_name_rule_part_place_found_and_expected(tmp_path):
    fx = build()
    set_text(fx.parts["number"], "Số: 5/KH-SGDĐT")
    (finding,) = findings(fx, tmp_path)
    assert finding.as_dict() == {
        "rule": "number.padding",
        "part": layout.PARTS["number"].label,
        "where": 'table 1 cell (1,1) paragraph 4 "Số: 5/KH-SGDĐT"',
        "found": 'number "5"',
        "expected": '"05"',
    }


def test_check_documents_maps_each_file(tmp_path):
    good = build().save(tmp_path, "good.docx")
    fx = build()
    fx.parts["motto"].runs[0].italic = True
    bad = fx.save(tmp_path, "bad.docx")
    result = check_documents([good, bad])
    assert result[str(good)] == [] and [f.rule for f in result[str(bad)]] == ["motto.italic"]


# --------------------------------------------------------------------------- page and fonts

def test_wrong_margin(tmp_path):
    fx = build()
    fx.doc.sections[0].left_margin = Mm(25)
    (finding,) = findings(fx, tmp_path)
    assert (finding.rule, finding.where, finding.found, finding.expected) == (
        "page.margin", "section 1", "left margin 25 mm", "30–35 mm")


def test_letter_paper_and_landscape_first_page(tmp_path):
    fx = build()
    section = fx.doc.sections[0]
    section.page_width, section.page_height = Twips(15840), Twips(12240)
    page_rules = {rule for rule in rules(fx, tmp_path) if rule.startswith("page.")}
    assert page_rules == {"page.size", "page.orientation"}


def test_an_arial_run(tmp_path):
    fx = build()
    fx.parts["body"].runs[0].font.name = "Arial"
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "font.run"
    assert finding.where.startswith('paragraph ') and "Arial" in finding.found


def test_an_east_asian_slot_set_to_another_font(tmp_path):
    fx = build()
    fonts = fx.parts["signer"].runs[0]._r.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "MS Mincho")
    assert rules(fx, tmp_path) == {"font.run"}


def test_a_theme_font_in_doc_defaults(tmp_path):
    fx = build()
    fonts = fx.doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    fonts.set(qn("w:asciiTheme"), "minorHAnsi")
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "font.defaults" and finding.where == "styles.xml docDefaults"
    assert "theme font minorHAnsi" in finding.found


def test_a_theme_font_in_a_used_style(tmp_path):
    fx = build()
    fonts = fx.doc.styles["ND30 Body"].element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cstheme"), "minorBidi")
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "font.style" and finding.where == 'styles.xml style "ND30 Body"'


def test_a_coloured_run(tmp_path):
    fx = build()
    fx.parts["body"].runs[0].font.color.rgb = RGBColor(0, 0, 0xFF)
    assert rules(fx, tmp_path) == {"font.color"}


# --------------------------------------------------------------------------- page numbers

def test_a_page_number_on_the_first_page(tmp_path):
    fx = build()
    fx.doc.sections[0].different_first_page_header_footer = False
    assert rules(fx, tmp_path) == {"page_number.first_page"}


def test_a_small_left_aligned_page_number(tmp_path):
    fx = build()
    page_number = fx.parts["page_number"]
    page_number.alignment = WD_ALIGN_PARAGRAPH.LEFT
    set_size(page_number, 11)
    assert rules(fx, tmp_path) == {"page_number.alignment", "page_number.size"}


# --------------------------------------------------------------------------- header parts

def test_an_italic_motto(tmp_path):
    fx = build()
    fx.parts["motto"].runs[0].italic = True
    assert rules(fx, tmp_path) == {"motto.italic"}


def test_motto_with_dashes_instead_of_spaced_hyphens(tmp_path):
    fx = build()
    set_text(fx.parts["motto"], "Độc lập – Tự do – Hạnh phúc")
    assert "motto.text" in rules(fx, tmp_path)


def test_national_title_not_bold_and_missing(tmp_path):
    fx = build()
    fx.parts["national_title"].runs[0].bold = False
    assert rules(fx, tmp_path) == {"national_title.bold"}
    fx.parts["national_title"]._p.getparent().remove(fx.parts["national_title"]._p)
    assert "national_title.missing" in rules(fx, tmp_path)


def test_a_bold_parent_agency(tmp_path):
    fx = build()
    fx.parts["parent_agency"].runs[0].bold = True
    assert rules(fx, tmp_path) == {"parent_agency.bold"}


def test_an_agency_rule_that_is_too_long(tmp_path):
    fx = build()
    set_rule_length(fx.parts["agency_rule"], LEFT_COLUMN - CELL_MARGINS,
                    0.8 * text_width_pt(AGENCY, 12, True))
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "agency.rule_length" and "0.80 of the text" in finding.found


def test_a_motto_rule_that_is_too_short(tmp_path):
    fx = build()
    set_rule_length(fx.parts["motto_rule"], RIGHT_COLUMN - CELL_MARGINS,
                    0.5 * text_width_pt(layout.MOTTO, 13, True))
    assert rules(fx, tmp_path) == {"motto.rule_length"}


def test_a_subject_without_a_rule(tmp_path):
    fx = build()
    rule = fx.parts["subject_rule"]._p
    rule.getparent().remove(rule)
    assert rules(fx, tmp_path) == {"subject.rule"}


def test_number_without_padding(tmp_path):
    fx = build()
    set_text(fx.parts["number"], "Số: 5/KH-SGDĐT")
    assert rules(fx, tmp_path) == {"number.padding"}


@pytest.mark.parametrize("text, rule", [
    ("Số: 05/KH- SGDĐT", "number.symbol_spaces"),
    ("Số: 05/KH SGDĐT", "number.symbol_spaces"),
    ("Số: 05/KH.SGDĐT", "number.symbol_separator"),
    ("Số: 05 / KH-SGDĐT", "number.spaces"),
    ("Số 05/KH-SGDĐT", "number.label"),
])
def test_malformed_number_and_symbol(text, rule, tmp_path):
    fx = build()
    set_text(fx.parts["number"], text)
    assert rules(fx, tmp_path) == {rule}


def test_an_italic_number_line(tmp_path):
    fx = build()
    fx.parts["number"].runs[0].italic = True
    assert rules(fx, tmp_path) == {"number.italic"}


@pytest.mark.parametrize("text, rule", [
    ("Cao Bằng, ngày 05 tháng 03 năm 2025", "date.month_padding"),
    ("Cao Bằng, ngày 05 tháng 1 năm 2025", "date.month_padding"),
    ("Cao Bằng, ngày 5 tháng 01 năm 2025", "date.day_padding"),
    ("Cao Bằng ngày 05 tháng 01 năm 2025", "date.format"),
    ("Cao Bằng, Ngày 05 tháng 01 năm 2025", "date.format"),
])
def test_malformed_date_line(text, rule, tmp_path):
    fx = build()
    set_text(fx.parts["date"], text)
    assert rules(fx, tmp_path) == {rule}


def test_september_takes_no_leading_zero(tmp_path):
    fx = build()
    set_text(fx.parts["date"], "Cao Bằng, ngày 18 tháng 9 năm 2017")
    assert findings(fx, tmp_path) == []


def test_a_date_line_that_is_not_italic(tmp_path):
    fx = build()
    fx.parts["date"].runs[0].italic = False
    assert rules(fx, tmp_path) == {"date.italic"}


def test_type_name_not_in_capitals_and_subject_not_bold(tmp_path):
    fx = build()
    set_text(fx.parts["type_name"], "Kế hoạch")
    fx.parts["subject"].runs[0].bold = False
    assert rules(fx, tmp_path) == {"type_name.upper", "subject.bold"}


def test_a_bold_letter_subject(tmp_path):
    fx = build("letter")
    fx.parts["letter_subject"].runs[0].bold = True
    assert rules(fx, tmp_path) == {"letter_subject.bold"}


def test_addressee_list_punctuation(tmp_path):
    fx = build("letter")
    set_text(fx.parts["addressee_2"], "- Các trường trung học phổ thông trực thuộc Sở;")
    assert rules(fx, tmp_path) == {"addressees.punctuation"}


def test_a_secrecy_mark_needs_bold_capitals_in_a_border(tmp_path):
    fx = build()
    mark = clone_paragraph_after(fx.parts["number"], "MẬT")
    mark.runs[0].bold = True
    assert rules(fx, tmp_path) == {"mark.border"}
    border = OxmlElement("w:bdr")
    border.set(qn("w:val"), "single")
    mark.runs[0]._r.get_or_add_rPr().append(border)
    assert findings(fx, tmp_path) == []


# --------------------------------------------------------------------------- bottom block

def test_a_13_pt_recipient_list(tmp_path):
    fx = build()
    for n in range(1, 5):
        set_size(fx.parts[f"recipient_{n}"], 13)
    assert rules(fx, tmp_path) == {"recipients.size"}


def test_recipients_ending_without_the_archive_line(tmp_path):
    fx = build()
    set_text(fx.parts["recipient_last"], "- Các phòng thuộc Sở.")
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "recipients.archive_line" and finding.expected == '"- Lưu: VT, <drafting unit>."'


def test_recipient_label_not_italic_and_list_item_without_dash(tmp_path):
    fx = build()
    fx.parts["recipients_label"].runs[0].italic = False
    set_text(fx.parts["recipient_1"], "Bộ Giáo dục và Đào tạo (để b/c);")
    assert rules(fx, tmp_path) == {"recipients_label.italic", "recipients.item"}


def test_signer_with_an_academic_title(tmp_path):
    fx = build()
    set_text(fx.parts["signer"], "TS. Nguyễn Mai Phương")
    assert rules(fx, tmp_path) == {"signer.academic_title"}


def test_signing_prefix_without_its_dot(tmp_path):
    fx = build()
    set_text(fx.parts["authority_1"], "KT GIÁM ĐỐC")
    assert rules(fx, tmp_path) == {"authority.prefix"}


def test_authority_not_bold(tmp_path):
    fx = build()
    fx.parts["authority_2"].runs[0].bold = False
    assert rules(fx, tmp_path) == {"authority.bold"}


# --------------------------------------------------------------------------- body

def test_a_body_paragraph_without_first_line_indent(tmp_path):
    fx = build()
    fx.parts["body"].paragraph_format.first_line_indent = Twips(0)
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "body.indent" and finding.found == "first-line indent 0.00 cm"


def test_a_left_aligned_body_paragraph(tmp_path):
    fx = build()
    fx.parts["body"].alignment = WD_ALIGN_PARAGRAPH.LEFT
    assert rules(fx, tmp_path) == {"body.alignment"}


def test_body_spacing_and_line_spacing(tmp_path):
    fx = build()
    fmt = fx.parts["body"].paragraph_format
    fmt.space_after = Pt(0)
    fmt.line_spacing = 2.0
    assert rules(fx, tmp_path) == {"body.spacing", "body.line_spacing"}


def test_a_12_pt_body_paragraph(tmp_path):
    fx = build()
    set_size(fx.parts["item_a"], 12)
    assert rules(fx, tmp_path) == {"body.size"}


def test_a_duplicated_section_number(tmp_path):
    fx = build()
    extra = body(fx, "III. KINH PHÍ", bold=True)
    fx.parts["last"]._p.addprevious(extra._p)
    (finding,) = findings(fx, tmp_path)
    assert (finding.rule, finding.found, finding.expected) == ("numbering.duplicate", '"III." twice', '"IV."')


def test_a_jump_from_a_to_c(tmp_path):
    fx = build()
    set_text(fx.parts["item_b"], "c) Cá nhân: cán bộ quản lý, giáo viên, nhân viên ngành Giáo dục.")
    (finding,) = findings(fx, tmp_path)
    assert (finding.rule, finding.found, finding.expected) == ("numbering.jump", '"c)" after "a)"', '"b)"')


def test_a_skipped_section_number_and_restart_under_it(tmp_path):
    fx = build()
    set_text(fx.parts["heading_II"], "IV. NỘI DUNG THI ĐUA")
    # Only the jump is reported: "1." restarts under "IV." without a finding.
    assert rules(fx, tmp_path) == {"numbering.jump"}


# --------------------------------------------------------------------------- decisions

def test_a_non_bold_article_label(tmp_path):
    fx = build("decision")
    fx.parts["article_2"].runs[0].bold = False
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "article.bold" and finding.found == '"Điều 2." not bold'


def test_an_upright_basis_ending_wrongly(tmp_path):
    fx = build("decision")
    fx.parts["basis_1"].runs[0].italic = False
    set_text(fx.parts["basis_2"], "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ,")
    assert rules(fx, tmp_path) == {"basis.italic", "basis.punctuation"}


def test_a_decision_without_the_end_mark(tmp_path):
    fx = build("decision")
    article = fx.parts["article_3"]
    article.runs[1].text = article.runs[1].text.replace("./.", ".")
    assert rules(fx, tmp_path) == {"content.end_mark"}


def test_the_decision_heading_must_be_bold(tmp_path):
    fx = build("decision")
    fx.parts["decision_heading"].runs[0].bold = False
    assert rules(fx, tmp_path) == {"decision_heading.bold"}


# --------------------------------------------------------------------------- attached lists

def test_a_table_header_row_without_repeat(tmp_path):
    fx = build()
    tr_pr = fx.tables["annex"].rows[0]._tr.trPr
    tr_pr.remove(tr_pr.find(qn("w:tblHeader")))
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "table.header_repeat" and finding.where.startswith('table 3 row 1 "STT | HỌ VÀ TÊN')


def test_an_upright_attachment_note(tmp_path):
    fx = build()
    fx.parts["annex_note"].runs[0].italic = False
    assert rules(fx, tmp_path) == {"annex.italic"}


# --------------------------------------------------------------------------- hand-typed forms

_LINE_SHAPE = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:drawing>'
    '<wp:inline><wp:extent cx="{cx}" cy="0"/><wp:docPr id="9" name="Line 9"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"/>'
    '</a:graphic></wp:inline></w:drawing></w:r>'
)


def _hand_typed_agency(fx, rule_share: float) -> None:
    """Parent and agency in one paragraph split by a line break, the rule a drawn line."""
    parent, agency, rule = fx.parts["parent_agency"], fx.parts["agency"], fx.parts["agency_rule"]
    parent.runs[0].add_break()
    run = parent.add_run(AGENCY)
    run.bold, run.font.size = True, Pt(12)
    agency._p.getparent().remove(agency._p)
    rule._p.remove(rule._p.pPr)
    length_emu = round(rule_share * text_width_pt(AGENCY, 12, True) * 12700)
    rule._p.append(parse_xml(_LINE_SHAPE.replace("{cx}", str(length_emu))))


def test_hand_typed_line_break_and_drawn_rule(tmp_path):
    fx = build()
    _hand_typed_agency(fx, 0.45)
    assert findings(fx, tmp_path) == []


def test_hand_typed_drawn_rule_too_long(tmp_path):
    fx = build()
    _hand_typed_agency(fx, 0.9)
    (finding,) = findings(fx, tmp_path)
    assert finding.rule == "agency.rule_length" and finding.where.endswith('line 2 "SỞ GIÁO DỤC VÀ ĐÀO TẠO"')


def test_an_underlined_motto_is_its_own_rule(tmp_path):
    fx = build()
    rule = fx.parts["motto_rule"]._p
    rule.getparent().remove(rule)
    fx.parts["motto"].runs[0].underline = True
    assert findings(fx, tmp_path) == []


def test_header_typed_as_plain_paragraphs(tmp_path):
    fx = build()
    header = fx.tables["header"]._tbl
    for cell in fx.tables["header"].rows[0].cells:
        for p in list(cell._tc.iterchildren(qn("w:p"))):
            header.addprevious(p)
    header.getparent().remove(header)
    fx.parts["motto"].runs[0].italic = True
    found = rules(fx, tmp_path)
    # The rules were sized for the table's cells: on the full page width they are too long.
    assert found == {"motto.italic", "motto.rule_length", "agency.rule_length"}


# --------------------------------------------------------------------------- not a .docx

def test_a_text_file_is_not_a_docx(tmp_path):
    path = tmp_path / "note.docx"
    path.write_text("not a document", encoding="utf-8")
    with pytest.raises(DocgenError, match="note.docx: not a .docx file"):
        check_document(path)


def test_a_zip_without_a_document_part(tmp_path):
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocgenError, match="empty.docx: not a readable .docx"):
        check_document(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(DocgenError, match="no such file"):
        check_document(tmp_path / "absent.docx")

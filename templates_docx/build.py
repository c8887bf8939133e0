"""Build the .docx templates of every document kind (run: `make templates`).

The templates are committed and an office may edit them in Word or LibreOffice; this
script is how we make them reproducibly, from shared parts: the header block, the title,
the body loop, the signature block and the attached list. Every size, margin and indent
comes from docgen.layout (Decree 30/2020/NĐ-CP, Appendix I).

Word paragraph styles carry all formatting ("ND30 Body", "ND30 Heading 1", ...), so an
office restyles a whole kind by editing a style, and the checker sees one source of truth.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from docgen.layout import (  # noqa: E402
    BODY_INDENT_CM, BODY_SPACE_AFTER_PT, FONT, HEADER_COLUMN_CM, LINE_SPACING, MARGINS_MM, MOTTO, NATIONAL_TITLE,
    PAGE_HEIGHT_MM, PAGE_WIDTH_MM, PARTS, RECIPIENTS_COLUMN_CM, text_width_mm,
)

CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT
TEXT_WIDTH = Mm(text_width_mm())
HEADER_COLUMNS = (Cm(HEADER_COLUMN_CM), Emu(TEXT_WIDTH - Cm(HEADER_COLUMN_CM)))
SIGNATURE_COLUMNS = (Cm(RECIPIENTS_COLUMN_CM), Emu(TEXT_WIDTH - Cm(RECIPIENTS_COLUMN_CM)))
TWO_SIGNATURES = (Emu(TEXT_WIDTH // 2), Emu(TEXT_WIDTH - TEXT_WIDTH // 2))


# --- document and styles ---------------------------------------------------------------

def new_document(first_page_footer: bool = False) -> Document:
    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _clean_styles(doc)
    _define_styles(doc)
    _page_setup(doc, first_page_footer)
    doc.core_properties.author = "docgen"
    doc.core_properties.title = ""
    return doc


def _clean_styles(doc: Document) -> None:
    """Times New Roman in every font slot of docDefaults, no theme fonts, no coloured styles.

    Decree 30, Appendix I: Times New Roman (Unicode), black, on every run; a theme font in
    docDefaults or a style would put Calibri on East-Asian or complex-script text.
    """
    styles = doc.styles.element
    for style in list(styles.iterchildren(qn("w:style"))):
        if style.get(qn("w:default")) != "1":
            styles.remove(style)
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FONT)
    rpr.append(fonts)
    for tag, value in (("w:sz", "28"), ("w:szCs", "28")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        rpr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "en-US")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)


def _paragraph_style(doc, name, *, size, bold=False, italic=False, align=None, base=None,
                     first_line=None, left=None, hanging=None, before=0, after=0, line=None,
                     keep_next=False, page_break_before=False):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base] if base else doc.styles["Normal"]
    style.quick_style = True
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_line is not None:
        pf.first_line_indent = first_line
    if left is not None:
        pf.left_indent = left
    if hanging is not None:
        pf.first_line_indent = -hanging
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
        pf.line_spacing = line / 240
    pf.keep_with_next = keep_next or None
    if page_break_before:
        pf.page_break_before = True
    return style


def _define_styles(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(PARTS["body"].size)
    size = {key: part.size for key, part in PARTS.items()}
    body = dict(size=size["body"], align=JUSTIFY, first_line=Cm(BODY_INDENT_CM),
                after=BODY_SPACE_AFTER_PT, line=LINE_SPACING)
    _paragraph_style(doc, "ND30 Body", **body)
    _paragraph_style(doc, "ND30 Heading 1", **body, bold=True, keep_next=True)
    _paragraph_style(doc, "ND30 Heading 2", **body, bold=True, keep_next=True)
    _paragraph_style(doc, "ND30 Heading 3", **body, italic=True, keep_next=True)
    _paragraph_style(doc, "ND30 Item", **body)
    _paragraph_style(doc, "ND30 Subitem", **body)
    _paragraph_style(doc, "ND30 Basis", **body, italic=True)
    _paragraph_style(doc, "ND30 Article", **body)
    _paragraph_style(doc, "ND30 Center", size=size["body"], bold=True, align=CENTER, before=6, after=6)
    # Decree 30, Appendix I, part II: `Chương I` and its title centred bold; an article's title bold;
    # neither left alone at the foot of a page.
    _paragraph_style(doc, "ND30 Chapter", size=size["body"], bold=True, align=CENTER, before=6, after=3, keep_next=True)
    _paragraph_style(doc, "ND30 Article Title", **body, bold=True, keep_next=True)

    _paragraph_style(doc, "ND30 Parent Agency", size=size["parent_agency"], align=CENTER)
    _paragraph_style(doc, "ND30 Agency", size=size["agency"], bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 National Title", size=size["national_title"], bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 Motto", size=size["motto"], bold=True, align=CENTER)
    # An empty paragraph a few points high whose bottom border is the rule (see render.size_rules).
    rule = _paragraph_style(doc, "ND30 Rule", size=1, align=CENTER, after=6)
    _bottom_border(rule.element)
    rule.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    rule.paragraph_format.line_spacing = Pt(3)
    _paragraph_style(doc, "ND30 Number", size=size["number"], align=CENTER, before=6)
    _paragraph_style(doc, "ND30 Letter Subject", size=size["letter_subject"], align=CENTER, before=3)
    mark = _paragraph_style(doc, "ND30 Mark", size=size["mark"], bold=True, align=CENTER, before=6)
    _run_border(mark.element)
    _paragraph_style(doc, "ND30 Date", size=size["date"], italic=True, align=CENTER, before=6)

    _paragraph_style(doc, "ND30 Type Name", size=size["type_name"], bold=True, align=CENTER, before=18, keep_next=True)
    _paragraph_style(doc, "ND30 Subject", size=size["subject"], bold=True, align=CENTER, keep_next=True)
    _paragraph_style(doc, "ND30 Addressees", size=size["addressees"], left=Cm(4.5), hanging=Cm(2.0),
                     before=0, after=3, line=LINE_SPACING)
    _tab_stop(doc.styles["ND30 Addressees"].element, Cm(4.5))
    _paragraph_style(doc, "ND30 Addressees Note", size=size["addressees"], align=CENTER, before=0, after=6)

    _paragraph_style(doc, "ND30 Recipients Label", size=size["recipients_label"], bold=True, italic=True,
                     align=LEFT, before=6)
    _paragraph_style(doc, "ND30 Recipients", size=size["recipients"], align=LEFT)
    _paragraph_style(doc, "ND30 Authority", size=size["authority"], bold=True, align=CENTER, keep_next=True)
    _paragraph_style(doc, "ND30 Signature Note", size=size["authority"], italic=True, align=CENTER, keep_next=True)
    _paragraph_style(doc, "ND30 Signer", size=size["signer"], bold=True, align=CENTER, before=72)

    _paragraph_style(doc, "ND30 Annex Title", size=size["type_name"], bold=True, align=CENTER, page_break_before=True)
    _paragraph_style(doc, "ND30 Annex Subtitle", size=size["subject"], bold=True, align=CENTER)
    _paragraph_style(doc, "ND30 Annex Note", size=size["body"], italic=True, align=CENTER, after=12)
    _paragraph_style(doc, "ND30 Annex Heading", size=size["body"], bold=True, align=LEFT, before=6, after=6, keep_next=True)
    _paragraph_style(doc, "ND30 Table Header", size=13, bold=True, align=CENTER, before=3, after=3)
    _paragraph_style(doc, "ND30 Table Text", size=13, align=LEFT, before=3, after=3)
    _paragraph_style(doc, "ND30 Table Number", size=13, align=CENTER, before=3, after=3)
    _paragraph_style(doc, "ND30 Page Number", size=size["page_number"], align=CENTER)
    contact = _paragraph_style(doc, "ND30 Contact", size=size["contact"], align=CENTER)
    _top_border(contact.element)
    # The copy block (bản sao): under a full-width rule, its form name bold upper case 13-14 pt.
    copy_rule = _paragraph_style(doc, "ND30 Copy Rule", size=1, after=6)
    _bottom_border(copy_rule.element)
    _paragraph_style(doc, "ND30 Copy Form", size=size["type_name"], bold=True, align=CENTER)


def _border(tag: str, sz: str = "6") -> OxmlElement:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), sz)
    el.set(qn("w:space"), "1")
    el.set(qn("w:color"), "000000")
    return el


def _ppr_insert(style_el, child) -> None:
    """Insert into the style's pPr in schema order (pBdr and tabs come before spacing)."""
    ppr = style_el.get_or_add_pPr()
    anchor = None
    for name in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"):
        anchor = ppr.find(qn(name))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(child)
    else:
        ppr.append(child)


def _bottom_border(style_el) -> None:
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(_border("w:bottom"))
    _ppr_insert(style_el, pbdr)


def _top_border(style_el) -> None:
    pbdr = OxmlElement("w:pBdr")
    pbdr.append(_border("w:top"))
    _ppr_insert(style_el, pbdr)


def _tab_stop(style_el, position) -> None:
    tabs = OxmlElement("w:tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "left")
    tab.set(qn("w:pos"), str(int(position.twips)))
    tabs.append(tab)
    ppr = style_el.get_or_add_pPr()
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        anchor = ppr.find(qn("w:ind"))
    if anchor is not None:
        anchor.addprevious(tabs)
    else:
        ppr.append(tabs)


def _run_border(style_el) -> None:
    """A box around the mark's text (Decree 30, Appendix I, items 10a and 10b)."""
    rpr = style_el.get_or_add_rPr()
    bdr = _border("w:bdr", "8")
    size = rpr.find(qn("w:sz"))
    (size.addprevious if size is not None else rpr.append)(bdr)


def _page_setup(doc: Document, first_page_footer: bool) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    # Page numbers centred in the top margin from page 2 on; none on the first page.
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = doc.styles["ND30 Page Number"]
    _page_field(p)
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].text = ""
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    if first_page_footer:
        # Item 13: the agency's contact line at the foot of the first page, over a full-width rule.
        first = footer.paragraphs[0]
        _jinja(first, "{%p if contact_line %}")
        line = footer.add_paragraph(style=doc.styles["ND30 Contact"])
        line.add_run("{{ contact_line }}")
        _jinja(footer.add_paragraph(), "{%p endif %}")
        footer.add_paragraph()


def _page_field(p) -> None:
    def fld(kind):
        r = OxmlElement("w:r")
        c = OxmlElement("w:fldChar")
        c.set(qn("w:fldCharType"), kind)
        r.append(c)
        return r

    p._p.append(fld("begin"))
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    r.append(instr)
    p._p.append(r)
    p._p.append(fld("separate"))
    p.add_run("2")
    p._p.append(fld("end"))


# --- building blocks -------------------------------------------------------------------

def _jinja(p, tag: str):
    """A paragraph holding only a docxtpl {%p ...%} tag: it vanishes when rendered."""
    p.add_run(tag)
    return p


def para(container, style: str, text: str = ""):
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run._r.find(qn("w:t")).set(qn("xml:space"), "preserve")
    return p


def control(container, tag: str):
    return _jinja(container.add_paragraph(), tag)


def for_each(container, items: str, style: str, text: str = "{{ line }}") -> None:
    """One template paragraph, repeated for each `line` in `items`."""
    control(container, f"{{%p for line in {items} %}}")
    para(container, style, text)
    control(container, "{%p endfor %}")


def only_if(container, condition: str, style: str, text: str) -> None:
    """One template paragraph, kept only when `condition` holds."""
    control(container, f"{{%p if {condition} %}}")
    para(container, style, text)
    control(container, "{%p endif %}")


def layout_table(doc, widths, rows: int = 1):
    """A borderless table used only to place blocks side by side (header, signatures)."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)
    _cell_margins(tbl_pr, 0)
    _set_widths(table, widths)
    for row in table.rows:
        for cell in row.cells:
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table


def _cell_margins(tbl_pr, twips: int) -> None:
    mar = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def _set_widths(table, widths) -> None:
    grid = table._tbl.tblGrid
    for col, width in zip(grid.iterchildren(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        table._tbl.tblPr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(sum(w.twips for w in widths))))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def agency_and_national_title(row) -> None:
    """Items 1-3: the issuing agency (under its parent) left, the national title and motto right."""
    left, right = row.cells
    only_if(left, "parent_agency", "ND30 Parent Agency", "{{ parent_agency }}")
    para(left, "ND30 Agency", "{{ agency_name }}")
    para(left, "ND30 Rule")
    para(right, "ND30 National Title", NATIONAL_TITLE)
    para(right, "ND30 Motto", MOTTO)
    para(right, "ND30 Rule")


def header_block(doc, *, letter_subject: bool = False, numbered: bool = True) -> None:
    """Items 1-4 (and 5b, 10): agency left, national title right; number left, date right."""
    table = layout_table(doc, HEADER_COLUMNS, rows=2)
    agency_and_national_title(table.rows[0])
    left, right = table.rows[1].cells
    para(left, "ND30 Number", "{{ number_line }}" if numbered else "")
    if letter_subject:
        for_each(left, "letter_subject_lines", "ND30 Letter Subject")
    for_each(left, "marks", "ND30 Mark")
    para(right, "ND30 Date", "{{ date_line }}")


def title_block(doc) -> None:
    """Item 5a: the type name, the subject under it, and a rule under the subject."""
    para(doc, "ND30 Type Name", "{{ type_name }}")
    for_each(doc, "subject_lines", "ND30 Subject")
    para(doc, "ND30 Rule")


def type_name_block(doc) -> None:
    """Item 5a for a form with no subject (Appendix III, forms 1.8 and 1.10): the type name alone,
    with no rule, since the rule belongs under the subject (Appendix I, item 5a)."""
    para(doc, "ND30 Type Name", "{{ type_name }}").paragraph_format.space_after = Pt(12)


def addressees_block(doc) -> None:
    """Item 9a: `Kính gửi:` then one addressee on the line, or each on its own line."""
    p = para(doc, "ND30 Addressees", "Kính gửi:")
    p.paragraph_format.space_before = Pt(12)
    p.add_run().add_tab()
    p.add_run("{{ addressees[0] }}")
    control(doc, "{%p for line in addressees[1:] %}")
    p = para(doc, "ND30 Addressees")
    p.add_run().add_tab()
    p.add_run("{{ line }}")
    control(doc, "{%p endfor %}")
    only_if(doc, "addressees_note", "ND30 Addressees Note", "{{ addressees_note }}")


BODY_STYLES = {
    "h1": "ND30 Heading 1", "h2": "ND30 Heading 2", "h3": "ND30 Heading 3", "item": "ND30 Item",
    "subitem": "ND30 Subitem", "basis": "ND30 Basis", "article": "ND30 Article", "center": "ND30 Center",
}


# Blocks of the articles markup (chapters, article titles), in the templates of the kinds that use it.
ARTICLE_STYLES = {"chapter": "ND30 Chapter", "article_title": "ND30 Article Title"}


def body_loop(doc, var: str = "body", styles: dict[str, str] = BODY_STYLES) -> None:
    """The content: one template paragraph per block style, so each is a Word style."""
    control(doc, f"{{%p for b in {var} %}}")
    first = True
    for style_key, style in styles.items():
        control(doc, f"{{%p {'if' if first else 'elif'} b.style == '{style_key}' %}}")
        para(doc, style, "{{r b.rich }}")
        first = False
    control(doc, "{%p else %}")
    para(doc, "ND30 Body", "{{r b.rich }}")
    control(doc, "{%p endif %}")
    control(doc, "{%p endfor %}")


def signature_table(doc, widths, rows: int = 1):
    """The table a signature sits in, after a spacer kept with it. Its rows do not split across
    pages: a signing authority at a page's foot with the signer's name overleaf is no signature."""
    para(doc, "Normal").paragraph_format.keep_with_next = True
    table = layout_table(doc, widths, rows=rows)
    for row in table.rows:
        _cant_split(row)
    return table


def signature_block(doc) -> None:
    """Items 7 and 9b: Nơi nhận on the left, the signing authority and name on the right."""
    table = signature_table(doc, SIGNATURE_COLUMNS)
    left, right = table.rows[0].cells
    para(left, "ND30 Recipients Label", "Nơi nhận:")
    for_each(left, "recipients", "ND30 Recipients")
    for_each(right, "signature.lines", "ND30 Authority")
    para(right, "ND30 Signer", "{{ signature.name }}")


def two_signatures_block(doc) -> None:
    """Two signers side by side (minutes: secretary and chair; reports: certifier and reporter).

    Names sit in a row of their own so they line up whatever the roles above them.
    """
    table = signature_table(doc, TWO_SIGNATURES, rows=2)
    for index, (role, name) in enumerate(zip(table.rows[0].cells, table.rows[1].cells)):
        sig = f"signatures[{index}]"
        for_each(role, f"{sig}.lines", "ND30 Authority")
        only_if(role, f"{sig}.note", "ND30 Signature Note", f"{{{{ {sig}.note }}}}")
        para(role, "ND30 Authority", "")
        para(name, "ND30 Signer", f"{{{{ {sig}.name }}}}")


def data_table(doc, headers: list[str], cells: list[str], widths_cm: list[float], rows_var: str,
               numbered_columns: tuple[int, ...] = (0,)) -> None:
    """A bordered table whose header row repeats on every page and one row per item."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_border(f"w:{edge}", "4"))
    tbl_pr.append(borders)
    _cell_margins(tbl_pr, 85)
    widths = [Cm(w) for w in widths_cm]
    _set_widths(table, widths)
    header, open_row, row, close_row = table.rows
    _repeat_header(header)
    for cell, text in zip(header.cells, headers):
        cell.paragraphs[0].style = doc.styles["ND30 Table Header"]
        cell.paragraphs[0].add_run(text)
    open_row.cells[0].paragraphs[0].add_run(f"{{%tr for r in {rows_var} %}}")
    for i, (cell, text) in enumerate(zip(row.cells, cells)):
        cell.paragraphs[0].style = doc.styles["ND30 Table Number" if i in numbered_columns else "ND30 Table Text"]
        cell.paragraphs[0].add_run(text)
    _cant_split(row)
    close_row.cells[0].paragraphs[0].add_run("{%tr endfor %}")


def _repeat_header(row) -> None:
    """Decree 30, Appendix I: a table's header row repeats on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))


def nominees_annex(doc) -> None:
    """The attached list on a new page: title, `(Kèm theo ...)`, I. Tập thể / II. Cá nhân."""
    para(doc, "ND30 Annex Title", "{{ annex.title_lines[0] }}")
    para(doc, "ND30 Annex Subtitle", "{{ annex.title_lines[1] }}")
    para(doc, "ND30 Annex Note", "{{ annex.note }}")
    control(doc, "{%p if annex.collectives %}")
    para(doc, "ND30 Annex Heading", "{{ annex.collectives_heading }}")
    data_table(doc, ["STT", "TÊN TẬP THỂ"], ["{{ r.no }}", "{{ r.name }}"], [1.5, 15.0], "annex.collectives")
    control(doc, "{%p endif %}")
    control(doc, "{%p if annex.individuals %}")
    para(doc, "ND30 Annex Heading", "{{ annex.individuals_heading }}")
    data_table(doc, ["STT", "HỌ VÀ TÊN", "CHỨC VỤ, ĐƠN VỊ CÔNG TÁC"],
               ["{{ r.no }}", "{{ r.name }}", "{{ r.position_unit }}"], [1.5, 5.5, 9.5], "annex.individuals")
    control(doc, "{%p endif %}")


# --- the kinds -------------------------------------------------------------------------

def attached_document(doc) -> None:
    """Decree 30, Appendix III, form 1.3: the document a decision issues, on a new page: the
    agency and the national title (no number, no date), type name, subject, `(Kèm theo ...)`,
    a rule, the chapters and articles, and the signature on the right (no Nơi nhận)."""
    control(doc, "{%p if attachment %}")
    para(doc, "Normal").add_run().add_break(WD_BREAK.PAGE)
    agency_and_national_title(layout_table(doc, HEADER_COLUMNS).rows[0])
    para(doc, "ND30 Type Name", "{{ attachment.type_name }}")
    for_each(doc, "attachment.subject_lines", "ND30 Subject")
    para(doc, "ND30 Annex Note", "{{ attachment.note }}")
    para(doc, "ND30 Rule")
    body_loop(doc, "attachment.body", BODY_STYLES | ARTICLE_STYLES)
    table = signature_table(doc, SIGNATURE_COLUMNS)
    right = table.rows[0].cells[1]
    for_each(right, "attachment.signature.lines", "ND30 Authority")
    para(right, "ND30 Signer", "{{ attachment.signature.name }}")
    control(doc, "{%p endif %}")


def votes_table(doc) -> None:
    data_table(doc, ["STT", "TÊN TẬP THỂ, CÁ NHÂN", "ĐƠN VỊ", "SỐ PHIẾU ĐỒNG Ý", "TỶ LỆ (%)"],
               ["{{ r.no }}", "{{ r.name }}", "{{ r.unit }}", "{{ r.votes }}", "{{ r.percent }}"],
               [1.2, 5.0, 5.3, 2.5, 2.5], "votes", numbered_columns=(0, 3, 4))


def recognition_table(var: str, what: str):
    """Section III of an achievement report: emulation titles, or awards, by year."""
    def part(doc) -> None:
        control(doc, f"{{%p if {var} %}}")
        data_table(doc, ["NĂM", what, f"SỐ, NGÀY, THÁNG, NĂM CỦA QUYẾT ĐỊNH {'CÔNG NHẬN' if var == 'titles' else 'KHEN THƯỞNG'}; CƠ QUAN BAN HÀNH"],
                   ["{{ r.year }}", "{{ r.title }}", "{{ r.decision }}"], [2.5, 5.0, 9.0], var)
        control(doc, "{%p endif %}")
    return part


def loop(var: str, styles: dict[str, str] = BODY_STYLES):
    return lambda doc: body_loop(doc, var, styles)


def checklist_table(doc) -> None:
    """The documents of a nomination dossier (danh mục hồ sơ, docgen.dossier.checklist)."""
    data_table(doc, ["STT", "TÊN TÀI LIỆU", "SỐ, KÝ HIỆU, NGÀY", "SỐ BẢN", "GHI CHÚ"],
               ["{{ r.no }}", "{{ r.title }}", "{{ r.reference }}", "{{ r.copies }}", "{{ r.note }}"],
               [1.2, 8.2, 3.6, 1.3, 1.7], "items", numbered_columns=(0, 3))


def preparer_block(doc) -> None:
    """One signature on the right with nothing on the left (who prepared a list)."""
    table = signature_table(doc, SIGNATURE_COLUMNS)
    right = table.rows[0].cells[1]
    for_each(right, "preparer.lines", "ND30 Authority")
    only_if(right, "preparer.note", "ND30 Signature Note", "{{ preparer.note }}")
    para(right, "ND30 Signer", "{{ preparer.name }}")


def copy_block(doc) -> None:
    """A lawful copy's block (Decree 30, Appendix I, the presentation of copies): under a solid
    rule as wide as the text area, the copying agency (left) and the form of copy (right, bold
    upper case), the copy's number and symbol (left) and the place and date of the copy
    (right), then Nơi nhận (left) and the signing authority and signer (right), as for a
    document (items 2, 3, 4, 7 and 9b)."""
    para(doc, "ND30 Copy Rule")
    table = layout_table(doc, HEADER_COLUMNS, rows=2)
    left, right = table.rows[0].cells
    only_if(left, "parent_agency", "ND30 Parent Agency", "{{ parent_agency }}")
    para(left, "ND30 Agency", "{{ agency_name }}")
    para(left, "ND30 Rule")
    para(right, "ND30 Copy Form", "{{ copy_form }}")
    left, right = table.rows[1].cells
    para(left, "ND30 Number", "{{ number_line }}")
    para(right, "ND30 Date", "{{ date_line }}")
    signature_block(doc)


# Each kind's template, top to bottom.
KINDS = {
    "ke_hoach": [header_block, title_block, body_loop, signature_block],
    "cong_van": [lambda doc: header_block(doc, letter_subject=True), addressees_block, body_loop, signature_block],
    "to_trinh": [header_block, title_block, addressees_block, body_loop, signature_block, nominees_annex],
    "bien_ban": [header_block, title_block, body_loop, votes_table, loop("body_after"), two_signatures_block],
    "bao_cao_thanh_tich": [lambda doc: header_block(doc, numbered=False), title_block, body_loop,
                           recognition_table("titles", "DANH HIỆU THI ĐUA"), loop("body_mid"),
                           recognition_table("awards", "HÌNH THỨC KHEN THƯỞNG"), two_signatures_block],
    "quyet_dinh_khen_thuong": [header_block, title_block, body_loop, signature_block, nominees_annex],
    "van_ban": [header_block, title_block, body_loop, signature_block],
    "quyet_dinh": [header_block, title_block, loop("body", BODY_STYLES | ARTICLE_STYLES), signature_block,
                   attached_document],
    "nghi_quyet": [header_block, title_block, loop("body", BODY_STYLES | ARTICLE_STYLES), signature_block],
    "danh_muc_ho_so": [lambda doc: header_block(doc, numbered=False), title_block, body_loop, checklist_table,
                       loop("body_after"), preparer_block],
    # Decree 30, Appendix III, forms 1.6, 1.7, 1.8 and 1.10: the content carries what differs
    # (the "điện:" line, "trân trọng kính mời:", the validity line); 1.8 and 1.10 have no subject.
    "cong_dien": [header_block, title_block, body_loop, signature_block],
    "giay_moi": [header_block, title_block, body_loop, signature_block],
    "giay_gioi_thieu": [header_block, type_name_block, body_loop, signature_block],
    "giay_nghi_phep": [header_block, type_name_block, body_loop, signature_block],
    "ban_sao": [copy_block],
}
# Kinds whose first page carries the agency's contact line (item 13).
CONTACT_FOOTER = {"cong_van"}


def build(kind: str) -> Document:
    doc = new_document(first_page_footer=kind in CONTACT_FOOTER)
    for part in KINDS[kind]:
        part(doc)
    return doc


def build_all(out_dir: Path = HERE) -> list[Path]:
    paths = []
    for kind in KINDS:
        path = out_dir / f"{kind}.docx"
        build(kind).save(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for path in build_all():
        print(path)

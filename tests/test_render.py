"""Rendering: what an inspector would see in the .docx of each kind."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib

import docx
import pytest
from docx.shared import Cm, Mm, Pt

import docgen
from docgen.errors import DataError, TemplateFault
from docgen.layout import MARGINS_MM, MOTTO, NATIONAL_TITLE, RULE_SHARE, text_width_mm
from docgen.metrics import text_width_pt
from docgen.render import TEMPLATES_DIR

from .conftest import AGENCY, example_files

PLAN = {
    "agency": str(AGENCY),
    "drafting_unit": "VP",
    "signer": "pho_giam_doc",
    "date": "2025-01-05",
    "subject": "Thực hiện Phong trào thi đua “Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập”",
    "recipients": ["Bộ GD&ĐT (Vụ TĐKT)", "UBND tỉnh (để báo cáo)"],
    "basis": "Thực hiện Kế hoạch số 1374/KH-BGD&ĐT ngày 02/11/2020 của Bộ Giáo dục và Đào tạo.",
    "body": "# Mục đích, yêu cầu\n## Mục đích\n- Đẩy mạnh;\n### Tập thể\nNội dung.\n# Tổ chức thực hiện\nVăn phòng Sở chủ trì.",
}


def open_docx(rendered) -> docx.Document:
    return docx.Document(io.BytesIO(rendered.docx))


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def paragraph(document, pattern):
    for p in all_paragraphs(document):
        if re.search(pattern, p.text):
            return p
    raise AssertionError(f"no paragraph matches {pattern!r}")


def size(p):
    return p.style.font.size


@pytest.fixture(scope="module")
def plan():
    return open_docx(docgen.render("ke_hoach", PLAN, number=5))


def test_every_kind_has_an_example_and_renders(rendered_examples):
    kinds = {kind for kind, _ in example_files()}
    assert kinds == set(docgen.KINDS)
    for stem, path in rendered_examples.items():
        assert docx.Document(path).paragraphs, stem


def test_page_is_a4_with_legal_margins(plan):
    section = plan.sections[0]
    def mm(length):
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert section.orientation == 0  # portrait
    assert (mm(section.left_margin), mm(section.right_margin)) == (MARGINS_MM["left"], MARGINS_MM["right"])
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (MARGINS_MM["top"], MARGINS_MM["bottom"])


def test_times_new_roman_in_every_font_slot_and_no_theme_fonts(plan):
    styles_xml = plan.styles.element.xml
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles_xml, re.S).group(0)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert f'w:{slot}="Times New Roman"' in defaults
    assert "Theme=" not in styles_xml and "w:cstheme" not in styles_xml
    body_xml = plan.element.xml
    fonts = set(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', body_xml))
    assert fonts <= {"Times New Roman"}


def test_page_numbers_from_page_two_centred(plan):
    section = plan.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml
    assert "PAGE" not in section.first_page_header._element.xml
    number = section.header.paragraphs[0]
    assert number.style.paragraph_format.alignment == 1  # centred
    assert number.style.font.size == Pt(13)


def test_header_parts(plan):
    title = paragraph(plan, f"^{NATIONAL_TITLE}$")
    assert title.style.font.bold and size(title) in (Pt(12), Pt(13))
    motto = paragraph(plan, f"^{MOTTO}$")
    assert motto.style.font.bold and not motto.style.font.italic and size(motto) in (Pt(13), Pt(14))
    parent = paragraph(plan, "^UBND TỈNH CAO BẰNG$")
    assert not parent.style.font.bold
    agency = paragraph(plan, "^SỞ GIÁO DỤC VÀ ĐÀO TẠO$")
    assert agency.style.font.bold
    assert paragraph(plan, "^Số: ").text == "Số: 05/KH-SGD&ĐT"
    date = paragraph(plan, "^Cao Bằng, ngày")
    assert date.text == "Cao Bằng, ngày 05 tháng 01 năm 2025" and date.style.font.italic
    assert paragraph(plan, "^KẾ HOẠCH$").style.font.bold


def test_rules_have_the_legal_length(plan):
    """Motto rule as long as the motto; agency and subject rules a third to a half of the text."""
    header = plan.tables[0]
    rules = [p for p in header.rows[0].cells[0].paragraphs + header.rows[0].cells[1].paragraphs
             if p.style.name == "ND30 Rule"]
    assert len(rules) == 2
    agency_rule, motto_rule = rules
    cell_widths = [header.rows[0].cells[i].width for i in (0, 1)]

    def rule_pt(p, width):
        fmt = p.paragraph_format
        return (width - fmt.left_indent - fmt.right_indent) / 12700

    motto = text_width_pt(MOTTO, 13, bold=True)
    assert abs(rule_pt(motto_rule, cell_widths[1]) - motto) < 2
    agency = text_width_pt("SỞ GIÁO DỤC VÀ ĐÀO TẠO", 12, bold=True)
    low, high = RULE_SHARE["agency"]
    assert low * agency <= rule_pt(agency_rule, cell_widths[0]) <= high * agency
    subject_rule = next(p for p in plan.paragraphs if p.style.name == "ND30 Rule")
    page = Mm(text_width_mm())
    subject = min(text_width_pt(PLAN["subject"], 14, bold=True), page / 12700)
    assert RULE_SHARE["subject"][0] * subject <= rule_pt(subject_rule, page) <= RULE_SHARE["subject"][1] * subject


def test_body_paragraphs_justified_indented_spaced(plan):
    body = paragraph(plan, "^Thực hiện Kế hoạch số 1374")
    fmt = body.style.paragraph_format
    assert fmt.alignment == 3  # justified
    assert fmt.first_line_indent == Cm(1.27)
    assert fmt.space_after >= Pt(6)
    assert 1.0 <= fmt.line_spacing <= 1.5
    assert size(body) == Pt(14)


def test_headings_numbered_from_structure(plan):
    texts = [p.text for p in plan.paragraphs if p.style.name.startswith("ND30 Heading")]
    assert texts == ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "a) Tập thể", "II. TỔ CHỨC THỰC HIỆN"]
    assert plan.paragraphs[-1].text.endswith("./.") or any(p.text.endswith("chủ trì./.") for p in plan.paragraphs)


def test_recipients_and_signature(plan):
    label = paragraph(plan, "^Nơi nhận:$")
    assert label.style.font.bold and label.style.font.italic and size(label) == Pt(12)
    lines = [p for p in all_paragraphs(plan) if p.style.name == "ND30 Recipients"]
    assert [p.text for p in lines] == ["- Bộ GD&ĐT (Vụ TĐKT);", "- UBND tỉnh (để báo cáo);", "- Lưu: VT, VP."]
    assert all(size(p) == Pt(11) for p in lines)
    authority = [p.text for p in all_paragraphs(plan) if p.style.name == "ND30 Authority"]
    assert authority == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert paragraph(plan, "^Nguyễn Mai Phương$").style.font.bold


def test_draft_leaves_the_number_blank():
    draft = open_docx(docgen.render("ke_hoach", PLAN))
    line = paragraph(draft, "^Số:").text
    assert re.fullmatch(r"Số:\s+/KH-SGD&ĐT", line)


def test_values_appear_exactly_as_typed():
    tricky = "Mẫu {{ agency_name }} {% if true %}x{% endif %} <w:p> & < > \"'"
    data = dict(PLAN, body=tricky, subject=tricky)
    document = open_docx(docgen.render("ke_hoach", data))
    assert paragraph(document, "^Mẫu").text in (tricky + "./.", tricky)
    assert any(p.text == tricky for p in document.paragraphs)


def test_decomposed_input_is_normalised():
    import unicodedata

    data = dict(PLAN, subject=unicodedata.normalize("NFD", PLAN["subject"]))
    document = open_docx(docgen.render("ke_hoach", data))
    assert paragraph(document, "^Thực hiện Phong trào").text == PLAN["subject"]


def test_line_separators_do_not_split_the_subject():
    data = dict(PLAN, subject="Thực hiện\u2028Phong trào\u2029thi đua\x85năm học\ufffe 2025\uffff")
    document = open_docx(docgen.render("ke_hoach", data))
    texts = [p.text for p in all_paragraphs(document)]
    assert "Thực hiện Phong trào thi đua năm học 2025" in texts
    assert not any(ch in t for t in texts for ch in "\u2028\u2029\x85\ufffe\uffff")


def _template_with(tmp_path, text):
    source = TEMPLATES_DIR / "ke_hoach.docx"
    document = docx.Document(source)
    document.paragraphs[0].runs[0].text = text
    path = tmp_path / "office.docx"
    document.save(path)
    return path


@pytest.mark.parametrize("payload", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% include '/etc/passwd' %}",
])
def test_templates_are_sandboxed(tmp_path, payload):
    with pytest.raises(TemplateFault):
        docgen.render("ke_hoach", PLAN, template=_template_with(tmp_path, payload))


@pytest.mark.parametrize("payload, message", [
    ("{{ lipsum(10**6) }}", "lipsum"),
    ("{{ '{0:>1000000000}'.format('x') }}", "width"),
    ("{{ '{0:>{1}}'.format('x', 10**9) }}", "width"),
    ("{{ '%1000000000s' % 'x' }}", "width"),
    ("{{ '%*s'|format(10**9, 'x') }}", "width"),
    ("{{ 'x'|center(10**9) }}", "width"),
    ("{{ 'x'.rjust(10**9) }}", "width"),
    ("{{ 'x' * 10**9 }}", "characters"),
    ("{{ [0] * 10**9 }}", "items"),
    ("{{ ('x' * 100000)|replace('', 'y' * 100000) }}", "characters"),
    ("{{ 10 ** (10 ** 10) }}", "too large"),
    ("{{ range(10**9)|list|length }}", "range"),
    ("{% set l = [1] %}{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}", "unsafe"),
    ("{% for i in range(10**4) %}{% for j in range(10**4) %}{% for k in range(10**4) %}{% endfor %}{% endfor %}"
     "{% endfor %}", "CPU"),
    ("{% set ns = namespace(s='xx') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
     "{{ ns.s|length }}", "memory"),
])
def test_a_template_cannot_spend_unbounded_time_or_memory(tmp_path, monkeypatch, payload, message):
    if message == "CPU":  # the cap's working, not its size, is tested; the other payloads keep the real cap, so that
        monkeypatch.setattr(docgen.sandbox, "TEMPLATE_CPU_SECONDS", 2)  # a loaded machine meets their own limit first
    template = _template_with(tmp_path, payload)
    with pytest.raises(TemplateFault, match=message) as refused:
        docgen.render("ke_hoach", PLAN, template=template)
    assert str(refused.value).startswith(f"{template}: ")


def test_an_office_can_supply_its_own_template(tmp_path):
    path = _template_with(tmp_path, "{{ type_name }} (mẫu của Sở)")
    document = open_docx(docgen.render("ke_hoach", PLAN, template=path))
    assert document.paragraphs[0].text == "KẾ HOẠCH (mẫu của Sở)"


def png(width: int = 16, height: int = 16) -> bytes:
    """A small red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\0" + b"\xff\0\0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def with_linked_images(source, out, targets: list[str]):
    """A copy of `source` showing one picture per target, each linked (r:link, TargetMode="External")
    the way Word writes "Insert picture > Link to file", not embedded."""
    document = docx.Document(source)
    for _ in targets:
        document.add_picture(io.BytesIO(png()))
    staged = io.BytesIO()
    document.save(staged)
    with zipfile.ZipFile(staged) as package, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as linked:
        rels = package.read("word/_rels/document.xml.rels").decode()
        media = sorted(set(re.findall(r'Target="(media/[^"]+)"', rels)))
        for name, target in zip(media, targets):
            rels = rels.replace(f'Target="{name}"', f'Target="{target}" TargetMode="External"')
        for item in package.infolist():
            if item.filename[len("word/"):] in media:
                continue
            data = package.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = rels.encode()
            elif item.filename == "word/document.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            linked.writestr(item, data)
    return out


@pytest.mark.parametrize("target", ["file:///etc/hostname", "http://127.0.0.1:9/logo.png"])
def test_a_template_reaching_outside_is_refused_by_name(tmp_path, target):
    template = with_linked_images(_template_with(tmp_path, "{{ type_name }}"), tmp_path / "linked.docx", [target])
    with pytest.raises(TemplateFault) as refused:
        docgen.render("ke_hoach", PLAN, template=template)
    message = str(refused.value)
    assert str(template) in message and target in message and "word/_rels/document.xml.rels" in message
    # A hyperlink is only text to click: a template may have one.
    document = docx.Document(_template_with(tmp_path, "{{ type_name }}"))
    paragraph = document.add_paragraph()
    relationship = document.part.relate_to("https://moet.gov.vn", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                                           is_external=True)
    link = paragraph._p.makeelement(docx.oxml.ns.qn("w:hyperlink"), {docx.oxml.ns.qn("r:id"): relationship})
    paragraph._p.append(link)
    document.save(tmp_path / "hyperlink.docx")
    docgen.render("ke_hoach", PLAN, template=tmp_path / "hyperlink.docx")


def test_missing_template_is_a_clear_error(tmp_path):
    with pytest.raises(TemplateFault, match="not found"):
        docgen.render("ke_hoach", PLAN, template=tmp_path / "none.docx")


@pytest.mark.parametrize("change, expected", [
    ({"subject": None}, "'subject' (Trích yếu nội dung)"),
    ({"date": "31/02/2025"}, "'date' (Ngày ban hành)"),
    ({"colour": "red"}, "'colour'"),
    ({"signer": "nobody"}, "'signer' (Người ký)"),
    ({"drafting_unit": "XYZ"}, "'drafting_unit' (Đơn vị soạn thảo)"),
    ({"secrecy": "bí mật"}, "'secrecy' (Độ mật)"),
])
def test_bad_data_names_the_file_and_field(tmp_path, change, expected):
    import yaml

    data = {k: v for k, v in {**PLAN, **change}.items() if v is not None}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as info:
        docgen.render("ke_hoach", path)
    message = str(info.value)
    assert str(path) in message and expected in message


def test_unknown_kind_lists_the_known_ones():
    with pytest.raises(docgen.DocgenError, match="ke_hoach"):
        docgen.render("sac_lenh", PLAN)


def test_award_decision_articles_counts_and_bonus(rendered_examples):
    document = docx.Document(rendered_examples["quyet_dinh_khen_thuong"])
    texts = [p.text for p in document.paragraphs]
    article1 = next(t for t in texts if t.startswith("Điều 1."))
    assert re.search(r"cho \d{2} tập thể và \d{2} cá nhân \(có danh sách kèm theo\)", article1)
    article2 = next(t for t in texts if t.startswith("Điều 2."))
    assert "Bằng chữ:" in article2 and "đồng" in article2
    article3 = next(t for t in texts if t.startswith("Điều 3."))
    assert article3.endswith("./.")
    assert "QUYẾT ĐỊNH:" in texts
    note = next(t for t in texts if t.startswith("(Kèm theo Quyết định số 05/QĐ-SGD&ĐT ngày"))
    assert note.endswith(")")


def test_attached_list_tables_repeat_their_header(rendered_examples):
    for stem in ("quyet_dinh_khen_thuong", "to_trinh"):
        document = docx.Document(rendered_examples[stem])
        data_tables = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
        assert data_tables, stem
        for table in data_tables:
            assert table.rows[0]._tr.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
            header_texts = [c.text for c in table.rows[0].cells]
            assert all(t == t.upper() for t in header_texts)
            assert table.rows[1].cells[0].text == "1"


def test_thousand_name_decision(tmp_path):
    import yaml

    from docgen.catalog import EXAMPLES_DIR

    data = yaml.safe_load((EXAMPLES_DIR / "quyet_dinh_khen_thuong.yaml").read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    data["nominees"] = [{"type": "individual", "name": f"Nguyễn Văn {i}", "position": "Giáo viên",
                         "unit": "Trường THPT Chuyên Cao Bằng"} for i in range(1, 1001)]
    document = open_docx(docgen.render("quyet_dinh_khen_thuong", data, number=12))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    assert len(table.rows) == 1001
    assert any("1000 cá nhân" in p.text for p in document.paragraphs)


def test_templates_open_as_valid_zip_packages():
    for path in TEMPLATES_DIR.glob("*.docx"):
        with zipfile.ZipFile(path) as z:
            assert "word/document.xml" in z.namelist()


def test_render_to_files_writes_nothing_when_data_is_bad(tmp_path):
    out = tmp_path / "out" / "plan.docx"
    with pytest.raises(DataError):
        docgen.render_to_files("ke_hoach", dict(PLAN, date="not a date"), out)
    assert not out.exists()
    assert not list(tmp_path.rglob("*.docx"))


def test_copies_of_the_repository_templates_are_the_built_ones(tmp_path):
    """templates_docx/build.py reproduces the committed templates' structure."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", TEMPLATES_DIR / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    built = build.build_all(tmp_path)
    for path in built:
        committed = docx.Document(TEMPLATES_DIR / path.name)
        fresh = docx.Document(path)
        assert [p.text for p in committed.paragraphs] == [p.text for p in fresh.paragraphs], path.name
    shutil.rmtree(tmp_path)


def test_every_example_conforms_issued_and_as_a_draft(rendered_examples, tmp_path):
    for stem, path in rendered_examples.items():
        assert docgen.check_document(path) == [], stem
    for kind, path in example_files():
        draft = docgen.render(kind, path).save(tmp_path / f"{path.stem}-draft.docx")
        assert docgen.check_document(draft) == [], f"{path.stem} (draft)"


def test_plain_fields_are_never_read_as_markup(tmp_path):
    """Asterisks, hashes and dashes typed in names and other plain fields print as typed."""
    import yaml

    data = yaml.safe_load((AGENCY.parent / "bien_ban.yaml").read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    data["place"] = "Phòng họp *số 2*"
    data["chair"]["name"] = "Đàm **Văn** Hùng"
    document = open_docx(docgen.render("bien_ban", data, number=3))
    texts = "\n".join(p.text for p in all_paragraphs(document))
    assert "Phòng họp *số 2*" in texts and "Đàm **Văn** Hùng" in texts

    decision = yaml.safe_load((AGENCY.parent / "quyet_dinh_khen_thuong.yaml").read_text(encoding="utf-8"))
    decision["agency"] = str(AGENCY)
    decision["achievement"] = "đã đạt giải *Nhất* cuộc thi"
    decision["bases"] = ["Căn cứ Quyết định số 12/QĐ-UBND về *Quy chế*"]
    document = open_docx(docgen.render("quyet_dinh_khen_thuong", decision, number=4))
    texts = [p.text for p in document.paragraphs]
    assert any("đã đạt giải *Nhất* cuộc thi" in t for t in texts)
    assert any(t.startswith("Căn cứ Quyết định số 12/QĐ-UBND về *Quy chế*") for t in texts)


def test_the_signature_block_never_splits_across_pages(rendered_examples):
    """The signing authority and the signer's name stay on one page (a row that cannot split, kept
    with the paragraph before it): a title at a page's foot with the name overleaf is no signature."""
    from docx.oxml.ns import qn

    for stem, path in rendered_examples.items():
        document = docx.Document(path)
        signer_style = document.styles["ND30 Signer"].style_id
        rows = [tr for tr in document.element.body.iter(qn("w:tr"))
                if any(style.get(qn("w:val")) == signer_style for style in tr.iter(qn("w:pStyle")))]
        assert rows, stem
        for tr in rows:
            assert tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None, stem

"""The forms of Decree 30, Appendix III for typed documents (van_ban), decisions (quyet_dinh,
forms 1.2 and 1.3) and resolutions (nghi_quyet, form 1.1): rendering, checking, PDF, archive."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import docx
import pytest
import yaml
from pypdf import PdfReader

import docgen
from archive import Archive, issue_document
from docgen.check import check_document
from docgen.errors import DataError
from docgen.layout import TYPE_CODES
from docgen.vietnamese import upper

from .conftest import AGENCY, EXAMPLES
from .test_render import all_paragraphs

NEW_EXAMPLES = {"van_ban_thong_bao": "van_ban", "van_ban_bao_cao": "van_ban", "van_ban_huong_dan": "van_ban",
                "quyet_dinh": "quyet_dinh", "quyet_dinh_quy_che": "quyet_dinh", "nghi_quyet": "nghi_quyet"}


def example(stem: str) -> dict:
    data = yaml.safe_load((EXAMPLES / f"{stem}.yaml").read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    return data


def texts(rendered) -> list[str]:
    return [p.text for p in all_paragraphs(docx.Document(io.BytesIO(rendered.docx)))]


def pdf_pages(path) -> list[str]:
    return [unicodedata.normalize("NFC", page.extract_text() or "") for page in PdfReader(path).pages]


def test_every_new_example_is_there_and_conforms(rendered_examples):
    for stem in NEW_EXAMPLES:
        assert check_document(rendered_examples[stem]) == [], stem


def test_page_counts_of_the_new_examples(example_pdfs):
    pages = {stem: len(PdfReader(example_pdfs[stem]).pages) for stem in NEW_EXAMPLES}
    assert pages == {"van_ban_thong_bao": 2, "van_ban_bao_cao": 1, "van_ban_huong_dan": 2, "quyet_dinh": 1,
                     "quyet_dinh_quy_che": 3, "nghi_quyet": 1}


def test_the_attached_regulation_starts_on_its_own_page_with_its_header(example_pdfs):
    first, attached, *_ = pdf_pages(example_pdfs["quyet_dinh_quy_che"])
    assert "Điều 1. Ban hành kèm theo Quyết định này Quy chế" in " ".join(first.split())
    assert "QUY CHẾ" not in first.replace("Quy chế", "")
    flat = " ".join(attached.split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "QUY CHẾ" in flat
    assert "(Kèm theo Quyết định số 05/QĐ-SGD&ĐT ngày 05 tháng 9 năm 2025 của Giám đốc Sở" in flat
    assert "Số:" not in flat and "Nơi nhận" not in flat


@pytest.mark.parametrize("name, code", list(TYPE_CODES.items()))
def test_van_ban_takes_every_type_by_name_or_code(name, code):
    data = dict(example("van_ban_thong_bao"))
    for given in (name, code, upper(name)):
        rendered = docgen.render("van_ban", {**data, "type": given}, number=7)
        shown = texts(rendered)
        assert upper(name) in shown, given
        assert f"Số: 07/{code}-SGD&ĐT" in shown, given
        meta = rendered.document.metadata()
        assert (meta["type_name"], meta["type_code"], meta["number_symbol"]) == (upper(name), code, f"07/{code}-SGD&ĐT")


@pytest.mark.parametrize("given, expected", [
    ("Công văn", "use the kind cong_van"),
    ("Thư công", "not made by van_ban"),
    ("Thông tư", "'type' (Tên loại văn bản)"),
    ("hd", "'type' (Tên loại văn bản)"),  # codes are exact: HD is Hướng dẫn, HĐ Hợp đồng
])
def test_van_ban_refuses_what_is_not_a_type_name(tmp_path, given, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({**example("van_ban_thong_bao"), "type": given}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as refused:
        docgen.render("van_ban", path)
    assert str(path) in str(refused.value) and expected in str(refused.value)


def test_hd_and_hđ_are_two_types():
    data = example("van_ban_thong_bao")
    assert docgen.render("van_ban", {**data, "type": "HD"}).document.type_name == "HƯỚNG DẪN"
    assert docgen.render("van_ban", {**data, "type": "HĐ"}).document.type_name == "HỢP ĐỒNG"


def test_decision_articles_from_a_list_or_markup_number_from_order():
    data = example("quyet_dinh")
    shown = texts(docgen.render("quyet_dinh", data, number=3))
    articles = [t for t in shown if t.startswith("Điều ")]
    assert [a.split(" ", 2)[1] for a in articles] == ["1.", "2.", "3."]
    assert articles[2].endswith("thi hành Quyết định này./.")
    assert "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO" in shown and "QUYẾT ĐỊNH:" in shown
    assert "Theo đề nghị của Trưởng phòng Tổ chức cán bộ." in shown
    as_markup = {**data, "articles": "\n\n".join("## | " + item for item in data["articles"])}
    assert texts(docgen.render("quyet_dinh", as_markup, number=3)) == shown


def test_attached_regulation_chapters_articles_clauses_and_points():
    shown = texts(docgen.render("quyet_dinh", example("quyet_dinh_quy_che"), number=5))
    attached = shown[shown.index("QUY CHẾ"):]
    assert [t for t in attached if t.startswith("Chương ")] == ["Chương I", "Chương II", "Chương III"]
    assert attached[attached.index("Chương II") + 1] == "TRÁCH NHIỆM VÀ PHẠM VI GIẢI QUYẾT CÔNG VIỆC"
    # Articles run on across chapters; clauses restart in each article, points in each clause.
    assert [t.split(".")[0] for t in attached if t.startswith("Điều ")] == [f"Điều {n}" for n in range(1, 6)]
    article3 = attached.index("Điều 3. Trách nhiệm của Giám đốc Sở")
    assert [t[:3] for t in attached[article3 + 1:article3 + 5]] == ["1. ", "2. ", "a) ", "b) "]
    assert any(t.endswith("sửa đổi, bổ sung cho phù hợp./.") for t in attached)
    assert shown.count("Đàm Văn Hùng") == 2  # the decision and the regulation, signed alike


def test_an_attached_document_without_articles_is_refused():
    data = example("quyet_dinh_quy_che")
    data["attachment"]["body"] = "# Quy định chung\nQuy chế này quy định lề lối làm việc."
    with pytest.raises(DataError, match="attachment.*no article"):
        docgen.render("quyet_dinh", data)


def test_resolution_is_issued_by_the_council_and_signed_on_its_behalf():
    rendered = docgen.render("nghi_quyet", example("nghi_quyet"), number=2)
    shown = texts(rendered)
    assert "Số: 02/NQ-HĐTĐKT" in shown and "NGHỊ QUYẾT" in shown and "QUYẾT NGHỊ:" in shown
    assert shown.index("TM. HỘI ĐỒNG") + 1 == shown.index("CHỦ TỊCH")


@pytest.mark.parametrize("signer", ["giam_doc", {"name": "Đàm Văn Hùng", "title": "GIÁM ĐỐC"},
                                    {"name": "Đàm Văn Hùng", "title": "PHÓ CHỦ TỊCH", "authority": "KT. CHỦ TỊCH"}])
def test_a_resolution_not_signed_on_behalf_of_the_body_is_refused(signer):
    with pytest.raises(DataError, match="on behalf of the collective"):
        docgen.render("nghi_quyet", {**example("nghi_quyet"), "signer": signer})


def test_new_kinds_issue_through_the_archive_with_their_type_codes(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("registers:\n  by_type:\n    TB: thong-bao\n", encoding="utf-8")
    with Archive.init(tmp_path / "home", AGENCY, config=config) as archive:
        records = {stem: issue_document(archive, kind, EXAMPLES / f"{stem}.yaml", date=dt.date(2025, 10, 20),
                                        pdf=False).record
                   for stem, kind in NEW_EXAMPLES.items()}
    shown = {stem: (r.register, r.number_symbol, r.type_name) for stem, r in records.items()}
    assert shown == {
        "van_ban_thong_bao": ("thong-bao", "01/TB-SGD&ĐT", "THÔNG BÁO"),
        "van_ban_bao_cao": ("chung", "01/BC-SGD&ĐT", "BÁO CÁO"),
        "van_ban_huong_dan": ("chung", "02/HD-SGD&ĐT", "HƯỚNG DẪN"),
        "quyet_dinh": ("chung", "03/QĐ-SGD&ĐT", "QUYẾT ĐỊNH"),
        "quyet_dinh_quy_che": ("chung", "04/QĐ-SGD&ĐT", "QUYẾT ĐỊNH"),
        "nghi_quyet": ("HĐTĐKT", "01/NQ-HĐTĐKT", "NGHỊ QUYẾT"),
    }


def test_kinds_page_of_the_new_kinds():
    from docgen.catalog import describe_kind

    van_ban = describe_kind("van_ban")
    assert van_ban["symbol_example"].startswith("05/TB-SGDĐT")
    assert van_ban["example_file"].endswith(".yaml")
    assert "Thông báo TB" in next(f for f in van_ban["fields"] if f["name"] == "type")["description"]
    decision = describe_kind("quyet_dinh")
    assert "Chương I" in decision["markup"] and decision["example_file"].endswith("quyet_dinh.yaml")
    assert describe_kind("nghi_quyet")["symbol_example"] == "05/NQ-HĐTĐKT"


# --------------------------------------------------------------------------- checker rules of these forms

def _edited(rendered_examples, stem, tmp_path, edit) -> set[str]:
    """The example's .docx with one thing broken by `edit(document)`, and the rules it breaks."""
    document = docx.Document(rendered_examples[stem])
    edit(document)
    path = tmp_path / f"{stem}-edited.docx"
    document.save(path)
    return {f.rule for f in check_document(path)}


def _body(document, text):
    return next(p for p in document.paragraphs if p.text == text)


def _retext(paragraph, text):
    paragraph.runs[0].text = text
    for run in paragraph.runs[1:]:
        run.text = ""


def test_a_chapter_in_arabic_numerals(rendered_examples, tmp_path):
    rules = _edited(rendered_examples, "quyet_dinh_quy_che", tmp_path,
                    lambda d: _retext(_body(d, "Chương II"), "Chương 2"))
    assert rules == {"chapter.numeral"}


def test_a_chapter_line_not_bold(rendered_examples, tmp_path):
    def edit(document):
        for run in _body(document, "Chương III").runs:
            run.bold = False
    assert _edited(rendered_examples, "quyet_dinh_quy_che", tmp_path, edit) == {"chapter.bold"}


def test_a_chapter_title_not_in_capitals(rendered_examples, tmp_path):
    rules = _edited(rendered_examples, "quyet_dinh_quy_che", tmp_path,
                    lambda d: _retext(_body(d, "QUY ĐỊNH CHUNG"), "Quy định chung"))
    assert rules == {"chapter.title"}


def test_a_chapter_line_not_centred(rendered_examples, tmp_path):
    def edit(document):
        _body(document, "Chương I").alignment = 0  # left
    assert _edited(rendered_examples, "quyet_dinh_quy_che", tmp_path, edit) == {"chapter.alignment"}


def test_an_article_of_the_attached_regulation_numbered_again_from_1(rendered_examples, tmp_path):
    """Articles run on across chapters: Điều 3 under Chương II is not Điều 1."""
    def edit(document):
        for run in _body(document, "Điều 3. Trách nhiệm của Giám đốc Sở").runs:
            run.text = run.text.replace("Điều 3.", "Điều 1.")
    assert _edited(rendered_examples, "quyet_dinh_quy_che", tmp_path, edit) == {"numbering.jump"}


def test_an_article_label_of_the_attached_regulation_not_bold(rendered_examples, tmp_path):
    def edit(document):
        for run in _body(document, "Điều 2. Nguyên tắc làm việc").runs:
            run.bold = False
    assert _edited(rendered_examples, "quyet_dinh_quy_che", tmp_path, edit) == {"article.bold"}


def test_a_resolution_signed_without_tm(rendered_examples, tmp_path):
    def edit(document):
        cell = document.tables[-1].rows[0].cells[1]
        _retext(next(p for p in cell.paragraphs if p.text == "TM. HỘI ĐỒNG"), "KT. HỘI ĐỒNG")
    assert _edited(rendered_examples, "nghi_quyet", tmp_path, edit) == {"authority.collective"}


def test_the_resolution_heading_must_be_bold(rendered_examples, tmp_path):
    def edit(document):
        for run in _body(document, "QUYẾT NGHỊ:").runs:
            run.bold = False
    assert _edited(rendered_examples, "nghi_quyet", tmp_path, edit) == {"decision_heading.bold"}


def test_chapters_and_article_titles_stay_with_what_follows(rendered_examples):
    """A `Chương` line, its title or an article's title is never left alone at the foot of a page."""
    document = docx.Document(rendered_examples["quyet_dinh_quy_che"])
    for text in ("Chương II", "TRÁCH NHIỆM VÀ PHẠM VI GIẢI QUYẾT CÔNG VIỆC", "Điều 5. Tổ chức thực hiện"):
        paragraph = _body(document, text)
        assert paragraph.style.paragraph_format.keep_with_next, text
        assert paragraph.style.font.bold, text
    assert _body(document, "Chương II").style.paragraph_format.alignment == 1  # centred


def test_an_invitation_issued_after_its_meeting_is_refused_naming_the_field(tmp_path):
    with Archive.init(tmp_path / "home", AGENCY) as archive:
        with pytest.raises(DataError, match=r"start.*15/10/2025 is before the date of the invitation 16/10/2025"):
            issue_document(archive, "giay_moi", EXAMPLES / "giay_moi.yaml", date=dt.date(2025, 10, 16), pdf=False)
        assert archive.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        issued = issue_document(archive, "giay_moi", EXAMPLES / "giay_moi.yaml", date=dt.date(2025, 10, 14), pdf=False)
    assert issued.record.number_symbol.startswith("01/")

"""Long names in the 6.5 cm header column: broken where they read well, never a word alone."""

from __future__ import annotations

import io

import docx
import pytest
import yaml

import docgen
from docgen.agency import Agency
from docgen.check import check_document
from docgen.layout import HEADER_COLUMN_CM, RULE_SHARE
from docgen.metrics import break_name, text_width_pt

from .conftest import AGENCY, EXAMPLES

COLUMN_PT = HEADER_COLUMN_CM / 2.54 * 72


def agency(**changes) -> Agency:
    return Agency.model_validate({**yaml.safe_load(AGENCY.read_text(encoding="utf-8")), **changes})


PHONG = agency(parent="UBND HUYỆN HÒA AN", name="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", code="PGDĐT",
               full_name="Phòng Giáo dục và Đào tạo huyện Hòa An", head_title="TRƯỞNG PHÒNG")


@pytest.mark.parametrize("name, lines", [
    ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", ["PHÒNG GIÁO DỤC", "VÀ ĐÀO TẠO"]),
    ("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", ["HỘI ĐỒNG THI ĐUA -", "KHEN THƯỞNG"]),
    ("TRƯỜNG THPT CHUYÊN CAO BẰNG", ["TRƯỜNG THPT", "CHUYÊN CAO BẰNG"]),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", ["SỞ GIÁO DỤC VÀ ĐÀO TẠO"]),
    ("PHÒNG GIÁO DỤC\nVÀ ĐÀO TẠO", ["PHÒNG GIÁO DỤC", "VÀ ĐÀO TẠO"]),
])
def test_names_break_where_they_read_well(name, lines):
    assert break_name(name, 0.98 * COLUMN_PT, 12, bold=True) == lines
    assert all(len(line.split()) > 1 for line in lines)


def header_cell(rendered):
    return docx.Document(io.BytesIO(rendered.docx)).tables[0].rows[0].cells[0]


def rule_share(cell) -> float:
    """Length of the rule under the name over its longest line (the cell has no margins)."""
    name, rule = cell.paragraphs[-2], cell.paragraphs[-1]
    indent = rule.paragraph_format.left_indent.pt + rule.paragraph_format.right_indent.pt
    longest = max(text_width_pt(line, 12, True) for line in name.text.split("\n"))
    return (cell.width.pt - indent) / longest


@pytest.mark.parametrize("kind, data, office, lines", [
    ("ke_hoach", {}, PHONG, ["PHÒNG GIÁO DỤC", "VÀ ĐÀO TẠO"]),
    ("bien_ban", {}, None, ["HỘI ĐỒNG THI ĐUA -", "KHEN THƯỞNG"]),
    ("bao_cao_thanh_tich_tap_the", {"unit": "Trường THPT Chuyên Cao Bằng"}, None, ["TRƯỜNG THPT", "CHUYÊN CAO BẰNG"]),
], ids=["phong", "council", "school"])
def test_rendered_names_take_two_lines_with_the_rule_under_the_longest(kind, data, office, lines):
    source = yaml.safe_load((EXAMPLES / f"{kind}.yaml").read_text(encoding="utf-8"))
    source["agency"] = str(AGENCY)
    kind_name = "bao_cao_thanh_tich" if kind.startswith("bao_cao") else kind
    rendered = docgen.render(kind_name, {**source, **data}, agency=office, number=None if kind_name == "bao_cao_thanh_tich" else 4)
    cell = header_cell(rendered)
    assert cell.paragraphs[-2].text.split("\n") == lines
    low, high = RULE_SHARE["agency"]
    assert low <= rule_share(cell) <= high
    assert check_document(rendered.docx) == []


def test_the_agency_file_may_break_the_name_by_hand(tmp_path):
    path = tmp_path / "agency.yaml"
    data = yaml.safe_load(AGENCY.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**data, "name": "Sở Giáo dục\nvà Đào tạo", "parent": "Ủy ban nhân dân\ntỉnh Cao Bằng"},
                                   allow_unicode=True), encoding="utf-8")
    office = docgen.load_agency(path)
    assert office.name == "SỞ GIÁO DỤC VÀ ĐÀO TẠO" and office.name_lines == ("SỞ GIÁO DỤC", "VÀ ĐÀO TẠO")
    assert office.parent == "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG"
    rendered = docgen.render("ke_hoach", EXAMPLES / "ke_hoach.yaml", agency=office, number=4)
    parent, name = header_cell(rendered).paragraphs[-3:-1]
    assert (parent.text, name.text) == ("ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG", "SỞ GIÁO DỤC\nVÀ ĐÀO TẠO")
    assert rendered.document.metadata()["agency"] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert check_document(rendered.docx) == []


def test_check_flags_a_line_holding_one_word_of_the_name(tmp_path):
    typed = agency(parent="UBND HUYỆN HÒA AN", name="PHÒNG GIÁO DỤC VÀ ĐÀO\nTẠO")
    rendered = docgen.render("ke_hoach", EXAMPLES / "ke_hoach.yaml", agency=typed, number=4)
    [finding] = check_document(rendered.docx)
    assert finding.rule == "agency.orphan_word" and '"TẠO"' in finding.found

    # Typed on one line, the name wraps in the 6.5 cm column and leaves TẠO alone.
    document = docx.Document(io.BytesIO(docgen.render("ke_hoach", EXAMPLES / "ke_hoach.yaml", agency=PHONG,
                                                      number=4).docx))
    name = document.tables[0].rows[0].cells[0].paragraphs[-2]
    for run in name.runs:
        run._r.getparent().remove(run._r)
    name.add_run("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")
    document.save(tmp_path / "wrapped.docx")
    [orphan] = [f for f in check_document(tmp_path / "wrapped.docx") if f.rule == "agency.orphan_word"]
    assert '"TẠO"' in orphan.found


def test_name_lines_typed_apart_must_spell_the_name(tmp_path):
    from docgen.errors import DataError

    path = tmp_path / "agency.yaml"
    data = yaml.safe_load(AGENCY.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**data, "name_lines": ["SỞ GIÁO DỤC", "VÀ KHOA HỌC"]}, allow_unicode=True),
                    encoding="utf-8")
    with pytest.raises(DataError) as refused:
        docgen.load_agency(path)
    assert "agency.yaml" in str(refused.value) and "do not spell the name" in str(refused.value)


def test_a_text_far_longer_than_a_name_is_wrapped_not_searched():
    text = " ".join(["TRƯỜNG PHỔ THÔNG DÂN TỘC NỘI TRÚ"] * 400)
    lines = break_name(text, COLUMN_PT, 12, bold=True)
    assert " ".join(lines) == text and all(text_width_pt(line, 12, True) <= COLUMN_PT for line in lines)

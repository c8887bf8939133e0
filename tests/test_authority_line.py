"""The decision's authority line and the attached list's caption, for a Sở, a Phòng and a school."""

from __future__ import annotations

import io

import docx
import pytest
import yaml

import docgen
from docgen.agency import Agency
from docgen.check import check_document

from .conftest import AGENCY, EXAMPLES

SO = {}
PHONG = {"parent": "UBND HUYỆN HÒA AN", "name": "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
         "full_name": "Phòng Giáo dục và Đào tạo huyện Hòa An", "code": "PGDĐT", "place": "Hòa An",
         "head_title": "TRƯỞNG PHÒNG"}
TRUONG = {"parent": "SỞ GIÁO DỤC VÀ ĐÀO TẠO CAO BẰNG", "name": "TRƯỜNG THPT CHUYÊN CAO BẰNG",
          "full_name": "Trường THPT Chuyên Cao Bằng", "code": "THPTCCB", "head_title": "HIỆU TRƯỞNG"}


def agency(**changes) -> Agency:
    base = yaml.safe_load(AGENCY.read_text(encoding="utf-8"))
    return Agency.model_validate({**base, **changes})


def decision(office: Agency, **changes):
    data = yaml.safe_load((EXAMPLES / "quyet_dinh_khen_thuong.yaml").read_text(encoding="utf-8"))
    data.pop("agency")
    rendered = docgen.render("quyet_dinh_khen_thuong", {**data, **changes}, agency=office, number=7)
    return rendered, [p.text for p in docx.Document(io.BytesIO(rendered.docx)).paragraphs]


@pytest.mark.parametrize("office, line, caption", [
    (SO, "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", "của Giám đốc Sở Giáo dục và Đào tạo Cao Bằng)"),
    (PHONG, "TRƯỞNG PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "của Trưởng phòng Giáo dục và Đào tạo huyện Hòa An)"),
    (TRUONG, "HIỆU TRƯỞNG TRƯỜNG THPT CHUYÊN CAO BẰNG", "của Hiệu trưởng Trường THPT Chuyên Cao Bằng)"),
], ids=["so", "phong", "truong"])
def test_authority_line_and_caption_name_the_head_once(office, line, caption):
    rendered, paragraphs = decision(agency(**office))
    assert line in paragraphs
    assert not any("PHÒNG PHÒNG" in p.upper() for p in paragraphs)
    [note] = [p for p in paragraphs if p.startswith("(Kèm theo Quyết định số 07/")]
    assert note.endswith(caption)
    assert check_document(rendered.docx) == []


def test_the_agency_file_may_override_both():
    office = agency(**PHONG, authority="TRƯỞNG PHÒNG GD&ĐT HUYỆN HÒA AN",
                    authority_full="Trưởng phòng GD&ĐT huyện Hòa An")
    _, paragraphs = decision(office)
    assert "TRƯỞNG PHÒNG GD&ĐT HUYỆN HÒA AN" in paragraphs
    assert any(p.endswith("của Trưởng phòng GD&ĐT huyện Hòa An)") for p in paragraphs)


@pytest.mark.parametrize("types, title", [
    (("collective", "individual"), "Tập thể, cá nhân được tặng"),
    (("individual",), "Cá nhân được tặng"),
    (("collective",), "Tập thể được tặng"),
])
def test_annex_title_names_collectives_and_individuals_only_when_both_are_listed(types, title):
    nominees = [{"type": t, "name": f"Tên {i}", "unit": "Trường THPT Hòa An"} for i, t in enumerate(types)]
    _, paragraphs = decision(agency(), nominees=nominees)
    assert any(p.startswith(title) for p in paragraphs)
    assert sum(p.startswith("Tập thể, cá nhân") for p in paragraphs) == (len(types) == 2)


def test_a_long_annex_title_is_broken_where_it_reads_well():
    data = yaml.safe_load((EXAMPLES / "to_trinh.yaml").read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    document = docx.Document(io.BytesIO(docgen.render("to_trinh", data, number=3).docx))
    [subtitle] = [p.text for p in document.paragraphs if p.style.name == "ND30 Annex Subtitle"]
    assert subtitle.split("\n") == ["Tập thể, cá nhân đề nghị tặng Bằng khen", "của Bộ trưởng Bộ Giáo dục và Đào tạo"]

"""`docgen check` reports a document whose end is missing: no signature, no signer, no Nơi nhận."""

from __future__ import annotations

import io

import docx
import pytest
import yaml

import docgen
from docgen.check import check_document
from docgen.render import W

from .conftest import EXAMPLES


def render(kind: str) -> docx.Document:
    return docx.Document(io.BytesIO(docgen.render(kind, EXAMPLES / f"{kind}.yaml", number=5).docx))


def rules(document, tmp_path) -> list[str]:
    path = tmp_path / "cut.docx"
    document.save(path)
    return [f.rule for f in check_document(path)]


@pytest.mark.parametrize("kind", ["cong_van", "ke_hoach", "quyet_dinh_khen_thuong"])
def test_a_document_cut_off_in_its_body_is_reported(kind, tmp_path):
    document = render(kind)
    body = document.element.body
    blocks = [b for b in body if b.tag != f"{{{W}}}sectPr"]
    # Cut the body where its second section or article starts, as a truncated field would.
    cut = next(i for i, b in enumerate(blocks) if "".join(b.itertext()).startswith(("II.", "Điều 2.")))
    for block in blocks[cut:]:
        body.remove(block)
    found = rules(document, tmp_path)
    assert "authority.missing" in found and "recipients_label.missing" in found


def test_a_signature_without_the_signers_name_is_reported(tmp_path):
    document = render("ke_hoach")
    right = document.tables[-1].rows[0].cells[1]
    name = next(p for p in right.paragraphs if p.text == "Đàm Văn Hùng" or p.text == "Nguyễn Mai Phương")
    name._p.getparent().remove(name._p)
    assert rules(document, tmp_path) == ["signer.missing"]


def test_minutes_and_reports_need_no_noi_nhan(rendered_examples):
    for stem in ("bien_ban", "bao_cao_thanh_tich", "bao_cao_thanh_tich_tap_the"):
        assert check_document(rendered_examples[stem]) == []


def test_a_secret_urgent_letter_conforms_its_marks_read_apart_from_the_subject():
    # The marks sit under the V/v subject in the same cell: they are not part of it.
    data = yaml.safe_load((EXAMPLES / "cong_van.yaml").read_text(encoding="utf-8"))
    data.update(agency=str(EXAMPLES / "agency.yaml"), secrecy="MẬT", urgency="KHẨN")
    rendered = docgen.render("cong_van", data, number=5)
    assert check_document(rendered.docx) == []

"""Decree 30, Appendix I item 12: the drafter's initials and the copies, through render, check and issue."""

from __future__ import annotations

import io
import json

import docx
import pytest
import yaml
from click.testing import CliRunner

import docgen
from cli import cli
from docgen.check import check_document

from .conftest import AGENCY
from .test_render import PLAN


def recipient_lines(rendered) -> list[str]:
    document = docx.Document(io.BytesIO(rendered.docx))
    cell = next(c for t in document.tables for row in t.rows for c in row.cells
                if c.paragraphs and c.paragraphs[0].text == "Nơi nhận:")
    return [p.text for p in cell.paragraphs[1:] if p.text.strip()]


@pytest.mark.parametrize("extra, last", [
    ({"drafter": "LTH", "copies": 30}, "- Lưu: VT, VP, LTH.(30)."),
    ({"drafter": "lth"}, "- Lưu: VT, VP, LTH."),
    ({"copies": 30}, "- Lưu: VT, VP, (30)."),
    ({}, "- Lưu: VT, VP."),
])
def test_drafter_and_copies_end_the_archive_line_and_the_checker_agrees(extra, last, tmp_path):
    rendered = docgen.render("ke_hoach", {**PLAN, **extra}, number=5)
    lines = recipient_lines(rendered)
    assert lines[-1] == last and lines[-2].endswith(";")
    assert check_document(rendered.docx) == []
    assert check_document(rendered.save(tmp_path / "plan.docx")) == []


def test_a_drafter_line_typed_under_the_list_is_one_finding_naming_its_place(tmp_path):
    rendered = docgen.render("ke_hoach", PLAN, number=5)
    document = docx.Document(io.BytesIO(rendered.docx))
    archive_line = next(p for p in document.tables[-1].rows[0].cells[0].paragraphs if p.text.startswith("- Lưu:"))
    new = archive_line._p.__copy__()
    archive_line._p.addnext(new)
    docx.text.paragraph.Paragraph(new, archive_line._parent).runs[0].text = "LTH.(30)"
    path = tmp_path / "hand.docx"
    document.save(path)
    [finding] = check_document(path)
    assert finding.rule == "copies.place" and "LTH.(30)" in finding.found


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    assert run(home, "init", "--agency", AGENCY).exit_code == 0
    return home


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def plan_file(tmp_path, **changes):
    path = tmp_path / "plan.yaml"
    data = {k: v for k, v in {**PLAN, **changes}.items() if k != "agency"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_issue_with_drafter_and_copies_stores_a_conforming_document(home, tmp_path):
    result = run(home, "issue", "ke_hoach", plan_file(tmp_path, drafter="LTH", copies=30),
                 "--date", "2025-01-05", "--no-pdf", "--json", "--strict")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["warnings"] == [] and info["copies"] == 30
    stored = next(f["path"] for f in info["files"] if f["role"] == "docx")
    assert check_document(stored) == []
    assert docx.Document(stored).tables[-1].rows[0].cells[0].paragraphs[-1].text == "- Lưu: VT, VP, LTH.(30)."


def test_issue_warns_of_findings_and_strict_refuses_with_exit_1_using_no_number(home, tmp_path):
    # An academic title before the signer's name breaks Appendix I, item 7c.
    titled = plan_file(tmp_path, signer={"name": "TS. Nguyễn Văn An", "title": "GIÁM ĐỐC"})
    refused = run(home, "issue", "ke_hoach", titled, "--date", "2025-01-05", "--no-pdf", "--json", "--strict")
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["issued"] is False
    assert [f["rule"] for f in json.loads(refused.stdout)["findings"]] == ["signer.academic_title"]
    assert "no number was used" in refused.stderr
    assert json.loads(run(home, "list", "--json").stdout)["count"] == 0

    warned = run(home, "issue", "ke_hoach", titled, "--date", "2025-01-05", "--no-pdf", "--json")
    assert warned.exit_code == 0, warned.output
    info = json.loads(warned.stdout)
    assert info["number"] == 1
    [warning] = info["warnings"]
    assert "signer.academic_title" in warning and "TS." in warning
    assert "signer.academic_title" in run(home, "issue", "ke_hoach", titled, "--date", "2025-01-05",
                                          "--no-pdf").stderr


def test_a_document_issued_while_one_is_checked_makes_it_render_again_with_the_number_it_takes(tmp_path, monkeypatch):
    import datetime as dt

    import archive.issuing as issuing
    from archive import Archive, issue_document

    data = {k: v for k, v in PLAN.items() if k != "agency"}
    checked = issuing.check_document

    def another_clerk_issues_meanwhile(blob):
        monkeypatch.setattr(issuing, "check_document", checked)
        issue_document(opened, "ke_hoach", data, date=dt.date(2025, 1, 5), pdf=False)
        return checked(blob)

    with Archive.init(tmp_path / "home", AGENCY) as opened:
        monkeypatch.setattr(issuing, "check_document", another_clerk_issues_meanwhile)
        record = issue_document(opened, "ke_hoach", data, date=dt.date(2025, 1, 5), pdf=False).record
        assert record.number == 2
        stored = docx.Document(record.files["docx"].path)
        assert stored.tables[0].rows[1].cells[0].paragraphs[0].text == "Số: 02/KH-SGD&ĐT"


def test_a_number_taken_meanwhile_is_rendered_again_outside_the_lock_twice_then_under_it(tmp_path, monkeypatch):
    """Rendering under the writers' lock makes every other clerk wait: a document whose number was taken
    is rendered again with the next free one after the lock is let go, and only at the third miss under it."""
    import datetime as dt

    import archive.issuing as issuing
    from archive import Archive, issue_document

    data = {k: v for k, v in PLAN.items() if k != "agency"}
    rendering, seen, others = issuing.render_document, [], []

    def render(doc):
        if others:  # another clerk's own rendering
            return rendering(doc)
        seen.append((doc.number, opened.db.in_transaction))
        if not opened.db.in_transaction:
            others.append(1)
            issue_document(opened, "ke_hoach", data, date=dt.date(2025, 1, 5), pdf=False)
            others.pop()
        return rendering(doc)

    with Archive.init(tmp_path / "home", AGENCY) as opened:
        monkeypatch.setattr(issuing, "render_document", render)
        record = issue_document(opened, "ke_hoach", data, date=dt.date(2025, 1, 5), pdf=False).record
    assert seen == [(1, False), (2, False), (3, False), (4, True)]
    assert record.number == 4
    assert docx.Document(record.files["docx"].path).tables[0].rows[1].cells[0].paragraphs[0].text == "Số: 04/KH-SGD&ĐT"

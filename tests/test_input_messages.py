"""Input messages a clerk can act on (issue 8 item 8): the exact text printed, one language a message."""

from __future__ import annotations

import docx
import pytest
import yaml
from click.testing import CliRunner

from cli import cli

from .conftest import EXAMPLES
from .test_render import PLAN


def render(*args):
    return CliRunner().invoke(cli, ["render", *map(str, args)])


def write(tmp_path, data, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems(result) -> list[str]:
    assert result.exit_code == 2 and "Traceback" not in result.output
    return result.output.splitlines()[1:]


def test_a_yaml_syntax_error_names_the_line_and_says_to_quote(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("agency: agency.yaml\nsubject: Kế hoạch: thi đua năm học\n", encoding="utf-8")
    assert problems(render("ke_hoach", path, "-o", tmp_path / "x.docx")) == [
        "  - not valid YAML at line 2, column 18: mapping values are not allowed in this context; a value that "
        "contains ': ' must be quoted, e.g. subject: \"Kế hoạch: thi đua năm học\""]


def test_a_tab_in_yaml_says_to_indent_with_spaces(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("subject: x\n\tbody: y\n", encoding="utf-8")
    libyaml = "found a tab character that violates indentation"  # PyYAML's own parser words it otherwise
    python = "found character '\\t' that cannot start any token"
    assert problems(render("ke_hoach", path, "-o", tmp_path / "x.docx")) in (
        [f"  - not valid YAML at line 2, column 1: {problem}; indent with spaces, not tabs"]
        for problem in (libyaml, python))


def test_a_json_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"subject": "x",\n "body": }', encoding="utf-8")
    assert problems(render("ke_hoach", path, "-o", tmp_path / "x.docx")) == [
        "  - not valid JSON at line 2, column 10: Expecting value"]


def test_a_date_that_does_not_exist_says_so(tmp_path):
    path = write(tmp_path, {**PLAN, "date": "31/02/2025"})
    assert problems(render("ke_hoach", path, "-o", tmp_path / "x.docx")) == [
        "  - field 'date' (Ngày ban hành): the date 31/02/2025 does not exist: month 2 of 2025 has 28 days"]


def test_an_unquoted_yaml_date_that_does_not_exist_names_its_field(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(PLAN, allow_unicode=True).replace("date: '2025-01-05'", "date: 2025-02-31"),
                    encoding="utf-8")
    assert "date: 2025-02-31" in path.read_text(encoding="utf-8")
    assert problems(render("ke_hoach", path, "-o", tmp_path / "x.docx")) == [
        "  - field 'date' (Ngày ban hành): the date 2025-02-31 does not exist: month 2 of 2025 has 28 days"]


@pytest.mark.parametrize("name, text, message", [
    ("n.yaml", "number: " + "1" * 5000, "not valid YAML: a number of more than 4,300 digits; quote it if it is text"),
    ("n.json", '{"number": ' + "1" * 5000 + "}",
     "not valid JSON: a number of more than 4,300 digits; quote it if it is text"),
])
def test_a_number_too_long_for_python_is_a_message(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert problems(render("ke_hoach", path, "-o", tmp_path / "x.docx")) == [f"  - {message}"]


@pytest.mark.parametrize("typed, printed", [("khẩn", "KHẨN"), ("Thượng Khẩn", "THƯỢNG KHẨN"), ("hoa toc", "HỎA TỐC")])
def test_enumerations_take_any_case_and_marks_optional(tmp_path, typed, printed):
    out = tmp_path / "x.docx"
    result = render("ke_hoach", write(tmp_path, {**PLAN, "urgency": typed}), "-o", out)
    assert result.exit_code == 0, result.output
    texts = [p.text for t in docx.Document(out).tables for r in t.rows for c in r.cells for p in c.paragraphs]
    assert printed in texts


def test_a_wrong_enumeration_lists_what_is_accepted(tmp_path):
    path = write(tmp_path, {**PLAN, "urgency": "gấp"})
    assert problems(render("ke_hoach", path, "-o", tmp_path / "x.docx")) == [
        "  - field 'urgency' (Mức độ khẩn): expected one of KHẨN, THƯỢNG KHẨN, HỎA TỐC, got 'gấp'"]


def test_kinds_lists_the_accepted_values():
    result = CliRunner().invoke(cli, ["kinds", "quyet_dinh_khen_thuong"])
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  nominees.type"))
    assert lines[at + 1].strip() == ("one of collective, individual (or tập thể, cá nhân); any case, marks optional")
    at = next(i for i, line in enumerate(lines) if line.startswith("  urgency"))
    assert lines[at + 1].strip() == "one of KHẨN, THƯỢNG KHẨN, HỎA TỐC; any case, marks optional"


def decision(tmp_path, **changes):
    data = yaml.safe_load((EXAMPLES / "quyet_dinh_khen_thuong.yaml").read_text(encoding="utf-8"))
    data["agency"] = str(EXAMPLES / "agency.yaml")
    data.update(changes)
    return data


def test_nominee_types_in_vietnamese_and_any_case_and_items_counted_from_1(tmp_path):
    data = decision(tmp_path)
    data["nominees"][0]["type"] = "Cá Nhân"
    data["nominees"][1]["type"] = "TẬP THỂ"
    data["nominees"][2]["type"] = "người"
    data["nominees"][3]["nam"] = data["nominees"][3].pop("name")
    assert problems(render("quyet_dinh_khen_thuong", write(tmp_path, data), "-o", tmp_path / "x.docx")) == [
        "  - field 'nominees[3].type' (Loại (tập thể / cá nhân)): expected one of collective, individual "
        "(or tập thể, cá nhân), got 'người'",
        "  - field 'nominees[4].name' (Tên tập thể / Họ và tên): required, missing",
        "  - field 'nominees[4].nam': unknown field; did you mean 'name'? (`docgen kinds KIND` lists the fields)"]


def test_an_unknown_field_suggests_the_nearest(tmp_path):
    data = {**PLAN, "subjet": PLAN["subject"]}
    del data["subject"]
    assert problems(render("ke_hoach", write(tmp_path, data), "-o", tmp_path / "x.docx")) == [
        "  - field 'subject' (Trích yếu nội dung): required, missing",
        "  - field 'subjet': unknown field; did you mean 'subject'? (`docgen kinds KIND` lists the fields)"]


def paragraphs(path):
    return [p.text for p in docx.Document(path).paragraphs]


def test_basis_and_bases_take_a_text_or_a_list(tmp_path):
    as_list = render("ke_hoach", write(tmp_path, {**PLAN, "basis": ["Thực hiện A.", "Thực hiện B."]}),
                     "-o", tmp_path / "list.docx")
    assert as_list.exit_code == 0, as_list.output
    assert {"Thực hiện A.", "Thực hiện B."} <= set(paragraphs(tmp_path / "list.docx"))
    text = decision(tmp_path, bases="Căn cứ Luật Thi đua, khen thưởng\nCăn cứ Nghị định số 98/2023/NĐ-CP")
    as_text = render("quyet_dinh_khen_thuong", write(tmp_path, text, "qd.yaml"), "-o", tmp_path / "qd.docx")
    assert as_text.exit_code == 0, as_text.output
    assert {"Căn cứ Luật Thi đua, khen thưởng;", "Căn cứ Nghị định số 98/2023/NĐ-CP;"} <= set(
        paragraphs(tmp_path / "qd.docx"))

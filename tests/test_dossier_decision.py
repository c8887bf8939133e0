"""The award decision with its attached list read from a spreadsheet, and its bonus computed."""

from __future__ import annotations

import json

import docx
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import cli
from docgen.dossier import DEFAULT_RULES, decision_data

from .conftest import AGENCY, EXAMPLES
from .test_dossier_sheet import write_xlsx

DECISION = EXAMPLES / "quyet_dinh_khen_thuong.yaml"


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def decision_file(tmp_path, **changes):
    data = yaml.safe_load(DECISION.read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    data.pop("nominees")
    data.update(changes)
    path = tmp_path / "decision.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def award_list(tmp_path, extra_individual=None):
    """Two sheets, headers without marks, the way a school office might type them."""
    individuals = [["STT", "HO VA TEN", "NGAY SINH", "CHUC VU", "DON VI"],
                   [1, "Nông Văn Hải", "14/07/1979", "Phó Hiệu trưởng", "Trường THPT Hòa An"],
                   [2, "Hoàng Thị Lan", "02/10/1986", "Giáo viên", "Trường THPT Trùng Khánh"],
                   [3, "Lăng Thị Phương", "25/03/1984", "Tổ trưởng Tổ Ngoại ngữ", "Trường THPT Thành phố Cao Bằng"]]
    if extra_individual:
        individuals.append(extra_individual)
    individuals.append([None, "Cộng: 03 cá nhân"])
    return write_xlsx(tmp_path / "khen-thuong.xlsx", {
        "Tap the": [["DANH SÁCH TẬP THỂ ĐƯỢC TẶNG GIẤY KHEN"], ["STT", "TEN TAP THE", "DON VI"],
                    [1, "Trường THPT Hòa An", "Sở Giáo dục và Đào tạo Cao Bằng"],
                    [2, "Tổ Ngoại ngữ, Trường THPT Thành phố Cao Bằng", "Trường THPT Thành phố Cao Bằng"]],
        "Ca nhan": individuals,
    })


def text_of(path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return "\n".join(parts)


def test_the_decision_takes_its_list_from_the_spreadsheet_and_computes_the_bonus(tmp_path):
    data = decision_file(tmp_path, bonus={"source": "từ nguồn Quỹ thi đua, khen thưởng của Sở Giáo dục và Đào tạo năm 2025"})
    out = tmp_path / "qd.docx"
    result = run("render", "quyet_dinh_khen_thuong", data, "--nominees", award_list(tmp_path), "-o", out,
                 "--number", 12, "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["nominees"] == 5 and info["bonus"] == {"collective": 1404000, "individual": 702000}
    text = text_of(out)
    assert "Tặng Giấy khen của Giám đốc Sở Giáo dục và Đào tạo cho 02 tập thể và 03 cá nhân (có danh sách kèm theo)" in text
    assert ("Mỗi tập thể được thưởng 1.404.000 đồng (0,6 lần mức lương cơ sở); mỗi cá nhân được thưởng 702.000 đồng "
            "(0,3 lần mức lương cơ sở). Tổng số tiền thưởng: 4.914.000 đồng (Bằng chữ: Bốn triệu chín trăm mười bốn "
            "nghìn đồng)") in text
    assert "I. TẬP THỂ" in text and "II. CÁ NHÂN" in text
    assert "2 | Tổ Ngoại ngữ, Trường THPT Thành phố Cao Bằng" in text
    assert "3 | Lăng Thị Phương | Tổ trưởng Tổ Ngoại ngữ, Trường THPT Thành phố Cao Bằng" in text
    assert "Cộng" not in text


def test_the_office_sets_base_salary_and_rounding_in_its_rules(tmp_path):
    rules = yaml.safe_load(DEFAULT_RULES.read_text(encoding="utf-8"))
    rules["settings"].update({"base_salary": 2530000, "round_up_to": 10000})
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    mapping, _ = decision_data("quyet_dinh_khen_thuong", decision_file(tmp_path, bonus=None), award_list(tmp_path),
                               rules=path)
    assert mapping["bonus"]["base_salary"] == 2530000
    out = tmp_path / "qd.docx"
    assert run("render", "quyet_dinh_khen_thuong", decision_file(tmp_path, bonus=None), "--nominees",
               award_list(tmp_path), "--rules", path, "-o", out).exit_code == 0
    # 0,3 × 2.530.000 = 759.000, rounded up to 760.000; 0,6 × 2.530.000 = 1.518.000 -> 1.520.000
    assert "mỗi cá nhân được thưởng 760.000 đồng" in text_of(out)
    assert "Mỗi tập thể được thưởng 1.520.000 đồng" in text_of(out)


def test_amounts_written_in_the_data_are_kept(tmp_path):
    out = tmp_path / "qd.docx"
    data = decision_file(tmp_path, bonus={"collective": 1500000, "individual": 750000})
    assert run("render", "quyet_dinh_khen_thuong", data, "--nominees", award_list(tmp_path), "-o", out).exit_code == 0
    text = text_of(out)
    assert "Mỗi tập thể được thưởng 1.500.000 đồng; mỗi cá nhân được thưởng 750.000 đồng" in text
    assert "Tổng số tiền thưởng: 5.250.000 đồng (Bằng chữ: Năm triệu hai trăm năm mươi nghìn đồng)" in text


def test_a_row_for_another_award_or_a_bad_date_stops_the_render(tmp_path):
    data = decision_file(tmp_path)
    sheet = award_list(tmp_path)
    workbook = load_workbook(sheet)
    workbook["Ca nhan"].cell(1, 6, "Hình thức")
    workbook["Ca nhan"].cell(3, 6, "Bằng khen của Bộ trưởng")
    workbook["Ca nhan"].cell(4, 3, "30/02/1984")
    workbook.save(sheet)
    out = tmp_path / "qd.docx"
    result = run("render", "quyet_dinh_khen_thuong", data, "--nominees", sheet, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert "sheet 'Ca nhan', dòng 4, cột C (NGAY SINH): “30/02/1984” không phải là ngày có thật" in result.output
    fixed = load_workbook(sheet)
    fixed["Ca nhan"].cell(4, 3, "25/03/1984")
    fixed.save(sheet)
    result = run("render", "quyet_dinh_khen_thuong", data, "--nominees", sheet, "-o", out)
    assert result.exit_code == 2
    assert "sheet 'Ca nhan', dòng 3: dòng này đề nghị “Bằng khen của Bộ trưởng”" in result.output


def test_nominees_only_for_kinds_with_an_attached_list(tmp_path):
    result = run("render", "ke_hoach", EXAMPLES / "ke_hoach.yaml", "--nominees", award_list(tmp_path),
                 "-o", tmp_path / "kh.docx")
    assert result.exit_code == 2 and "no attached list" in result.output


def test_a_submission_takes_its_list_from_a_spreadsheet_too(tmp_path):
    data = yaml.safe_load((EXAMPLES / "to_trinh.yaml").read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    path = tmp_path / "tt.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "tt.docx"
    assert run("render", "to_trinh", path, "--nominees", award_list(tmp_path), "-o", out).exit_code == 0
    assert "cho 02 tập thể và 03 cá nhân (có danh sách kèm theo)" in text_of(out)

"""The command line, through click's CliRunner."""

from __future__ import annotations

import json

import docx
import pytest
import yaml
from click.testing import CliRunner

from cli import cli

from .conftest import AGENCY
from .test_render import PLAN


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def write_plan(tmp_path, **changes):
    path = tmp_path / "plan.yaml"
    data = {k: v for k, v in {**PLAN, **changes}.items() if v is not None}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_help_lists_commands_in_the_order_a_user_meets_them():
    result = run("--help")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].strip().splitlines()]
    assert listed[:3] == ["kinds", "render", "check"]


def test_kinds_lists_the_six_kinds_and_their_fields():
    result = run("kinds", "--json")
    names = [k["name"] for k in json.loads(result.output)]
    assert names[:6] == [
        "ke_hoach", "cong_van", "to_trinh", "bien_ban", "bao_cao_thanh_tich", "quyet_dinh_khen_thuong"]
    assert {"van_ban", "quyet_dinh", "nghi_quyet"} <= set(names)
    assert {"cong_dien", "giay_moi", "giay_gioi_thieu", "giay_nghi_phep"} <= set(names)
    introduction = run("kinds", "giay_gioi_thieu")
    assert "Có giá trị đến hết ngày" in introduction.output and "05/GGT-SGDĐT" in introduction.output
    detail = run("kinds", "ke_hoach")
    assert detail.exit_code == 0 and "Trích yếu nội dung" in detail.output and "05/KH-SGDĐT" in detail.output
    assert run("kinds", "sac_lenh").exit_code == 2


def test_render_writes_the_docx(tmp_path):
    out = tmp_path / "plan.docx"
    result = run("render", "ke_hoach", write_plan(tmp_path), "-o", out, "--number", 7, "--date", "18/09/2025", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["number_symbol"] == "07/KH-SGD&ĐT" and info["date"] == "2025-09-18"
    texts = [p.text for t in docx.Document(out).tables for r in t.rows for c in r.cells for p in c.paragraphs]
    assert "Số: 07/KH-SGD&ĐT" in texts and "Cao Bằng, ngày 18 tháng 9 năm 2025" in texts


def test_render_with_agency_option(tmp_path):
    path = write_plan(tmp_path, agency=None)
    out = tmp_path / "plan.docx"
    assert run("render", "ke_hoach", path, "-o", out).exit_code == 2
    assert not out.exists()
    assert run("render", "ke_hoach", path, "-o", out, "--agency", AGENCY).exit_code == 0


def test_bad_data_exits_2_naming_file_and_field_and_writes_nothing(tmp_path):
    path = write_plan(tmp_path, subject=None, signer="ai_do")
    out = tmp_path / "plan.docx"
    result = run("render", "ke_hoach", path, "-o", out)
    assert result.exit_code == 2
    assert str(path) in result.output and "'subject' (Trích yếu nội dung)" in result.output
    assert not out.exists()


@pytest.mark.parametrize("date, message", [
    ("31/02/2025", "the date 31/02/2025 does not exist: month 2 of 2025 has 28 days"),
    ("2025-13-01", "the date 2025-13-01 does not exist: there is no month 13"),
    ("mai", "expected a date as YYYY-MM-DD or dd/mm/yyyy, got 'mai'"),
])
def test_bad_date_option_is_a_usage_error(tmp_path, date, message):
    result = run("render", "ke_hoach", write_plan(tmp_path), "-o", tmp_path / "x.docx", "--date", date)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: Invalid value for '--date': {message}"


def test_check_exit_codes_and_json(tmp_path, rendered_examples):
    good = rendered_examples["ke_hoach"]
    ok = run("check", good, "--json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["findings"] == 0
    broken = tmp_path / "broken.docx"
    document = docx.Document(good)
    document.sections[0].left_margin = document.sections[0].left_margin // 2
    document.save(broken)
    bad = run("check", broken)
    assert bad.exit_code == 1 and "margin" in bad.output

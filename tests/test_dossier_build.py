"""The dossier ZIP, end to end: what the commendation officer and the Ministry would open.

The example dossier is built once for the module (LibreOffice); a second build, through
the command line, adds two nominees who are not eligible.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import zipfile

import docx
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from cli import cli
from docgen.dossier import build_dossier

from .conftest import AGENCY, EXAMPLES
from .test_dossier_sheet import write_xlsx

DOSSIER = EXAMPLES / "dossier"
CAMPAIGN = DOSSIER / "campaign.yaml"
NOMINEES = DOSSIER / "nominees.xlsx"


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def campaign_file(tmp_path, **changes):
    """The example campaign, copied with absolute paths so it can live anywhere."""
    data = yaml.safe_load(CAMPAIGN.read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    data["reports"]["details"] = str(DOSSIER / "details")
    data.update(changes)
    path = tmp_path / "campaign.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def example_rows():
    spec = importlib.util.spec_from_file_location("make_nominees", DOSSIER / "make_nominees.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    header = ["STT", "Họ và tên", "Loại", "Ngày sinh", "Đơn vị", "Chức vụ", "Hình thức đề nghị", "Số phiếu đồng ý"]
    rows = [[i, n[1], n[0], n[2], n[5], n[4], module.AWARD, n[7]] for i, n in enumerate(module.NOMINEES, 1)]
    return header, rows


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def example(tmp_path_factory, soffice):
    out = tmp_path_factory.mktemp("dossier") / "ho-so.zip"
    report = build_dossier(CAMPAIGN, NOMINEES, out)
    return report, zipfile.ZipFile(out)


def test_the_manifest_lists_every_file_with_its_hash(example):
    report, archive = example
    manifest = json.loads(archive.read("manifest.json"))
    names = set(archive.namelist()) - {"manifest.json"}
    assert {f["path"] for f in manifest["files"]} == names
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert manifest["counts"]["accepted"] == {"collective": 3, "individual": 9, "text": "03 tập thể và 09 cá nhân"}
    assert manifest["rejected"] == []
    assert report.ok and [f["path"] for f in report.files][0] == "manifest.json"


def test_every_document_is_there_as_docx_and_pdf_in_dossier_order(example):
    _, archive = example
    docs = sorted(n for n in archive.namelist() if n.startswith("docx/"))
    pdfs = sorted(n for n in archive.namelist() if n.startswith("pdf/"))
    assert len(docs) == len(pdfs) == 15  # checklist, submission, minutes, 12 achievement reports
    assert [d.removeprefix("docx/").removesuffix(".docx") for d in docs] == \
        [p.removeprefix("pdf/").removesuffix(".pdf") for p in pdfs]
    assert docs[:4] == ["docx/01-danh-muc-ho-so.docx", "docx/02-to-trinh.docx", "docx/03-bien-ban.docx",
                        "docx/04-bao-cao-thanh-tich-truong-ptdtnt-tinh-cao-bang.docx"]


def test_the_merged_pdf_has_every_page_and_a_bookmark_per_document(example):
    report, archive = example
    merged = PdfReader(io.BytesIO(archive.read("ho-so-de-nghi-khen-thuong.pdf")))
    parts = sorted(n for n in archive.namelist() if n.startswith("pdf/"))
    assert len(merged.pages) == sum(len(PdfReader(io.BytesIO(archive.read(p))).pages) for p in parts)
    titles = [item.title for item in merged.outline]
    assert len(titles) == 15 and titles[:3] == ["Danh mục hồ sơ", "Tờ trình (dự thảo)", "Biên bản họp Hội đồng (dự thảo)"]
    assert "Báo cáo thành tích: Nông Thị Thu Hằng" in titles
    # Each bookmark opens its document's first page.
    starts = [merged.get_destination_page_number(item) for item in merged.outline]
    pages = [d["pages"] for d in report.documents]
    assert starts == [sum(pages[:i]) for i in range(len(pages))]
    assert "DANH MỤC HỒ SƠ" in merged.pages[0].extract_text()


def test_the_submission_asks_for_the_counts_in_legal_form_with_its_list(example):
    _, archive = example
    text = docx_text(archive.read("docx/02-to-trinh.docx"))
    assert "tặng Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo cho 03 tập thể và 09 cá nhân (có danh sách kèm theo)" in text
    assert "Kết quả bỏ phiếu kín: 03 tập thể và 09 cá nhân đạt từ 72,73% số phiếu đồng ý trở lên" in text
    assert "I. TẬP THỂ" in text and "II. CÁ NHÂN" in text
    assert "1 | Nông Thị Thu Hằng | Tổ trưởng Tổ Ngữ văn, Trường THPT Chuyên Cao Bằng" in text


def test_the_minutes_give_each_vote_and_its_percentage(example):
    _, archive = example
    text = docx_text(archive.read("docx/03-bien-ban.docx"))
    assert "4 | Nông Thị Thu Hằng | Trường THPT Chuyên Cao Bằng | 10/11 | 90,91" in text
    assert "12 | Sầm Thị Thúy | Trường THCS Hợp Giang | 08/11 | 72,73" in text
    assert "có số phiếu đồng ý từ 08/11 thành viên Hội đồng (72,73%) trở lên" in text
    assert "Thành viên Hội đồng có mặt: 10/11 thành viên" in text


def test_one_achievement_report_per_nominee_with_its_detail(example):
    _, archive = example
    reports = [n for n in archive.namelist() if n.startswith("docx/") and "bao-cao-thanh-tich" in n]
    assert len(reports) == 12
    hang = docx_text(archive.read("docx/07-bao-cao-thanh-tich-nong-thi-thu-hang.docx"))
    assert "Quê quán: xã Hồng Việt, huyện Hòa An, tỉnh Cao Bằng" in hang  # from details/nong-thi-thu-hang.yaml
    assert "2023-2024 | Chiến sĩ thi đua cơ sở | Quyết định số 1260/QĐ-SGD&ĐT" in hang
    thinh = docx_text(archive.read("docx/08-bao-cao-thanh-tich-ly-van-thinh.docx"))
    assert "- Chỉ đạo quản trị nhà trường trên nền tảng số;" in thinh  # the list's summary, point by point
    assert "2023-2024 | Chiến sĩ thi đua cơ sở" in thinh  # the list's year column
    team = docx_text(archive.read("docx/06-bao-cao-thanh-tich-to-toan-tin-truong-thpt-chuyen-cao-bang.docx"))
    assert "TRƯỜNG THPT\nCHUYÊN CAO BẰNG" in team  # under the school's name, on two lines in the header column


def test_the_checklist_names_every_document(example):
    _, archive = example
    text = docx_text(archive.read("docx/01-danh-muc-ho-so.docx"))
    assert "DANH MỤC HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG" in text
    assert "Tờ trình đề nghị tặng Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo, kèm theo danh sách 03 tập thể và " \
           "09 cá nhân | chưa cấp số, ngày 15/06/2025" in text
    assert "Báo cáo thành tích của cá nhân Sầm Thị Thúy, Trường THCS Hợp Giang" in text
    assert "Tổng số: 15 tài liệu./." in text  # the 14 other documents and the paper evidence


def test_the_terminal_report_after_a_build(example):
    from rich.console import Console

    from docgen.dossier.terminal import print_report

    report, _ = example
    console = Console(record=True, width=160)
    print_report(report, console)
    text = console.export_text()
    assert "03 tập thể và 09 cá nhân" in text and "Nông Thị Thu Hằng" in text and "90,91" in text
    assert "15 văn bản (.docx và PDF), PDF gộp" in text and "Không đủ điều kiện" not in text


def test_every_document_of_the_dossier_conforms_to_decree_30(example, tmp_path):
    import docgen

    _, archive = example
    for name in (n for n in archive.namelist() if n.startswith("docx/")):
        path = tmp_path / name.removeprefix("docx/")
        path.write_bytes(archive.read(name))
        assert docgen.check_document(path) == [], name


@pytest.fixture(scope="module")
def with_rejections(tmp_path_factory, soffice):
    tmp = tmp_path_factory.mktemp("rejections")
    header, rows = example_rows()
    rows.append([13, "Hoàng Văn Nam", "Cá nhân", "02/03/1984", "Trường THPT Hòa An", "Giáo viên",
                 "Bằng khen của Bộ trưởng", "5/11"])
    rows.append([14, "Trường THPT Trùng Khánh", "Tập thể", None, "Sở Giáo dục và Đào tạo Cao Bằng", None,
                 "Tập thể lao động xuất sắc", "10/11"])
    sheet = write_xlsx(tmp / "list.xlsx", {"Danh sách": [header, *rows]})
    out = tmp / "ho-so.zip"
    result = run("dossier", "build", "--campaign", campaign_file(tmp), "--nominees", sheet, "-o", out, "--json")
    return tmp, sheet, out, result


def test_rejected_nominees_are_reported_and_left_out(with_rejections):
    _, _, out, result = with_rejections
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= {"accepted", "rejected", "files"}
    assert len(report["accepted"]) == 12
    rejected = {r["name"]: r for r in report["rejected"]}
    assert rejected["Hoàng Văn Nam"]["row"] == 14
    assert rejected["Hoàng Văn Nam"]["reasons"] == [
        "[phieu-hoi-dong] Được trên 50% tổng số thành viên Hội đồng Thi đua - Khen thưởng bỏ phiếu đồng ý: "
        "được 05/11 phiếu (45,45%), cần trên 50%"]
    assert rejected["Trường THPT Trùng Khánh"]["rules"] == ["hinh-thuc"]
    with zipfile.ZipFile(out) as archive:
        submission = docx_text(archive.read("docx/02-to-trinh.docx"))
        minutes = docx_text(archive.read("docx/03-bien-ban.docx"))
    assert "Hoàng Văn Nam" not in submission and "03 tập thể và 09 cá nhân (có danh sách kèm theo)" in submission
    # The council voted on him: the minutes keep his vote and say why he is not proposed.
    assert "13 | Hoàng Văn Nam | Trường THPT Hòa An | 05/11 | 45,45" in minutes
    assert "01 cá nhân (Hoàng Văn Nam) không đạt tỷ lệ phiếu đồng ý theo quy định nên không đề nghị" in minutes
    assert "Trùng Khánh" not in minutes  # asks for another award: not put to this vote


def test_strict_fails_on_any_rejection_and_writes_nothing(with_rejections):
    tmp, sheet, _, _ = with_rejections
    out = tmp / "strict-ho-so.zip"
    result = run("dossier", "build", "--campaign", tmp / "campaign.yaml", "--nominees", sheet, "-o", out,
                 "--strict", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["output"] is None and len(report["rejected"]) == 2 and report["files"] == []
    assert not out.exists()


def test_the_terminal_report_is_a_table_of_both_lists(with_rejections):
    tmp, sheet, _, _ = with_rejections
    result = run("dossier", "build", "--campaign", tmp / "campaign.yaml", "--nominees", sheet, "-o", tmp / "x.zip",
                 "--strict")
    assert result.exit_code == 1 and not (tmp / "x.zip").exists()
    out = result.output
    assert "Đề nghị tặng Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo: 03 tập thể và 09 cá nhân" in out
    assert "Không đủ điều kiện, không đưa vào hồ sơ: 01 tập thể và 01 cá nhân" in out
    assert "Danh sách!14" in out and "[phieu-hoi-dong]" in out and "[hinh-thuc]" in out
    assert "Không tạo hồ sơ: --strict" in out


def test_bad_input_exits_2_naming_the_cell_and_leaves_no_zip(tmp_path):
    header, rows = example_rows()
    rows[4][3] = "31/02/1980"
    sheet = write_xlsx(tmp_path / "list.xlsx", {"Danh sách": [header, *rows]})
    out = tmp_path / "ho-so.zip"
    result = run("dossier", "build", "--campaign", campaign_file(tmp_path), "--nominees", sheet, "-o", out)
    assert result.exit_code == 2
    assert "sheet 'Danh sách', dòng 6, cột D (Ngày sinh): “31/02/1980” không phải là ngày có thật" in result.output
    assert not out.exists()


def test_a_campaign_whose_award_the_rules_do_not_know(tmp_path):
    result = run("dossier", "build", "--campaign", campaign_file(tmp_path, award="Huân chương Lao động hạng Ba"),
                 "--nominees", NOMINEES, "-o", tmp_path / "x.zip")
    assert result.exit_code == 2 and "Huân chương Lao động hạng Ba" in result.output and "award" in result.output


def test_issue_numbers_the_minutes_and_the_submission_in_their_registers(tmp_path, soffice):
    home = tmp_path / "archive"
    assert run("--home", home, "init", "--agency", AGENCY).exit_code == 0
    out = tmp_path / "ho-so.zip"
    result = run("--home", home, "dossier", "build", "--campaign", campaign_file(tmp_path), "--nominees", NOMINEES,
                 "-o", out, "--issue", "--json")
    assert result.exit_code == 0, result.output
    titles = [d["title"] for d in json.loads(result.stdout)["documents"]]
    assert titles[1:3] == ["Tờ trình số 01/TTr-SGD&ĐT", "Biên bản họp Hội đồng số 01/BB-HĐTĐKT"]
    with zipfile.ZipFile(out) as archive:
        assert "Số: 01/TTr-SGD&ĐT" in docx_text(archive.read("docx/02-to-trinh.docx"))
        assert "01/TTr-SGD&ĐT, ngày 15/06/2025" in docx_text(archive.read("docx/01-danh-muc-ho-so.docx"))
        stored = archive.read("docx/02-to-trinh.docx")
    listed = json.loads(run("--home", home, "list", "--json").stdout)
    registers = {d["number_symbol"]: d["register"] for d in listed["documents"]}
    assert registers["01/BB-HĐTĐKT"] == "HĐTĐKT"  # the council's own register
    got = tmp_path / "got.docx"
    assert run("--home", home, "get", "01/TTr-SGD&ĐT", "-o", got).exit_code == 0
    assert got.read_bytes() == stored  # the dossier holds the very copy the archive keeps


KILLED_DURING_PDF = """
import os, signal, sys
import docgen.dossier.package as package
package.convert_to_pdf = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
from cli import cli
cli(sys.argv[1:])
"""


def test_a_killed_issue_run_is_retried_without_new_numbers_and_its_leftovers_go(tmp_path, soffice):
    import os
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    home = tmp_path / "archive"
    assert run("--home", home, "init", "--agency", AGENCY).exit_code == 0
    out = tmp_path / "ho-so.zip"
    args = ["--home", str(home), "dossier", "build", "--campaign", str(campaign_file(tmp_path)),
            "--nominees", str(NOMINEES), "-o", str(out), "--issue"]
    killed = subprocess.run([sys.executable, "-c", KILLED_DURING_PDF, *args], cwd=ROOT, capture_output=True)
    assert killed.returncode == -9
    leftovers = [p for p in os.listdir(tmp_path) if p.startswith(".docgen-dossier-")]
    assert len(leftovers) == 1 and not out.exists()
    old = time.time() - 60
    os.utime(tmp_path / leftovers[0], (old, old))
    listed = json.loads(run("--home", home, "list", "--json").stdout)
    assert sorted(d["number_symbol"] for d in listed["documents"]) == ["01/BB-HĐTĐKT", "01/TTr-SGD&ĐT"]

    retried = run(*args, "--json")
    assert retried.exit_code == 0, retried.output
    titles = [d["title"] for d in json.loads(retried.stdout)["documents"]]
    assert titles[1:3] == ["Tờ trình số 01/TTr-SGD&ĐT", "Biên bản họp Hội đồng số 01/BB-HĐTĐKT"]
    assert "01/BB-HĐTĐKT (id 1) was already issued from the same data" in retried.stderr
    assert "01/TTr-SGD&ĐT (id 2) was already issued from the same data" in retried.stderr
    assert json.loads(run("--home", home, "list", "--json").stdout)["count"] == 2  # no 02/BB, no 02/TTr
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".docgen-dossier-")]
    assert run("--home", home, "verify").exit_code == 0

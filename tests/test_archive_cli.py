"""The archive commands, through click's CliRunner: what a clerk types and sees."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from cli import cli

from .conftest import AGENCY, EXAMPLES
from .test_archive import DATA


def init_home(tmp_path, database=None):
    home = tmp_path / "home"
    result = run(home, "init", "--agency", AGENCY, "--json", *(["--database", database] if database else []))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["code"] == "SGD&ĐT"
    return home


@pytest.fixture
def home(tmp_path, database):
    """A home made by `docgen init`, on SQLite and on PostgreSQL (--database)."""
    return init_home(tmp_path, database)


@pytest.fixture
def sqlite_home(tmp_path):
    return init_home(tmp_path)


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def data_file(tmp_path, name="plan.yaml", **changes):
    path = tmp_path / name
    data = {k: v for k, v in {**DATA, **changes}.items() if v is not None}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def issue(home, path, date, *extra, kind="ke_hoach"):
    result = run(home, "issue", kind, path, "--date", date, "--no-pdf", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_issue_prints_one_json_object_with_what_was_issued(home, tmp_path):
    info = issue(home, data_file(tmp_path), "05/01/2025", "--actor", "nguyen.van.thu")
    assert {k: info[k] for k in ("id", "number", "symbol", "number_symbol", "date", "kind", "register")} == {
        "id": 1, "number": 1, "symbol": "KH-SGD&ĐT", "number_symbol": "01/KH-SGD&ĐT", "date": "2025-01-05",
        "kind": "ke_hoach", "register": "chung"}
    [stored] = info["files"]
    assert stored["role"] == "docx" and stored["path"].startswith(str(home))
    with open(stored["path"], "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == stored["sha256"]
    assert info["issued_by"] == "nguyen.van.thu" and info["warnings"] == []


def test_show_by_id_and_by_number_symbol(home, tmp_path):
    issue(home, data_file(tmp_path), "2025-01-05")
    issue(home, data_file(tmp_path), "2025-01-06", "--actor", "chi.lan")
    by_id = json.loads(run(home, "show", "2", "--json").stdout)
    by_symbol = json.loads(run(home, "show", "02/KH-SGD&ĐT", "--json").stdout)
    assert by_id == by_symbol
    assert by_id["history"][0]["action"] == "issue" and by_id["history"][0]["actor"] == "chi.lan"
    text = run(home, "show", "02/KH-SGD&ĐT")
    assert text.exit_code == 0
    assert "02/KH-SGD&ĐT  (id 2, register chung, 2025)  đang có hiệu lực" in text.output
    assert "Nguyễn Mai Phương" in text.output and "Cao Bằng, 06/01/2025" in text.output
    missing = run(home, "show", "09/KH-SGD&ĐT")
    assert missing.exit_code == 2 and "no document 09/KH-SGD&ĐT" in missing.output
    nonsense = run(home, "show", "quyết định hôm qua")
    assert nonsense.exit_code == 2 and "give an id" in nonsense.output


def test_get_copies_the_stored_file_out_and_checks_it(home, tmp_path):
    info = issue(home, data_file(tmp_path), "2025-01-05")
    out = tmp_path / "ke-hoach.docx"
    result = run(home, "get", "01/KH-SGD&ĐT", "-o", out)
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(out.read_bytes()).hexdigest() == info["files"][0]["sha256"]
    assert "Số: 01/KH-SGD&ĐT" in [p.text for t in docx.Document(out).tables for r in t.rows
                                  for c in r.cells for p in c.paragraphs]
    no_pdf = run(home, "get", "1", "-o", tmp_path / "x.pdf", "--pdf")
    assert no_pdf.exit_code == 2 and "docgen pdf 1" in no_pdf.output
    assert not (tmp_path / "x.pdf").exists()
    # A corrupted store file is not handed out.
    stored = info["files"][0]["path"]
    os.chmod(stored, 0o644)
    with open(stored, "r+b") as handle:
        handle.write(b"X")
    broken = run(home, "get", "1", "-o", tmp_path / "again.docx")
    assert broken.exit_code == 1 and "corrupted" in broken.output
    assert not (tmp_path / "again.docx").exists()


def test_list_filters_by_year_and_kind(home, tmp_path):
    issue(home, data_file(tmp_path), "2024-12-31")
    issue(home, data_file(tmp_path), "2025-01-02")
    issue(home, EXAMPLES / "cong_van.yaml", "2025-01-03", kind="cong_van")
    every = json.loads(run(home, "list", "--json").stdout)
    assert every["count"] == 3
    assert [d["number_symbol"] for d in every["documents"]] == ["01/KH-SGD&ĐT", "01/KH-SGD&ĐT", "02/SGD&ĐT-VP"]
    plans_2025 = json.loads(run(home, "list", "--year", "2025", "--kind", "ke_hoach", "--json").stdout)
    assert [(d["year"], d["number"]) for d in plans_2025["documents"]] == [(2025, 1)]
    table = run(home, "list", "--year", "2025")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert len(lines) == 2 and "02/SGD&ĐT-VP" in lines[1] and "03/01/2025" in lines[1]


def test_revoke_and_replace_commands(home, tmp_path):
    for date in ("2025-01-05", "2025-02-01", "2025-03-01"):
        issue(home, data_file(tmp_path), date)
    result = run(home, "replace", "01/KH-SGD&ĐT", "--by", "2", "--actor", "van-thu", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "replaced"
    assert run(home, "revoke", "2", "--by", "03/KH-SGD&ĐT").exit_code == 0
    again = run(home, "revoke", "1", "--by", "3")
    assert again.exit_code == 2
    assert again.output == "Error: 01/KH-SGD&ĐT (id 1) is already replaced by 02/KH-SGD&ĐT (id 2); nothing was changed\n"
    shown = run(home, "show", "2")
    assert "Thu hồi bởi" in shown.output and "03/KH-SGD&ĐT (id 3)" in shown.output
    assert "Thay thế" in shown.output and "01/KH-SGD&ĐT (id 1)" in shown.output
    assert run(home, "verify").exit_code == 0


def test_register_export_writes_a_formatted_workbook(home, tmp_path):
    issue(home, data_file(tmp_path), "2025-01-05")
    issue(home, data_file(tmp_path, secrecy="MẬT"), "2025-01-06")
    issue(home, data_file(tmp_path), "2025-01-07")
    issue(home, EXAMPLES / "bien_ban.yaml", "2025-06-10", kind="bien_ban")
    issue(home, data_file(tmp_path), "2024-05-05")  # another year: not in the 2025 book
    assert run(home, "revoke", "1", "--by", "3").exit_code == 0
    out = tmp_path / "so-van-ban-di.xlsx"
    result = run(home, "register", "export", "--year", "2025", "-o", out, "--actor", "van-thu", "--json",
                 "--include-secret")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["registers"] == {"chung": 2, "mat": 1, "HĐTĐKT": 1}

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["chung", "mat", "HĐTĐKT"]
    sheet = book["chung"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản"]
    assert "Người ký" in header and "Nơi nhận văn bản" in header and header[-1] == "Ghi chú"
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["B"].width > 0
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["01/KH-SGD&ĐT", "02/KH-SGD&ĐT"]
    assert rows[0][1] == dt.datetime(2025, 1, 5) and sheet["B2"].number_format == "DD/MM/YYYY"
    assert rows[0][2].startswith("Kế hoạch\n") and rows[0][3] == "Nguyễn Mai Phương"
    assert rows[0][5] == "VT, VP" and "Bị thu hồi bởi 02/KH-SGD&ĐT" in rows[0][7]
    assert book["mat"]["A2"].value == "01/KH-SGD&ĐT" and "MẬT" in book["mat"]["H2"].value
    assert book["HĐTĐKT"]["A2"].value == "01/BB-HĐTĐKT"

    council = tmp_path / "hoi-dong.xlsx"
    one = run(home, "register", "export", "--year", "2025", "--register", "HĐTĐKT", "-o", council, "--json")
    assert one.exit_code == 0 and json.loads(one.stdout)["registers"] == {"HĐTĐKT": 1}
    assert openpyxl.load_workbook(council).sheetnames == ["HĐTĐKT"]
    for name in ("so-khac", "mat"):  # the secret register is unknown without --include-secret
        unknown = run(home, "register", "export", "--year", "2025", "--register", name, "-o", tmp_path / "x.xlsx")
        assert unknown.exit_code == 2 and f"register '{name}': not a register of this archive" in unknown.output
        assert "chung" in unknown.output and "HĐTĐKT" in unknown.output and ", mat" not in unknown.output
    empty = run(home, "register", "export", "--year", "2024", "--register", "HĐTĐKT", "-o", tmp_path / "x.xlsx")
    assert empty.exit_code == 1 and "no documents in 2024 in register 'HĐTĐKT'" in empty.output

    printed = tmp_path / "so.docx"
    assert run(home, "register", "export", "--year", "2025", "-o", printed, "--docx").exit_code == 0
    section = docx.Document(printed).sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    assert round(section.page_width.mm) == 297
    history = json.loads(run(home, "show", "1", "--json").stdout)["history"]
    assert [h["action"] for h in history] == ["issue", "revoke"]


def test_verify_exit_codes_and_report(home, tmp_path):
    info = issue(home, data_file(tmp_path), "2025-01-05")
    clean = run(home, "verify", "--json")
    assert clean.exit_code == 0
    report = json.loads(clean.stdout)
    assert report["ok"] and report["documents"] == 1 and report["files"] == 1
    path = info["files"][0]["path"]
    os.chmod(path, 0o644)
    with open(path, "r+b") as handle:
        handle.seek(500)
        handle.write(b"\x00\x01")
    broken = run(home, "verify")
    assert broken.exit_code == 1
    assert "PROBLEM: 01/KH-SGD&ĐT (id 1, 2025): DOCX file is corrupted" in broken.output


def test_bad_data_exits_2_naming_the_file_and_field_and_leaves_no_trace(home, tmp_path):
    path = data_file(tmp_path, subject=None)
    result = run(home, "issue", "ke_hoach", path, "--no-pdf")
    assert result.exit_code == 2
    assert str(path) in result.output and "'subject' (Trích yếu nội dung)" in result.output
    assert json.loads(run(home, "list", "--json").stdout)["count"] == 0
    assert list((home / "files").iterdir()) == [] and list((home / "staging").iterdir()) == []
    assert issue(home, data_file(tmp_path), "2025-01-05")["number"] == 1


def test_init_refuses_a_bad_agency_file_and_creates_nothing(tmp_path):
    bad = tmp_path / "agency.yaml"
    bad.write_text("name: SỞ GIÁO DỤC VÀ ĐÀO TẠO\ncode: SGD ĐT\n", encoding="utf-8")
    result = run(tmp_path / "home", "init", "--agency", bad)
    assert result.exit_code == 2 and "'code'" in result.output
    assert not (tmp_path / "home").exists()
    assert run(tmp_path / "home", "list").exit_code == 2


def test_backup_and_restore_commands(sqlite_home, tmp_path):
    home = sqlite_home
    issue(home, data_file(tmp_path), "2025-01-05")
    issue(home, data_file(tmp_path), "2025-01-06")
    saved = tmp_path / "backup.tar.gz"
    result = run(home, "backup", "-o", saved, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"] == 2
    target = tmp_path / "restored"
    restored = CliRunner().invoke(cli, ["restore", str(saved), "--home", str(target), "--json"])
    assert restored.exit_code == 0, restored.output
    assert json.loads(restored.stdout)["verify"]["ok"]
    assert json.loads(run(target, "show", "02/KH-SGD&ĐT", "--json").stdout)["date"] == "2025-01-06"
    onto_existing = CliRunner().invoke(cli, ["restore", str(saved), "--home", str(home)])
    assert onto_existing.exit_code == 2 and "not empty" in onto_existing.output
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    refused = CliRunner().invoke(cli, ["restore", str(junk), "--home", str(tmp_path / "other")])
    assert refused.exit_code == 2 and not (tmp_path / "other").exists()


def test_issue_with_pdf_through_libreoffice_and_a_pdf_made_later(home, tmp_path, soffice, monkeypatch):
    info = json.loads(run(home, "issue", "ke_hoach", data_file(tmp_path), "--date", "2025-01-05", "--json").stdout)
    pdf = next(f for f in info["files"] if f["role"] == "pdf")
    assert pdf["pages"] >= 1 and info["pages"] == pdf["pages"]
    out = tmp_path / "copy.pdf"
    assert run(home, "get", "01/KH-SGD&ĐT", "--pdf", "-o", out).exit_code == 0
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "01/KH-SGD&ĐT" in text

    # LibreOffice missing at issue time: the document is issued all the same, without its PDF.
    with monkeypatch.context() as patched:
        patched.setenv("PATH", str(tmp_path / "empty-bin"))
        failed = run(home, "issue", "ke_hoach", data_file(tmp_path), "--date", "2025-01-06", "--json")
    assert failed.exit_code == 0, failed.output
    issued = json.loads(failed.stdout)
    assert issued["number"] == 2 and [f["role"] for f in issued["files"]] == ["docx"]
    assert "run `docgen pdf 2`" in issued["warnings"][0]
    warned = run(home, "verify")
    assert warned.exit_code == 0 and "warning: 02/KH-SGD&ĐT (id 2, 2025): PDF missing" in warned.output
    assert "docgen pdf 2" in warned.output

    made = run(home, "pdf", "02/KH-SGD&ĐT", "--json")
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout) == {"made": [2], "already_had": []}
    assert json.loads(run(home, "verify", "--json").stdout)["warnings"] == []

    book = tmp_path / "so.pdf"
    assert run(home, "register", "export", "--year", "2025", "-o", book, "--pdf").exit_code == 0
    page = PdfReader(book).pages[0]
    assert page.mediabox.width > page.mediabox.height

"""Commands that surprised a new clerk (issue 8 items 4, 6, 7, 10) and output and faults that broke the
command line (issue 9 items 11, 12): the exact text a clerk sees, no traceback."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3

import pytest

import archive
from docgen.kinds import KINDS

from .test_archive_cli import data_file, home, issue, run  # noqa: F401  (home is a fixture)
from .test_index_search import seeds


def last_line(result) -> str:
    assert "Traceback" not in result.output
    return result.output.splitlines()[-1]


def test_get_chooses_the_copy_from_the_extension(home, tmp_path):
    info = issue(home, data_file(tmp_path), "2025-01-05")
    docx_sha = info["files"][0]["sha256"]
    out = tmp_path / "copy.docx"
    assert run(home, "get", "1", "-o", out).exit_code == 0
    assert hashlib.sha256(out.read_bytes()).hexdigest() == docx_sha
    as_pdf = run(home, "get", "1", "-o", tmp_path / "copy.pdf")  # no PDF made: --no-pdf
    assert as_pdf.exit_code == 2
    assert last_line(as_pdf) == "Error: 01/KH-SGD&ĐT (id 1) has no PDF yet: make it with `docgen pdf 1`"
    for name, args, message in [
        ("copy.txt", [], "cannot tell which copy to write: name a .docx or a .pdf file"),
        ("copy", ["--pdf"], "cannot tell which copy to write: name a .docx or a .pdf file"),
        ("copy2.docx", ["--pdf"], "--pdf asks for the PDF copy, but the name ends in .docx: name a .pdf file"),
    ]:
        result = run(home, "get", "1", "-o", tmp_path / name, *args)
        assert result.exit_code == 2
        assert last_line(result) == f"Error: {tmp_path / name}: {message}"
        assert not (tmp_path / name).exists()


@pytest.mark.parametrize("command", [
    ["render", "ke_hoach", "{data}"], ["get", "1"], ["register", "export", "--year", "2025"], ["backup"],
])
def test_a_missing_output_folder_is_refused_not_created(home, tmp_path, command):
    issue(home, data_file(tmp_path), "2025-01-05")
    target = tmp_path / "no" / "such" / "out.docx"
    args = [str(data_file(tmp_path)) if a == "{data}" else a for a in command]
    result = run(home, *args, "-o", target)
    assert result.exit_code == 2
    assert last_line(result) == f"Error: Invalid value for '-o' / '--output': the folder {target.parent} does not exist"
    assert not (tmp_path / "no").exists()


def test_register_export_of_a_year_without_documents_says_so_and_writes_nothing(home, tmp_path):
    issue(home, data_file(tmp_path), "2025-01-05")
    issue(home, data_file(tmp_path), "2024-03-01")
    out = tmp_path / "so.xlsx"
    result = run(home, "register", "export", "--year", "2023", "-o", out)
    assert result.exit_code == 1
    assert last_line(result) == ("Nothing written: no documents in 2023; the archive holds documents of 2024, 2025: "
                                 "give --year")
    assert not out.exists()
    assert run(home, "register", "export", "--year", "2024", "-o", out).exit_code == 0


def test_show_and_search_print_vietnamese_type_names(home, tmp_path):
    issue(home, data_file(tmp_path), "2025-01-05")
    shown = run(home, "show", "1")
    assert "  Loại               Kế hoạch" in shown.output.splitlines()
    result = run(home, "search", "kế hoạch thi đua")
    assert result.exit_code == 0, result.output
    assert "ke_hoach" not in result.output and "│ Kế hoạch │" in result.output
    assert "By kind: Kế hoạch 1" in result.output.splitlines()


def test_set_checks_the_field_values(home):
    for setting, message in [
        ("kind=[/x]", f"--set kind=[/x]: not a document kind (kinds: {', '.join(KINDS)})"),
        ("urgency=gấp", "--set urgency=gấp: expected one of KHẨN, THƯỢNG KHẨN, HỎA TỐC"),
        ("date=31/02/2017", "--set date=31/02/2017: the date 31/02/2017 does not exist: month 2 of 2017 has 28 days"),
    ]:
        result = run(home, "import", seeds() / "002_8eeca81917f3b8cf.txt", "--set", setting)
        assert result.exit_code == 2
        assert last_line(result) == f"Error: {message}"


def test_search_prints_rich_markup_in_fields_literally(home):
    settings = ["--set", "subject=Về việc [/x] [bold]thi đua[/bold] [red", "--set", "type_name=[/y]",
                "--set", "urgency=khẩn"]
    imported = run(home, "import", seeds() / "002_8eeca81917f3b8cf.txt", *settings)
    assert imported.exit_code == 0, imported.output
    result = run(home, "search", "thi đua")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "[/x]" in text and "[bold]thi" in text and "[/y]" in text


def test_a_very_long_query_is_refused_with_a_message(home):
    result = run(home, "search", "a OR " * 1100)
    assert result.exit_code == 2
    assert last_line(result) == ("Error: the query is 5,500 characters long; a query may be at most 1,000: search "
                                 "for its most telling words")


def test_a_file_name_that_is_not_utf8_is_refused(home, tmp_path):
    name = os.fsdecode(bytes(tmp_path) + b"/t\xff.txt")
    with open(name, "w", encoding="utf-8") as handle:
        handle.write("Công văn")
    result = run(home, "import", name)
    assert result.exit_code == 2
    assert last_line(result) == (f"Error: {tmp_path}/t\\xff.txt: the name is not UTF-8 text; rename it (Vietnamese "
                                 "names are fine when written as UTF-8)")


# A full disk cannot be made here without privileges: the backup call fails as it does on one
# (checked by hand on a 200 kB tmpfs: OSError ENOSPC from gzip, "database or disk is full" from SQLite).
@pytest.mark.parametrize("fault", [
    OSError(errno.ENOSPC, "No space left on device", "/backups/b.tar.gz"),
    sqlite3.OperationalError("database or disk is full"),
])
def test_a_full_disk_is_a_message_not_a_traceback(home, tmp_path, monkeypatch, fault):
    def backup(*args, **kwargs):
        raise fault

    monkeypatch.setattr(archive, "backup", backup)
    result = run(home, "backup", "-o", tmp_path / "b.tar.gz")
    assert result.exit_code == 1
    where = " (/backups/b.tar.gz)" if isinstance(fault, OSError) else ""
    assert last_line(result) == f"Error: the disk is full{where}: free some space and run the command again"


def test_numbers_too_large_for_the_database_are_messages(home, tmp_path):
    huge = "9" * 23
    for args, message in [
        (["show", huge], f"Error: no document {huge} in this archive (`docgen list` shows them)"),
        (["show", f"{huge}/KH-SGD&ĐT"], f"Error: no document {huge}/KH-SGD&ĐT in this archive (`docgen list` shows them)"),
        (["pdf", huge], f"Error: no document {huge} in this archive (`docgen list` shows them)"),
        (["list", "--year", huge], f"Error: Invalid value for '--year': {huge} is not in the range 1<=x<=9999."),
        (["import", seeds() / "002_8eeca81917f3b8cf.txt", "--set", f"number_symbol={huge}/KH"],
         f"Error: --set number_symbol={huge}/KH: expected NUMBER/SYMBOL, a number of at most 9 digits, "
         "e.g. 1140/SGD&ĐT-VP"),
    ]:
        result = run(home, *args)
        assert result.exit_code == 2
        assert last_line(result) == message

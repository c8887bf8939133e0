"""Hostile and oversized input (issue 9 items 3, 6, 12, 17): refused with exit 2 and a message naming
the file and field, before a number is taken; never a traceback, never a hang."""

from __future__ import annotations

import json
import os
import threading
import time

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from cli import cli
from docgen import limits

from .conftest import AGENCY
from .test_archive_cli import data_file, home, issue, run  # noqa: F401  (home is a fixture)
from .test_render import PLAN

# 9 levels of 9 aliases: 348 bytes that name 387 million strings.
ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi"))
BOMB_MESSAGE = (f"more than {limits.DATA_VALUES:,} values or {limits.DATA_TEXT_CHARS:,} characters once YAML "
                "aliases (*name) are expanded; write the values out instead")


def render(*args):
    return CliRunner().invoke(cli, ["render", *map(str, args)])


def error_lines(result) -> list[str]:
    assert "Traceback" not in result.output
    return result.output.splitlines()


def numbers_taken(home) -> list[str]:
    listed = run(home, "list", "--json")
    return [d["number_symbol"] for d in json.loads(listed.stdout)["documents"]]


def test_an_oversized_field_is_refused_before_a_number_is_taken(home, tmp_path):
    path = data_file(tmp_path, body="Nội dung. " * (limits.DATA_FIELD_CHARS // 10 + 1))
    result = run(home, "issue", "ke_hoach", path, "--date", "2025-01-05", "--no-pdf")
    assert result.exit_code == 2
    assert error_lines(result) == [
        f"Error: {path}: invalid data",
        f"  - field 'body': {limits.DATA_FIELD_CHARS + 10:,} characters; a field may hold at most "
        f"{limits.DATA_FIELD_CHARS:,}"]
    assert numbers_taken(home) == []
    assert not any((home / "files").rglob("*.*"))
    assert issue(home, data_file(tmp_path), "2025-01-05")["number_symbol"] == "01/KH-SGD&ĐT"


def test_an_oversized_data_file_is_refused_unread(home, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("subject: x\n" + "# padding\n" * (limits.DATA_FILE_BYTES // 10), encoding="utf-8")
    result = run(home, "issue", "ke_hoach", path, "--no-pdf")
    assert result.exit_code == 2
    assert error_lines(result) == [f"Error: {path}: invalid data",
                                   "  - the file is 5 MB; a data file may be at most 5 MB"]
    assert numbers_taken(home) == []


def test_an_endless_data_file_is_read_no_further_than_the_limit(tmp_path):
    endless = tmp_path / "endless.yaml"  # a pipe: its size says 0, its writer never stops
    os.mkfifo(endless)

    def write_forever():
        try:
            with open(endless, "wb") as pipe:
                while True:
                    pipe.write(b"# " + b"x" * 65_534)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    result = render("ke_hoach", endless, "-o", tmp_path / "x.docx")
    writer.join(10)
    assert result.exit_code == 2
    assert error_lines(result) == [f"Error: {endless}: invalid data",
                                   "  - the file is more than 5 MB; a data file may be at most 5 MB"]


def test_a_long_list_is_refused_naming_it(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({**PLAN, "recipients": ["Trường A"] * (limits.DATA_LIST_ITEMS + 1)},
                                   allow_unicode=True), encoding="utf-8")
    result = render("ke_hoach", path, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2
    assert error_lines(result)[1] == (f"  - field 'recipients': {limits.DATA_LIST_ITEMS + 1:,} items; "
                                      f"a list may hold at most {limits.DATA_LIST_ITEMS:,}")


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB + f"agency: {PLAN['agency']}\n", encoding="utf-8")
    assert len(ALIAS_BOMB) < 500
    started = time.perf_counter()
    result = render("ke_hoach", path, "-o", tmp_path / "x.docx")
    assert time.perf_counter() - started < 10  # was 117 s and a MemoryError; the bench measures speed
    assert result.exit_code == 2
    assert error_lines(result) == [f"Error: {path}: invalid data", f"  - field 'f': {BOMB_MESSAGE}"]
    assert not (tmp_path / "x.docx").exists()


def test_an_alias_bomb_in_the_homes_agency_file_is_a_message(home, tmp_path):
    agency = home / "agency.yaml"
    agency.chmod(0o644)
    agency.write_text(agency.read_text(encoding="utf-8") + ALIAS_BOMB.replace("a:", "bomb_a:", 1)
                      .replace("&a ", "&a ", 1), encoding="utf-8")
    result = run(home, "issue", "ke_hoach", data_file(tmp_path), "--no-pdf")
    assert result.exit_code == 2
    assert error_lines(result)[-1] == f"  - field 'f': {BOMB_MESSAGE}"


def test_an_alias_bomb_in_config_yaml_is_refused_at_init(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(ALIAS_BOMB, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "init", "--agency", str(AGENCY),
                                      "--config", str(config)])
    assert result.exit_code == 2
    assert error_lines(result) == [f"Error: {config}: invalid data", f"  - field 'f': {BOMB_MESSAGE}"]
    assert not (tmp_path / "home").exists()


def test_an_alias_naming_its_own_container_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text(f"agency: {PLAN['agency']}\nsubject: &s [a, *s]\n", encoding="utf-8")
    result = render("ke_hoach", path, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2
    assert error_lines(result)[-1] == "  - field 'subject[2]': a YAML alias names the value that contains it"


@pytest.mark.parametrize("name, text, message", [
    ("deep.json", "[" * 100_000 + "]" * 100_000, f"nested more than {limits.DATA_DEPTH} levels deep"),
    ("deep2.json", '{"a": ' * 40 + "1" + "}" * 40, f"field 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
                                                     f"a': nested more than {limits.DATA_DEPTH} levels deep"),
    ("deep.yaml", "a: " + "[" * 100_000 + "]" * 100_000, "not valid YAML at line 1, column 1003: exceeded "
                                                         "maximum nesting depth"),
])
def test_deeply_nested_data_is_a_message(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = render("ke_hoach", path, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2
    assert error_lines(result) == [f"Error: {path}: invalid data", f"  - {message}"]


def test_a_huge_nominee_sheet_and_a_huge_cell_are_refused(tmp_path):
    from docgen.dossier.grid import read_grids
    from docgen.errors import DataError

    big = tmp_path / "big.csv"
    big.write_text("STT,Họ và tên\n" + "1,Nguyễn Văn A\n" * limits.SHEET_ROWS, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_grids(big)
    assert info.value.problems == [f"tệp có {limits.SHEET_ROWS + 1:,} dòng; một danh sách được tối đa "
                                   f"{limits.SHEET_ROWS:,} dòng"]
    cell = tmp_path / "cell.csv"
    cell.write_text("STT,Họ và tên\n1," + "x" * (limits.SHEET_CELL_CHARS + 1) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_grids(cell)
    assert info.value.problems == [f"dòng 2, cột B: ô có {limits.SHEET_CELL_CHARS + 1:,} ký tự; một ô được "
                                   f"tối đa {limits.SHEET_CELL_CHARS:,} ký tự"]
    book = openpyxl.Workbook()
    book.active.append(["STT", "Họ và tên"])
    book.active.append([1, "x" * 32_767])  # Excel's longest cell is read
    book.save(tmp_path / "ok.xlsx")
    assert read_grids(tmp_path / "ok.xlsx")[0].rows[1][1] == "x" * 32_767


def test_line_separators_in_a_data_file_become_spaces(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({**PLAN, "subject": "Kế hoạch\u2028thi đua\u2029năm\x85học\ufffe"},
                                   allow_unicode=True), encoding="utf-8")
    result = render("ke_hoach", path, "-o", tmp_path / "x.docx", "--json")
    assert result.exit_code == 0, result.output
    import docx

    texts = [p.text for p in docx.Document(tmp_path / "x.docx").paragraphs]
    assert "Kế hoạch thi đua năm học" in texts

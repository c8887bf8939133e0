"""Lawful copies (bản sao, Decree 30 Articles 25-27): `docgen copy`, the copies' register, show,
search and verify of copies, through the CLI as a clerk uses it."""

from __future__ import annotations

import json
import os
import shutil

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from cli import cli

from .conftest import AGENCY, EXAMPLES

DECISION = EXAMPLES / "quyet_dinh_khen_thuong.yaml"  # two pages as issued


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def ok(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if result.stdout.lstrip().startswith(("{", "[")) else result


@pytest.fixture(scope="module")
def issued_home(tmp_path_factory, soffice):
    """A home with 01/QĐ-SGD&ĐT (two pages, with its PDF) and 01/KH-SGD&ĐT (no PDF yet)."""
    home = tmp_path_factory.mktemp("copies") / "home"
    ok(run(home, "init", "--agency", AGENCY))
    ok(run(home, "issue", "quyet_dinh_khen_thuong", DECISION, "--date", "2025-01-05", "--json"))
    ok(run(home, "issue", "ke_hoach", EXAMPLES / "ke_hoach.yaml", "--date", "2025-01-06", "--no-pdf", "--json"))
    return home


@pytest.fixture
def home(issued_home, tmp_path):
    copied = tmp_path / "home"
    shutil.copytree(issued_home, copied)
    return copied


def copy(home, tmp_path, *args, name="copy.pdf"):
    return run(home, "copy", *args, "-o", tmp_path / name, "--json")


def pdf_pages(path):
    return [page.extract_text() for page in PdfReader(path).pages]


def store_files(home):
    return sorted(p.name for p in (home / "files").rglob("*") if p.is_file())


def test_a_sao_y_is_the_originals_pages_then_the_copy_block(home, tmp_path):
    info = ok(copy(home, tmp_path, "01/QĐ-SGD&ĐT", "--form", "sao-y", "--signer", "pho_giam_doc",
                   "--to", "Phòng GDĐT huyện Hòa An", "--date", "2025-02-03"))
    assert info["number_symbol"] == "01/SY-SGD&ĐT" and info["register"] == "ban-sao" and info["kind"] == "ban_sao"
    original = pdf_pages(ok(run(home, "show", "1", "--json"))["files"][1]["path"])
    pages = pdf_pages(tmp_path / "copy.pdf")
    assert len(pages) == len(original) + 1 == info["pages"] == 3
    assert pages[:2] == original and "01/QĐ-SGD&ĐT" in pages[0]
    block = " ".join(pages[-1].split())
    for text in ("SAO Y", "Số: 01/SY-SGD&ĐT", "Cao Bằng, ngày 03 tháng 02 năm 2025", "KT. GIÁM ĐỐC",
                 "PHÓ GIÁM ĐỐC", "Nguyễn Mai Phương", "Nơi nhận:", "- Phòng GDĐT huyện Hòa An;", "- Lưu: VT."):
        assert text in block, text
    stored = PdfReader(info["files"][1]["path"])
    assert [p.extract_text() for p in stored.pages] == pages  # what -o wrote is what the archive keeps


def test_copies_number_in_one_register_of_their_own_per_year(home, tmp_path):
    numbers = [ok(copy(home, tmp_path, "1", "--form", "sao-y", "--date", "2025-03-01"))["number_symbol"],
               ok(copy(home, tmp_path, "1", "--form", "trich-sao", "--pages", "1", "--date", "2025-03-02"))["number_symbol"],
               ok(copy(home, tmp_path, "3", "--form", "sao-luc", "--date", "2025-03-02"))["number_symbol"],
               ok(copy(home, tmp_path, "1", "--form", "sao-y", "--date", "2026-01-02"))["number_symbol"]]
    # Decree 30, Appendix I: one sequence for every form of copy, the form's code in the symbol.
    assert numbers == ["01/SY-SGD&ĐT", "02/TS-SGD&ĐT", "03/SL-SGD&ĐT", "01/SY-SGD&ĐT"]
    # The documents' own register is untouched: after 01/QĐ and 02/KH comes 03.
    issued = ok(run(home, "issue", "ke_hoach", EXAMPLES / "ke_hoach.yaml", "--date", "2025-03-03", "--no-pdf",
                    "--json"))
    assert issued["number_symbol"] == "03/KH-SGD&ĐT"
    assert ok(run(home, "verify", "--json"))["ok"]
    ok(run(home, "register", "export", "--year", "2025", "-o", tmp_path / "so.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "so.xlsx")["ban-sao"]
    assert [(row[0], row[7]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]] == [
        ("01/SY-SGD&ĐT", "Sao từ 01/QĐ-SGD&ĐT"), ("02/TS-SGD&ĐT", "Sao từ 01/QĐ-SGD&ĐT (trang 1)"),
        ("03/SL-SGD&ĐT", "Sao từ 01/SY-SGD&ĐT")]


def test_a_trich_sao_holds_only_the_pages_named(home, tmp_path):
    info = ok(copy(home, tmp_path, "1", "--form", "trich-sao", "--pages", "2"))
    original = pdf_pages(ok(run(home, "show", "1", "--json"))["files"][1]["path"])
    pages = pdf_pages(tmp_path / "copy.pdf")
    assert len(pages) == 2 and pages[0] == original[1] and "TRÍCH SAO" in pages[1]
    assert "Số: 01/TS-SGD&ĐT" in pages[1]
    assert info["copy_of"]["pages"] == "2"


@pytest.mark.parametrize("args, message", [
    (["1", "--form", "trich-sao"], "name its pages"),
    (["1", "--form", "trich-sao", "--pages", "3"], "not within the document's pages 1-2"),
    (["1", "--form", "trich-sao", "--pages", "x"], "'x' is not a page or a range"),
    (["1", "--form", "sao-y", "--pages", "1"], "only a trích sao"),
    (["1", "--form", "sao-luc"], "a sao lục is made from a sao y copy"),
    (["1", "--form", "sao-y", "--signer", "nobody"], "no signer 'nobody'"),
    (["1", "--form", "sao-y", "--date", "2025-01-04"], "before 01/QĐ-SGD&ĐT was issued"),
])
def test_bad_requests_name_the_option_and_use_no_number(home, tmp_path, args, message):
    before = store_files(home)
    result = copy(home, tmp_path, *args)
    assert result.exit_code == 2 and message in result.output
    assert store_files(home) == before and not (tmp_path / "copy.pdf").exists()
    assert ok(run(home, "list", "--register", "ban-sao", "--json"))["count"] == 0


def test_a_revoked_document_is_refused_and_no_number_is_used(home, tmp_path):
    ok(copy(home, tmp_path, "1", "--form", "sao-y"))  # 01/SY, made while the decision was in force
    ok(run(home, "revoke", "1", "--by", "2"))
    before = store_files(home)
    for args in (["1", "--form", "sao-y"], ["01/SY-SGD&ĐT", "--form", "sao-luc"]):
        result = copy(home, tmp_path, *args)
        assert result.exit_code == 2 and "01/QĐ-SGD&ĐT (id 1) was revoked by 02/KH-SGD&ĐT" in result.output
    assert store_files(home) == before
    assert ok(copy(home, tmp_path, "2", "--form", "sao-y"))["number_symbol"] == "02/SY-SGD&ĐT"


def test_a_replaced_document_is_copied_with_a_warning(home, tmp_path):
    ok(run(home, "replace", "1", "--by", "2"))
    info = ok(copy(home, tmp_path, "1", "--form", "sao-y"))
    assert info["number_symbol"] == "01/SY-SGD&ĐT"
    assert any("replaced by 02/KH-SGD&ĐT" in w for w in info["warnings"])


def test_a_document_without_its_pdf_gets_it_first(home, tmp_path):
    info = ok(copy(home, tmp_path, "02/KH-SGD&ĐT", "--form", "sao-y"))
    assert any("had no PDF: it was made first" in w for w in info["warnings"])
    assert "pdf" in {f["role"] for f in ok(run(home, "show", "2", "--json"))["files"]}
    assert "Số: 01/SY-SGD&ĐT" in pdf_pages(tmp_path / "copy.pdf")[-1]


def test_the_copy_block_sits_under_the_last_line_when_the_page_has_room(home, tmp_path):
    """Decree 30, Appendix I: the copy's parts on the same sheet, right after the document's last part."""
    ok(copy(home, tmp_path, "2", "--form", "sao-y"))
    original = pdf_pages(ok(run(home, "show", "2", "--json"))["files"][1]["path"])
    pages = pdf_pages(tmp_path / "copy.pdf")
    assert len(pages) == len(original)  # the plan's last page ends high enough: no page is added
    assert pages[:-1] == original[:-1]
    last = " ".join(pages[-1].split())
    assert last.index("- Lưu: VT, VP.") < last.index("SAO Y") and "Số: 01/SY-SGD&ĐT" in last


def test_show_names_the_copies_of_a_document_and_the_original_of_a_copy(home, tmp_path):
    ok(copy(home, tmp_path, "1", "--form", "sao-y"))
    ok(copy(home, tmp_path, "3", "--form", "sao-luc"))
    original, sao_y, sao_luc = (ok(run(home, "show", ref, "--json")) for ref in ("1", "01/SY-SGD&ĐT", "4"))
    assert [(c["copy_id"], c["number_symbol"], c["form"]) for c in original["copies_made"]] == [
        (3, "01/SY-SGD&ĐT", "sao-y")]
    assert (sao_y["copy_of"]["source_id"], sao_y["copy_of"]["number_symbol"]) == (1, "01/QĐ-SGD&ĐT")
    assert sao_y["copies_made"][0]["number_symbol"] == "02/SL-SGD&ĐT"
    assert sao_luc["copy_of"]["number_symbol"] == "01/SY-SGD&ĐT" and sao_luc["history"][0]["action"] == "copy"
    text = run(home, "show", "1").output
    assert "Bản sao            01/SY-SGD&ĐT (id 3; bản sao y)" in text
    text = run(home, "show", "3").output
    assert "Bản sao của        01/QĐ-SGD&ĐT (id 1; bản sao y)" in text and "Loại               Bản sao y" in text


def test_a_copy_is_found_by_search_and_verify_checks_its_files_and_link(home, tmp_path):
    import sqlite3

    ok(copy(home, tmp_path, "1", "--form", "sao-y"))
    hits = ok(run(home, "search", "01/SY-SGD&ĐT", "--json"))
    assert hits[0]["number_symbol"] == "01/SY-SGD&ĐT"
    assert {h["number_symbol"] for h in ok(run(home, "search", "tặng Giấy khen", "--json"))} >= {
        "01/QĐ-SGD&ĐT", "01/SY-SGD&ĐT"}
    report = ok(run(home, "verify", "--json"))
    assert report["ok"] and report["files"] == 5  # QĐ: DOCX, PDF; KH: DOCX; the copy: its block's DOCX, its PDF
    db = sqlite3.connect(home / "archive.sqlite")
    db.execute("UPDATE copies SET source_id = 2 WHERE document_id = 3")
    db.commit()
    db.close()
    result = run(home, "verify")
    assert result.exit_code == 1 and "01/SY-SGD&ĐT (id 3, 2026): its link to the document it copies was changed" \
        in result.output
    stored = ok(run(home, "show", "3", "--json"))["files"][1]["path"]
    os.chmod(stored, 0o600)
    with open(stored, "r+b") as handle:
        handle.write(b"%PDF-1.7 forged")
    assert "01/SY-SGD&ĐT (id 3, 2026): PDF file is corrupted" in run(home, "verify").output


def test_a_secret_documents_copy_is_secret_and_numbers_apart(home, tmp_path):
    data = yaml.safe_load(DECISION.read_text(encoding="utf-8"))
    data["agency"] = str(AGENCY)
    data["secrecy"] = "MẬT"
    secret = tmp_path / "secret.yaml"
    secret.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    issued = ok(run(home, "issue", "quyet_dinh_khen_thuong", secret, "--date", "2025-01-07", "--json"))
    assert copy(home, tmp_path, str(issued["id"]), "--form", "sao-y").exit_code == 2  # not there without the right
    info = ok(copy(home, tmp_path, str(issued["id"]), "--form", "sao-y", "--include-secret"))
    assert info["secrecy"] == "MẬT" and info["register"] == "ban-sao-mat" and info["number_symbol"] == "01/SY-SGD&ĐT"
    assert run(home, "show", str(info["id"])).exit_code == 2
    assert all(d["id"] != info["id"] for d in ok(run(home, "list", "--json"))["documents"])
    assert ok(copy(home, tmp_path, "1", "--form", "sao-y"))["number_symbol"] == "01/SY-SGD&ĐT"


def test_a_failure_while_recording_the_copy_uses_no_number_and_leaves_no_file(home, tmp_path, monkeypatch):
    from archive import Archive, ArchiveError
    from archive import copies as copies_module
    from archive.copies import make_copy

    def broken(*args, **kwargs):
        raise OSError("disk went away")

    before = store_files(home)
    with Archive.open(home) as archive:
        monkeypatch.setattr(copies_module.changelog, "record", broken)
        with pytest.raises(ArchiveError, match=r"could not record the copy \(disk went away\); nothing was recorded"):
            make_copy(archive, 1, "sao-y")
        monkeypatch.undo()
        assert not any(archive.store.staging.iterdir())
    assert store_files(home) == before
    assert ok(copy(home, tmp_path, "1", "--form", "sao-y"))["number_symbol"] == "01/SY-SGD&ĐT"


def test_a_copy_cannot_revoke_a_document(home, tmp_path):
    ok(copy(home, tmp_path, "1", "--form", "sao-y"))
    result = run(home, "revoke", "2", "--by", "3")
    assert result.exit_code == 2 and "01/SY-SGD&ĐT (id 3) is a copy" in result.output


def test_a_copy_numbered_meanwhile_by_another_clerk_moves_this_one_to_the_next_number(home, tmp_path, monkeypatch):
    """The number is confirmed under the writers' lock; a block made with a number taken meanwhile is made again."""
    from archive import Archive
    from archive import copies as copies_module

    real_make, numbers, other = copies_module._make, [], []

    def make_while_another_clerk_copies(*args):
        numbers.append(args[2])
        if len(numbers) == 1:  # this clerk has made its block with 01; another one copies before it locks
            with Archive.open(home) as elsewhere:
                other.append(copies_module.make_copy(elsewhere, 1, "sao-y").record.number_symbol)
        return real_make(*args)

    monkeypatch.setattr(copies_module, "_make", make_while_another_clerk_copies)
    with Archive.open(home) as archive:
        record = copies_module.make_copy(archive, 1, "sao-y").record
    assert other == ["01/SY-SGD&ĐT"] and numbers == [1, 1, 2]
    assert record.number_symbol == "02/SY-SGD&ĐT"
    assert "Số: 02/SY-SGD&ĐT" in pdf_pages(record.files["pdf"].path)[-1]


def test_a_document_revoked_while_its_copy_is_made_is_not_copied(home, monkeypatch):
    from archive import Archive, revoke
    from archive import copies as copies_module

    real_make = copies_module._make

    def make_while_another_clerk_revokes(*args):
        with Archive.open(home) as elsewhere:
            revoke(elsewhere, 1, by=2)
        return real_make(*args)

    before = store_files(home)
    monkeypatch.setattr(copies_module, "_make", make_while_another_clerk_revokes)
    with Archive.open(home) as archive:
        with pytest.raises(copies_module.ArchiveError, match="was revoked by 02/KH-SGD&ĐT"):
            copies_module.make_copy(archive, 1, "sao-y")
    assert store_files(home) == before
    assert ok(run(home, "list", "--register", "ban-sao", "--json"))["count"] == 0

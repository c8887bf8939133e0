"""Importing documents issued elsewhere: the seeds first, then the .docx and PDF of every
example read back to their own metadata, legacy TCVN3 text, .doc through LibreOffice,
unreadable files skipped, originals stored unchanged, and the archive still verifying."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import struct
import subprocess
import sys
import threading
import zipfile
import zlib

import docx
import pytest
from docx.shared import Pt

import docgen
from archive import Archive, backup, restore, verify
from archive.importing import list_imported
from docgen.catalog import example_files
from index import SearchIndex, check, extract, import_files, parse_overrides, recognize, search_archive
from index.importer import shown
from index.tcvn3 import from_unicode, looks_like_tcvn3, to_unicode

from .conftest import AGENCY, ROOT, libreoffice_starts
from .handmade_pdf import assemble
from .test_index_search import seeds


@pytest.fixture
def archive(tmp_path, database):
    """A new home on each database: the embedded SQLite, then PostgreSQL."""
    with Archive.init(tmp_path / "home", AGENCY, database=database) as opened:
        yield opened


@pytest.fixture
def sqlite_archive(tmp_path):
    """For what reads files rather than stores records: once is enough."""
    with Archive.init(tmp_path / "home", AGENCY) as opened:
        yield opened


def test_seed_letter_is_read_part_by_part():
    found = recognize(extract(seeds() / "002_8eeca81917f3b8cf.txt").text)
    assert (found.number, found.symbol, found.number_symbol) == (1140, "SGD&ĐT-VP", "1140/SGD&ĐT-VP")
    assert (found.place, found.date.isoformat()) == ("Cao Bằng", "2017-09-18")
    assert found.kind == "cong_van" and found.subject.startswith("hướng dẫn thực hiện Phong trào")
    assert (found.signing_authority, found.signer_title, found.signer_name) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Mai Phương")
    assert found.addressees == ["Phòng giáo dục và đào tạo các huyện, thành phố", "Các trường, trung tâm trực thuộc Sở"]
    assert found.recipients[0] == "- Như kính gửi;" and found.recipients[-1] == "- Lưu: VT, VP."
    assert found.drafting_unit == "VP"
    assert found.missing == ["agency"]  # its header block has no agency lines


def test_seed_plan_is_read_and_its_lost_header_reported():
    found = recognize(extract(seeds() / "000_7a1e7a67a9ad9d1a.txt").text)
    assert found.kind == "ke_hoach" and found.type_name == "KẾ HOẠCH"
    assert found.subject == ("Thực hiện Phong trào thi đua “Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập” "
                             "giai đoạn 2020-2025")
    assert {"number_symbol", "date", "signer_name"} <= set(found.missing)


def test_import_stores_the_original_unchanged_and_finds_it(archive):
    seed = seeds() / "002_8eeca81917f3b8cf.txt"
    report = import_files(archive, [seed])
    assert not report.skipped and not report.warnings
    item = report.imported[0]
    assert item["id"] == "i1" and item["status"] == "imported" and item["number"] == 1140
    stored = list_imported(archive)[0]
    assert hashlib.sha256(open(stored.path, "rb").read()).hexdigest() == hashlib.sha256(seed.read_bytes()).hexdigest()
    assert archive.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0  # no register number taken
    hit = search_archive(archive, "1140 sgddt vp").hits[0]
    assert (hit.id, hit.status, hit.number_symbol) == ("i1", "imported", "1140/SGD&ĐT-VP")
    assert verify(archive).ok and check(archive).ok


def _expected(metadata: dict) -> dict:
    """The metadata a reader of the printed document can get back."""
    keys = ["kind", "type_name", "number_symbol", "date", "place", "subject", "drafting_unit", "signer_name",
            "signer_title", "signing_authority"]
    if metadata["kind"] != "bao_cao_thanh_tich":  # an achievement report prints its unit, not the agency
        keys += ["agency", "parent_agency"]
    if not metadata["recipients"]:  # minutes have no Nơi nhận, so no "Lưu: VT, <unit>" line
        keys.remove("drafting_unit")
    if metadata["kind"] in ("giay_gioi_thieu", "giay_nghi_phep"):  # no subject printed: the register's is made
        keys.remove("subject")
    return {k: metadata[k] for k in keys if metadata[k] not in (None, "")}


def _read_back(item: dict, expected: dict) -> dict:
    return {k: item[k] for k in expected}


EXAMPLES_BY_STEM = {path.stem: (kind, path) for kind, path in example_files()}


@pytest.mark.parametrize("stem", list(EXAMPLES_BY_STEM))
def test_every_example_docx_reads_back_its_own_metadata(stem, rendered_examples, tmp_path):
    kind, path = EXAMPLES_BY_STEM[stem]
    expected = _expected(docgen.render(kind, path, number=5).document.metadata())
    with Archive.init(tmp_path / "home", AGENCY) as archive:
        report = import_files(archive, [rendered_examples[stem]])
    assert not report.skipped
    assert _read_back(report.imported[0], expected) == expected


def test_every_example_pdf_reads_back_its_own_metadata(example_pdfs, sqlite_archive):
    archive = sqlite_archive
    report = import_files(archive, list(example_pdfs.values()))
    assert not report.skipped and len(report.imported) == len(example_pdfs)
    for stem, item in zip(example_pdfs, report.imported):
        kind, path = EXAMPLES_BY_STEM[stem]
        expected = _expected(docgen.render(kind, path, number=5).document.metadata())
        if kind == "bien_ban":
            # Two signatures side by side come out of the PDF's text as one line of two titles
            # and one line of two names, which cannot be told apart: the .docx reads them.
            for name in ("signer_name", "signer_title", "signing_authority"):
                expected.pop(name, None)
        assert _read_back(item, expected) == expected, stem
    assert check(archive).ok


LEGACY = ("Sở Giáo dục và Đào tạo hướng dẫn các đơn vị tổ chức Hội nghị tổng kết công tác thi đua, "
          "khen thưởng năm học 2008-2009; đề nghị các trường gửi báo cáo trước ngày 15 tháng 6 năm 2009.")


def test_tcvn3_round_trip_of_the_code_table():
    letters = "ăâđêôơư àảãáạ ằẳẵắặ ầẩẫấậ èẻẽéẹ ềểễếệ ìỉĩíị òỏõóọ ồổỗốộ ờởỡớợ ùủũúụ ừửữứự ỳỷỹýỵ ĂÂĐÊÔƠƯ"
    encoded = from_unicode(letters)
    assert all(b < 0x80 or 0xA1 <= b <= 0xFE for b in encoded)
    assert to_unicode(encoded.decode("latin-1")) == letters
    assert looks_like_tcvn3(from_unicode(LEGACY).decode("latin-1"))
    assert not looks_like_tcvn3(LEGACY) and not looks_like_tcvn3("Café, résumé, naïve façade.")


def test_tcvn3_text_file_becomes_searchable(archive, tmp_path):
    legacy = tmp_path / "cong-van-2009.txt"
    legacy.write_bytes(from_unicode("Số: 112/SGDĐT-VP\nV/v tổ chức hội nghị tổng kết\n\n" + LEGACY + "\n"))
    assert b"\xb8" in legacy.read_bytes()  # "á" as TCVN3 wrote it
    extracted = extract(legacy)
    assert extracted.legacy and LEGACY in extracted.text
    report = import_files(archive, [legacy])
    assert report.imported[0]["number_symbol"] == "112/SGDĐT-VP"
    assert report.imported[0]["subject"] == "tổ chức hội nghị tổng kết"
    hits = search_archive(archive, "hội nghị tổng kết thi đua khen thưởng").hits
    assert hits and hits[0].id == report.imported[0]["id"]


def test_vn_font_docx_is_converted_by_its_fonts(sqlite_archive, tmp_path):
    archive = sqlite_archive
    document = docx.Document()

    def paragraph(text, font, capitals=False):
        run = document.add_paragraph().add_run(from_unicode(text).decode("latin-1"))
        run.font.name = font
        run.font.size = Pt(14)

    paragraph("Số: 07/KH-SGDĐT", ".VnTime")
    paragraph("Cao Bằng, ngày 10 tháng 01 năm 2005", ".VnTime")
    paragraph("kế hoạch", ".VnTimeH")  # the capitals font: lower-case codes drawn as capitals
    paragraph("Tổ chức hội thi giáo viên dạy giỏi cấp tỉnh năm học 2004-2005", ".VnTime")
    paragraph("", ".VnTime")
    paragraph("Căn cứ nhiệm vụ năm học, Sở Giáo dục và Đào tạo xây dựng kế hoạch tổ chức hội thi.", ".VnTime")
    path = tmp_path / "ke-hoach-2005.docx"
    document.save(path)
    extracted = extract(path)
    assert extracted.legacy and "KẾ HOẠCH" in extracted.text
    found = recognize(extracted.text)
    assert (found.kind, found.number_symbol, found.date.isoformat()) == ("ke_hoach", "07/KH-SGDĐT", "2005-01-10")
    assert found.subject == "Tổ chức hội thi giáo viên dạy giỏi cấp tỉnh năm học 2004-2005"
    import_files(archive, [path])
    assert search_archive(archive, "hoi thi giao vien day gioi 2004-2005").hits[0].id == "i1"


def test_doc_is_read_through_libreoffice(rendered_examples, soffice, sqlite_archive, tmp_path, monkeypatch):
    archive = sqlite_archive
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(rendered_examples["quyet_dinh_khen_thuong"]),
                    str(rendered_examples["ke_hoach"])],
                   check=True, capture_output=True, timeout=180)
    starts = libreoffice_starts(monkeypatch)
    report = import_files(archive, [tmp_path / "quyet_dinh_khen_thuong.doc", tmp_path / "ke_hoach.doc"])
    assert not report.skipped, report.skipped
    assert len(starts) == 1  # one LibreOffice start for every .doc of the run
    item = report.imported[0]
    assert (item["format"], item["kind"], item["number_symbol"]) == ("doc", "quyet_dinh_khen_thuong", "05/QĐ-SGD&ĐT")
    assert [i["kind"] for i in report.imported] == ["quyet_dinh_khen_thuong", "ke_hoach"]


def test_unreadable_files_are_reported_and_skipped(sqlite_archive, tmp_path, rendered_examples):
    archive = sqlite_archive
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4 this is not a PDF")
    broken_docx = tmp_path / "broken.docx"
    broken_docx.write_bytes(b"PK not a zip")
    spreadsheet = tmp_path / "list.xlsx"
    spreadsheet.write_bytes(b"x")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    files = [broken_pdf, rendered_examples["ke_hoach"], broken_docx, spreadsheet, tmp_path / "missing.doc", empty]
    report = import_files(archive, files)
    assert [item["file"] for item in report.imported] == [str(rendered_examples["ke_hoach"])]
    skipped = {item["file"]: item["reason"] for item in report.skipped}
    assert set(skipped) == {str(f) for f in files if f != rendered_examples["ke_hoach"]}
    assert "not found" in skipped[str(tmp_path / "missing.doc")] and ".xlsx" in skipped[str(spreadsheet)]
    assert "no text" in skipped[str(empty)]
    # Importing the same file again is refused, and nothing else changes.
    again = import_files(archive, [rendered_examples["ke_hoach"]])
    assert not again.imported and "already imported as i1" in again.skipped[0]["reason"]
    assert len(list_imported(archive)) == 1 and verify(archive).ok


def test_set_overrides_what_was_recognised(archive):
    overrides = parse_overrides(["agency=SỞ GIÁO DỤC VÀ ĐÀO TẠO", "date=02/01/2021", "kind=ke_hoach"])
    report = import_files(archive, [seeds() / "000_7a1e7a67a9ad9d1a.txt"], overrides=overrides)
    item = report.imported[0]
    assert (item["agency"], item["date"], item["kind"]) == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "2021-01-02", "ke_hoach")
    assert "agency" not in item["missing"] and "date" not in item["missing"] and "signer_name" in item["missing"]
    hits = search_archive(archive, "", filters=None).hits
    assert hits[0].date == "2021-01-02"


@pytest.mark.parametrize("pair, message", [("colour=red", "not a field"), ("date=yesterday", "date"),
                                           ("number_symbol=abc", "NUMBER/SYMBOL"), ("subject", "field=value")])
def test_bad_set_is_refused_before_anything_is_stored(pair, message, tmp_path):
    home = tmp_path / "home"
    Archive.init(home, AGENCY).close()
    result = subprocess.run([sys.executable, "-m", "cli", "--home", str(home), "import",
                             str(seeds() / "002_8eeca81917f3b8cf.txt"), "--set", pair],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    with Archive.open(home) as archive:
        assert list_imported(archive) == []


def test_import_cli_json_and_exit_codes(tmp_path):
    home = tmp_path / "home"
    Archive.init(home, AGENCY).close()
    result = subprocess.run([sys.executable, "-m", "cli", "--home", str(home), "import", "--json",
                             str(seeds() / "002_8eeca81917f3b8cf.txt"), str(tmp_path / "nowhere.pdf")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1  # one file was skipped
    out = json.loads(result.stdout)
    assert [i["number_symbol"] for i in out["imported"]] == ["1140/SGD&ĐT-VP"]
    assert out["skipped"][0]["file"].endswith("nowhere.pdf") and "nowhere.pdf" in result.stderr


def test_backup_carries_imported_originals(sqlite_archive, tmp_path):
    archive = sqlite_archive
    import_files(archive, [seeds() / "002_8eeca81917f3b8cf.txt"])
    taken = backup(archive, tmp_path / "backup.tar.gz")
    assert not taken.problems
    restored, report = restore(tmp_path / "backup.tar.gz", tmp_path / "restored")
    with restored:
        assert report.ok, report.problems
        copy = list_imported(restored)[0]
        assert open(copy.path, "rb").read() == (seeds() / "002_8eeca81917f3b8cf.txt").read_bytes()


# -- hostile files: each skipped with its reason, the rest of the batch imported --------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _inflating_docx(path, unpacked_mb: int):
    """A .docx of a few kB whose document.xml unpacks to `unpacked_mb` MB of paragraphs."""
    paragraph = b"<w:p><w:r><w:t>Bom</w:t></w:r></w:p>"
    chunk = paragraph * (2**20 // len(paragraph))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
                         'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<w:document xmlns:w="{W_NS}"><w:body>'.encode())
            for _ in range(unpacked_mb):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return path


def _pdf_with_stream(path, content: bytes):
    """A one-page PDF whose page content is `content`, Flate-compressed."""
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
               b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    path.write_bytes(assemble(objects))
    return path


def test_a_docx_that_inflates_far_beyond_its_size_is_skipped_unread(sqlite_archive, tmp_path):
    archive = sqlite_archive
    bomb = _inflating_docx(tmp_path / "bomb.docx", 30)
    assert bomb.stat().st_size < 200_000
    good = seeds() / "002_8eeca81917f3b8cf.txt"
    report = import_files(archive, [bomb, good])
    assert [item["file"] for item in report.imported] == [str(good)]
    reason = report.skipped[0]["reason"]
    assert report.skipped[0]["file"] == str(bomb) and "word/document.xml" in reason and "times" in reason


def test_a_docx_part_declared_over_the_size_cap_is_not_unpacked(sqlite_archive, tmp_path):
    archive = sqlite_archive
    """A part stored without compression whose central directory claims 70 MB: it inflates only 70
    times, so its declared size is what refuses it, before a byte is read."""
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as package:
        package.writestr("word/document.xml", os.urandom(2**20))
    data = bytearray(path.read_bytes())
    directory = data.index(b"PK\x01\x02")
    data[directory + 24:directory + 28] = struct.pack("<I", 70 * 2**20)  # uncompressed size
    path.write_bytes(bytes(data))
    report = import_files(archive, [path])
    assert not report.imported and "word/document.xml unpacks to 70 MB" in report.skipped[0]["reason"]


def test_a_pdf_stream_bomb_is_skipped_and_the_batch_goes_on(sqlite_archive, tmp_path):
    archive = sqlite_archive
    bomb = _pdf_with_stream(tmp_path / "bomb.pdf", b"0 0 m " * (14 * 2**20))  # 84 MB from about 80 kB
    good = seeds() / "002_8eeca81917f3b8cf.txt"
    report = import_files(archive, [bomb, good])
    assert [item["file"] for item in report.imported] == [str(good)]
    assert report.skipped[0]["file"] == str(bomb) and "limit" in report.skipped[0]["reason"]


def test_symlinks_and_control_characters_in_names_are_refused(sqlite_archive, tmp_path):
    archive = sqlite_archive
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "shadow"
    secret.write_text("Công văn mật: không được nhập\n", encoding="utf-8")
    link = tmp_path / "shadow.txt"
    link.symlink_to(secret)
    seed_text = (seeds() / "002_8eeca81917f3b8cf.txt").read_bytes()
    escape = tmp_path / "cong-van\x1b[2J.txt"
    escape.write_bytes(seed_text)
    newline = tmp_path / "cong-van\nIMPORTED OK.txt"
    newline.write_bytes(seed_text)
    good = tmp_path / "cong-van.txt"
    good.write_bytes(seed_text)
    report = import_files(archive, [link, escape, newline, good])
    assert [item["file"] for item in report.imported] == [str(good)]
    skipped = {item["file"]: item["reason"] for item in report.skipped}
    assert "symbolic link" in skipped[str(link)]
    assert "control character" in skipped[shown(escape)] and "\\x1b" in skipped[shown(escape)]
    assert "control character" in skipped[shown(newline)] and "\\n" in skipped[shown(newline)]
    assert all("\x1b" not in line and "\n" not in line for item in report.skipped for line in item.values())


def test_file_types_are_checked_by_content_before_libreoffice_sees_them(sqlite_archive, soffice, tmp_path, monkeypatch):
    archive = sqlite_archive
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        html_doc = tmp_path / "cong-van.doc"
        html_doc.write_text(f'<html><body><img src="http://127.0.0.1:{server.server_port}/seen.png">'
                            "<p>CÔNG VĂN</p></body></html>", encoding="utf-8")
        html_docx = tmp_path / "to-trinh.docx"
        html_docx.write_text("<html><body>TỜ TRÌNH</body></html>", encoding="utf-8")
        not_pdf = tmp_path / "bao-cao.pdf"
        not_pdf.write_bytes(b"{\\rtf1 BAO CAO}")
        starts = libreoffice_starts(monkeypatch)
        report = import_files(archive, [html_doc, html_docx, not_pdf])
    finally:
        server.shutdown()
    assert not report.imported and starts == [] and requests == []
    skipped = {item["file"]: item["reason"] for item in report.skipped}
    assert "not a Word 97-2003 file" in skipped[str(html_doc)] and "HTML" in skipped[str(html_doc)]
    assert "not a .docx" in skipped[str(html_docx)] and "HTML" in skipped[str(html_docx)]
    assert "not a PDF" in skipped[str(not_pdf)] and "RTF" in skipped[str(not_pdf)]

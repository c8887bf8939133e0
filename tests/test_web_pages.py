"""The Register, Dossier, Check and Import pages and their API, and a document's preview, through the ASGI
client: each for the role that may use it (401 without credentials, 403 for another role, 404 for a secret
document), bad input as 422 with the CLI's messages, uploads bounded."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
import yaml

from .test_dossier_build import CAMPAIGN, example_rows
from .test_dossier_sheet import write_xlsx
from .test_web import audit_rows
from .web_home import DATA, bearer, login, web_site

pytest.importorskip("fastapi")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return web_site(tmp_path_factory, "pages")


def csrf_of(page) -> str:
    return page.text.split('name="csrf" value="')[1].split('"')[0]


def draft_docx(client, tokens) -> bytes:
    answer = client.post("/api/render", json={"kind": "ke_hoach", "data": {**DATA, "number": 7}},
                         headers=bearer(tokens, "soanthao"))
    assert answer.status_code == 200
    return answer.content


# -- Register --------------------------------------------------------------------------------


def test_register_export_by_register_follows_role_and_secret_right(site):
    client, tokens, home = site
    assert client.get("/api/register?year=2025&register=chung").status_code == 401
    assert client.get("/api/register?year=2025&register=chung", headers=bearer(tokens, "soanthao")).status_code == 403
    book = client.get("/api/register", params={"year": 2025, "register": "chung"}, headers=bearer(tokens, "vanthu"))
    assert book.status_code == 200 and 'filename="so-van-ban-di-2025-chung.xlsx"' in book.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(book.content))
    assert workbook.sheetnames == ["chung"] and workbook["chung"]["A3"].value == "02/KH-SGD&ĐT"
    # The secret register does not exist for a clerk without the right; it does for one with it.
    hidden = client.get("/api/register", params={"year": 2025, "register": "mat"}, headers=bearer(tokens, "vanthu"))
    assert hidden.status_code == 422 and "register 'mat': not a register of this archive" in hidden.json()["detail"]
    assert "mat" not in hidden.json()["detail"].split("registers: ")[1].split(", ")
    secret = client.get("/api/register", params={"year": 2025, "register": "mat"}, headers=bearer(tokens, "vanthumat"))
    assert openpyxl.load_workbook(io.BytesIO(secret.content)).sheetnames == ["mat"]
    empty = client.get("/api/register", params={"year": 2025, "register": "ban-sao"}, headers=bearer(tokens, "vanthu"))
    assert empty.status_code == 422 and "no documents in 2025 in register 'ban-sao'" in empty.json()["detail"]
    actor, detail = audit_rows(home, "export")[-1]
    assert actor == "vanthumat" and json.loads(detail)["register"] == "mat"


def test_the_register_page_shows_the_book_and_links_its_export(site):
    client, tokens, home = site
    page = client.get("/register", headers=bearer(tokens, "vanthu"))
    assert page.status_code == 200 and "Kế hoạch kiểm tra nội bộ trường học" in page.text
    assert "đề thi mật" not in page.text and '<option value="mat"' not in page.text
    assert 'href="/api/register?year=2025"' in page.text and "2 văn bản năm 2025" in page.text
    one = client.get("/register", params={"year": 2025, "register": "HĐTĐKT"}, headers=bearer(tokens, "vanthu"))
    assert one.status_code == 200 and "0 văn bản năm 2025 trong sổ HĐTĐKT" in one.text and "Xuất tệp" not in one.text
    assert client.get("/register", params={"register": "<b>x</b>"}, headers=bearer(tokens, "vanthu")).status_code == 422
    assert client.get("/register", headers=bearer(tokens, "donvi")).status_code == 403
    assert "đề thi mật" in client.get("/register", headers=bearer(tokens, "vanthumat")).text
    assert audit_rows(home, "web register")[-1][0] == "vanthumat"


# -- Check -----------------------------------------------------------------------------------


def test_the_check_page_lists_findings_for_any_docx(site):
    import docx

    client, tokens, home = site
    draft = draft_docx(client, tokens)
    login(client, "soanthao")
    page = client.get("/check")
    assert page.status_code == 200
    good = client.post("/check", data={"csrf": csrf_of(page)}, files={"file": ("dự thảo.docx", draft)})
    assert good.status_code == 200 and 'id="conforms"' in good.text and "dự-thảo.docx" in good.text
    document = docx.Document(io.BytesIO(draft))
    document.sections[0].left_margin = 100_000  # about 2.8 mm
    changed = io.BytesIO()
    document.save(changed)
    bad = client.post("/check", data={"csrf": csrf_of(page)}, files={"file": ("<b>lề</b>.docx", changed.getvalue())})
    assert bad.status_code == 200 and "1 điểm chưa đúng thể thức" in bad.text and "<td>Trang</td>" in bad.text
    assert "<b>" not in bad.text
    assert client.post("/check", data={"csrf": "guess"}, files={"file": ("a.docx", draft)}).status_code == 403
    refused = client.post("/check", data={"csrf": csrf_of(page)}, files={"file": ("a.docx", b"hello")})
    assert refused.status_code == 422 and "a.docx: not a .docx file" in refused.text
    assert audit_rows(home, "web check")[-1][0] == "soanthao"
    login(client, "donvi")
    assert client.get("/check").status_code == 403
    client.cookies.clear()


def test_check_refuses_a_zip_bomb_before_unpacking_it(site):
    client, tokens, _ = site
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<w:document>" + b" " * (80 * 1024 * 1024) + b"</w:document>")
    answer = client.post("/api/check", files={"file": ("bom.docx", bomb.getvalue())}, headers=bearer(tokens, "soanthao"))
    assert answer.status_code == 422 and "bom.docx: word/document.xml unpacks to 80 MB" in answer.json()["detail"]


# -- Dossier ---------------------------------------------------------------------------------


def write_dossier_files(folder):
    """A campaign naming an agency file and a detail folder the service must not read, and a list of four
    individuals, the last short of votes: (campaign, sheet, rows)."""
    campaign = yaml.safe_load(CAMPAIGN.read_text(encoding="utf-8"))
    campaign["agency"] = "/etc/passwd"
    campaign["reports"]["details"] = "/etc"
    header, rows = example_rows()
    rows = [row for row in rows if row[2] == "Cá nhân"][:4]
    rows[3][7] = 3
    path = folder / "chien-dich.yaml"
    path.write_text(yaml.safe_dump(campaign, allow_unicode=True), encoding="utf-8")
    return path, write_xlsx(folder / "danh-sach.xlsx", {"Danh sách": [header, *rows]}), rows


@pytest.fixture(scope="module")
def dossier_files(tmp_path_factory):
    campaign, sheet, rows = write_dossier_files(tmp_path_factory.mktemp("dossier-upload"))
    return campaign.read_bytes(), sheet.read_bytes(), rows


@pytest.fixture(scope="module")
def built(site, dossier_files, soffice):
    client, tokens, _ = site
    campaign, sheet, _ = dossier_files
    answer = client.post("/api/dossiers", files={"campaign": ("chien-dich.yaml", campaign),
                                                 "nominees": ("../../danh sách.xlsx", sheet)},
                         headers=bearer(tokens, "soanthao"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_drafter_builds_a_dossier_with_the_homes_agency(site, built, dossier_files, soffice):
    client, tokens, home = site
    _, _, rows = dossier_files
    assert [a["name"] for a in built["accepted"]] == [row[1] for row in rows[:3]]
    assert built["rejected"][0]["name"] == rows[3][1] and built["rejected"][0]["rules"] == ["phieu-hoi-dong"]
    assert built["nominees"] == "danh-sách.xlsx" and built["output"] is None
    assert any("reports.details (/etc) không được đọc" in note for note in built["notes"])
    zipped = client.get(built["download"], headers=bearer(tokens, "soanthao"))
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as package:
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["dossier"]["agency"] == "Sở Giáo dục và Đào tạo Cao Bằng"
    assert built["documents"] and all(d["number_symbol"] is None for d in built["documents"])  # no numbers
    assert audit_rows(home, "web dossier")[-1][0] == "soanthao"
    from web.dossiers import CACHE

    assert {p.stat().st_mode & 0o777 for p in (home / CACHE).iterdir()} == {0o600}
    assert (home / CACHE).stat().st_mode & 0o777 == 0o700
    assert audit_rows(home, "web dossier download")[-1][0] == "soanthao"


def test_only_its_builder_or_an_admin_downloads_a_dossier(site, built):
    client, tokens, _ = site
    assert client.get(built["download"]).status_code == 401
    assert client.get(built["download"], headers=bearer(tokens, "donvi")).status_code == 403
    assert client.get(built["download"], headers=bearer(tokens, "vanthu")).status_code == 404  # not theirs
    assert client.get(built["download"], headers=bearer(tokens, "admin")).status_code == 200
    for wrong in ("x" * 24, "../../archive.sqlite", "a" * 200):
        assert client.get(f"/api/dossiers/{wrong}", headers=bearer(tokens, "soanthao")).status_code == 404


def test_a_dossier_kept_for_more_than_a_day_is_gone(site, built, dossier_files):
    import os
    import time

    from web.dossiers import CACHE

    client, tokens, home = site
    folder = home / CACHE
    old = folder / f"{built['id']}.zip"
    os.utime(old, (time.time() - 25 * 3600,) * 2)
    assert client.get(built["download"], headers=bearer(tokens, "soanthao")).status_code == 404
    assert not old.exists() and not old.with_suffix(".json").exists()


def test_bad_dossier_input_gets_the_cli_message_naming_the_uploaded_file(site, dossier_files):
    client, tokens, _ = site
    campaign, _, rows = dossier_files
    header, _ = example_rows()
    broken = [list(row) for row in rows]
    broken[1][3] = "31/02/1980"
    stream = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.title = "Danh sách"
    for row in [header, *broken]:
        workbook.active.append(row)
    workbook.save(stream)
    answer = client.post("/api/dossiers", files={"campaign": ("c.yaml", campaign), "nominees": ("ds.xlsx", stream.getvalue())},
                         headers=bearer(tokens, "soanthao"))
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail.startswith("ds.xlsx: 1 lỗi trong danh sách đề nghị") and "/tmp" not in detail
    assert "sheet 'Danh sách', dòng 3, cột D (Ngày sinh): “31/02/1980” không phải là ngày có thật" in detail
    unknown = yaml.safe_load(campaign)
    unknown["submission"]["signer"] = "hieu_truong"
    wrong = client.post("/api/dossiers", files={"campaign": ("c.yaml", yaml.safe_dump(unknown, allow_unicode=True)),
                                                "nominees": ("ds.xlsx", stream.getvalue())},
                        headers=bearer(tokens, "soanthao"))
    assert wrong.status_code == 422 and "no signer 'hieu_truong' in the agency file" in wrong.json()["problems"][0]
    assert client.post("/api/dossiers", files={"campaign": ("c.yaml", campaign)},
                       headers=bearer(tokens, "soanthao")).status_code == 422
    assert client.post("/api/dossiers", files={"campaign": ("c.yaml", campaign), "nominees": ("d.xlsx", b"x")},
                       headers=bearer(tokens, "donvi")).status_code == 403
    huge = client.post("/api/dossiers", files={"campaign": ("c.yaml", b"#" * (16 * 1024 * 1024))},
                       headers=bearer(tokens, "soanthao"))
    assert huge.status_code == 413


def test_the_dossier_page_shows_both_lists(site, dossier_files, soffice):
    client, _, _ = site
    campaign, sheet, rows = dossier_files
    login(client, "vanthu")
    page = client.get("/dossier")
    done = client.post("/dossier", data={"csrf": csrf_of(page)},
                       files={"campaign": ("c.yaml", campaign), "nominees": ("ds.xlsx", sheet)})
    assert done.status_code == 200 and 'id="download"' in done.text
    assert rows[3][1] in done.text.split('id="rejected"')[1] and "[phieu-hoi-dong]" in done.text
    refused = client.post("/dossier", data={"csrf": csrf_of(page)},
                          files={"campaign": ("c.yaml", b"movement: ["), "nominees": ("ds.xlsx", sheet)})
    assert refused.status_code == 422 and 'id="error"' in refused.text and "c.yaml" in refused.text
    client.cookies.clear()


# -- Import ----------------------------------------------------------------------------------


TEXT = """ỦY BAN NHÂN DÂN TỈNH CAO BẰNG
Số: 1140/UBND-VX
V/v tăng cường <b>an toàn</b> trường học
Cao Bằng, ngày 18 tháng 9 năm 2017
Kính gửi: Sở Giáo dục và Đào tạo
"""


def test_a_clerk_imports_files_under_names_of_the_services_making(site):
    client, tokens, home = site
    files = [("files", ("../../etc/công văn.txt", TEXT.encode())),
             ("files", ("gia.pdf", b"<html><body>not a pdf</body></html>")),
             ("files", ("mat.txt", TEXT.replace("1140", "1141").encode()))]
    assert client.post("/api/import", files=files).status_code == 401
    assert client.post("/api/import", files=files, headers=bearer(tokens, "soanthao")).status_code == 403
    answer = client.post("/api/import", files=files[:2], headers=bearer(tokens, "vanthu"))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    imported = report["imported"][0]
    assert imported["file"] == imported["file_name"] == "công-văn.txt" and "path" not in imported
    assert imported["number_symbol"] == "1140/UBND-VX"
    assert report["skipped"] == [{"file": "gia.pdf", "reason": "gia.pdf: not a PDF: its content is HTML, a web page"}]
    found = client.get("/api/search", params={"q": "1140/UBND-VX"}, headers=bearer(tokens, "donvi")).json()
    assert found["total"] == 1  # indexed at once
    assert audit_rows(home, "web import")[-1][0] == "vanthu" and audit_rows(home, "import")[-1][0] == "vanthu"


def test_a_secret_document_is_imported_only_by_a_user_who_may_see_it(site):
    client, tokens, _ = site
    files = [("files", ("mat.txt", TEXT.replace("1140", "1141").encode()))]
    refused = client.post("/api/import", files=files, data={"set": ["secrecy=MẬT"]}, headers=bearer(tokens, "vanthu"))
    assert refused.json()["imported"] == [] and "marked MẬT: only a user who may see secret" in refused.text
    assert client.get("/api/search", params={"q": "1141"}, headers=bearer(tokens, "vanthumat")).json()["total"] == 0
    done = client.post("/api/import", files=files, data={"set": ["secrecy=MẬT"]}, headers=bearer(tokens, "vanthumat"))
    assert done.json()["imported"][0]["secrecy"] == "MẬT"
    assert client.get("/api/search", params={"q": "1141"}, headers=bearer(tokens, "vanthu")).json()["total"] == 0
    bad = client.post("/api/import", files=files, data={"set": ["color=red"]}, headers=bearer(tokens, "vanthu"))
    assert bad.status_code == 422 and "--set color: not a field that can be set" in bad.json()["detail"]


def test_an_import_is_bounded_in_files_and_bytes(site, monkeypatch):
    client, tokens, _ = site
    many = [("files", (f"{i}.txt", b"x")) for i in range(101)]
    answer = client.post("/api/import", files=many, headers=bearer(tokens, "vanthu"))
    assert answer.status_code == 413 and "at most 100" in answer.json()["detail"]
    monkeypatch.setattr("web.imports.WEB_IMPORT_BYTES", 1000)
    two = [("files", ("a.txt", b"a" * 600)), ("files", ("b.txt", b"b" * 600))]
    answer = client.post("/api/import", files=two, headers=bearer(tokens, "vanthu"))
    assert answer.status_code == 413 and "one import may have" in answer.json()["detail"]
    assert client.get("/api/search", params={"q": "aaaa"}, headers=bearer(tokens, "vanthu")).json()["total"] == 0


def test_the_import_page(site):
    client, _, _ = site
    login(client, "vanthu")
    page = client.get("/import")
    assert page.status_code == 200 and "Tối đa 100 tệp" in page.text
    done = client.post("/import", data={"csrf": csrf_of(page), "kind": "cong_van", "date": ""},
                       files=[("files", ("cv.txt", TEXT.replace("1140", "1142").encode()))])
    assert done.status_code == 200 and "1142/UBND-VX" in done.text and "&lt;b&gt;an toàn&lt;/b&gt;" in done.text
    assert "<td>nơi nhận, người ký</td>" in done.text
    bad = client.post("/import", data={"csrf": csrf_of(page), "date": "31/02/2017"},
                      files=[("files", ("cv.txt", b"x"))])
    assert bad.status_code == 422 and "--set date=31/02/2017" in bad.text
    login(client, "soanthao")
    assert client.get("/import").status_code == 403
    client.cookies.clear()


# -- Document preview and the menu -----------------------------------------------------------


def test_a_document_shows_its_first_page_cached_by_the_pdfs_hash(site):
    client, tokens, home = site
    image = client.get("/api/documents/3/preview", headers=bearer(tokens, "donvi"))
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    kept = list((home / "previews").glob("*.png"))
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600  # private like the home
    assert client.get("/api/documents/1/preview", headers=bearer(tokens, "donvi")).status_code == 404  # no PDF
    assert client.get("/api/documents/2/preview", headers=bearer(tokens, "donvi")).status_code == 404  # secret
    assert client.get("/api/documents/2/preview", headers=bearer(tokens, "vanthumat")).status_code == 200
    assert 'id="preview"' in client.get("/documents/3", headers=bearer(tokens, "donvi")).text
    assert 'id="preview"' not in client.get("/documents/1", headers=bearer(tokens, "donvi")).text


@pytest.mark.parametrize("name, shown", [
    ("donvi", []), ("soanthao", ["/dossier", "/check"]),
    ("vanthu", ["/register", "/import", "/dossier", "/check"])])
def test_the_menu_offers_the_pages_of_the_role(site, name, shown):
    client, tokens, _ = site
    page = client.get("/", headers=bearer(tokens, name)).text
    menu = page.split("<nav>")[1].split("</nav>")[0]
    assert [p for p in ("/register", "/import", "/dossier", "/check") if f'href="{p}"' in menu] == shown

"""The Issue page's generated form and the kinds API through the ASGI client; search pages and error pages."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from cli import cli
from docgen import load_document
from docgen.agency import load_agency
from docgen.catalog import example_data
from docgen.errors import DataError
from docgen.forms import HELP, form_data
from docgen.kinds import KINDS

from .conftest import AGENCY
from .web_home import PASSWORD, bearer, login, web_site

pytest.importorskip("fastapi")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return web_site(tmp_path_factory, "form")



def signed_in(client, name):
    assert login(client, name).status_code == 303


class FormReader(HTMLParser):
    """What a browser posts for the form with `form_id`: its inputs, selected options, text areas and
    checked boxes, and the button pressed."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("type") in ("text", "hidden", None):
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.values[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self.select = a["name"]
            self.values.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.values[self.textarea] = self.values[self.textarea].removeprefix("\n")  # as HTML reads it
            self.textarea = None
        elif tag == "form":
            self.inside = False


def posted(page: str, form_id: str = "issue-form", **changes) -> dict:
    reader = FormReader(form_id)
    reader.feed(page)
    return {**reader.values, **changes}


def field_errors(page: str) -> dict[str, str]:
    import re

    return {name: text for name, text in
            re.findall(r'<ul class="field-error" data-field="([^"]+)" role="alert"><li>([^<]*)</li>', page)}


def test_every_kind_has_a_form_in_vietnamese_with_the_agency_choices(site):
    client, tokens, _ = site
    assert client.get("/api/kinds").status_code == 401
    kinds = client.get("/api/kinds", headers=bearer(tokens, "donvi")).json()
    assert [k["name"] for k in kinds] == list(KINDS)
    agency = load_agency(AGENCY)
    for kind in kinds:
        form = client.get(f"/api/kinds/{kind['name']}/form", headers=bearer(tokens, "donvi")).json()
        fields = {f["name"]: f for f in form["fields"]}
        assert "agency" not in fields and "number" not in fields
        assert [value for value, _ in fields["drafting_unit"]["choices"]] == list(agency.units)
        if "signer" in fields:
            assert [value for value, _ in fields["signer"]["choices"]] == list(agency.signers)
        for field in walk(form["fields"]):
            assert field["label"] and not field["label"].isascii(), (kind["name"], field["name"])
        if any(f["widget"] == "markup" for f in walk(form["fields"])):
            assert "# Mục đích, yêu cầu" in form["markup_rules"]
    award = client.get("/api/kinds/quyet_dinh_khen_thuong/form", headers=bearer(tokens, "donvi")).json()
    nominees = next(f for f in award["fields"] if f["name"] == "nominees")
    assert nominees["widget"] == "rows" and nominees["label"] == "Danh sách khen thưởng"
    kind_of = next(f for f in nominees["fields"] if f["name"] == "type")
    assert kind_of["widget"] == "select" and kind_of["choices"] == [["collective", "tập thể"], ["individual", "cá nhân"]]
    council = next(f for f in client.get("/api/kinds/bien_ban/form", headers=bearer(tokens, "donvi")).json()["fields"]
                   if f["name"] == "council")
    assert council["choices"] == [[key, c.full_name] for key, c in agency.councils.items()]
    assert client.get("/api/kinds/thu_tinh/form", headers=bearer(tokens, "donvi")).status_code == 404


def walk(fields):
    for f in fields:
        yield f
        yield from walk(f["fields"])


def test_every_field_description_has_its_vietnamese_help():
    from docgen.datafile import inner_model

    def descriptions(model):
        for name, info in model.model_fields.items():
            if name in ("agency", "number"):
                continue
            if info.description:
                yield info.description
            if (inner := inner_model(info.annotation)) is not None:
                yield from descriptions(inner)

    missing = {d for kind in KINDS.values() for d in descriptions(kind.model)
               if d not in HELP and not d.startswith("a type name or its code")}
    assert not missing


@pytest.mark.parametrize("kind", [k for k in KINDS if KINDS[k].numbered])
def test_the_example_button_fills_a_form_that_posts_back_the_example(site, kind):
    client, _, _ = site
    signed_in(client, "vanthu")
    page = client.get("/issue", params={"kind": kind, "example": "true"})
    assert page.status_code == 200
    agency = load_agency(AGENCY)
    sent = form_data(kind, posted(page.text))
    assert load_document(kind, sent, agency=agency).data == load_document(kind, example_data(kind), agency=agency).data


def test_a_clerk_adds_rows_previews_the_draft_pdf_and_issues_from_the_form(site, soffice):
    client, _, home = site
    signed_in(client, "vanthu")
    page = client.get("/issue", params={"kind": "quyet_dinh_khen_thuong", "example": "true"})
    fields = posted(page.text)
    rows = len([name for name in fields if name.endswith("].name")])
    more = client.post("/issue", data={**fields, "action": "rows:nominees"})
    assert len([name for name in posted(more.text) if name.endswith("].name")]) == rows + 3
    fields = posted(more.text, **{f"nominees[{rows + 1}].type": "individual", f"nominees[{rows + 1}].name": "Ma Thị Hoa",
                                  f"nominees[{rows + 1}].unit": "Trường THCS Hợp Giang", "date": "2025-08-20"})
    preview = client.post("/issue", data={**fields, "action": "preview"})
    assert preview.status_code == 200, field_errors(preview.text)
    assert "Nếu ban hành bây giờ" in preview.text and "/QĐ-SGD&amp;ĐT" in preview.text
    assert "Ma Thị Hoa" in preview.text  # the new row is kept in the form
    link = preview.text.split('id="draft-pdf" href="')[1].split('"')[0]
    draft = client.get(link)
    assert draft.status_code == 200 and draft.content.startswith(b"%PDF")
    issued = client.post("/issue", data={**posted(preview.text), "action": "issue"}, follow_redirects=False)
    assert issued.status_code == 303, field_errors(issued.text)
    document = client.get(issued.headers["location"])
    assert "Về việc tặng Giấy khen" in document.text and "QĐ-SGD&amp;ĐT" in document.text
    stored = json.loads(CliRunner().invoke(cli, ["--home", str(home), "show", issued.headers["location"].split("/")[-1],
                                                 "--json"]).stdout)
    assert stored["kind"] == "quyet_dinh_khen_thuong" and stored["issued_by"] == "vanthu"
    signed_in(client, "vanthumat")
    assert client.get(link).status_code == 404  # another clerk's draft


def numbers(client, tokens):
    listed = client.get("/api/documents", headers=bearer(tokens, "vanthumat")).json()["documents"]
    return sorted((d["register"], d["number"]) for d in listed)


def test_form_errors_are_the_cli_messages_beside_the_fields_and_use_no_number(site):
    client, tokens, _ = site
    before = numbers(client, tokens)
    signed_in(client, "vanthu")
    page = client.get("/issue", params={"kind": "quyet_dinh_khen_thuong", "example": "true"})
    fields = posted(page.text, subject="", **{"nominees[2].type": "ban", "bonus.collective": "nhiều"})
    for action in ("preview", "issue"):
        answer = client.post("/issue", data={**fields, "action": action}, follow_redirects=False)
        assert answer.status_code == 422
        shown = field_errors(answer.text)
        with pytest.raises(DataError) as cli_error:
            load_document("quyet_dinh_khen_thuong", form_data("quyet_dinh_khen_thuong", fields),
                          agency=load_agency(AGENCY))
        assert set(shown) == {"subject", "nominees[2].type", "bonus.collective"}
        assert sorted(shown.values()) == sorted(p.replace("'", "&#39;") for p in cli_error.value.problems)
        assert shown["subject"] == "field &#39;subject&#39; (Trích yếu nội dung): required, missing"
        assert 'value="Hoàng Thị Lan"' in answer.text  # what was typed stays
    api = client.post("/api/documents", headers=bearer(tokens, "vanthu"),
                      json={"kind": "quyet_dinh_khen_thuong", "data": form_data("quyet_dinh_khen_thuong", fields)})
    assert api.status_code == 422 and set(api.json()["fields"]) == {"subject", "nominees[2].type", "bonus.collective"}
    assert numbers(client, tokens) == before


def test_a_clerk_without_the_secret_right_cannot_issue_a_secret_document(site):
    client, tokens, _ = site
    before = numbers(client, tokens)
    data = {**example_data("giay_moi"), "secrecy": "mật"}
    assert client.post("/api/documents", json={"kind": "giay_moi", "data": data},
                       headers=bearer(tokens, "vanthu")).status_code == 403
    signed_in(client, "vanthu")
    page = client.get("/issue", params={"kind": "giay_moi", "example": "true"})
    for action in ("preview", "issue"):
        refused = client.post("/issue", data=posted(page.text, secrecy="MẬT", action=action), follow_redirects=False)
        assert refused.status_code == 403 and "độ mật" in refused.text
    assert numbers(client, tokens) == before
    issued = client.post("/api/documents", json={"kind": "giay_moi", "data": data}, headers=bearer(tokens, "vanthumat"))
    assert issued.status_code == 201 and issued.json()["secrecy"] == "MẬT"


def test_search_pages_by_offset_with_counts_that_hide_secret_documents(site):
    client, tokens, home = site
    first = client.get("/api/search", params={"q": "", "limit": 1, "sort": "date"}, headers=bearer(tokens, "donvi")).json()
    second = client.get("/api/search", params={"q": "", "limit": 1, "offset": 1, "sort": "date"},
                        headers=bearer(tokens, "donvi")).json()
    assert first["total"] == second["total"] >= 2
    assert first["hits"][0]["id"] != second["hits"][0]["id"] and second["hits"][0]["rank"] == 2
    assert sum(first["counts"]["status"].values()) == first["total"]
    assert all(not hit["secrecy"] for hit in first["hits"] + second["hits"])
    cli_second = json.loads(CliRunner().invoke(cli, ["--home", str(home), "search", "", "--sort", "date", "--limit", "1",
                                                     "--offset", "1", "--json"]).stdout)
    assert [h["id"] for h in cli_second] == [second["hits"][0]["id"]]
    secret = client.get("/api/search", params={"q": ""}, headers=bearer(tokens, "vanthumat")).json()
    assert secret["total"] > first["total"] and sum(secret["counts"]["status"].values()) == secret["total"]
    signed_in(client, "donvi")
    page = client.get("/", params={"q": "ke hoach", "limit": 1})
    assert "Đang có hiệu lực (2)" in page.text and "Kế hoạch (2)" in page.text  # in the filters' choices
    assert 'Kế hoạch</a> <span class="count">(2)</span>' in page.text  # and beside them, as links
    assert 'id="page-next"' in page.text and "Trang 1/2" in page.text
    following = client.get(page.text.split('id="page-next" href="')[1].split('"')[0].replace("&amp;", "&"))
    assert "Trang 2/2" in following.text and 'id="page-prev"' in following.text


def test_error_pages_are_in_vietnamese_with_the_menu(site):
    from fastapi.testclient import TestClient

    client, _, home = site
    signed_in(client, "vanthu")
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "<h1>Không tìm thấy</h1>" in missing.text
    assert 'href="/issue">Ban hành</a>' in missing.text  # the menu of the clerk signed in
    assert client.get("/documents/2").text.count("Không có trang hoặc văn bản này") == 1  # secret: as missing
    bad = client.get("/", params={"year": "hai nghìn"})
    assert bad.status_code == 422 and "<h1>Dữ liệu không hợp lệ</h1>" in bad.text and "year" in bad.text
    assert client.get("/", params={"limit": 0}).status_code == 422
    signed_in(client, "donvi")
    refused = client.get("/issue")
    assert refused.status_code == 403 and "<h1>Không có quyền</h1>" in refused.text and "Đăng xuất" in refused.text

    app = client.app

    @app.get("/boom", include_in_schema=False)
    def boom():
        raise RuntimeError("a fault")

    broken = TestClient(app, raise_server_exceptions=False)
    broken.cookies = client.cookies
    failed = broken.get("/boom")
    assert failed.status_code == 500 and "<h1>Lỗi máy chủ</h1>" in failed.text and "a fault" not in failed.text
    client.cookies.clear()


def test_login_failures_are_counted_across_the_workers_of_one_home(tmp_path):
    from fastapi.testclient import TestClient

    from archive import Archive
    from archive.users import add_user
    from web.app import create_app

    with Archive.init(tmp_path / "home", AGENCY, actor="test") as archive:
        add_user(archive, "donvi", "reader", password=PASSWORD, actor="test")
    workers = [TestClient(create_app(tmp_path / "home")) for _ in range(2)]

    def attempt(client, password):
        client.cookies.clear()
        client.get("/login")
        return client.post("/login", data={"name": "donvi", "password": password,
                                           "csrf": client.cookies["docgen_csrf"]}, follow_redirects=False).status_code

    assert [attempt(workers[n % 2], "sai mật khẩu") for n in range(6)] == [401] * 5 + [429]
    assert attempt(TestClient(create_app(tmp_path / "home")), PASSWORD) == 429  # a restart forgets nothing

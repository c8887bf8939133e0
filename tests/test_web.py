"""The web service through FastAPI's test client: the API, roles, secret documents, sessions, pages."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from cli import cli

from .web_home import DATA, PASSWORD, bearer, login, make_web_home, web_site

pytest.importorskip("fastapi")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return web_site(tmp_path_factory, "web")



def audit_rows(home, action):
    db = sqlite3.connect(home / "archive.sqlite")
    try:
        return db.execute("SELECT actor, detail FROM audit WHERE action = ? ORDER BY id", (action,)).fetchall()
    finally:
        db.close()


def test_health_needs_no_credentials_and_everything_else_does(site):
    client, _, _ = site
    assert client.get("/api/health").json() == {"ok": True}
    for path in ("/api/search?q=ke", "/api/documents", "/api/documents/1", "/api/documents/1/pdf"):
        answer = client.get(path)
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/search?q=ke", headers={"Authorization": "Bearer dg_not-a-token"}).status_code == 401


def test_search_gives_the_cli_hits_and_counts_without_the_secret_document(site):
    client, tokens, home = site
    answer = client.get("/api/search", params={"q": "ke hoach"}, headers=bearer(tokens, "donvi")).json()
    cli_hits = json.loads(CliRunner().invoke(cli, ["--home", str(home), "search", "ke hoach", "--json"]).stdout)
    assert answer["hits"] == cli_hits and answer["total"] == 2
    assert answer["counts"] == {"kind": {"ke_hoach": 2}, "year": {"2025": 2}, "status": {"issued": 2}}
    assert not any("mật" in hit["subject"] for hit in answer["hits"])
    secret = client.get("/api/search", params={"q": "ke hoach"}, headers=bearer(tokens, "vanthumat")).json()
    assert secret["total"] == 3 and secret["counts"]["kind"] == {"ke_hoach": 3}
    assert audit_rows(home, "web search")[-1][0] == "vanthumat"


def test_search_filters_and_bad_dates(site):
    client, tokens, _ = site
    answer = client.get("/api/search", params={"q": "kiem tra", "from": "2025-02-01", "year": 2025},
                        headers=bearer(tokens, "donvi")).json()
    assert [hit["subject"] for hit in answer["hits"]] == ["Kế hoạch kiểm tra nội bộ trường học"]
    bad = client.get("/api/search", params={"q": "x", "from": "31/02/2025"}, headers=bearer(tokens, "donvi"))
    assert bad.status_code == 422 and bad.json()["detail"].startswith("from:")
    assert client.get("/api/search", params={"limit": 0}, headers=bearer(tokens, "donvi")).status_code == 422


def test_a_secret_document_does_not_exist_for_a_user_without_the_right(site):
    client, tokens, _ = site
    for path in ("/api/documents/2", "/api/documents/2/pdf", "/api/documents/2/docx"):
        assert client.get(path, headers=bearer(tokens, "vanthu")).status_code == 404
        assert client.get(path, headers=bearer(tokens, "vanthumat")).status_code == 200
    # The secret register's 01/KH has the same number-symbol: a user without the right sees only the other.
    shown = client.get("/api/documents/01/KH-SGD%26%C4%90T", headers=bearer(tokens, "donvi")).json()
    assert shown["id"] == 1 and shown["history"][0]["action"] == "issue"
    listed = client.get("/api/documents", headers=bearer(tokens, "donvi")).json()
    assert listed["count"] == 2 and 2 not in [d["id"] for d in listed["documents"]]
    assert client.get("/api/documents", headers=bearer(tokens, "vanthumat")).json()["count"] == 3
    assert client.get("/documents/2", headers=bearer(tokens, "donvi")).status_code == 404


def test_downloads_are_the_stored_files_and_are_audited(site):
    client, tokens, home = site
    pdf = client.get("/api/documents/3/pdf", headers=bearer(tokens, "donvi"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    docx = client.get("/api/documents/3/docx", headers=bearer(tokens, "donvi"))
    assert docx.content.startswith(b"PK") and 'filename="02-KH-SGD-T.docx"' in docx.headers["content-disposition"]
    assert client.get("/api/documents/1/pdf", headers=bearer(tokens, "donvi")).status_code == 404  # issued without
    actor, detail = audit_rows(home, "web download")[-1]
    assert actor == "donvi" and json.loads(detail) == {"document": 3, "role": "docx"}


def test_issuing_takes_the_clerk_role_and_answers_like_the_cli(site):
    client, tokens, home = site
    body = {"kind": "ke_hoach", "data": {**DATA, "agency": "/etc/passwd", "subject": "Kế hoạch tuyển sinh lớp 10"},
            "date": "2025-03-01"}
    for name in ("donvi", "soanthao"):
        assert client.post("/api/documents", json=body, headers=bearer(tokens, name)).status_code == 403
    issued = client.post("/api/documents", json=body, headers=bearer(tokens, "vanthu"))
    assert issued.status_code == 201
    record = issued.json()
    assert (record["number_symbol"], record["issued_by"], record["date"]) == ("03/KH-SGD&ĐT", "vanthu", "2025-03-01")
    assert record["agency"] == "SỞ GIÁO DỤC VÀ ĐÀO TẠO" and "warnings" in record
    assert audit_rows(home, "issue")[-1][0] == "vanthu"


def test_bad_data_gets_the_cli_field_messages_and_uses_no_number(site):
    client, tokens, home = site
    bad = {"kind": "ke_hoach", "data": {**DATA, "signer": 5, "drafting_unit": ""}, "date": "2025-03-02"}
    answer = client.post("/api/documents", json=bad, headers=bearer(tokens, "vanthu"))
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    assert any("signer" in p for p in problems)
    unknown = client.post("/api/documents", json={**bad, "kind": "thu_tinh"}, headers=bearer(tokens, "vanthu"))
    assert unknown.status_code == 422 and "thu_tinh" in unknown.json()["detail"]
    assert client.post("/api/documents", json={"kind": "ke_hoach"}, headers=bearer(tokens, "vanthu")).status_code == 422
    listed = client.get("/api/documents", params={"year": 2025}, headers=bearer(tokens, "vanthumat")).json()
    assert [d["number"] for d in listed["documents"] if d["register"] == "chung"] == [1, 2, 3]


def test_login_gives_a_signed_httponly_samesite_cookie_and_pages_follow_the_role(site):
    client, _, home = site
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=/"
    done = login(client, "donvi")
    assert done.status_code == 303 and done.headers["location"] == "/"
    cookie = done.headers["set-cookie"]
    assert "docgen_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = client.get("/", params={"q": "kiem tra"})
    assert page.status_code == 200 and "<mark>" in page.text and "kiểm tra" in page.text.lower()
    assert "Ban hành" not in page.text  # no issue link for a reader
    assert client.get("/issue").status_code == 403
    assert client.get("/documents/3").status_code == 200 and client.get("/documents/2").status_code == 404
    assert audit_rows(home, "web login")[-1][0] == "donvi"
    client.cookies.set("docgen_session", client.cookies["docgen_session"][:-2] + "xx")
    assert client.get("/", follow_redirects=False).status_code == 303  # a forged cookie is no session
    client.cookies.clear()


def test_forms_need_the_csrf_token(site):
    client, _, _ = site
    client.cookies.clear()
    client.get("/login")
    refused = client.post("/login", data={"name": "donvi", "password": PASSWORD, "csrf": "guess"})
    assert refused.status_code == 403
    assert login(client, "vanthu").status_code == 303
    assert client.post("/issue", data={"kind": "ke_hoach", "text": "subject: x"}).status_code == 403
    # A browser session calling the API must send the token too (a bearer token need not).
    assert client.post("/api/documents", json={"kind": "ke_hoach", "data": DATA}).status_code == 403
    client.cookies.clear()


def test_login_attempts_are_limited(tmp_path):
    from fastapi.testclient import TestClient

    from web.app import create_app

    make_web_home(tmp_path / "home")
    client = TestClient(create_app(tmp_path / "home"))
    codes = [login(client, "donvi", "sai mật khẩu").status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    assert login(client, "donvi").status_code == 429  # even with the right password, for a while


def test_issue_page_previews_with_findings_then_issues(site):
    client, _, _ = site
    import yaml

    login(client, "vanthu")
    page = client.get("/issue", params={"kind": "ke_hoach"})
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    text = yaml.safe_dump({**DATA, "subject": "Kế hoạch bồi dưỡng hè", "date": "2025-04-01"}, allow_unicode=True)
    preview = client.post("/issue", data={"kind": "ke_hoach", "text": text, "action": "preview", "csrf": csrf})
    assert preview.status_code == 200 and "Bản nháp" in preview.text and "Kế hoạch bồi dưỡng hè" in preview.text
    bad = client.post("/issue", data={"kind": "ke_hoach", "text": "subject: [", "action": "preview", "csrf": csrf})
    assert bad.status_code == 422 and "du-lieu.yaml" in bad.text
    upload = client.post("/issue", data={"kind": "ke_hoach", "action": "issue", "csrf": csrf},
                         files={"upload": ("kế-hoạch.yaml", text.encode(), "application/x-yaml")},
                         follow_redirects=False)
    assert upload.status_code == 303, upload.text[-1500:]
    document = client.get(upload.headers["location"])
    assert "Kế hoạch bồi dưỡng hè" in document.text and "ban hành · vanthu" in document.text
    client.cookies.clear()


def run(home, *args, stdin=None):
    return CliRunner().invoke(cli, ["--home", str(home), *args], input=stdin)


def test_user_and_token_commands(tmp_path, database):
    from archive import Archive

    home = tmp_path / "home"
    assert run(home, "init", "--agency", "examples/agency.yaml", *(["--database", database] if database else [])).exit_code == 0
    added = run(home, "user", "add", "lan", "--role", "clerk", "--secret", "--password-stdin",
                stdin="một mật khẩu dài\n")
    assert added.exit_code == 0, added.output
    assert run(home, "user", "add", "lan", "--role", "reader", "--password-stdin", stdin="khác khác khác\n").exit_code == 2
    short = run(home, "user", "add", "hoa", "--role", "reader", "--password-stdin", stdin="ngắn\n")
    assert short.exit_code == 2 and "8 to 1024 characters" in short.output
    assert run(home, "user", "add", "hoa", "--role", "boss", "--no-password").exit_code == 2
    created = run(home, "token", "create", "lan", "--json")
    token = json.loads(created.stdout)["token"]
    listed = json.loads(run(home, "user", "list", "--json").stdout)
    assert [(u["name"], u["role"], u["secret"], u["tokens"]) for u in listed] == [("lan", "clerk", True, 1)]
    with Archive.open(home) as archive:
        from archive.users import authenticate, user_for_token

        stored = archive.db.execute("SELECT digest FROM tokens").fetchone()[0]
        assert token not in stored and user_for_token(archive.db, token).name == "lan"
        hashed = archive.db.execute("SELECT password_hash FROM users").fetchone()[0]
        assert hashed.startswith("$argon2id$") and authenticate(archive.db, "lan", "một mật khẩu dài")
        assert authenticate(archive.db, "lan", "sai") is None and authenticate(archive.db, "ai", "x" * 9) is None
    assert run(home, "user", "passwd", "lan", "--password-stdin", stdin="mật khẩu mới dài\n").exit_code == 0
    assert run(home, "token", "revoke", "lan").exit_code == 0
    with Archive.open(home) as archive:
        assert user_for_token(archive.db, token) is None
        assert authenticate(archive.db, "lan", "mật khẩu mới dài").name == "lan"
        actions = [r[0] for r in archive.db.execute("SELECT action FROM audit ORDER BY id")]
    assert actions[-4:] == ["user add", "token create", "user passwd", "token revoke"]
    assert run(home, "user", "remove", "lan").exit_code == 0
    assert json.loads(run(home, "user", "list", "--json").stdout) == []
    assert run(home, "verify").exit_code == 0


def test_the_search_form_sends_empty_filters_which_mean_none(site):
    client, tokens, _ = site
    page = client.get("/", params={"q": "kiem tra", "kind": "", "year": "", "signer": "", "unit": "", "status": "",
                                   "sort": "relevance"}, headers=bearer(tokens, "donvi"))
    assert page.status_code == 200 and "Kế hoạch kiểm tra nội bộ trường học" in page.text
    bad = client.get("/", params={"q": "x", "year": "hai"}, headers=bearer(tokens, "donvi"))
    assert bad.status_code == 422 and "year: expected a year" in bad.text and "<html" in bad.text


def test_an_admin_manages_users_and_tokens_and_nobody_else_does(tmp_path):
    from fastapi.testclient import TestClient

    from web.app import create_app

    tokens = make_web_home(tmp_path / "home")
    client = TestClient(create_app(tmp_path / "home"))
    for name in ("vanthu", "donvi"):
        assert client.get("/api/users", headers=bearer(tokens, name)).status_code == 403
    added = client.post("/api/users", json={"name": "hoa", "role": "reader", "password": "mật khẩu của hoa"},
                        headers=bearer(tokens, "admin"))
    assert added.status_code == 201 and added.json()["role"] == "reader"
    again = client.post("/api/users", json={"name": "hoa", "role": "reader"}, headers=bearer(tokens, "admin"))
    assert again.status_code == 422 and "exists already" in again.json()["detail"]
    assert client.post("/api/users", json={"name": "x", "role": "boss"}, headers=bearer(tokens, "admin")).status_code == 422
    token = client.post("/api/users/hoa/tokens", headers=bearer(tokens, "admin")).json()["token"]
    assert client.get("/api/search", params={"q": "ke"}, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.delete("/api/users/hoa", headers=bearer(tokens, "admin")).status_code == 204
    assert client.get("/api/search", params={"q": "ke"}, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    login(client, "admin")
    page = client.get("/users")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    assert page.status_code == 200 and "vanthumat" in page.text
    given = client.post("/users", data={"action": "token", "name": "donvi", "csrf": csrf})
    assert "dg_" in given.text and "chỉ hiện một lần" in given.text
    assert audit_rows(tmp_path / "home", "token create")[-1][0] == "admin"


def test_a_body_over_the_limit_is_refused_before_it_is_read(site):
    client, tokens, _ = site
    huge = b"{" + b" " * (6 * 1024 * 1024) + b"}"
    answer = client.post("/api/documents", content=huge, headers={**bearer(tokens, "vanthu"),
                                                                   "Content-Type": "application/json"})
    assert answer.status_code == 413 and "5 MB" in answer.json()["detail"]


def test_revoke_replace_register_render_and_check_follow_the_roles(tmp_path):
    import io

    import openpyxl
    from fastapi.testclient import TestClient

    from web.app import create_app

    tokens = make_web_home(tmp_path / "home")
    client = TestClient(create_app(tmp_path / "home"))
    assert client.post("/api/documents/1/revoke", json={"by": "3"}, headers=bearer(tokens, "donvi")).status_code == 403
    assert client.post("/api/documents/2/revoke", json={"by": "3"}, headers=bearer(tokens, "vanthu")).status_code == 404
    revoked = client.post("/api/documents/1/revoke", json={"by": "3"}, headers=bearer(tokens, "vanthu"))
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert revoked.json()["superseded_by"]["by_document_id"] == 3
    again = client.post("/api/documents/1/replace", json={"by": "3"}, headers=bearer(tokens, "vanthu"))
    assert again.status_code == 422
    assert client.get("/api/register?year=2025", headers=bearer(tokens, "soanthao")).status_code == 403
    book = client.get("/api/register?year=2025", headers=bearer(tokens, "vanthu"))
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "kiểm tra nội bộ" in text and "mật" not in text.lower()
    assert client.get("/api/register?year=2019", headers=bearer(tokens, "vanthu")).status_code == 422
    body = {"kind": "ke_hoach", "data": {**DATA, "number": 7}}
    assert client.post("/api/render", json=body, headers=bearer(tokens, "donvi")).status_code == 403
    draft = client.post("/api/render", json=body, headers=bearer(tokens, "soanthao"))
    assert draft.status_code == 200 and draft.content.startswith(b"PK")
    checked = client.post("/api/check", files={"file": ("du-thao.docx", draft.content)},
                          headers=bearer(tokens, "soanthao")).json()
    assert checked["ok"] is True and checked["findings"] == []
    not_docx = client.post("/api/check", files={"file": ("a.docx", b"hello")}, headers=bearer(tokens, "soanthao"))
    assert not_docx.status_code == 422 and "not a .docx" in not_docx.json()["detail"]


@pytest.mark.parametrize("proxies, other_client", [("127.0.0.1", 401), ("10.9.9.9", 429)])
def test_login_attempts_count_by_the_address_a_trusted_proxy_forwards(tmp_path, proxies, other_client):
    """Behind a proxy whose address is given to --forwarded-allow-ips, five failures from one client
    do not lock out another; an untrusted X-Forwarded-For is ignored (every client is the proxy)."""
    import httpx

    from archive import Archive
    from archive.users import add_user

    from .conftest import AGENCY
    from .web_home import served

    with Archive.init(tmp_path / "home", AGENCY, actor="test") as archive:
        for name in ("a", "b", "c", "d", "e", "f", "g"):
            add_user(archive, name, "reader", password=PASSWORD, actor="test")

    def attempt(url, name, client_address):
        with httpx.Client(base_url=url, headers={"X-Forwarded-For": client_address}) as client:
            client.get("/login")
            return client.post("/login", data={"name": name, "password": "sai", "csrf": client.cookies["docgen_csrf"]}
                               ).status_code

    with served(tmp_path / "home", "--no-warm-pdf", "--forwarded-allow-ips", proxies) as url:
        assert [attempt(url, name, "203.0.113.7") for name in "abcde"] == [401] * 5
        assert attempt(url, "f", "203.0.113.7") == 429
        assert attempt(url, "g", "198.51.100.9") == other_client

"""A home for the web tests: three documents (one secret), one user per role, and a token each."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive import Archive, issue_document
from archive.users import add_user, create_token

from .conftest import AGENCY, ROOT
from .test_render import PLAN

DATA = json.loads(json.dumps({k: v for k, v in PLAN.items() if k != "agency"}, default=str))
PASSWORD = "mật khẩu thử nghiệm"
# name -> (role, may see secret documents)
USERS = {"admin": ("admin", True), "vanthu": ("clerk", False), "vanthumat": ("clerk", True),
         "soanthao": ("drafter", False), "donvi": ("reader", False)}


def make_web_home(home: Path) -> dict[str, str]:
    """The home, and a token per user."""
    with Archive.init(home, AGENCY, actor="test") as archive:
        issue_document(archive, "ke_hoach", {**DATA, "subject": "Kế hoạch tổ chức hội thi giáo viên dạy giỏi"},
                       date=dt.date(2025, 1, 5), pdf=False)
        issue_document(archive, "ke_hoach", {**DATA, "secrecy": "MẬT", "subject": "Kế hoạch bảo vệ đề thi mật"},
                       date=dt.date(2025, 1, 6), pdf=True)
        issue_document(archive, "ke_hoach", {**DATA, "subject": "Kế hoạch kiểm tra nội bộ trường học"},
                       date=dt.date(2025, 2, 3), pdf=True)
        tokens = {}
        for name, (role, secret) in USERS.items():
            add_user(archive, name, role, secret=secret, password=PASSWORD, actor="test")
            tokens[name] = create_token(archive, name, actor="test")[1]
    return tokens


def web_site(tmp_path_factory, name: str):
    """A web home (make_web_home) served by an ASGI test client: (client, tokens, home)."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    home = tmp_path_factory.mktemp(name) / "home"
    tokens = make_web_home(home)
    return TestClient(create_app(home)), tokens, home


def bearer(tokens: dict[str, str], name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[name]}"}


def login(client, name: str, password: str = PASSWORD):
    """Sign in through the login page as a browser does (its CSRF cookie, then the form)."""
    client.cookies.clear()
    client.get("/login")
    return client.post("/login", data={"name": name, "password": password, "csrf": client.cookies["docgen_csrf"]},
                       follow_redirects=False)


@contextmanager
def served(home: Path, *options: str) -> Iterator[str]:
    """`docgen serve` on a free port of 127.0.0.1 (with `options`), running until the block ends: its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", "from cli import cli; cli()", "--home", str(home), "serve",
                                "--port", str(port), *options], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            process.kill()
            pytest.fail(f"docgen serve did not start: {process.communicate()[0].decode()}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)

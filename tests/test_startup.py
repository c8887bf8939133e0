"""Start-up: a `docgen` call imports only what its command uses (issue 8 item 13).

Speed itself is measured by bench/startup.py; these tests pin down what each command imports,
in a new process as a clerk runs it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from .conftest import AGENCY, EXAMPLES, ROOT

HEAVY = ("docxtpl", "docx", "openpyxl", "pypdf", "tantivy", "pydantic", "fastapi", "uvicorn", "argon2")
PROBE = """
import sys
sys.argv = ["docgen", *sys.argv[1:]]
from cli import cli
try:
    cli()
except SystemExit as exc:
    assert not exc.code, exc.code
print(" ".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
""".format(heavy=HEAVY)


def imported_by(*args) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.strip().splitlines()[-1].split()) if done.stderr.strip() else set()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    from archive import Archive, issue_document

    home = tmp_path_factory.mktemp("startup") / "home"
    with Archive.init(home, AGENCY) as archive:
        issue_document(archive, "ke_hoach", EXAMPLES / "ke_hoach.yaml", date=dt.date(2025, 3, 2), pdf=False)
    return home


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["search", "--help"], ["serve", "--help"],
                                  ["user", "--help"]])
def test_help_and_version_import_nothing_heavy(args):
    assert imported_by(*args) == set()


def test_search_does_not_import_docxtpl(home):
    modules = imported_by("--home", home, "search", "kế hoạch")
    assert "tantivy" in modules
    assert not {"docxtpl", "docx", "openpyxl", "pypdf", "pydantic"} & modules  # nor the kinds' models


def test_show_does_not_import_docxtpl(home):
    modules = imported_by("--home", home, "show", "1")
    assert not {"docxtpl", "docx", "openpyxl", "pypdf", "tantivy"} & modules


def test_lazy_public_names_still_work():
    # The modules named like a function of their package are imported first, as a command would.
    code = ("import docgen.render, archive.backup, archive.verify, index.extract, index.recognize\n"
            "import docgen, archive, index\n"
            "from docgen import render, render_document, KINDS\n"
            "from archive import Archive, backup, verify\n"
            "from index import SearchIndex, extract, recognize\n"
            "assert all(map(callable, (render, backup, verify, extract, recognize, docgen.render, index.extract)))\n"
            "assert render_document and KINDS and Archive and SearchIndex\n"
            "for package in (docgen, archive, index):\n"
            "    assert all(getattr(package, name) is not None for name in package.__all__)\n"
            "try:\n    docgen.nothing\nexcept AttributeError:\n    pass\nelse:\n    raise SystemExit('no error')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr

"""Shared fixtures: the repository's examples, and LibreOffice (required when CI=true)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from docgen.catalog import example_files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AGENCY = EXAMPLES / "agency.yaml"


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice for PDF tests: skipped on a developer machine without it, a failure in CI."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        message = "LibreOffice (soffice) is not installed: run `make test` as root or apt-get install libreoffice-writer-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def rendered_examples(tmp_path_factory) -> dict[str, Path]:
    """Every example rendered once as an issued document (number 5, its own date)."""
    import docgen

    out = tmp_path_factory.mktemp("examples")
    paths = {}
    for kind, path in example_files():
        rendered = docgen.render(kind, path, number=5)
        paths[path.stem] = rendered.save(out / f"{path.stem}.docx")
    return paths


@pytest.fixture(scope="session")
def example_pdfs(rendered_examples, soffice) -> dict[str, Path]:
    """The PDFs of every example, converted in one LibreOffice batch."""
    from docgen.pdf import convert_to_pdf

    stems = list(rendered_examples)
    pdfs = convert_to_pdf([rendered_examples[s] for s in stems])
    return dict(zip(stems, pdfs))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true nothing may skip: a missing part (LibreOffice, a tool, a file) is a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which is not allowed: {report.longrepr}"


def libreoffice_starts(monkeypatch) -> list[str]:
    """The programs started from now on (subprocess.Popen), to count LibreOffice starts."""
    import subprocess

    starts = []
    real_popen = subprocess.Popen

    def counting_popen(command, *args, **kwargs):
        starts.append(command[0])
        return real_popen(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    return starts


def undo_signing_migration(db) -> None:
    """Give a home's `files` table back the form migration 1 made (before signed PDFs), rows kept:
    for tests that turn a home into one an older docgen made."""
    from archive.schema import MIGRATIONS, statements

    made = [s for s in statements(MIGRATIONS[0]) if s.startswith(("CREATE TABLE files", "CREATE INDEX files_"))]
    db.execute("ALTER TABLE files RENAME TO files_signing")
    db.execute("DROP INDEX files_sha256")
    for statement in made:
        if statement.startswith("CREATE TABLE"):
            db.execute(statement)
            db.execute("INSERT INTO files SELECT * FROM files_signing")
            db.execute("DROP TABLE files_signing")
        else:
            db.execute(statement)


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway PostgreSQL cluster for the session (tests/postgres.py): skipped on a developer
    machine without PostgreSQL, a failure in CI."""
    from tests.postgres import Cluster, PostgresMissing

    try:
        cluster = Cluster()
    except PostgresMissing as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def postgres_url(postgres_cluster) -> str:
    """A fresh, empty database of its own for the test: postgresql://postgres@/NAME?host=/socket/dir."""
    return postgres_cluster.create_database()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request) -> str | None:
    """Where a home keeps its records: None for the embedded SQLite, or a fresh PostgreSQL database's
    URL. Archive tests that take it run against both."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")


def edit_beside_docgen(home, sql: str) -> None:
    """Run `sql` (statements separated by ;) on a home's database as someone beside docgen would:
    sqlite3 on HOME/archive.sqlite, psql on a server-mode home's PostgreSQL database."""
    from archive.home import DATABASE, database_url

    url = database_url(Path(home))
    if url is None:
        import sqlite3

        db = sqlite3.connect(Path(home) / DATABASE)
        try:
            db.executescript(sql)
        finally:
            db.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(sql)  # no parameters: several statements in one go, as psql -c runs them

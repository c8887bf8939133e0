"""Moving between the embedded database and PostgreSQL: `docgen migrate --to URL --new-home DIR`
copies a home into server mode and checks it, or leaves nothing; a server home's backup is the
same tarball (its records exported to SQLite inside) and restores into an embedded home or,
with --database, into another PostgreSQL database."""

from __future__ import annotations

import datetime as dt
import json
import os
import tarfile

import pytest
from click.testing import CliRunner

from archive import Archive, backup, issue_document, replace, restore, verify
from archive.errors import ArchiveError
from archive.users import add_user, authenticate, create_token, user_for_token
from cli import cli
from index import import_files, search_archive

from .conftest import AGENCY
from .test_archive import DATA
from .test_index_search import seeds

TABLES = ("documents", "files", "relations", "imported", "audit", "changes", "users", "tokens")


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


def counts(archive) -> dict[str, int]:
    return {table: archive.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def tables_in(url) -> list[str]:
    import psycopg

    with psycopg.connect(url) as db:
        return [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """An embedded home with issued, replaced and imported documents, a user and a token."""
    home = tmp_path_factory.mktemp("embedded") / "home"
    with Archive.init(home, AGENCY) as archive:
        for day in (2, 3, 4):
            issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 3, day), pdf=False)
        replace(archive, 1, by=3)
        import_files(archive, [seeds() / "002_8eeca81917f3b8cf.txt"])
        add_user(archive, "lan", "clerk", password="mật khẩu dài đủ 12")
        _, token = create_token(archive, "lan")
        before = counts(archive)
    return {"home": home, "token": token, "counts": before}


def test_migrate_moves_records_audit_files_log_and_users_into_postgresql(embedded, postgres_url, tmp_path):
    new_home = tmp_path / "server"
    result = run(embedded["home"], "migrate", "--to", postgres_url, "--new-home", new_home, "--json")
    assert result.exit_code == 0, result.output
    moved = json.loads(result.stdout)
    assert moved["ok"] and moved["rows"]["documents"] == 3 and moved["files"] == 4
    assert not (new_home / "archive.sqlite").exists()
    with Archive.open(new_home) as archive:
        assert archive.db.kind == "postgresql"
        after = counts(archive)
        # the same rows, and the new home's own audit row and restart of the log
        assert {t: after[t] for t in TABLES if t not in ("audit", "changes")} == \
               {t: embedded["counts"][t] for t in TABLES if t not in ("audit", "changes")}
        assert after["audit"] == embedded["counts"]["audit"] + 1
        assert verify(archive).ok
        assert authenticate(archive.db, "lan", "mật khẩu dài đủ 12").name == "lan"
        assert user_for_token(archive.db, embedded["token"]).name == "lan"
        assert search_archive(archive, "1140/SGD&ĐT-VP").hits[0].key == "i1"
        nxt = issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 3, 5), pdf=False).record
        assert nxt.number == 4 and nxt.id == 4  # the sequences continue after the copied ids
    assert run(new_home, "verify").exit_code == 0
    with Archive.open(embedded["home"]) as archive:  # left as it was, with a row saying where it went
        assert verify(archive).ok
        last = archive.db.execute("SELECT action, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        assert last["action"] == "migrate" and str(new_home) in last["detail"]


def test_a_failed_migration_leaves_nothing_in_the_database_or_the_folder(embedded, postgres_url, tmp_path):
    with Archive.open(embedded["home"]) as archive:
        stored = archive.store.path(archive.db.execute("SELECT sha256 FROM files LIMIT 1").fetchone()[0])
    original = stored.read_bytes()
    os.chmod(stored, 0o600)
    stored.write_bytes(original + b"changed")  # the copy cannot verify
    try:
        result = run(embedded["home"], "migrate", "--to", postgres_url, "--new-home", tmp_path / "server")
    finally:
        stored.write_bytes(original)
        os.chmod(stored, 0o400)
    assert result.exit_code == 2 and "does not verify" in result.output, result.output
    assert tables_in(postgres_url) == [] and not (tmp_path / "server").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_migrate_refuses_a_database_that_is_not_empty_and_a_password_in_the_url(embedded, postgres_url, tmp_path):
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("CREATE TABLE theirs (x int)")
    result = run(embedded["home"], "migrate", "--to", postgres_url, "--new-home", tmp_path / "server")
    assert result.exit_code == 2 and "not empty" in result.output
    assert tables_in(postgres_url) == ["theirs"] and not (tmp_path / "server").exists()
    with_password = postgres_url.replace("postgres@", "postgres:hunter2@")
    result = run(embedded["home"], "migrate", "--to", with_password, "--new-home", tmp_path / "server")
    assert result.exit_code == 2 and "password" in result.output and "hunter2" not in result.output


@pytest.fixture(scope="module")
def server_backup(embedded, postgres_cluster, tmp_path_factory):
    """A backup of a server home (the embedded one migrated into PostgreSQL)."""
    folder = tmp_path_factory.mktemp("server-backup")
    url = postgres_cluster.create_database()
    from archive.migrate import migrate_home

    with Archive.open(embedded["home"]) as archive:
        migrated, _ = migrate_home(archive, url, folder / "server")
    with migrated:
        audit_rows = migrated.db.execute("SELECT count(*) FROM audit").fetchone()[0]
        result = backup(migrated, folder / "backup.tar.gz")
        assert result.documents == 3 and not result.problems
    return {"file": folder / "backup.tar.gz", "url": url, "audit": audit_rows}


def test_a_server_backup_holds_its_records_as_sqlite_and_restores_into_an_embedded_home(server_backup, tmp_path):
    with tarfile.open(server_backup["file"]) as tar:
        names = tar.getnames()
    assert names[:2] == ["backup.json", "archive.sqlite"]
    result = run(tmp_path, "restore", server_backup["file"], "--home", tmp_path / "restored", "--json")
    assert result.exit_code == 0, result.output
    with Archive.open(tmp_path / "restored") as archive:
        assert archive.db.kind == "sqlite" and verify(archive).ok
        assert archive.config.database is None  # not the server home's database
        assert archive.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
        assert archive.db.execute("SELECT count(*) FROM audit").fetchone()[0] == server_backup["audit"] + 1  # + restore


def test_restore_with_database_makes_a_server_home_in_another_database(server_backup, postgres_url, tmp_path):
    result = run(tmp_path, "restore", server_backup["file"], "--home", tmp_path / "restored",
                 "--database", postgres_url, "--json")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "restored" / "archive.sqlite").exists()
    with Archive.open(tmp_path / "restored") as archive:
        assert archive.db.kind == "postgresql" and archive.config.database == postgres_url
        assert verify(archive).ok and archive.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
        assert issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 3, 6), pdf=False).record.number == 4
    import psycopg

    with psycopg.connect(server_backup["url"]) as original:  # the server home's own database is untouched
        assert original.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
    assert run(tmp_path, "restore", server_backup["file"], "--home", tmp_path / "again", "--database",
               postgres_url).exit_code == 2  # not an empty database
    assert not (tmp_path / "again").exists()


def test_restore_into_postgresql_that_fails_leaves_nothing(server_backup, postgres_url, tmp_path, monkeypatch):
    import importlib

    backup_module = importlib.import_module("archive.backup")

    def broken_verify(_archive):  # a failure after the rows are in (the server gone, a full disk...)
        raise ArchiveError("the server went away")

    monkeypatch.setattr(backup_module, "verify", broken_verify)
    with pytest.raises(ArchiveError, match="went away"):
        restore(server_backup["file"], tmp_path / "restored", database=postgres_url)
    assert tables_in(postgres_url) == [] and not (tmp_path / "restored").exists()

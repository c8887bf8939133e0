"""The index follows the archive's change log: issue never touches it and the next search
finds what was issued; rebuild equals catching up; check tells pending changes from wrong
entries; a busy index answers at once; a killed catch-up loses nothing; clerks issuing while
others search in separate processes lose no index entry."""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from archive import Archive, issue_document, revoke
from cli import cli
from index import Filters, SearchIndex, catch_up, check, import_files, pending, position, rebuild, search_archive
from index.store import VERSION_FILE
from index.writer import IndexBusy, acquire

from .conftest import AGENCY, ROOT, undo_signing_migration
from .test_index_search import example, letter, seeds

QUERIES = ["thi đua", "khen thuong", "1140/SGD&ĐT-VP", "01/KH-SGDĐT", '"dạy và học"', "Nguyễn Mai Phương",
           "18/09/2017", "giáo viên"]


def issue(archive, kind, data, date):
    return issue_document(archive, kind, data, date=dt.date.fromisoformat(date), pdf=False)


@pytest.fixture
def archive(tmp_path):
    with Archive.init(tmp_path / "home", AGENCY) as opened:
        yield opened


def seeded(archive):
    issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05")
    issue(archive, "cong_van", example("cong_van"), "2025-01-06")
    issue(archive, "quyet_dinh_khen_thuong", example("quyet_dinh_khen_thuong"), "2025-01-07")
    issue(archive, "cong_van", letter("chi tiền thưởng", "Chi tiền thưởng cho giáo viên.", secrecy="MẬT"), "2025-01-08")
    import_files(archive, [seeds() / "002_8eeca81917f3b8cf.txt", seeds() / "000_7a1e7a67a9ad9d1a.txt"])


def snapshot(archive) -> dict:
    """What a user can observe of the index: the entries, and the answers to a set of queries."""
    index = SearchIndex.of_archive(archive)
    answers = {}
    for query in QUERIES:
        results = index.search(query, limit=50, include_secret=True)
        # Scores are left out: deleted entries weigh in Tantivy's statistics until segments merge.
        answers[query] = [(h.key, h.number_symbol, h.subject, h.date, h.status, h.snippet)
                          for h in results.hits] + [results.by_kind, results.by_year]
    return {"fingerprints": index.fingerprints(), "answers": answers}


def test_issue_then_search_finds_it_without_any_index_call(archive):
    record = issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05").record
    assert "1" not in SearchIndex.of_archive(archive).fingerprints()  # issue did not touch the index
    assert pending(archive) >= 1
    hits = search_archive(archive, "01/KH-SGD&ĐT").hits
    assert hits[0].key == str(record.id) and hits[0].subject == record.subject
    assert pending(archive) == 0 and check(archive).ok
    statements = []
    archive.db.connection.set_trace_callback(statements.append)
    assert catch_up(archive).applied == 0
    archive.db.connection.set_trace_callback(None)
    assert len(statements) == 1  # nothing new costs one query


def test_rebuild_equals_incremental_index(archive):
    seeded(archive)
    revoke(archive, 2, by=3)
    catch_up(archive)
    incremental = snapshot(archive)
    assert check(archive).ok
    assert rebuild(archive) == 6
    assert snapshot(archive) == incremental
    report = check(archive)
    assert report.ok and report.pending == 0 and report.applied == report.log_end


def test_an_index_of_another_version_is_rebuilt_by_the_next_search(archive):
    seeded(archive)
    catch_up(archive)
    (archive.home / "index" / VERSION_FILE).write_text(json.dumps({"schema_version": 0}))
    report = check(archive)
    assert report.pending == report.log_end and report.applied == 0  # nothing in it is trusted
    issued = issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-09")
    assert not issued.warnings  # issue never touches the index, usable or not
    assert search_archive(archive, "1140 sgddt vp").hits[0].number_symbol == "1140/SGD&ĐT-VP"
    assert search_archive(archive, issued.record.number_symbol).hits[0].key == str(issued.record.id)
    assert check(archive).ok and pending(archive) == 0


def test_check_tells_pending_changes_from_wrong_entries(archive):
    seeded(archive)
    catch_up(archive)
    SearchIndex.of_archive(archive).remove(["1", "i2"])  # behind the log's back: wrong entries
    revoke(archive, 2, by=3)  # recorded in the log, not applied yet: pending
    report = check(archive)
    assert report.missing == ["1", "i2"] and report.stale == [] and report.pending == 1 and not report.ok
    catch_up(archive)
    report = check(archive)
    assert report.missing == ["1", "i2"] and report.pending == 0 and not report.ok
    rebuild(archive)
    assert check(archive).ok
    assert search_archive(archive, "", filters=None, limit=50).total == 5  # the secret one hidden


def test_index_check_command_reports_pending_changes(archive):
    seeded(archive)
    catch_up(archive)
    revoke(archive, 2, by=3)
    issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-09")
    result = CliRunner().invoke(cli, ["--home", str(archive.home), "index", "check"])
    assert result.exit_code == 0, result.output
    assert "2 change(s) pending" in result.output and "no entry is wrong" in result.output
    report = json.loads(CliRunner().invoke(cli, ["--home", str(archive.home), "index", "check", "--json"]).stdout)
    assert report["pending"] == 2 and report["applied"] == report["log_end"] - 2 and report["ok"]
    updated = CliRunner().invoke(cli, ["--home", str(archive.home), "index", "update", "--json"])
    assert updated.exit_code == 0 and json.loads(updated.stdout)["applied"] == 2
    result = CliRunner().invoke(cli, ["--home", str(archive.home), "index", "check"])
    assert result.exit_code == 0 and "pending" not in result.output and "up to date" in result.output


def test_a_search_that_finds_the_index_busy_answers_at_once_and_says_how_many_are_pending(archive):
    issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05")
    catch_up(archive)
    issue(archive, "cong_van", example("cong_van"), "2025-01-06")
    issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-07")
    with position.following(archive.home / "index", wait=True):  # another process applying changes
        started = time.monotonic()
        results = search_archive(archive, "01/KH-SGD&ĐT")
        assert time.monotonic() - started < 5
    assert results.hits[0].key == "1"
    assert any("2 change(s)" in notice and "not searchable yet" in notice for notice in results.notices)
    assert search_archive(archive, "03/KH-SGD&ĐT").hits[0].key == "3"


# A catch-up in its own process, slowed down inside its second commit so that the test can
# kill it there: the first batch is committed and its position written, the second is not.
CATCHING_UP = """
import sys, time
sys.path.insert(0, {root!r})
from archive import Archive
from index import follow, source
home = sys.argv[1]
follow.BATCH = 3
read = source.ArchiveSource.entry
count = [0]
def slow_entry(self, key):
    count[0] += 1
    if count[0] == 5:
        print("inside the second batch", flush=True)
        time.sleep(60)
    return read(self, key)
source.ArchiveSource.entry = slow_entry
with Archive.open(home) as archive:
    follow.catch_up(archive)
""".format(root=str(ROOT))


def test_a_catch_up_killed_midway_loses_nothing(archive):
    issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05")
    catch_up(archive)
    for day in range(6, 14):
        issue(archive, "cong_van", letter(f"tập huấn bơi lội đợt {day}", f"Tập huấn bơi lội an toàn đợt {day}."), f"2025-01-{day:02d}")
    end = archive.change_log_end().position
    proc = subprocess.Popen([sys.executable, "-c", CATCHING_UP, str(archive.home)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "inside the second batch", proc.stderr.read()
        assert position.read(archive.home / "index").position == end - 5  # the first batch is in
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert pending(archive) == 5
    hits = search_archive(archive, "tập huấn bơi lội", filters=Filters(kind="cong_van"), limit=50).hits
    assert sorted(int(h.key) for h in hits) == list(range(2, 10))
    assert pending(archive) == 0 and check(archive).ok


def test_an_old_archive_is_migrated_and_its_index_reconciled_without_a_rebuild(archive):
    seeded(archive)
    catch_up(archive)
    # As an archive made before the change log: no log, and an index kept up to date by issue.
    archive.db.execute("BEGIN IMMEDIATE")
    undo_signing_migration(archive.db)
    archive.db.execute("DROP TABLE changes")
    archive.db.execute("DROP TABLE change_log")
    archive.db.execute("DROP TABLE copies")
    archive.db.execute("DROP TABLE tokens")
    archive.db.execute("DROP TABLE users")
    archive.db.execute("PRAGMA user_version = 3")
    archive.db.execute("COMMIT")
    (archive.home / "index" / position.POSITION_FILE).unlink()
    with Archive.open(archive.home) as upgraded:
        assert [c.action for c in upgraded.changes_since(0)] == ["migration"]
        state = catch_up(upgraded)
        assert state.position == upgraded.change_log_end().position
        assert search_archive(upgraded, "1140 sgddt vp").hits[0].key == "i1"
        assert check(upgraded).ok


def test_a_writer_waits_for_the_lock_and_gives_up_clearly(archive):
    index = SearchIndex.of_archive(archive)
    holder = index.ix.writer()
    try:
        with pytest.raises(ValueError, match="LockBusy"):
            index.ix.writer()  # Tantivy alone refuses at once
        started = time.monotonic()
        with pytest.raises(IndexBusy, match="locked"):
            acquire(index.ix, timeout=0.3)
        assert time.monotonic() - started >= 0.3
    finally:
        holder.wait_merging_threads()  # releases the lock
    acquire(index.ix, timeout=1).wait_merging_threads()


# Clerks issuing at once while others search: each process issues (or searches) COUNT times.
CLERK = """
import datetime as dt, json, os, sys, time
sys.path.insert(0, {root!r})
from archive import Archive, issue_document
from index import search_archive
home, role, count, start, data = sys.argv[1:6]
with Archive.open(home) as archive:
    print("ready", flush=True)
    while not os.path.exists(start):
        time.sleep(0.002)
    for n in range(int(count)):
        if role == "issue":
            issued = issue_document(archive, "cong_van", json.loads(data), date=dt.date(2025, 3, 2), pdf=False)
            assert not issued.warnings, issued.warnings
            print(issued.record.id, flush=True)
        else:
            search_archive(archive, "hội thi giáo viên dạy giỏi")
""".format(root=str(ROOT))


@pytest.mark.parametrize("database", ["sqlite", "postgres"], indirect=True)
def test_searches_running_while_clerks_issue_lose_no_index_entry(tmp_path, database):
    with Archive.init(tmp_path / "home", AGENCY, database=database) as archive:
        start = tmp_path / "start"
        data = json.dumps(letter("hướng dẫn tổ chức hội thi", "Hướng dẫn tổ chức hội thi giáo viên dạy giỏi."),
                          default=str)
        roles = ["issue"] * 3 + ["search"] * 2
        clerks = [subprocess.Popen([sys.executable, "-c", CLERK, str(archive.home), role, "8", str(start), data],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for role in roles]
        for clerk in clerks:
            assert clerk.stdout.readline().strip() == "ready", clerk.stderr.read()
        start.touch()
        issued = []
        for clerk in clerks:
            out, err = clerk.communicate(timeout=180)
            assert clerk.returncode == 0, err
            issued += out.split()
        assert len(issued) == 24
        hits = search_archive(archive, "hội thi giáo viên dạy giỏi", limit=100).hits
        assert sorted(h.key for h in hits) == sorted(issued)
        report = check(archive)
        assert report.ok and report.pending == 0, report


def test_a_restored_home_searches_at_once_and_never_trusts_an_index_carried_over(archive, tmp_path):
    def search(home, query):
        result = CliRunner().invoke(cli, ["--home", str(home), "search", query, "--json"])
        assert result.exit_code == 0, result.output
        return [hit["number_symbol"] for hit in json.loads(result.stdout)]

    issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05")
    issue(archive, "cong_van", example("cong_van"), "2025-01-06")
    assert search(archive.home, "01/KH-SGD&ĐT") == ["01/KH-SGD&ĐT"]
    saved = tmp_path / "backup.tar.gz"
    assert CliRunner().invoke(cli, ["--home", str(archive.home), "backup", "-o", str(saved)]).exit_code == 0
    later = issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-07").record
    assert search(archive.home, later.number_symbol)[0] == later.number_symbol

    restored = tmp_path / "restored"
    result = CliRunner().invoke(cli, ["restore", str(saved), "--home", str(restored)])
    assert result.exit_code == 0, result.output
    assert search(restored, "01/KH-SGD&ĐT") == ["01/KH-SGD&ĐT"]  # no `index rebuild` needed
    assert search(restored, "02/SGD&ĐT-VP")[0] == "02/SGD&ĐT-VP"

    # The original home's index (which holds the later document) copied over the restored one's.
    shutil.rmtree(restored / "index")
    shutil.copytree(archive.home / "index", restored / "index")
    assert later.number_symbol not in search(restored, later.number_symbol)
    result = CliRunner().invoke(cli, ["--home", str(restored), "index", "check"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_a_search_with_many_changes_pending_shows_a_progress_bar_on_a_terminal(archive):
    issue(archive, "ke_hoach", example("ke_hoach"), "2025-03-01")
    catch_up(archive)
    for number in range(1, 61):
        issue(archive, "cong_van", letter(f"tập huấn đợt {number}", "Tập huấn giáo viên."), "2025-03-02")
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.cli()", "--home", str(archive.home), "search",
                             "tập huấn", "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    out, _ = proc.communicate(timeout=120)
    os.close(controller)
    assert proc.returncode == 0
    assert b"Updating the index" in shown and b"/60" in shown
    assert len(json.loads(out)) == 20


def test_each_node_keeps_its_own_index_where_docgen_index_says(archive, tmp_path, monkeypatch):
    """DOCGEN_INDEX names a node's own index (a local disk), private, used by search, update,
    rebuild and check alike; each node catches up from the archive's log by itself."""
    record = issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05").record
    shutil.rmtree(archive.home / "index")
    nodes = [tmp_path / "node1" / "index", tmp_path / "node2" / "index"]
    monkeypatch.setenv("DOCGEN_INDEX", str(nodes[0]))
    assert search_archive(archive, "01/KH-SGD&ĐT").hits[0].key == str(record.id)
    assert (nodes[0] / VERSION_FILE).is_file() and nodes[0].stat().st_mode & 0o777 == 0o700
    assert not nodes[1].exists() and not (archive.home / "index").exists()  # the home's stays unused
    later = issue(archive, "cong_van", example("cong_van"), "2025-01-06").record
    monkeypatch.setenv("DOCGEN_INDEX", str(nodes[1]))
    nodes[1].mkdir(parents=True, mode=0o755)  # made by an administrator: docgen keeps it private
    result = CliRunner().invoke(cli, ["--home", str(archive.home), "search", later.number_symbol, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["id"] == later.id
    assert nodes[1].stat().st_mode & 0o777 == 0o700
    rebuilt = json.loads(CliRunner().invoke(cli, ["--home", str(archive.home), "index", "rebuild", "--json"]).stdout)
    assert rebuilt["index"] == str(nodes[1]) and rebuilt["indexed"] == 2
    monkeypatch.setenv("DOCGEN_INDEX", str(nodes[0]))
    assert pending(archive) == 1 and not check(archive).missing  # node 1 has not seen the letter yet
    assert search_archive(archive, later.number_symbol).hits[0].key == str(later.id)
    assert not any((archive.home / "index").iterdir())
    monkeypatch.setenv("DOCGEN_INDEX", str(tmp_path / "a-file"))
    (tmp_path / "a-file").write_text("not a folder")
    result = CliRunner().invoke(cli, ["--home", str(archive.home), "search", "thi đua"])
    assert result.exit_code == 2 and "a-file" in result.output and "DOCGEN_INDEX" in result.output

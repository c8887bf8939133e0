"""The index kept in step with the archive: issue indexes, rebuild equals incremental, check
finds gaps and stale entries, a failed indexing never undoes an issue, and clerks issuing
at once in separate processes lose no index entry to Tantivy's lock."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time

import pytest
from archive import Archive, issue_document, revoke
from index import SearchIndex, check, import_files, rebuild
from index.store import VERSION_FILE
from index.writer import IndexBusy, acquire

from .conftest import AGENCY, ROOT
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


def test_issue_indexes_the_new_document(archive):
    record = issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05").record
    hits = SearchIndex.of_archive(archive).search("01/KH-SGD&ĐT").hits
    assert hits[0].key == str(record.id) and hits[0].subject == record.subject
    assert check(archive).ok


def test_rebuild_equals_incremental_index(archive):
    seeded(archive)
    revoke(archive, 2, by=3)
    incremental = snapshot(archive)
    assert check(archive).ok
    assert rebuild(archive) == 6
    assert snapshot(archive) == incremental
    assert check(archive).ok


def test_rebuild_replaces_an_index_of_another_version(archive):
    seeded(archive)
    (archive.home / "index" / VERSION_FILE).write_text(json.dumps({"schema_version": 0}))
    report = check(archive)
    assert not report.ok and "rebuild" in report.problem
    rebuild(archive)
    assert check(archive).ok
    assert SearchIndex.of_archive(archive).search("1140 sgddt vp").hits[0].number_symbol == "1140/SGD&ĐT-VP"


def test_check_reports_missing_and_stale_entries(archive):
    seeded(archive)
    index = SearchIndex.of_archive(archive)
    index.remove(["1", "i2"])
    archive.indexer = None  # a change the index is not told of
    revoke(archive, 2, by=3)
    report = check(archive)
    assert report.missing == ["1", "i2"] and report.stale == ["2"] and not report.ok
    rebuild(archive)
    assert check(archive).ok
    assert SearchIndex.of_archive(archive).search("", filters=None, limit=50).total == 5  # the secret one hidden


def test_a_failed_indexing_leaves_the_issue_standing_and_check_reports_it(archive):
    issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05")
    (archive.home / "index" / VERSION_FILE).write_text("not json")  # the index is unusable
    issued = issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-06")
    assert issued.record.number == 2  # issued, numbered, stored
    assert any("search index" in w and "rebuild" in w for w in issued.warnings)
    report = check(archive)
    assert not report.ok and report.problem
    rebuild(archive)
    assert check(archive).ok


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


# Clerks issuing at once: each process issues COUNT letters, the index hooked in as always.
CLERK = """
import datetime as dt, json, os, sys, time
sys.path.insert(0, {root!r})
from archive import Archive, issue_document
home, count, start, data = sys.argv[1:5]
with Archive.open(home) as archive:
    print("ready", flush=True)
    while not os.path.exists(start):
        time.sleep(0.002)
    for n in range(int(count)):
        issued = issue_document(archive, "cong_van", json.loads(data), date=dt.date(2025, 3, 2), pdf=False)
        assert not issued.warnings, issued.warnings
        print(issued.record.id, flush=True)
""".format(root=str(ROOT))


def test_concurrent_issuers_lose_no_index_entry(archive, tmp_path):
    start = tmp_path / "start"
    data = json.dumps(letter("hướng dẫn tổ chức hội thi", "Hướng dẫn tổ chức hội thi giáo viên dạy giỏi."),
                      default=str)
    clerks = [subprocess.Popen([sys.executable, "-c", CLERK, str(archive.home), "6", str(start), data],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for clerk in clerks:
        assert clerk.stdout.readline().strip() == "ready", clerk.stderr.read()
    # The test holds the index's write lock as the clerks start: they must wait, not fail.
    index = SearchIndex.of_archive(archive)
    holder = index.ix.writer()
    start.touch()
    time.sleep(1.0)
    holder.wait_merging_threads()  # releases the lock
    issued = []
    for clerk in clerks:
        out, err = clerk.communicate(timeout=180)
        assert clerk.returncode == 0, err
        issued += out.split()
    assert len(issued) == 24
    report = check(archive)
    assert report.ok, report
    hits = SearchIndex.of_archive(archive).search("hội thi giáo viên dạy giỏi", limit=100).hits
    assert sorted(h.key for h in hits) == sorted(issued)

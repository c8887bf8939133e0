"""The archive under real processes: clerks issuing at once, machines dying mid-issue,
backups taken while others issue."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from archive import Archive, backup, issue_document, restore, verify
from archive.register import NumberRegister

from .conftest import AGENCY, ROOT
from .test_archive import DATA

# One clerk: opens the home, waits for the start signal, issues COUNT plans dated DATE
# (COUNT 0: until killed), printing each number as it is committed.
CLERK = """
import datetime as dt, json, os, sys, time
sys.path.insert(0, {root!r})
from archive import Archive, issue_document
home, count, date, actor, start, data = sys.argv[1:7]
data = json.loads(data)
with Archive.open(home) as archive:
    print("ready", flush=True)
    while not os.path.exists(start):
        time.sleep(0.002)
    issued = 0
    while int(count) == 0 or issued < int(count):
        record = issue_document(archive, "ke_hoach", data, date=dt.date.fromisoformat(date), pdf=False,
                                actor=actor).record
        issued += 1
        print(record.number, flush=True)
""".format(root=str(ROOT))


def start_clerk(home, count, actor, start, date="2025-03-02"):
    proc = subprocess.Popen([sys.executable, "-c", CLERK, str(home), str(count), date, actor, str(start),
                             json.dumps(DATA)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def finish(proc, timeout=60):
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return [int(line) for line in out.split()]


@pytest.fixture
def home(tmp_path):
    Archive.init(tmp_path / "home", AGENCY).close()
    return tmp_path / "home"


def assert_every_file_hashes_right(archive):
    rows = archive.db.execute("SELECT sha256, size FROM files").fetchall()
    for row in rows:
        data = archive.store.path(row["sha256"]).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (row["sha256"], row["size"])
    return len(rows)


def test_four_clerks_issuing_25_each_at_once_get_01_to_100(tmp_path, database):
    Archive.init(tmp_path / "home", AGENCY, database=database).close()
    home = tmp_path / "home"
    start = tmp_path / "start"
    clerks = [start_clerk(home, 25, f"clerk-{i}", start) for i in range(4)]
    start.touch()
    got = [finish(proc) for proc in clerks]

    assert sorted(n for numbers in got for n in numbers) == list(range(1, 101))
    for numbers in got:
        assert len(numbers) == 25 and numbers == sorted(numbers)
    with Archive.open(home) as archive:
        assert NumberRegister.numbers(archive.db) == {("chung", 2025): list(range(1, 101))}
        assert assert_every_file_hashes_right(archive) == 100
        assert os.listdir(archive.store.staging) == []
        report = verify(archive)
        assert report.ok and not report.warnings and report.files == 100
        issued_by = [r[0] for r in archive.db.execute("SELECT issued_by FROM documents ORDER BY number")]
    assert sorted(issued_by) == sorted(f"clerk-{i}" for i in range(4) for _ in range(25))
    # Writers take turns (archive.home's queue): no clerk waits behind two others' whole batches.
    assert set(issued_by[:50]) == {f"clerk-{i}" for i in range(4)}


def test_clerks_killed_at_random_moments_leave_a_clean_archive(home, tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    confirmed = 0
    for round_ in range(10):
        start = tmp_path / f"start-{round_}"
        proc = start_clerk(home, 0, "doomed", start)
        start.touch()
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        confirmed += len(out.split())
        with Archive.open(home) as archive:  # opening finishes or undoes the interrupted issue
            report = verify(archive)
            assert report.ok, (seed, round_, report.problems)
            assert os.listdir(archive.store.staging) == []
            count = archive.db.execute("SELECT count(*) FROM documents").fetchone()[0]
            # Every number the clerk saw committed is there; at most one more committed unseen.
            assert confirmed <= count <= confirmed + 1, seed
            confirmed = count
    with Archive.open(home) as archive:
        after = issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 3, 2), pdf=False)
        assert after.record.number == confirmed + 1, seed
        assert NumberRegister.numbers(archive.db) == {("chung", 2025): list(range(1, confirmed + 2))}
        assert assert_every_file_hashes_right(archive) == confirmed + 1


def test_backups_taken_while_clerks_issue_restore_to_clean_homes(home, tmp_path):
    start = tmp_path / "start"
    clerks = [start_clerk(home, 30, f"clerk-{i}", start) for i in range(2)]
    start.touch()
    taken = []
    with Archive.open(home) as archive:
        while any(proc.poll() is None for proc in clerks) or not taken:
            result = backup(archive, tmp_path / f"backup-{len(taken)}.tar.gz", actor="backup-job")
            assert result.problems == []
            taken.append(result)
    for proc in clerks:
        finish(proc)
    assert any(0 < b.documents < 60 for b in taken), [b.documents for b in taken]  # one caught them mid-way

    for index, result in enumerate(taken):
        restored, report = restore(result.path, tmp_path / f"restored-{index}")
        with restored:
            assert report.ok, report.problems
            assert report.documents == result.documents
            numbers = NumberRegister.numbers(restored.db).get(("chung", 2025), [])
            assert numbers == list(range(1, result.documents + 1))
            # The restored home goes on issuing from the next number.
            issued = issue_document(restored, "ke_hoach", DATA, date=dt.date(2025, 3, 2),
                                    pdf=False)
            assert issued.record.number == result.documents + 1
    with Archive.open(home) as archive:
        actions = [r[0] for r in archive.db.execute("SELECT action FROM audit WHERE actor = 'backup-job'")]
        assert actions == ["backup"] * len(taken)


LOCK_PROBE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    # SQLite's SHARED byte range (os_unix.c: SHARED_FIRST = PENDING_BYTE + 2, SHARED_SIZE = 510)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002, 0)
except OSError:
    print("held")
else:
    print("free")
"""


def test_opening_the_archive_again_keeps_the_locks_this_process_holds(home):
    """docgen serve opens the archive once per request in a worker: a second open must not drop the
    locks of the first connection, or another process closing its own connection thinks it is the
    last one, checkpoints and deletes the WAL under ours, and the database ends up malformed."""
    first = Archive.open(home)
    try:
        first.db.execute("SELECT count(*) FROM documents").fetchone()
        probe = [sys.executable, "-c", LOCK_PROBE, str(home / "archive.sqlite")]
        assert subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip() == "held"
        Archive.open(home).close()
        assert subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip() == "held"
    finally:
        first.close()

"""Server mode with several nodes: processes sharing one home folder and one PostgreSQL database,
each node with its own search index (DOCGEN_INDEX); tests/test_server_mode.py covers one server
home itself. Numbers stay 01..N with writers on every node, killed writers leave a clean archive,
a PostgreSQL restart fails only the issues in flight, a document issued on one node is found on
the other, and nodes starting at once recover staged files without touching another node's issue
in progress, and share one session key."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from archive import Archive, issue_document, verify
from archive.register import NumberRegister
from index import SearchIndex, check, pending, search_archive

from .conftest import AGENCY, ROOT
from .test_archive import DATA

# One writer on a node: opens the home, waits for the start signal, issues COUNT plans (0: until
# killed or until STOP exists), printing each number as it is committed, or `failed MESSAGE`. After a
# failure it opens the home again, as the web service does for its next request.
WRITER = """
import datetime as dt, json, os, sys, time
sys.path.insert(0, {root!r})
from archive import Archive, ArchiveError, issue_document
home, count, actor, start, stop, data = sys.argv[1:7]
data = json.loads(data)
archive = Archive.open(home)
print("ready", flush=True)
while not os.path.exists(start):
    time.sleep(0.002)
issued = 0
while (int(count) == 0 or issued < int(count)) and not os.path.exists(stop):
    try:
        record = issue_document(archive, "ke_hoach", data, date=dt.date(2025, 3, 2), pdf=False, actor=actor).record
    except ArchiveError as exc:
        print("failed", str(exc).replace(chr(10), " "), flush=True)
        archive.close()
        while True:
            try:
                archive = Archive.open(home)
                break
            except ArchiveError:
                time.sleep(0.05)
        continue
    issued += 1
    print(record.number, flush=True)
archive.close()
""".format(root=str(ROOT))

# A node's search loop: catches up with the change log over and over until STOP exists.
FOLLOWER = """
import os, sys, time
sys.path.insert(0, {root!r})
from archive import Archive
from index import catch_up
home, stop = sys.argv[1:3]
with Archive.open(home) as archive:
    print("ready", flush=True)
    while not os.path.exists(stop):
        catch_up(archive, wait=True)
        time.sleep(0.05)
""".format(root=str(ROOT))


def node_env(index_folder):
    return {**os.environ, "DOCGEN_INDEX": str(index_folder)}


def start_writer(home, node, count, actor, start, stop):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(count), actor, str(start), str(stop),
                             json.dumps(DATA)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=node_env(node))
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def outcome(proc, timeout=120):
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    lines = out.splitlines()
    return [int(line) for line in lines if not line.startswith("failed")], [line for line in lines
                                                                             if line.startswith("failed")]


def docgen(home, node, *args):
    return subprocess.run([sys.executable, "-c", "import cli; cli.cli()", "--home", str(home), *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, env=node_env(node), timeout=120)


@pytest.fixture
def server_home(tmp_path, postgres_url):
    Archive.init(tmp_path / "home", AGENCY, database=postgres_url).close()
    return tmp_path / "home"


@pytest.fixture
def nodes(tmp_path):
    return [tmp_path / "node1" / "index", tmp_path / "node2" / "index"]


def test_four_writers_on_two_nodes_number_01_to_100_and_each_node_finds_the_others(server_home, nodes, tmp_path,
                                                                                    monkeypatch):
    start, stop = tmp_path / "start", tmp_path / "stop"
    followers = [subprocess.Popen([sys.executable, "-c", FOLLOWER, str(server_home), str(stop)],
                                  stdout=subprocess.PIPE, text=True, env=node_env(node)) for node in nodes]
    for follower in followers:
        assert follower.stdout.readline().strip() == "ready"
    writers = [start_writer(server_home, nodes[i % 2], 25, f"node{i % 2 + 1}-clerk{i}", start, stop)
               for i in range(4)]
    start.touch()
    got = [outcome(proc)[0] for proc in writers]
    stop.touch()
    for follower in followers:
        follower.wait(timeout=60)
        assert follower.returncode == 0

    assert sorted(n for numbers in got for n in numbers) == list(range(1, 101))
    assert all(len(numbers) == 25 and numbers == sorted(numbers) for numbers in got)
    with Archive.open(server_home) as archive:
        assert NumberRegister.numbers(archive.db) == {("chung", 2025): list(range(1, 101))}
        report = verify(archive)
        assert report.ok and report.files == 100, report.problems
        by_node = dict(archive.db.execute("SELECT number, issued_by FROM documents").fetchall())
        # Each node followed the log while the others wrote: nothing it applied was skipped (the log's
        # positions commit in order), and what the other node issued is found on it.
        for node, other in ((nodes[0], "node2"), (nodes[1], "node1")):
            monkeypatch.setenv("DOCGEN_INDEX", str(node))
            assert pending(archive) <= 100 and check(archive).ok
            number = max(n for n, actor in by_node.items() if actor.startswith(other))
            hits = search_archive(archive, f"{number:02d}/KH-SGD&ĐT").hits
            assert hits[0].number_symbol == f"{number:02d}/KH-SGD&ĐT"
            assert check(archive).ok and SearchIndex(node).count() == 100 and pending(archive) == 0
    assert not (server_home / "index" / "version.json").exists()  # no node used the home's folder


def test_a_document_issued_on_node_1_is_found_by_a_search_on_node_2(server_home, nodes):
    for node in nodes:  # both nodes have their index, up to date
        assert docgen(server_home, node, "index", "update").returncode == 0
    issued = docgen(server_home, nodes[0], "issue", "ke_hoach", ROOT / "examples" / "ke_hoach.yaml", "--no-pdf",
                    "--json")
    assert issued.returncode == 0, issued.stderr
    number_symbol = json.loads(issued.stdout)["number_symbol"]
    found = docgen(server_home, nodes[1], "search", number_symbol, "--json")
    assert found.returncode == 0, found.stderr
    assert [hit["number_symbol"] for hit in json.loads(found.stdout)][:1] == [number_symbol]


def test_writers_killed_at_random_leave_a_clean_archive_and_the_next_number_is_the_next_free(server_home, nodes,
                                                                                             tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for round_ in range(3):
        start, stop = tmp_path / f"start-{round_}", tmp_path / f"stop-{round_}"
        writers = [start_writer(server_home, nodes[i], 0, f"doomed-{i}", start, stop) for i in range(2)]
        start.touch()
        time.sleep(rng.uniform(0.05, 0.4))
        for proc in writers:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
            assert proc.returncode == -signal.SIGKILL
    with Archive.open(server_home) as archive:
        report = verify(archive)
        assert report.ok, (seed, report.problems)
        count = archive.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert NumberRegister.numbers(archive.db) == ({("chung", 2025): list(range(1, count + 1))} if count else {})
        after = issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 3, 2), pdf=False)
        assert after.record.number == count + 1, seed
        assert os.listdir(archive.store.staging) == []


def test_postgres_restarted_in_a_run_fails_only_the_issues_in_flight(tmp_path, nodes):
    from tests.postgres import running_cluster

    with running_cluster(durable=True) as cluster:
        home = tmp_path / "home"
        Archive.init(home, AGENCY, database=cluster.create_database()).close()
        start, stop = tmp_path / "start", tmp_path / "stop"
        writers = [start_writer(home, nodes[i % 2], 0, f"clerk-{i}", start, stop) for i in range(2)]
        start.touch()
        time.sleep(0.5)
        cluster.stop("fast")  # in-flight issues lose their connection
        time.sleep(0.3)
        cluster.start()
        time.sleep(1.0)
        stop.touch()
        results = [outcome(proc) for proc in writers]
        numbers = sorted(n for got, _ in results for n in got)
        failures = [line for _, failed in results for line in failed]
        # An issue in flight fails saying nothing was issued; one begun while the server was down
        # cannot connect; none takes a number.
        assert failures and all("nothing was issued" in line or "cannot connect to the database server" in line
                                for line in failures), failures
        assert numbers == list(range(1, len(numbers) + 1))  # no number taken by a failed issue
        with Archive.open(home) as archive:
            last_before_restart = numbers[-1]
            assert NumberRegister.numbers(archive.db) == {("chung", 2025): numbers}
            assert verify(archive).ok
            after = issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 3, 2), pdf=False)
            assert after.record.number == last_before_restart + 1


def test_nodes_starting_at_once_recover_staged_files_without_touching_an_issue_in_progress(server_home, nodes,
                                                                                          tmp_path):
    with Archive.open(server_home) as archive:
        first = issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 3, 2), pdf=False).record
        sha = first.files["docx"].sha256
        os.replace(archive.store.path(sha), archive.store.staged_path(sha))  # committed, then the node died
        orphan = archive.store.stage(b"a crashed writer's file, never committed")
    start, stop = tmp_path / "start", tmp_path / "stop"
    writer = start_writer(server_home, nodes[0], 0, "busy", start, stop)  # issuing all along
    start.touch()
    openers = [subprocess.Popen([sys.executable, "-c", "import sys; from archive import Archive; "
                                 "Archive.open(sys.argv[1]).close()", str(server_home)], cwd=ROOT,
                                env=node_env(nodes[i % 2]), stderr=subprocess.PIPE, text=True) for i in range(6)]
    for opener in openers:
        _, err = opener.communicate(timeout=60)
        assert opener.returncode == 0, err
    time.sleep(0.2)
    stop.touch()
    numbers, failures = outcome(writer)
    assert not failures and numbers
    with Archive.open(server_home) as archive:
        assert archive.store.path(sha).is_file() and not archive.store.staged_path(orphan).exists()
        report = verify(archive)
        assert report.ok and report.files == 1 + len(numbers), report.problems


def test_nodes_starting_at_once_share_one_whole_session_key(server_home):
    """Each node's `docgen serve` makes the home's web.key if missing: all read the same 32 bytes."""
    starts = [subprocess.Popen([sys.executable, "-c", "import sys; from web.app import prepare_home; "
                                "sys.stdout.write(prepare_home(sys.argv[1]).hex())", str(server_home)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    keys = []
    for start in starts:
        out, err = start.communicate(timeout=60)
        assert start.returncode == 0, err
        keys.append(out)
    assert len(set(keys)) == 1 and len(bytes.fromhex(keys[0])) == 32
    assert (server_home / "web.key").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in server_home.iterdir() if p.name.startswith(".")) == []

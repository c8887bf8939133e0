"""Issuing and the archive: latency, concurrent throughput, PDF, verify at 10,000 documents, and
server mode (PostgreSQL) beside SQLite with 1, 4 and 8 writers (`python -m bench.issue server`
runs only those).

Targets (issue 3): an issue without PDF under 100 ms including render; `verify` of 10,000
documents under 20 s. Every figure is measured on a real archive home in a temporary
folder (SQLite in WAL mode with synchronous=FULL, fsync on every stored file). Issuing never
touches the search index (it follows the archive's change log): the cost of indexing one
issued document is measured where it is paid, in the next search, which catches up first.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive import Archive, issue_document, verify
from archive import audit
from docgen.catalog import EXAMPLES_DIR
from index import catch_up, search_archive

from . import median, p95, report, timed

ROOT = Path(__file__).resolve().parent.parent
AGENCY = EXAMPLES_DIR / "agency.yaml"
PLAN = EXAMPLES_DIR / "ke_hoach.yaml"
DATE = dt.date(2025, 3, 2)
LATENCY_REPEAT = 60
PDF_REPEAT = 5
WRITERS, PER_WRITER = 4, 25
# Server mode beside SQLite: this many issues in all, shared by 1, 4 and 8 writer processes.
SERVER_WRITERS, SERVER_ISSUES = (1, 4, 8), 64
VERIFY_DOCUMENTS = 10_000

# One writer process: prints, per issue, its latency, how long it held the register's lock (from
# taking it, when the next number is read, to the commit; a transaction rolled back because the number
# was taken meanwhile is not counted) and whether it rendered again under it.
WRITER = """
import datetime as dt, os, sys, time
from contextlib import contextmanager
sys.path.insert(0, {root!r})
import archive.issuing as issuing
from archive import Archive, issue_document
home, count, start, plan = sys.argv[1:5]
marks = {{}}
real_writing = Archive.writing

@contextmanager
def writing(self, **options):
    try:
        with real_writing(self, **options) as db:
            yield db
    except BaseException:  # rolled back (the number was taken meanwhile): the lock is let go at once
        marks.pop("taken", None)
        raise
    if "taken" in marks:
        marks["held"] = time.perf_counter() - marks.pop("taken")

Archive.writing = writing
real_render = issuing.render_document

def render_document(*args, **kwargs):  # under the lock only after the number was taken meanwhile three times
    if "taken" in marks:
        marks["again"] = 1
    return real_render(*args, **kwargs)

issuing.render_document = render_document
with Archive.open(home) as archive:
    real_lock = type(archive.db).lock_register

    def lock_register(self, register, year):
        real_lock(self, register, year)
        if self.in_transaction:  # the preview reads the next number too, without a lock
            marks["taken"] = time.perf_counter()

    type(archive.db).lock_register = lock_register
    print("ready", flush=True)
    while not os.path.exists(start):
        time.sleep(0.001)
    for _ in range(int(count)):
        started = time.perf_counter()
        issue_document(archive, "ke_hoach", plan, date=dt.date(2025, 3, 2), pdf=False)
        print((time.perf_counter() - started) * 1000, marks.pop("held") * 1000, marks.pop("again", 0), flush=True)
""".format(root=str(ROOT))


def new_home(tmp: Path, name: str, database: str | None = None) -> Path:
    Archive.init(tmp / name, AGENCY, database=database).close()
    return tmp / name


def issue_latency(tmp: Path) -> list[float]:
    with Archive.open(new_home(tmp, "latency")) as archive:
        return timed(lambda: issue_document(archive, "ke_hoach", PLAN, date=DATE, pdf=False), LATENCY_REPEAT)


def search_after_issue(tmp: Path) -> tuple[list[float], list[float]]:
    """A search right after an issue (it applies that one change first), and one with nothing new."""
    with Archive.open(new_home(tmp, "search-after-issue")) as archive:
        issue_document(archive, "ke_hoach", PLAN, date=DATE, pdf=False)
        catch_up(archive)
        after, idle = [], []
        for _ in range(LATENCY_REPEAT // 2):
            number_symbol = issue_document(archive, "ke_hoach", PLAN, date=DATE, pdf=False).record.number_symbol
            started = time.perf_counter()
            assert search_archive(archive, number_symbol, limit=1).hits
            after.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            search_archive(archive, number_symbol, limit=1)
            idle.append((time.perf_counter() - started) * 1000)
        return after, idle


def cli_latency(tmp: Path) -> list[float]:
    """`docgen issue --no-pdf` as a clerk runs it: a whole process, Python start-up included."""
    home = new_home(tmp, "cli")
    command = [sys.executable, "-c", "import cli; cli.cli()", "--home", str(home), "issue", "ke_hoach", str(PLAN),
               "--date", DATE.isoformat(), "--no-pdf"]
    return timed(lambda: subprocess.run(command, cwd=ROOT, check=True, capture_output=True), 5)


def throughput(tmp: Path, writers: int, per_writer: int, database: str | None = None,
               name: str = "") -> tuple[float, list[float]]:
    """Documents per second with `writers` processes issuing into one home at once, and the
    latency of each issue as its clerk saw it (waiting for the write lock included)."""
    rate, latencies, _, _ = contended(tmp, writers, per_writer, database, name)
    return rate, latencies


def contended(tmp: Path, writers: int, per_writer: int, database: str | None = None,
              name: str = "") -> tuple[float, list[float], list[float], float]:
    """throughput, how long each issue held its register's lock, and the share of issues that
    rendered again under it (the number taken was not the one the preview was rendered with)."""
    home = new_home(tmp, f"writers-{name}{writers}", database)
    start = tmp / f"start-{name}{writers}"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(per_writer), str(start), str(PLAN)],
                              stdout=subprocess.PIPE, text=True) for _ in range(writers)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    start.touch()
    latencies, held, again = [], [], 0
    for proc in procs:
        for line in proc.stdout.read().splitlines():
            latency, lock, rendered = line.split()
            latencies.append(float(latency))
            held.append(float(lock))
            again += int(rendered)
        proc.wait()
        assert proc.returncode == 0
    elapsed = time.perf_counter() - started
    with Archive.open(home) as archive:
        report_ = verify(archive)
        assert report_.ok and report_.documents == writers * per_writer, report_.problems
    return writers * per_writer / elapsed, latencies, held, again / len(latencies)


def pdf_latency(tmp: Path, warm: bool = False) -> list[float]:
    """An issue with its PDF: LibreOffice started for it, or the warm converter `docgen serve` keeps."""
    from docgen.converter import ENVIRONMENT, WarmConverter

    with Archive.open(new_home(tmp, f"pdf-{'warm' if warm else 'cold'}")) as archive:
        if not warm:
            return timed(lambda: issue_document(archive, "ke_hoach", PLAN, date=DATE, pdf=True), PDF_REPEAT)
        with WarmConverter() as converter:
            os.environ[ENVIRONMENT] = converter.socket
            try:
                return timed(lambda: issue_document(archive, "ke_hoach", PLAN, date=DATE, pdf=True), PDF_REPEAT * 4)
            finally:
                del os.environ[ENVIRONMENT]


def build_large_archive(tmp: Path, count: int) -> tuple[Path, float]:
    """Three real issues, then `count` documents of 2024 cloned from one of them through the
    store API: each row gets its own file (the real DOCX bytes plus a unique trailer, so
    every file is distinct and as large as a real one), staged, committed and published
    exactly as an issue does, 500 to a transaction."""
    home = new_home(tmp, "large")
    started = time.perf_counter()
    with Archive.open(home) as archive:
        for day in (1, 2, 3):
            issue_document(archive, "ke_hoach", PLAN, date=dt.date(2025, 1, day), pdf=False)
        template = dict(archive.db.execute("SELECT * FROM documents WHERE id = 1").fetchone())
        docx = archive.store.read_verified(
            archive.db.execute("SELECT sha256 FROM files WHERE document_id = 1").fetchone()[0])
        first = dt.date(2024, 1, 2)
        for batch_start in range(1, count + 1, 500):
            with archive.writing_files("the bench's documents", "recorded", "nothing was recorded") as (db, stage):
                for number in range(batch_start, min(batch_start + 500, count + 1)):
                    row = {**{k: v for k, v in template.items() if k != "id"}, "year": 2024, "number": number,
                           "number_symbol": f"{number:02d}/{template['symbol']}",
                           "date": (first + dt.timedelta(days=number * 360 // count)).isoformat()}
                    columns = ", ".join(row)
                    document_id = db.execute(f"INSERT INTO documents ({columns}) VALUES ({', '.join('?' * len(row))}) "
                                             "RETURNING id", list(row.values())).fetchone()[0]
                    data = docx + f"\n<!-- bench copy {number} -->".encode()
                    sha = stage(data)
                    db.execute("INSERT INTO files (document_id, role, sha256, size, created_at) "
                               "VALUES (?, 'docx', ?, ?, ?)", (document_id, sha, len(data), audit.now()))
                    audit.record(db, "issue", "bench", document_id, number_symbol=row["number_symbol"])
    return home, time.perf_counter() - started


def verify_times(tmp: Path) -> dict:
    home, build_s = build_large_archive(tmp, VERIFY_DOCUMENTS)
    with Archive.open(home) as archive:
        started = time.perf_counter()
        result = verify(archive)
        library_s = time.perf_counter() - started
    assert result.ok, result.problems[:5]
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", "import cli; cli.cli()", "--home", str(home), "verify", "--json"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    cli_s = time.perf_counter() - started
    checked = json.loads(out)
    return {"documents": checked["documents"], "files": checked["files"], "bytes": checked["bytes_hashed"],
            "library_s": library_s, "cli_s": cli_s, "build_s": build_s}


def server_rows(tmp: Path) -> tuple[list[dict], dict]:
    """Issue p50/p95 and throughput with 1, 4 and 8 writer processes, embedded (SQLite) beside
    server mode (PostgreSQL on this machine, a durable cluster: fsync on, as SQLite's synchronous=FULL),
    and how long each issue holds its register's lock: one register, so 1000 / that mean is the most
    documents a second any number of writers can issue."""
    from tests.postgres import running_cluster

    figures = {}
    with running_cluster(durable=True) as cluster:
        for writers in SERVER_WRITERS:  # the two modes one after the other: under the same load
            for mode in ("SQLite", "PostgreSQL"):
                database = cluster.create_database() if mode == "PostgreSQL" else None
                rate, latencies, held, again = contended(tmp, writers, SERVER_ISSUES // writers, database,
                                                         mode.lower())
                figures[(mode, writers)] = {"docs_per_s": rate, "p50_ms": median(latencies), "p95_ms": p95(latencies),
                                            "lock_held_p50_ms": median(held),
                                            "lock_ceiling_docs_per_s": 1000 / statistics.mean(held),
                                            "rendered_under_lock_pct": 100 * again}
    rows = []
    for writers in SERVER_WRITERS:
        for mode in ("SQLite", "PostgreSQL"):
            got = figures[(mode, writers)]
            rows += [
                {"measure": f"{mode}, {writers} writer(s): issue p50", "value": got["p50_ms"], "unit": "ms",
                 "target": "< 2x SQLite" if mode == "PostgreSQL" else None},
                {"measure": f"{mode}, {writers} writer(s): issue p95", "value": got["p95_ms"], "unit": "ms"},
                {"measure": f"{mode}, {writers} writer(s): throughput", "value": got["docs_per_s"], "unit": "docs/s"},
                {"measure": f"{mode}, {writers} writer(s): register lock held per issue, p50",
                 "value": got["lock_held_p50_ms"], "unit": "ms"},
                {"measure": f"{mode}, {writers} writer(s): most the lock allows (1000 / mean held)",
                 "value": got["lock_ceiling_docs_per_s"], "unit": "docs/s"},
                {"measure": f"{mode}, {writers} writer(s): issues rendered again under the lock",
                 "value": got["rendered_under_lock_pct"], "unit": "%"},
            ]
        rows.append({"measure": f"PostgreSQL / SQLite p50, {writers} writer(s)",
                     "value": figures[("PostgreSQL", writers)]["p50_ms"] / figures[("SQLite", writers)]["p50_ms"],
                     "unit": "x", "target": "< 2"})
    return rows, {f"{mode} {writers}": values for (mode, writers), values in figures.items()}


def main(parts: list[str] | None = None) -> None:
    """All rows (`python -m bench issue`), or only server mode's beside SQLite (`python -m bench.issue server`)."""
    if parts == ["server"]:
        with tempfile.TemporaryDirectory(prefix="docgen-bench-server-") as tmp_name:
            rows, figures = server_rows(Path(tmp_name))
        report("issue-server", rows, ["measure", "value", "unit", "target"], {"server": figures,
                                                                            "cpus": os.cpu_count()})
        return
    with tempfile.TemporaryDirectory(prefix="docgen-bench-issue-") as tmp_name:
        tmp = Path(tmp_name)
        latency = issue_latency(tmp)
        after, idle = search_after_issue(tmp)
        process = cli_latency(tmp)
        one, _ = throughput(tmp, 1, WRITERS * PER_WRITER)
        four, waited = throughput(tmp, WRITERS, PER_WRITER)
        pdf = pdf_latency(tmp)
        warm_pdf = pdf_latency(tmp, warm=True)
        checked = verify_times(tmp)
        server, figures = server_rows(tmp)
    rows = [
        {"measure": "issue, no PDF (library): p50", "value": median(latency), "unit": "ms", "target": "< 100"},
        {"measure": "issue, no PDF (library): p95", "value": p95(latency), "unit": "ms", "target": "< 100"},
        {"measure": "search right after an issue (applies it first): p50", "value": median(after), "unit": "ms"},
        {"measure": "search right after an issue (applies it first): p95", "value": p95(after), "unit": "ms"},
        {"measure": "search with nothing new to apply: p50", "value": median(idle), "unit": "ms"},
        {"measure": "docgen issue --no-pdf (whole process): p50", "value": median(process), "unit": "ms"},
        {"measure": "throughput, 1 writer process", "value": one, "unit": "docs/s"},
        {"measure": f"throughput, {WRITERS} writer processes at once", "value": four, "unit": "docs/s"},
        {"measure": f"issue, no PDF, {WRITERS} writers at once: p50", "value": median(waited), "unit": "ms"},
        {"measure": f"issue, no PDF, {WRITERS} writers at once: p95", "value": p95(waited), "unit": "ms"},
        {"measure": f"issue, no PDF, {WRITERS} writers at once: max", "value": max(waited), "unit": "ms"},
        {"measure": "issue with PDF (library): p50", "value": median(pdf), "unit": "ms"},
        {"measure": "issue with PDF (library): p95", "value": p95(pdf), "unit": "ms"},
        {"measure": "issue with PDF, warm converter (library): p50", "value": median(warm_pdf), "unit": "ms",
         "target": "<= 250"},
        {"measure": "issue with PDF, warm converter (library): p95", "value": p95(warm_pdf), "unit": "ms"},
        {"measure": f"verify, {checked['documents']:,} documents (library)", "value": checked["library_s"],
         "unit": "s", "target": "< 20"},
        {"measure": f"docgen verify, {checked['documents']:,} documents (process)", "value": checked["cli_s"],
         "unit": "s", "target": "< 20"},
        *server,
    ]
    report("issue", rows, ["measure", "value", "unit", "target"], {"verify": checked, "server": figures,
                                                                    "cpus": os.cpu_count()})
    print(f"\nverify archive: 3 real issues, then {VERIFY_DOCUMENTS:,} documents cloned from one of them through "
          f"the store API (each with its own {checked['bytes'] // checked['files']:,}-byte file: the real DOCX "
          f"plus a unique trailer), built in {checked['build_s']:.0f} s; verify re-hashed "
          f"{checked['bytes'] / 1e6:.0f} MB. Machine: {os.cpu_count()} CPU(s).")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Issuing and the archive: latency, concurrent throughput, PDF, verify at 10,000 documents.

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
VERIFY_DOCUMENTS = 10_000

WRITER = """
import datetime as dt, os, sys, time
sys.path.insert(0, {root!r})
from archive import Archive, issue_document
home, count, start, plan = sys.argv[1:5]
with Archive.open(home) as archive:
    print("ready", flush=True)
    while not os.path.exists(start):
        time.sleep(0.001)
    for _ in range(int(count)):
        started = time.perf_counter()
        issue_document(archive, "ke_hoach", plan, date=dt.date(2025, 3, 2), pdf=False)
        print((time.perf_counter() - started) * 1000, flush=True)
""".format(root=str(ROOT))


def new_home(tmp: Path, name: str) -> Path:
    Archive.init(tmp / name, AGENCY).close()
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


def throughput(tmp: Path, writers: int, per_writer: int) -> tuple[float, list[float]]:
    """Documents per second with `writers` processes issuing into one home at once, and the
    latency of each issue as its clerk saw it (waiting for the write lock included)."""
    home = new_home(tmp, f"writers-{writers}")
    start = tmp / f"start-{writers}"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(home), str(per_writer), str(start), str(PLAN)],
                              stdout=subprocess.PIPE, text=True) for _ in range(writers)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    start.touch()
    latencies = []
    for proc in procs:
        latencies += [float(line) for line in proc.stdout.read().split()]
        proc.wait()
        assert proc.returncode == 0
    elapsed = time.perf_counter() - started
    with Archive.open(home) as archive:
        report_ = verify(archive)
        assert report_.ok and report_.documents == writers * per_writer, report_.problems
    return writers * per_writer / elapsed, latencies


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
            staged = []
            with archive.writing() as db:
                for number in range(batch_start, min(batch_start + 500, count + 1)):
                    row = {**template, "id": None, "year": 2024, "number": number,
                           "number_symbol": f"{number:02d}/{template['symbol']}",
                           "date": (first + dt.timedelta(days=number * 360 // count)).isoformat()}
                    columns = ", ".join(row)
                    document_id = db.execute(f"INSERT INTO documents ({columns}) VALUES ({', '.join('?' * len(row))})",
                                             list(row.values())).lastrowid
                    data = docx + f"\n<!-- bench copy {number} -->".encode()
                    sha = archive.store.stage(data)
                    staged.append(sha)
                    db.execute("INSERT INTO files (document_id, role, sha256, size, created_at) "
                               "VALUES (?, 'docx', ?, ?, ?)", (document_id, sha, len(data), audit.now()))
                    audit.record(db, "issue", "bench", document_id, number_symbol=row["number_symbol"])
            for sha in staged:
                archive.store.publish(sha)
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


def main() -> None:
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
    ]
    report("issue", rows, ["measure", "value", "unit", "target"], {"verify": checked, "cpus": os.cpu_count()})
    print(f"\nverify archive: 3 real issues, then {VERIFY_DOCUMENTS:,} documents cloned from one of them through "
          f"the store API (each with its own {checked['bytes'] // checked['files']:,}-byte file: the real DOCX "
          f"plus a unique trailer), built in {checked['build_s']:.0f} s; verify re-hashed "
          f"{checked['bytes'] / 1e6:.0f} MB. Machine: {os.cpu_count()} CPU(s).")


if __name__ == "__main__":
    main()

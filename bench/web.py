"""The web service under a working day's load: readers searching while clerks issue.

A real `docgen serve` (uvicorn, its workers, the warm converter) on an archive home seeded with
`--documents` issued documents of every example kind; `--readers` threads search through the API,
the home page and a document's page, and `--clerks` threads issue plans through the API, every
other one with its PDF, for `--seconds`. Each client keeps its connection open (as a browser
does) and authenticates with its user's API token. At the end: no request may have failed, and
every register's numbers of the year run 1..N without a gap.

Targets (issue 11): search p95 <= 50 ms; issue without PDF p50 <= 100 ms; issue with PDF p50
<= 250 ms (warm converter); page p95 <= 100 ms. The run is repeated with --no-warm-pdf, for the
PDF a LibreOffice start costs, unless --no-warm-pdf or --warm-only is given.

    python -m bench.web --seconds 60 --readers 8 --clerks 4 --workers 1   (60 s a run by default)
    BENCH_WEB_SECONDS=30 python -m bench web                              (20 s a run by default)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import yaml

from archive import Archive, issue_document, verify
from archive.pdf_copies import missing_pdfs
from archive.users import add_user, create_token
from docgen.catalog import EXAMPLES_DIR, example_files
from index import catch_up

from . import median, p95, report

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["thi đua", "khen thưởng", "giao duc", "kế hoạch năm học", "trường trung học", "Sở Giáo dục",
           "tờ trình", "phong trao", "báo cáo thành tích", "công văn hướng dẫn", "quyết định", "giấy mời họp"]


def parse(args: list[str], seconds: float) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_WEB_SECONDS", seconds)))
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--clerks", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--documents", type=int, default=300, help="documents issued before the clients start")
    parser.add_argument("--no-warm-pdf", action="store_true", help="only the run without the warm converter")
    parser.add_argument("--warm-only", action="store_true", help="no second run without the warm converter")
    return parser.parse_args(args)


def seed(home: Path, documents: int) -> dict:
    """Issue `documents` documents of every example kind; users and their tokens."""
    examples = [(kind, yaml.safe_load(path.read_text(encoding="utf-8"))) for kind, path in example_files()]
    with Archive.open(home) as archive:
        issued = 0
        while issued < documents:
            for kind, data in examples:
                if issued == documents:
                    break
                try:
                    issue_document(archive, kind, data, pdf=False, actor="bench")
                    issued += 1
                except Exception:  # an example that needs more than data (a kind with a prompt)
                    examples.remove((kind, data))
        for name, role in (("docgia", "reader"), ("vanthu", "clerk")):
            add_user(archive, name, role, actor="bench")
        catch_up(archive)
        return {"reader": create_token(archive, "docgia")[1], "clerk": create_token(archive, "vanthu")[1],
                "ids": [row[0] for row in archive.db.execute("SELECT id FROM documents")]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Client:
    """One user's connection: (status, milliseconds) of each request."""

    def __init__(self, port: int, token: str):
        self.port, self.headers = port, {"Authorization": f"Bearer {token}"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, float, bytes]:
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False, default=str).encode()
            headers.update({"Content-Type": "application/json", "Content-Length": str(len(payload))})
        started = time.perf_counter()
        try:
            self.connection.request(method, path, payload, headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return 0, (time.perf_counter() - started) * 1000, str(exc).encode()
        return response.status, (time.perf_counter() - started) * 1000, content


def run(tmp: Path, options: argparse.Namespace, warm: bool) -> dict:
    home = tmp / ("warm" if warm else "cold")
    Archive.init(home, EXAMPLES_DIR / "agency.yaml").close()
    seeded = seed(home, options.documents)
    plan = yaml.safe_load((EXAMPLES_DIR / "ke_hoach.yaml").read_text(encoding="utf-8"))
    port = free_port()
    command = [sys.executable, "-c", "from cli import cli; cli()", "--home", str(home), "serve", "--port", str(port),
               "--workers", str(options.workers)] + ([] if warm else ["--no-warm-pdf"])
    log = tmp / f"serve-{'warm' if warm else 'cold'}.log"
    with open(log, "w") as errors_out:
        server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors_out)
    times: dict[str, list[float]] = {"search": [], "search page": [], "document page": [], "issue": [],
                                     "issue with PDF": []}
    errors: list[str] = []
    behind: list[int] = []
    try:
        probe = Client(port, seeded["reader"])
        deadline = time.monotonic() + 120
        while probe.request("GET", "/api/health")[0] != 200:
            assert time.monotonic() < deadline and server.poll() is None, log.read_text()
            time.sleep(0.2)
        stop = threading.Event()

        def record(kind: str, status: int, ms: float, content: bytes, expected: int = 200) -> None:
            if status == expected:
                times[kind].append(ms)
            else:
                errors.append(f"{kind}: {status} {content[:200]!r}")

        def reader(number: int) -> None:
            client, rng = Client(port, seeded["reader"]), random.Random(number)
            while not stop.is_set():
                query = urllib.parse.quote(rng.choice(QUERIES))
                step = rng.random()
                if step < 0.6:
                    answer = client.request("GET", f"/api/search?q={query}")
                    record("search", *answer)
                    if answer[0] == 200 and json.loads(answer[2])["notices"]:
                        behind.append(1)  # answered from an index that had not caught up
                elif step < 0.8:
                    record("search page", *client.request("GET", f"/?q={query}"))
                else:
                    record("document page", *client.request("GET", f"/documents/{rng.choice(seeded['ids'])}"))

        def clerk(number: int) -> None:
            client, with_pdf = Client(port, seeded["clerk"]), number % 2 == 0
            while not stop.is_set():
                record("issue with PDF" if with_pdf else "issue",
                       *client.request("POST", "/api/documents", {"kind": "ke_hoach", "data": plan, "pdf": with_pdf}),
                       expected=201)
                with_pdf = not with_pdf

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(options.readers)]
        threads += [threading.Thread(target=clerk, args=(n,)) for n in range(options.clerks)]
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        stop.wait(options.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(60)
    # What the service said besides its start: a traceback, a "database disk image is malformed"...
    errors += [f"serve: {line}" for line in log.read_text(errors="replace").splitlines()
               if line.strip() and not line.startswith("Serving ")][:20]
    with Archive.open(home) as archive:
        gaps = []
        for register, year in archive.db.execute("SELECT DISTINCT register, year FROM documents"):
            numbers = [row[0] for row in archive.db.execute(
                "SELECT number FROM documents WHERE register = ? AND year = ? ORDER BY number", (register, year))]
            if numbers != list(range(1, len(numbers) + 1)):
                gaps.append(f"{register} {year}: {len(numbers)} numbers, not 1..{len(numbers)}")
        checked = verify(archive)
        no_pdf = missing_pdfs(archive.db)
        documents = archive.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    if not checked.ok:
        errors += checked.problems[:5]
    if no_pdf:
        errors.append(f"{len(no_pdf)} PDF(s) asked for and missing")
    return {"warm": warm, "times": times, "errors": errors, "gaps": gaps, "seconds": elapsed, "behind": len(behind),
            "documents": documents, "load": (load_before, load_after)}


def main(args: list[str] | None = None) -> None:
    """`python -m bench` runs 20 s a run (BENCH_WEB_SECONDS); `python -m bench.web` the issue's 60 s."""
    options = parse(args or [], 20 if args is None else 60)
    modes = [False] if options.no_warm_pdf else [True] if options.warm_only else [True, False]
    with tempfile.TemporaryDirectory(prefix="docgen-bench-web-") as tmp_name:
        results = [run(Path(tmp_name), options, warm) for warm in modes]
    rows = []
    for result in results:
        t, mode = result["times"], "warm" if result["warm"] else "cold"
        issued = len(t["issue"]) + len(t["issue with PDF"])
        rows += [
            {"run": mode, "measure": "search (API): p95", "value": p95(t["search"]) if t["search"] else None,
             "unit": "ms", "target": "<= 50", "n": len(t["search"])},
            {"run": mode, "measure": "search (API): p50", "value": median(t["search"]) if t["search"] else None,
             "unit": "ms", "n": len(t["search"])},
            {"run": mode, "measure": "searches answered before the index caught up", "value": result["behind"],
             "n": len(t["search"])},
            {"run": mode, "measure": "search page: p95", "value": p95(t["search page"]) if t["search page"] else None,
             "unit": "ms", "target": "<= 100", "n": len(t["search page"])},
            {"run": mode, "measure": "document page: p95",
             "value": p95(t["document page"]) if t["document page"] else None, "unit": "ms", "target": "<= 100",
             "n": len(t["document page"])},
            {"run": mode, "measure": "issue without PDF: p50", "value": median(t["issue"]) if t["issue"] else None,
             "unit": "ms", "target": "<= 100", "n": len(t["issue"])},
            {"run": mode, "measure": "issue without PDF: p95", "value": p95(t["issue"]) if t["issue"] else None,
             "unit": "ms", "n": len(t["issue"])},
            {"run": mode, "measure": "issue with PDF: p50",
             "value": median(t["issue with PDF"]) if t["issue with PDF"] else None, "unit": "ms",
             "target": "<= 250" if result["warm"] else None, "n": len(t["issue with PDF"])},
            {"run": mode, "measure": "issued per second", "value": issued / result["seconds"], "unit": "docs/s"},
            {"run": mode, "measure": "errors; numbering gaps", "value": f"{len(result['errors'])}; {len(result['gaps'])}",
             "target": "0; 0"},
            {"run": mode, "measure": "machine load (1 min) before, after",
             "value": "{:.1f}, {:.1f}".format(*result["load"])},
        ]
    report("web", rows, ["run", "measure", "value", "unit", "target", "n"],
           {"options": vars(options), "cpus": os.cpu_count(),
            "errors": {("warm" if r["warm"] else "cold"): r["errors"][:20] + r["gaps"] for r in results}})
    print(f"\n{options.readers} readers, {options.clerks} clerks, {options.seconds:.0f} s a run, "
          f"{options.workers} worker(s), {options.documents} documents seeded; machine: {os.cpu_count()} CPU(s)")
    for result in results:
        for problem in (result["errors"][:10] + result["gaps"]):
            print(f"{'warm' if result['warm'] else 'cold'}: {problem}")
    failed = [r for r in results if r["errors"] or r["gaps"]]
    if failed:
        raise SystemExit("bench/web: requests failed or numbers have gaps (above)")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Importing documents issued elsewhere (`docgen import`): documents per second, end to end.

Our own letters and plans are rendered with different numbers and kept three ways, as a clerk
receives them: .docx, .pdf with a text layer (LibreOffice, once, before the clock starts) and
.txt. Each format is imported into a new home by `docgen import` in a new process, as a clerk
runs it (start-up, reading, recognising the number-symbol, date and signer, storing the original,
and indexing it so it is searchable at once), and the whole mixed batch once more; every
file must be imported (a skipped one is counted out). The
reference is `docgen --version` in a new process: what any command pays to start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docgen
from docgen.catalog import EXAMPLES_DIR
from index.extract import extract_files

from . import median, report

ROOT = Path(__file__).resolve().parent.parent
PER_FORMAT = int(os.environ.get("BENCH_IMPORT_FILES", "100"))
EXAMPLES = {"cong_van": "cong_van", "ke_hoach": "ke_hoach", "van_ban_thong_bao": "van_ban", "giay_moi": "giay_moi"}
STEMS = list(EXAMPLES)
AGENCY = EXAMPLES_DIR / "agency.yaml"


def make_files(folder: Path) -> dict[str, list[Path]]:
    """PER_FORMAT files of each format, each with its own number (so none is a duplicate)."""
    docx_dir, pdf_dir, txt_dir = (folder / name for name in ("docx", "pdf", "txt"))
    for made in (docx_dir, pdf_dir, txt_dir):
        made.mkdir()
    docx = []
    for n in range(1, 2 * PER_FORMAT + 1):
        stem = STEMS[n % len(STEMS)]
        docx.append(docgen.render(EXAMPLES[stem], EXAMPLES_DIR / f"{stem}.yaml", number=n).save(docx_dir / f"{stem}-{n:04d}.docx"))
    for_pdf, for_txt, docx = docx[PER_FORMAT:PER_FORMAT + PER_FORMAT // 2], docx[PER_FORMAT + PER_FORMAT // 2:], \
        docx[:PER_FORMAT]
    pdfs = docgen.convert_to_pdf(for_pdf, pdf_dir)
    # Twice as many PDFs as conversions: the second of each pair differs by a comment after %%EOF.
    for pdf in list(pdfs):
        twin = pdf.with_name(pdf.stem + "-b.pdf")
        twin.write_bytes(pdf.read_bytes() + b"\n% copy b\n")
        pdfs.append(twin)
    texts = []
    for path, extracted in extract_files(for_txt * 2):
        name = txt_dir / f"{path.stem}-{len(texts):04d}.txt"
        name.write_text(extracted.text + f"\n(bản {len(texts)})\n", encoding="utf-8")
        texts.append(name)
    return {"docx": docx, "pdf": sorted(pdfs), "txt": texts}


def docgen_process(*argv: str) -> tuple[float, str]:
    """Seconds for one `docgen` command in a new process (it must succeed), and what it printed."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from cli import cli; cli()", *argv], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout


def import_into_new_home(folder: Path, files: list[Path]) -> tuple[float, int]:
    """Seconds to import `files` into a new home, and how many were imported (none skipped)."""
    home = folder / f"home-{time.monotonic_ns()}"
    docgen_process("--home", str(home), "init", "--agency", str(AGENCY))
    seconds, printed = docgen_process("--home", str(home), "import", "--json", *map(str, files))
    shutil.rmtree(home)
    return seconds, len(json.loads(printed)["imported"])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="docgen-bench-import-") as tmp_name:
        tmp = Path(tmp_name)
        files = make_files(tmp)
        start_up = median([docgen_process("--version")[0] for _ in range(5)])
        rows = []
        for label, batch in [*files.items(), ("mixed", [f for group in files.values() for f in group])]:
            seconds, imported = import_into_new_home(tmp, batch)
            rows.append({"files": label, "count": len(batch), "seconds": seconds,
                         "docs/s": len(batch) / seconds, "docs/s after start-up": len(batch) / (seconds - start_up),
                         "target docs/s": 100, "imported": imported})
    report("importing", rows, ["files", "count", "seconds", "docs/s", "docs/s after start-up", "target docs/s",
                               "imported"],
           {"start_up_s": start_up, "cpus": os.cpu_count(), "load": os.getloadavg()[0]})
    print(f"`docgen --version` in a new process: {start_up * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

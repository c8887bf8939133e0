"""Start-up of the `docgen` command: what every call pays before it does anything.

Targets (issue 8 item 13): `docgen --help` within 2.5x of `python -c "import click"` (the least a
click program pays), and `docgen search` / `docgen show` without importing docxtpl. Each command
runs as a new process, as a clerk runs it, against a home holding one issued document; figures are
medians of wall-clock times, and ratios are against `import click` measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from . import median, report, timed

REPEAT = 9
HELP_TARGET = 2.5
ROOT = Path(__file__).resolve().parent.parent
AGENCY = ROOT / "examples" / "agency.yaml"
PLAN = ROOT / "examples" / "ke_hoach.yaml"
# Runs a docgen command in-process and says which heavy modules it imported.
PROBE = ("import sys\nsys.argv = ['docgen', *sys.argv[1:]]\nfrom cli import cli\ntry:\n    cli()\n"
         "except SystemExit:\n    pass\nprint(','.join(m for m in ('docxtpl', 'docx', 'pydantic', 'tantivy') "
         "if m in sys.modules), file=sys.stderr)")


def wall_ms(argv: list[str]) -> list[float]:
    return timed(lambda: subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT),
                 REPEAT)


def imported(args: list[str]) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT)
    return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = str(Path(tmp) / "home")
        from archive import Archive, issue_document

        with Archive.init(home, AGENCY) as archive:
            issue_document(archive, "ke_hoach", PLAN, date=dt.date(2025, 3, 2), pdf=False)
        commands = {
            "--help": ["--help"], "--version": ["--version"], "kinds": ["kinds"],
            "search": ["--home", home, "search", "kế hoạch"], "show": ["--home", home, "show", "1"],
        }
        reference = median(wall_ms([sys.executable, "-c", "import click"]))
        rows = [{"command": 'python -c "import click"', "median_ms": reference, "ratio": 1.0, "imports": ""}]
        for name, args in commands.items():
            ms = median(wall_ms([sys.executable, "-m", "cli", *args]))
            rows.append({"command": f"docgen {name}", "median_ms": ms, "ratio": ms / reference,
                         "imports": imported(args)})
    by_name = {row["command"]: row for row in rows}
    verdict = {
        "help_ratio": by_name["docgen --help"]["ratio"], "help_target": HELP_TARGET,
        "help_ok": by_name["docgen --help"]["ratio"] <= HELP_TARGET,
        "search_show_without_docxtpl": all("docxtpl" not in by_name[f"docgen {c}"]["imports"].split(",")
                                           for c in ("search", "show")),
    }
    report("startup", rows, ["command", "median_ms", "ratio", "imports"], verdict)
    print(f"\n`docgen --help` is {verdict['help_ratio']:.2f}x `import click` (target <= {HELP_TARGET}x); "
          f"search and show without docxtpl: {verdict['search_show_without_docxtpl']}")


if __name__ == "__main__":
    main()

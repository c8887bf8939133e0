"""Benchmarks: `make bench` (python -m bench) runs each, prints a table and writes bench/results/*.json."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Callable

RESULTS = Path(__file__).resolve().parent / "results"


def timed(func: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock milliseconds of `repeat` calls (after one warm-up call)."""
    func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(name: str, rows: list[dict], columns: list[str], extra: dict | None = None) -> None:
    """Print rows as a table and save them, with `extra`, to bench/results/<name>.json."""
    widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(_fmt(row.get(c)).ljust(widths[c]) for c in columns))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(
        json.dumps({"rows": rows, **(extra or {})}, ensure_ascii=False, indent=2), encoding="utf-8")


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return "" if value is None else str(value)

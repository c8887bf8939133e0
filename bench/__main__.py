"""Run every benchmark: python -m bench [name ...]."""

import importlib
import sys

BENCHMARKS = ["startup", "render", "issue", "dossier", "search", "importing", "ocr", "signing", "web"]

for name in sys.argv[1:] or BENCHMARKS:
    print(f"\n== bench/{name}.py ==")
    importlib.import_module(f"bench.{name}").main()

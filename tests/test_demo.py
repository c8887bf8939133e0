"""`make demo`: what it prints is what a new user reads first."""

from __future__ import annotations

import importlib.util

from .conftest import EXAMPLES


def test_demo_numbers_run_from_01_without_a_gap_and_reports_take_none():
    spec = importlib.util.spec_from_file_location("demo", EXAMPLES / "demo.py")
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    rendered = [document.document for document, _, _ in demo.render_examples()]
    numbers = [doc.number for doc in rendered if doc.kind.numbered]
    assert numbers == list(range(1, len(numbers) + 1))
    reports = [doc for doc in rendered if not doc.kind.numbered]
    assert reports and all(doc.number is None and doc.number_symbol is None for doc in reports)

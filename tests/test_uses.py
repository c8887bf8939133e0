"""Audit rows of reads (archive/uses.py): written at once when the archive is free, queued (never
waited for) while a writer holds it, in the order they were made."""

from __future__ import annotations

import threading
import time

from archive import Archive
from archive.uses import flush_uses, record_use

from .conftest import AGENCY


def trail(archive, action):
    return [row[0] for row in archive.db.execute("SELECT actor FROM audit WHERE action = ? ORDER BY id", (action,))]


def test_a_read_never_waits_for_a_writer_and_its_row_follows(tmp_path):
    Archive.init(tmp_path / "home", AGENCY).close()
    home = tmp_path / "home"
    with Archive.open(home, handed_between_threads=True) as clerk, Archive.open(home) as reader:
        record_use(reader, "an", "web search", query="ke hoach")
        assert trail(clerk, "web search") == ["an"]  # nothing held the archive: written at once
        release = threading.Event()

        def issuing():
            with clerk.writing():
                release.wait(10)

        writer = threading.Thread(target=issuing)
        writer.start()
        time.sleep(0.2)
        started = time.monotonic()
        for name in ("binh", "chi"):
            record_use(reader, name, "web search", query="ke hoach")
        assert time.monotonic() - started < 1.0  # queued, not waiting the writer's 10 s
        assert trail(reader, "web search") == ["an"]
        release.set()
        writer.join()
        deadline = time.monotonic() + 10
        while trail(reader, "web search") != ["an", "binh", "chi"] and time.monotonic() < deadline:
            time.sleep(0.05)
        flush_uses()
        assert trail(reader, "web search") == ["an", "binh", "chi"]

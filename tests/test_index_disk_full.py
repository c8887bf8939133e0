"""A full disk during `docgen index rebuild`, on a real small filesystem (an 8 MB tmpfs): the
partial index files are removed, the message says the disk is full, and the archive, which
is intact, keeps answering; with no space at all, opening it says the disk is full, never
that it is damaged."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from archive import Archive, issue_document
from cli import cli
from index import check, rebuild

from .conftest import AGENCY
from .test_index_search import letter


@pytest.fixture
def small_disk(tmp_path):
    """A real 8 MB filesystem to fill up; mounting it needs root (`make test` runs as root in CI)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True) if shutil.which("mount") else None
    if mounted is None or mounted.returncode != 0:
        message = f"cannot mount a small tmpfs to fill ({mounted.stderr.strip() if mounted else 'no mount'}): needs root"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(folder, leave_kib: int) -> None:
    """Fill the disk holding `folder` until `leave_kib` KiB are left."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with open(folder / f"filler-{leave_kib}", "wb") as handle:
        os.posix_fallocate(handle.fileno(), 0, max(0, free - leave_kib * 1024))


def index_files(home) -> dict[str, int]:
    """The index's files and sizes; Tantivy's .managed.json (a short list of the file names it
    manages, rewritten when a writer rolls back) is left out."""
    return {p.name: p.stat().st_size for p in (home / "index").iterdir() if p.name != ".managed.json"}


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def test_a_full_disk_during_rebuild_removes_the_partial_index_and_says_the_disk_is_full(small_disk):
    home = small_disk / "home"
    with Archive.init(home, AGENCY) as archive:
        for day in range(1, 13):
            issue_document(archive, "cong_van", letter(f"tổ chức hội thi số {day}", "Nội dung hội thi. " * 150),
                           date=dt.date(2025, 1, day), pdf=False)
        rebuild(archive)
    before = index_files(home)
    fill(small_disk, leave_kib=60)  # room to open the archive, not for a second copy of the index

    result = run(home, "index", "rebuild")
    assert result.exit_code == 2, result.output
    assert "is full" in result.output and "partial index files were removed" in result.output
    assert "damaged" not in result.output and "Traceback" not in result.output
    assert index_files(home) == before  # nothing partial left to fill the disk
    listed = run(home, "list")
    assert listed.exit_code == 0 and "12/SGD&ĐT-VP" in listed.output
    found = run(home, "search", "hội thi số 12", "--json")
    assert found.exit_code == 0 and '"12/SGD&ĐT-VP"' in found.stdout

    fill(small_disk, leave_kib=0)
    result = run(home, "list")
    assert result.exit_code == 2 and "is full" in result.output and "damaged" not in result.output

    for filler in small_disk.glob("filler-*"):
        filler.unlink()
    result = run(home, "index", "rebuild")
    assert result.exit_code == 0, result.output
    with Archive.open(home) as archive:
        assert check(archive).ok

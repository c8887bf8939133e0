"""The warm converter (docgen/converter.py): the same PDF as a LibreOffice start, without the start;
restarted when LibreOffice dies or hangs; started and stopped by `docgen serve`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import docgen
from docgen.converter import ENVIRONMENT, STATE_FILE, WarmConverter
from docgen.errors import ConversionError
from docgen.pdf import convert_to_pdf

from .conftest import AGENCY, EXAMPLES, ROOT, libreoffice_starts

HANG_S = 6.0


@pytest.fixture(scope="module")
def warm(soffice):
    with WarmConverter(hang_s=HANG_S) as converter:
        yield converter


@pytest.fixture
def using(warm, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, warm.socket)
    return warm


@pytest.fixture(scope="module")
def plan_docx(tmp_path_factory) -> Path:
    return docgen.render("ke_hoach", EXAMPLES / "ke_hoach.yaml", number=5).save(
        tmp_path_factory.mktemp("warm") / "ke_hoach.docx")


def pngs(pdf: Path) -> list[bytes]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(prefix)], check=True)
    return [page.read_bytes() for page in sorted(pdf.parent.glob(f"{prefix.name}-*.png"))]


def group_member(pgid: int, name: str) -> int | None:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            comm, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
            if comm == name and int(rest[2]) == pgid and rest[0] != "Z":  # a zombie is gone, only not reaped
                return int(entry.name)
    return None


def wait_for(condition, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.1)


def test_a_warm_pdf_is_the_pdf_of_a_libreoffice_start_and_starts_nothing(using, plan_docx, tmp_path, monkeypatch):
    starts = libreoffice_starts(monkeypatch)
    warm_pdf = convert_to_pdf([plan_docx], tmp_path / "warm")[0]
    assert starts == []
    monkeypatch.delenv(ENVIRONMENT)
    cold_pdf = convert_to_pdf([plan_docx], tmp_path / "cold")[0]
    assert len(starts) == 1
    warm_pages, cold_pages = pngs(warm_pdf), pngs(cold_pdf)
    assert len(warm_pages) >= 3
    assert warm_pages == cold_pages


@pytest.mark.parametrize("damage", ["bad-zip", "no-document"])
def test_a_file_libreoffice_cannot_read_is_named_in_the_error(using, tmp_path, damage):
    bad = tmp_path / "hong.docx"
    if damage == "bad-zip":
        bad.write_bytes(b"PK\x03\x04 not really a zip")
    else:
        import zipfile

        with zipfile.ZipFile(bad, "w") as package:
            package.writestr("hello.txt", "no document here")
    with pytest.raises(ConversionError, match=r"hong\.docx: LibreOffice produced no PDF \(source file could not be loaded\)"):
        convert_to_pdf([bad], tmp_path / "out")
    assert not (tmp_path / "out" / "hong.pdf").exists()
    assert using.process.poll() is None  # the converter stays up for the next document


def test_a_killed_libreoffice_is_started_again(using, plan_docx, tmp_path, monkeypatch):
    restarts = using.restarts
    os.kill(group_member(using.process.pid, "soffice.bin"), signal.SIGKILL)
    wait_for(lambda: using.restarts > restarts)
    starts = libreoffice_starts(monkeypatch)
    pdf = convert_to_pdf([plan_docx], tmp_path)[0]
    assert starts == []
    assert len(pngs(pdf)) >= 3


@pytest.mark.parametrize("stopped", ["soffice.bin", "python3"])
def test_a_hung_converter_is_killed_and_started_again_and_the_pdf_still_made(using, plan_docx, tmp_path, stopped):
    restarts, pgid = using.restarts, using.process.pid
    target = group_member(pgid, stopped)
    os.kill(target, signal.SIGSTOP)
    pdf = convert_to_pdf([plan_docx], tmp_path)[0]  # LibreOffice started for it once the hang is found
    assert len(pngs(pdf)) >= 3
    wait_for(lambda: using.restarts > restarts)
    assert group_member(pgid, "soffice.bin") is None  # the whole group went
    assert group_member(pgid, stopped) is None  # the stopped one too (as a zombie it may still await its reaper)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("warm_pdf", [True, False])
def test_serve_starts_and_stops_the_converter(tmp_path, soffice, warm_pdf):
    from archive import Archive

    home = tmp_path / "home"
    Archive.init(home, AGENCY).close()
    port = free_port()
    command = [sys.executable, "-c", "from cli import cli; cli()", "--home", str(home), "serve",
               "--port", str(port)] + ([] if warm_pdf else ["--no-warm-pdf"])
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert "Serving" in line, line + process.stderr.read()
        wait_for(lambda: answers(port), 60)
        state_file = home / STATE_FILE
        if not warm_pdf:
            assert not state_file.exists()
            return
        state = json.loads(state_file.read_text())
        assert state["owner"] == process.pid and Path(state["socket"]).is_socket()
        assert oct(Path(state["socket"]).parent.stat().st_mode & 0o777) == "0o700"
        # A CLI batch on the same home finds it.
        found = subprocess.run([sys.executable, "-c", "from docgen import converter; converter.use_home("
                                f"{str(home)!r}); print(converter.running())"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
        assert found == state["socket"]
        server = state["server"]
        assert group_member(server, "soffice.bin")
    finally:  # Ctrl-C, or a service manager's SIGTERM
        process.send_signal(signal.SIGTERM if warm_pdf else signal.SIGINT)
        assert process.wait(60) == 0
        process.stderr.close()
    assert not state_file.exists() and not Path(state["socket"]).parent.exists()
    wait_for(lambda: group_member(server, "soffice.bin") is None and group_member(server, "python3") is None, 10)

"""LibreOffice headless: one start for a whole batch of documents.

DOCX to PDF for every document we render, and Word 97-2003 .doc to DOCX for importing
old files; either way the batch costs one LibreOffice start, not one per document.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import ConversionError

INSTALL_HINT = ("LibreOffice is needed for PDF output and was not found: install it with "
                "`apt-get install libreoffice-writer-nogui fonts-liberation2` (or run `make demo` as root)")


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise ConversionError(INSTALL_HINT)


def _profile_root() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "docgen" / "libreoffice"


@contextmanager
def _profile() -> Iterator[tuple[Path, int | None]]:
    """A LibreOffice user profile for this batch, and the descriptor of the lock that guards it.

    A profile already set up makes LibreOffice start several times faster, but two instances
    must not share one: the second hands its files to the first and waits on it. So the
    cached profiles each have a lock, which LibreOffice's own processes inherit: a profile is
    taken only when no process that ran on it is alive, and a busy one means the next
    profile (made on first use).
    """
    root = _profile_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    for slot in itertools.count():
        try:
            lock = open(root / f"profile-{slot}.lock", "a")
        except OSError:
            break
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        except OSError:
            lock.close()
            break
        try:
            yield root / f"profile-{slot}", lock.fileno()
        finally:
            lock.close()
        return
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as tmp:
        yield Path(tmp), None


# LibreOffice settings for every conversion (its user profile's registrymodifications.xcu).
# BlockUntrustedRefererLinks: a document outside the trusted locations (we name none) loads no
# linked picture or file, neither file:///... nor http://...; the proxy at 127.0.0.1:9 (the
# discard port, where nothing listens) fails whatever else would go out, like a web page's
# stylesheet. LibreOffice has no switch to turn its network access off as a whole.
_OFFLINE_SETTINGS = {
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks"): "true",
    ("/org.openoffice.Inet/Settings", "ooInetProxyType"): "2",
    **{("/org.openoffice.Inet/Settings", f"ooInet{scheme}Proxy{field}"): value
       for scheme in ("HTTP", "HTTPS", "FTP") for field, value in (("Name", "127.0.0.1"), ("Port", "9"))},
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy"): "",
}


def _settings_xcu() -> str:
    items = "".join(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
                    for (path, name), value in _OFFLINE_SETTINGS.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            f"{items}</oor:items>\n")


def _keep_offline(profile: Path) -> None:
    """Put the offline settings into the profile, unless LibreOffice kept them from an earlier run."""
    settings = profile / "user" / "registrymodifications.xcu"
    try:
        current = settings.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = ""
    if all(f'oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value>' in current
           for (path, name), value in _OFFLINE_SETTINGS.items()):
        return
    try:
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(_settings_xcu(), encoding="utf-8")
    except OSError as exc:  # never convert without them
        raise ConversionError(f"cannot set up LibreOffice's profile {profile}: {exc}") from None


def _run(command: list[str], timeout: float, lock: int | None) -> subprocess.CompletedProcess:
    """Run LibreOffice in a process group of its own; on timeout (or any interruption) the whole
    group is killed, soffice.bin included, not only the launcher."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, pass_fds=() if lock is None else (lock,))
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        process.stdout.close()
        process.stderr.close()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _convert_once(soffice: str, inputs: list[Path], out: Path, to: str, timeout: float | None) -> str:
    """Start LibreOffice once to convert `inputs` into `out`; what it printed."""
    with _profile() as (profile, lock):
        _keep_offline(profile)
        command = [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation={profile.as_uri()}", "--convert-to", to, "--outdir", str(out),
                   *map(str, inputs)]
        try:
            result = _run(command, timeout or 60 + 10 * len(inputs), lock)
        except subprocess.TimeoutExpired:
            # Killed mid-run, the profile may be half written: the next run makes a new one.
            shutil.rmtree(profile, ignore_errors=True)
            raise ConversionError(f"LibreOffice did not finish converting {len(inputs)} file(s) in time") from None
        except OSError as exc:
            raise ConversionError(f"could not start LibreOffice ({soffice}): {exc}") from None
    return result.stderr or result.stdout


def _convert_warm(inputs: list[Path], out: Path, to: str, timeout: float | None) -> dict[str, str]:
    """Convert through the warm converter (docgen.converter) when this process has one, as far
    as it goes: what it could not read, by stem, with LibreOffice's reason. A file it did not
    get to (it died or hung under it) is left for the one-shot run."""
    from . import converter

    sock = converter.running()
    unreadable: dict[str, str] = {}
    if not sock:
        return unreadable
    for link in inputs:
        try:
            converter.convert_one(sock, link, out / f"{link.stem}.{to}", to, timeout or 300.0)
        except converter.Unreadable as exc:
            unreadable[link.stem] = str(exc)
        except converter.Unavailable:
            (out / f"{link.stem}.{to}").unlink(missing_ok=True)  # LibreOffice may have died writing it
            break
    return unreadable


def convert_to_pdf(docx_files: list[str | Path], out_dir: str | Path | None = None,
                   timeout: float | None = None) -> list[Path]:
    """Convert every .docx to PDF with a single LibreOffice start.

    Each PDF is written next to its .docx (or into `out_dir`) with the same stem, and
    the list of PDF paths is returned in the input order.
    """
    return [pdf for pdf in convert(docx_files, "pdf", out_dir, timeout=timeout) if pdf is not None]


def convert(files: list[str | Path], to: str, out_dir: str | Path | None = None, *,
            timeout: float | None = None, skip_failures: bool = False) -> list[Path | None]:
    """Convert every file to format `to` ("pdf", "docx") with a single LibreOffice start, or none
    when this process has a warm converter (docgen.converter).

    Results are named like their source, next to it or in `out_dir`, in the input order.
    A file LibreOffice could not convert raises ConversionError, or with `skip_failures`
    stands as None in the list (so one bad file among many imports does not stop the rest).
    """
    sources = [Path(p).resolve() for p in files]
    if not sources:
        return []
    for src in sources:
        if not src.is_file():
            raise ConversionError(f"{src}: file not found")
    soffice = find_soffice()
    # Named by position in the batch: sources from different folders may share a name.
    targets = [(Path(out_dir) if out_dir else src.parent) / f"{src.stem}.{to}" for src in sources]
    if len(set(targets)) < len(targets):
        targets = [target.with_name(f"{index:05d}-{target.name}") for index, target in enumerate(targets)]
    with tempfile.TemporaryDirectory(prefix="docgen-convert-") as tmp:
        work = Path(tmp)
        inputs = []
        for index, src in enumerate(sources):
            link = work / f"{index:05d}{src.suffix.lower()}"
            os.symlink(src, link)
            inputs.append(link)
        (work / "out").mkdir()
        unreadable = _convert_warm(inputs, work / "out", to, timeout)
        rest = [link for link in inputs if not (work / "out" / f"{link.stem}.{to}").is_file()
                and link.stem not in unreadable]
        output = _convert_once(soffice, rest, work / "out", to, timeout) if rest else ""
        results: list[Path | None] = []
        for index, (src, target) in enumerate(zip(sources, targets)):
            produced = work / "out" / f"{index:05d}.{to}"
            if not produced.is_file():
                if skip_failures:
                    results.append(None)
                    continue
                detail = [unreadable[produced.stem]] if produced.stem in unreadable else \
                    output.strip().splitlines()[-1:] or ["no output"]
                raise ConversionError(f"{src}: LibreOffice produced no {to.upper()} ({detail[0]})")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), target)
            results.append(target)
    return results

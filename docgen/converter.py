"""The warm converter: a LibreOffice kept running, so a PDF costs its conversion, not its start.

`docgen serve` runs one (WarmConverter) for as long as it serves: the system Python runs
docgen/converter_server.py, which starts soffice and answers on a Unix socket in a private
folder. A thread here pings it every second; when it has died, or a conversion has run longer
than `hang_s` (or the server does not answer), its whole process group is killed and it is
started again. docgen.pdf.convert uses it when one is running for this process (the socket named
by DOCGEN_CONVERTER, which serve sets for its workers, or the home's converter.json, which the
CLI reads) and otherwise starts LibreOffice once for the batch, as always; a conversion the
converter could not finish (it died or hung under it) is done that way too.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConversionError

if TYPE_CHECKING:  # sockets and processes are loaded when a converter is used, not at every command's start
    import socket
    import subprocess

SERVER = Path(__file__).with_name("converter_server.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-uno; a virtual environment has no uno
ENVIRONMENT = "DOCGEN_CONVERTER"
STATE_FILE = "converter.json"
HANG_S = 60.0
PING_S = 1.0
START_S = 60.0
STOP_S = 5.0

_home: Path | None = None  # use_home's; its converter.json is read when a conversion asks


class Unavailable(Exception):
    """The converter went away (died, was killed for a hang, or is not there): convert another way."""


class Unreadable(Exception):
    """LibreOffice could not load or save this file."""


def running() -> str | None:
    """The socket of the converter this process uses, if any."""
    if os.environ.get(ENVIRONMENT) or _home is None:
        return os.environ.get(ENVIRONMENT)
    try:
        state = json.loads((_home / STATE_FILE).read_text(encoding="utf-8"))
        os.kill(int(state["owner"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return str(state["socket"])


def use_home(home: str | os.PathLike) -> None:
    """Use the converter a `docgen serve` of this home runs, if one is running when a conversion
    asks (a CLI batch)."""
    global _home
    _home = Path(home)


def convert_one(sock: str, source: Path, target: Path, to: str, timeout: float) -> None:
    """Have the converter at `sock` write `target` from `source`; Unreadable or Unavailable otherwise."""
    try:
        answer = _request(sock, {"op": "convert", "source": str(source), "target": str(target), "to": to}, timeout)
    except (OSError, ValueError) as exc:
        raise Unavailable(str(exc)) from None
    if answer.get("unreadable"):
        raise Unreadable(answer.get("error") or "LibreOffice could not read it")
    if not answer.get("ok"):
        raise Unavailable(answer.get("error") or str(answer))


def _request(sock: str, request: dict, timeout: float) -> dict:
    """One request to the converter at `sock` and its answer (OSError, ValueError when it fails)."""
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(sock)
        return _ask(connection, request)


def _ask(connection: socket.socket, request: dict) -> dict:
    connection.sendall(json.dumps(request).encode() + b"\n")
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = connection.recv(65536)
        if not chunk:
            raise ValueError("the converter closed the connection")
        reply += chunk
    return json.loads(reply)


class WarmConverter:
    """Runs the converter server and keeps it running: `with WarmConverter(home) as converter: ...`.

    `home` (optional) gets converter.json naming the socket, for CLI batches on that home.
    """

    def __init__(self, home: str | os.PathLike | None = None, *, hang_s: float = HANG_S):
        self.state_file = Path(home) / STATE_FILE if home else None
        self.hang_s = hang_s
        self.restarts = 0
        self.process: subprocess.Popen | None = None
        self.pipe: str | None = None
        self._stack = ExitStack()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def socket(self) -> str:
        return str(self.folder / "socket")

    def start(self) -> "WarmConverter":
        import tempfile

        from .pdf import _profile, find_soffice

        self.soffice = find_soffice()
        if not Path(SYSTEM_PYTHON).is_file():
            raise ConversionError(f"the warm converter needs {SYSTEM_PYTHON} with python3-uno (apt-get install python3-uno)")
        self.folder = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="docgen-converter-")))
        self.folder.chmod(0o700)
        self.profile, self.lock = self._stack.enter_context(_profile())
        try:
            self._launch()
        except BaseException:
            self._kill()
            self._stack.close()
            raise
        self._watcher = threading.Thread(target=self._watch, name="docgen-converter", daemon=True)
        self._watcher.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._watcher:
            self._watcher.join()
        self._kill(gently=True)
        if self.state_file:
            self.state_file.unlink(missing_ok=True)
        self._stack.close()

    def __enter__(self) -> "WarmConverter":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the server's life -----------------------------------------------------------------

    def _launch(self) -> None:
        import select
        import subprocess

        from .pdf import _keep_offline

        _keep_offline(self.profile)
        Path(self.socket).unlink(missing_ok=True)
        log = self.folder / "server.log"
        with open(log, "wb") as errors:
            fds = () if self.lock is None else (self.lock,)
            self.process = subprocess.Popen(
                [SYSTEM_PYTHON, "-I", str(SERVER), self.socket, self.profile.as_uri(), self.soffice],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, start_new_session=True,
                pass_fds=fds, env={**os.environ, "DOCGEN_CONVERTER_FDS": ",".join(map(str, fds))})
        ready, _, _ = select.select([self.process.stdout], [], [], START_S)
        answer = self.process.stdout.readline().split() if ready else []
        if answer[:1] != [b"ready"]:
            self._kill()
            detail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no answer"]
            raise ConversionError(f"the warm converter did not start: {detail[0]}")
        self.pipe = answer[1].decode() if len(answer) > 1 else None
        if self.state_file:
            _write_private(self.state_file, json.dumps({"socket": self.socket, "owner": os.getpid(),
                                                        "server": self.process.pid}))

    def _kill(self, *, gently: bool = False) -> None:
        """End the server and its soffice (the process group): asked to end first when `gently`
        (serve stopping: LibreOffice closes its profile), killed at once otherwise (dead or hung)."""
        import signal
        import subprocess
        if self.process is None:
            return
        if gently:
            try:
                _request(self.socket, {"op": "stop"}, STOP_S)
                self.process.wait(STOP_S)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass
        self.process.wait()
        self.process.stdout.close()
        self.process = None
        if self.pipe:
            for folder in ("/tmp", "/var/tmp"):  # where LibreOffice makes its pipe (sal/osl/unx/pipe.cxx)
                Path(folder, f"OSL_PIPE_{os.getuid()}_{self.pipe}").unlink(missing_ok=True)
            self.pipe = None

    def _watch(self) -> None:
        backoff = PING_S
        while not self._stopping.wait(backoff):
            if self.process is not None and self.process.poll() is None and self._answers():
                backoff = PING_S
                continue
            if self._stopping.is_set():
                return
            hung = self.process is not None and self.process.poll() is None
            self._kill()
            if hung:  # killed mid-conversion, the profile may be half written
                shutil.rmtree(self.profile, ignore_errors=True)
            try:
                self._launch()
                self.restarts += 1
            except ConversionError:
                backoff = min(backoff * 2, 30.0)  # conversions go the one-shot way meanwhile

    def _answers(self) -> bool:
        """The server answers a ping within a few seconds, and no conversion has run past hang_s."""
        try:
            return _request(self.socket, {"op": "ping"}, 5.0).get("busy", 0.0) <= self.hang_s
        except (OSError, ValueError):
            return False


def _write_private(path: Path, text: str) -> None:
    staged = path.with_name(f".{path.name}.{os.getpid()}")
    with open(os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(staged, path)

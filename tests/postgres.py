"""A throwaway PostgreSQL 15 cluster for the tests: initdb in /tmp/docgen-pg-*, a Unix socket in
that folder and no TCP port (listen_addresses=''), fsync off. Started once per test session by the
`postgres_cluster` fixture (tests/conftest.py), which hands each test its own fresh database.

    with running_cluster() as cluster:          # a cluster of its own (to restart or kill it)
        url = cluster.create_database()         # postgresql://postgres@/db_1?host=/tmp/docgen-pg-...
        cluster.restart()

initdb refuses to run as root: then the server runs as the `postgres` user (runuser) and the
folder is given to it. A killed test run leaves its folder behind: the next run removes the
folders whose postmaster is no longer alive.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIRS = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"]
PREFIX = "docgen-pg-"
OWNER = "owner.pid"  # the pytest process that made the folder
SUPERUSER = "postgres"


class PostgresMissing(RuntimeError):
    pass


def bin_dir() -> Path:
    for folder in BIN_DIRS:
        if Path(folder, "initdb").is_file():
            return Path(folder)
    found = shutil.which("initdb") or shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise PostgresMissing("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/15/bin): run `make system` "
                          "as root or apt-get install postgresql")


def _as_server_user() -> list[str]:
    """The command prefix that runs a server program: as `postgres` when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise PostgresMissing("running as root and there is no `postgres` user to run the server as") from exc
    return ["runuser", "-u", "postgres", "--"]


def remove_stale() -> None:
    """Folders of earlier runs whose postmaster and maker both died (a killed pytest) are removed; a
    folder another pytest is still making (initdb running, no postmaster yet) is left alone."""
    for folder in glob.glob(os.path.join(tempfile.gettempdir(), PREFIX + "*")):
        if any(_alive(Path(folder, *name)) for name in (("data", "postmaster.pid"), (OWNER,))):
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid_file: Path) -> bool:
    try:
        os.kill(int(pid_file.read_text().split("\n", 1)[0]), 0)
    except (OSError, ValueError):
        return False
    return True


class Cluster:
    """One initdb'd cluster in its own folder; `url(name)` addresses a database over its socket."""

    def __init__(self, durable: bool = False):
        self.bin = bin_dir()
        self.prefix = _as_server_user()
        remove_stale()
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.folder / OWNER).write_text(f"{os.getpid()}\n")
        self.data = self.folder / "data"
        self.socket_dir = self.folder
        self.durable = durable
        self._names = itertools.count(1)
        if self.prefix:
            os.chmod(self.folder, 0o755)
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        settings = [
            "listen_addresses = ''",
            f"unix_socket_directories = '{self.socket_dir}'",
            "max_connections = 200",
            "shared_buffers = 32MB",
        ]
        if not durable:
            settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n".join(settings) + "\n")

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.prefix, str(self.bin / program), *args], check=check, capture_output=True,
                              text=True, cwd=self.folder)

    def start(self) -> None:
        done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w", "-t", "60",
                         "start", check=False)
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:] if (self.folder / "server.log").exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def kill(self) -> None:
        """SIGKILL the postmaster (a crash); `start` then runs crash recovery."""
        pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        os.kill(pid, signal.SIGKILL)
        # its backends exit when they notice the postmaster is gone; wait for the socket lock to go
        for backend in _children(pid):
            try:
                os.kill(backend, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def create_database(self, name: str | None = None) -> str:
        import psycopg

        name = name or f"db_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _children(pid: int) -> list[int]:
    found = []
    for entry in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(entry).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.split("/")[2]))
    return found


@contextmanager
def running_cluster(durable: bool = True) -> Iterator[Cluster]:
    """A started cluster of the caller's own, removed afterwards (for tests that restart or kill it)."""
    cluster = Cluster(durable=durable)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()

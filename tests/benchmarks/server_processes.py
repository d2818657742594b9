"""The server processes of the server benchmark: ``python -m server`` as a child, the
cached large SQLite seed, a throwaway PostgreSQL cluster, and each process's CPU time."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.benchmarks import floors
from tests.benchmarks.common import note

PROFILE_DIR = os.environ.get("LINEDESK_BENCH_PROFILE", "")
_PROFILED = (
    "import cProfile, sys; from server.__main__ import main; "
    "cProfile.run('main(sys.argv[1:])', {out!r})"
)
RESULTS = Path(__file__).resolve().parent / "results"
CACHED_SQLITE = RESULTS / "large-seed.sqlite"


# ---------------------------------------------------------------- server processes


class ServerProcess:
    """``python -m server`` as a child; stopped by its PID, or by the end of its standard
    input when the benchmark is killed (no server is left behind)."""

    def __init__(self, db_url: str, seed: str | None, log_path: Path) -> None:
        argv = [sys.executable, "-m", "server", "--db", db_url, "--host", "127.0.0.1"]
        argv += ["--port", "0", "--stop-with-stdin"]
        if PROFILE_DIR:  # cProfile the server (diagnosis only): one .prof per process
            out = Path(PROFILE_DIR) / f"server-{time.time_ns()}.prof"
            argv[1:3] = ["-c", _PROFILED.format(out=str(out))]
        if seed:
            argv += ["--seed", seed]
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            cwd=floors.project_root(),
        )
        self.url = ""

    def wait_ready(self, timeout: float = 300.0) -> str:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        os.set_blocking(self.proc.stdout.fileno(), True)
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"server exited ({self.proc.poll()}); see {self.log.name}")
            if line.startswith("LINEDESK-SERVER READY "):
                self.url = line.split()[-1]
                return self.url
        raise RuntimeError("server did not become ready in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        for pipe in (self.proc.stdin, self.proc.stdout):  # left open, a pipe is reported
            if pipe is not None:  # unclosed at whatever test the collector runs next
                pipe.close()
        self.log.close()


def _schema_of(db: Path) -> set[str]:
    """The Alembic revisions a database file is at (empty when unreadable)."""
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            return {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error:
        return set()


def _remove_all(pattern: str) -> None:
    for stale in glob.glob(pattern):
        if os.path.isdir(stale):
            shutil.rmtree(stale)
        else:
            os.unlink(stale)


def cached_sqlite_seed() -> Path:
    """The large seed on SQLite (≈35 s), made once and reused while the schema is the same:
    a seed of an older schema would be upgraded at every start of the measured server (its
    tables rebuilt), which is not what a server on its own schema does."""
    from server.core.db import head_revisions

    if CACHED_SQLITE.exists():
        if _schema_of(CACHED_SQLITE) == head_revisions():
            return CACHED_SQLITE
        note("the cached large seed is of an older schema: seeding it again")
        _remove_all(f"{CACHED_SQLITE}*")
    RESULTS.mkdir(parents=True, exist_ok=True)
    partial = CACHED_SQLITE.with_suffix(".partial")
    _remove_all(f"{partial}*")  # the server's files directory beside the database too
    note("seeding the large data set on SQLite once (≈35 s) …")
    server = ServerProcess(f"sqlite:///{partial}", "large", RESULTS / "seed-server.log")
    try:
        server.wait_ready()
    finally:
        server.stop()
    os.replace(partial, CACHED_SQLITE)
    return CACHED_SQLITE


@contextlib.contextmanager
def server_on_copy(seed: Path) -> Iterator[tuple[ServerProcess, Path]]:
    """A server process (not yet waited for) on a copy of the SQLite database ``seed`` in a
    temporary directory, and that directory; the server stopped, the directory removed after."""
    with tempfile.TemporaryDirectory(prefix="linedesk-bench-") as tmp:
        db = Path(tmp) / "large.sqlite"
        shutil.copyfile(seed, db)
        server = ServerProcess(f"sqlite:///{db}", None, Path(tmp) / "server.log")
        try:
            yield server, Path(tmp)
        finally:
            server.stop()


KEEP_LOG = os.environ.get("LINEDESK_BENCH_PG_LOG", "")
"""A directory: each cluster's log (slow statements, lock waits, autovacuum) and the
servers' logs are copied there when it stops."""


class PostgresCluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (fsync off), run as the postgres user."""

    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            raise RuntimeError("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
        self.bin = Path(bins[-1])
        self.dir = Path(tempfile.mkdtemp(prefix="linedesk-bench-pg-"))
        shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.port = _free_port()
        self.started = False

    def _as_postgres(self, *argv: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *argv], check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        if KEEP_LOG:  # what PostgreSQL did meanwhile: slow statements, lock waits, autovacuum
            options += (
                " -c log_min_duration_statement=100 -c log_lock_waits=on"
                " -c log_autovacuum_min_duration=0 -c log_checkpoints=on -c deadlock_timeout=100"
            )
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"),
            "-o", options, "-w", "start",
        )  # fmt: skip
        self.started = True
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.SubprocessError):
                self._as_postgres(
                    str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"
                )
        if KEEP_LOG:
            Path(KEEP_LOG).mkdir(parents=True, exist_ok=True)
            for log in self.dir.glob("*log"):
                shutil.copyfile(log, Path(KEEP_LOG) / f"{self.port}-{log.name}")
        shutil.rmtree(self.dir, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """The process's user + system CPU time so far, all its threads (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

"""Fixtures shared by every test area: the real ticket server as a process, and a
throwaway PostgreSQL cluster.

* ``server`` — ``python -m server`` on a fresh, demo-seeded SQLite file (function scope);
  ``.url``, ``.db_url``, ``.stop()``, ``.start()`` (same database, same port).
* ``postgres`` — a PostgreSQL cluster on 127.0.0.1 for the session; ``.new_database()``
  gives each test a fresh database (a copy of the demo-seeded template).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READY = "LINEDESK-SERVER READY "
START_TIMEOUT = 60.0
PG_PACKAGE = "postgresql"


class ServerProcess:
    """One ``python -m server`` child, stopped by its PID, or by the end of its standard
    input when the test session is killed (no server is left behind)."""

    def __init__(self, db_url: str, files_dir: Path, *extra: str) -> None:
        self.db_url = db_url
        self.files_dir = files_dir
        self.extra = list(extra)
        self.port = 0
        self.url = ""
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        assert self.process is None, "already running"
        command = [
            sys.executable,
            "-m",
            "server",
            "--db",
            self.db_url,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--files",
            str(self.files_dir),
            "--stop-with-stdin",
            *self.extra,
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        line = _read_line(self.process, START_TIMEOUT)
        if not line.startswith(READY):
            self.stop()
            raise RuntimeError(f"the server did not start: {line!r}")
        self.url = line[len(READY) :].strip()
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        _close_pipes(process)

    def kill(self) -> None:
        """SIGKILL: the server dies mid-work (what it leaves is the test's to look at)."""
        process, self.process = self.process, None
        assert process is not None
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        _close_pipes(process)


def _close_pipes(process: subprocess.Popen[str]) -> None:
    for pipe in (process.stdin, process.stdout):
        assert pipe is not None
        pipe.close()


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return f"(no READY line within {timeout} s)"
    return process.stdout.readline()


def _seeded_sqlite_template(directory: Path) -> Path:
    template = directory / "template.db"
    seeder = ServerProcess(f"sqlite:///{template}", directory / "files", "--seed", "demo")
    seeder.start()
    seeder.stop()
    return template


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _seeded_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


def new_sqlite_server(template: Path, directory: Path, *extra: str) -> ServerProcess:
    db = directory / "linedesk.db"
    shutil.copyfile(template, db)
    return ServerProcess(f"sqlite:///{db}", directory / "files", *extra)


@pytest.fixture
def server(sqlite_template: Path, tmp_path: Path) -> Iterator[ServerProcess]:
    """The real server on a fresh demo-seeded SQLite file."""
    process = new_sqlite_server(sqlite_template, tmp_path)
    process.start()
    try:
        yield process
    finally:
        process.stop()


class Postgres:
    """A throwaway cluster; databases are created from a demo-seeded template."""

    TEMPLATE = "linedesk_template"

    def __init__(self, bin_dir: Path, data_dir: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.data_dir = data_dir
        self.port = port
        self._names = itertools.count(1)
        self._template_ready = False

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str) -> str:
        """Run one statement as the superuser; its output, unaligned, without headers."""
        done = subprocess.run(
            [
                str(self.bin_dir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-q",
                "-A",
                "-t",
                "-c",
                statement,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def new_database(self, *, seeded: bool = True) -> str:
        name = f"linedesk_test_{os.getpid()}_{next(self._names)}"
        if seeded:
            self._ensure_template()
            self.sql(f"CREATE DATABASE {name} TEMPLATE {self.TEMPLATE}")
        else:
            self.sql(f"CREATE DATABASE {name}")
        return self.url(name)

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        self.sql(f"CREATE DATABASE {self.TEMPLATE}")
        with tempfile.TemporaryDirectory() as files:
            seeder = ServerProcess(self.url(self.TEMPLATE), Path(files), "--seed", "demo")
            seeder.start()
            seeder.stop()
        self._template_ready = True


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail(
            f"PostgreSQL is not installed: install the Debian package {PG_PACKAGE!r} "
            "(bash scripts/system-deps.sh)",
            pytrace=False,
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    bin_dir = _postgres_bin()
    data_dir = Path(tempfile.mkdtemp(prefix="linedesk-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(data_dir, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data_dir / "data"),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = (
        f"-h 127.0.0.1 -p {port} -k {data_dir} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=300"
    )
    pg_ctl = str(bin_dir / "pg_ctl")
    subprocess.run(
        _as_postgres(
            [
                pg_ctl,
                "-D",
                str(data_dir / "data"),
                "-o",
                options,
                "-l",
                str(data_dir / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield Postgres(bin_dir, data_dir, port)
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data_dir / "data"), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        with contextlib.suppress(OSError):
            shutil.rmtree(data_dir)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests on the qasync loop run after every other: once made (qasync's
    `already_running`, tests/window/conftest.py) it stays the thread's running loop, and
    pytest-asyncio could not run a loop of its own after it."""
    items.sort(key=lambda item: "qloop" in getattr(item, "fixturenames", ()))

"""python -m server: READY line, clear errors (exit 2), restart on the same port and database."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, ServerProcess
from tests.server.api import Api, Contract

pytestmark = pytest.mark.server


def run_server(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", "--host", "127.0.0.1", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense", "not a database URL"),
        ("mysql://localhost/x", "unsupported database"),
        ("sqlite://", "SQLite needs a file"),
        ("postgresql://nobody@127.0.0.1:1/none", "cannot use the database"),
    ],
)
def test_bad_database_url(url: str, message: str, tmp_path: Path) -> None:
    result = run_server("--db", url, "--port", "0", "--files", str(tmp_path / "files"))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert not (tmp_path / "files").exists()


def test_busy_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_server("--db", f"sqlite:///{tmp_path / 'x.db'}", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip() == f"linedesk-server: port {port} on 127.0.0.1 is busy"


async def test_restart_keeps_data_and_port(server: ServerProcess) -> None:
    contract = Contract.load()
    async with Api(server.url, contract) as api:
        demo = await api.as_user("demo")
        await demo.call("PUT", "/me/status", {"status": "busy_new"})
        url = server.url
        server.stop()
        server.start()
        assert server.url == url
        assert (await demo.get("/me"))["status"] == "busy_new"


async def test_seeding_a_seeded_database_does_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    first = ServerProcess(db, tmp_path / "files", "--seed", "demo")
    first.start()
    try:
        async with Api(first.url, Contract.load()) as api:
            demo = await api.as_user("demo")
            lines = await demo.get("/lines")
            first.stop()
            first.start()
            assert await demo.at(first.url).get("/lines") == lines
    finally:
        first.stop()


@contextmanager
def piped_server(tmp_path: Path, *args: str) -> Iterator[subprocess.Popen[str]]:
    """`python -m server --stop-with-stdin` with its stdin, stdout and stderr as pipes."""
    argv = [sys.executable, "-m", "server", "--port", "0", "--stop-with-stdin"]
    argv += ["--db", f"sqlite:///{tmp_path / 'x.db'}", *args]
    with subprocess.Popen(
        argv,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            yield proc
        finally:
            proc.kill()


def test_stop_with_stdin_stops_when_its_starter_is_gone(tmp_path: Path) -> None:
    """`--stop-with-stdin`: the end of standard input (its starter closed the pipe, or was
    killed) stops the server cleanly, as SIGTERM does."""
    with piped_server(tmp_path) as proc:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().startswith("LINEDESK-SERVER READY ")
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0


def test_stop_with_stdin_still_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """SIGTERM while the stdin watch is still waiting: a clean exit, no abort at shutdown."""
    with piped_server(tmp_path) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("LINEDESK-SERVER READY ")
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
        assert proc.returncode == 0, stderr
        assert "Fatal Python error" not in stderr


def test_sign_in_demo_prints_a_working_session_before_ready(tmp_path: Path) -> None:
    with piped_server(tmp_path, "--seed", "demo", "--sign-in-demo") as proc:
        assert proc.stdout is not None and proc.stdin is not None
        token_line = proc.stdout.readline().split()
        assert token_line[:2] == ["LINEDESK-SERVER", "TOKEN"] and len(token_line) == 3
        ready = proc.stdout.readline()
        assert ready.startswith("LINEDESK-SERVER READY ")
        request = urllib.request.Request(
            f"{ready.split()[-1]}/api/v1/me",
            headers={"Authorization": f"Bearer {token_line[2]}"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            me = json.load(reply)
        assert me["login"] == "demo" and me["kind"] == "specialist"
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0


def test_sign_in_demo_needs_the_demo_specialist(tmp_path: Path) -> None:
    result = run_server("--db", f"sqlite:///{tmp_path / 'x.db'}", "--port", "0", "--sign-in-demo")
    assert result.returncode == 2
    assert "no demo specialist" in result.stderr

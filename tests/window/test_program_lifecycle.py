"""The whole program as a specialist's desktop runs it: `python -m app` in demo mode on a fresh
profile — a second start hands over to the first, SIGTERM (a session logging out) quits cleanly
and stops the demo server, and a killed program does not leave its demo server behind."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.window.conftest import WINDOW_MARKS
from ui.mainwindow import state as window_state

pytestmark = [
    *WINDOW_MARKS,
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the demo server in /proc"),
]

ROOT = Path(__file__).resolve().parents[2]


class Program:
    """`python -m app` on `profile`, its stdout lines (the startup markers) in a queue."""

    def __init__(self, profile: Path, *args: str) -> None:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "LINEDESK_TRACE_STARTUP": "1",
            "HOME": str(profile),
            "XDG_CONFIG_HOME": str(profile / "config"),
            "XDG_DATA_HOME": str(profile / "data"),
            "XDG_CACHE_HOME": str(profile / "cache"),
            "XDG_STATE_HOME": str(profile / "state"),
            "TMPDIR": str(profile / "tmp"),
            "XDG_RUNTIME_DIR": str(profile / "tmp"),  # the one-per-user lock and socket
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        (profile / "tmp").mkdir(mode=0o700, exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app", "--log-dir", str(profile / "log"), *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.profile = profile
        self.log = profile / "log" / "linedesk.log"
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr = ""
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def wait_for(self, marker: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                if self.lines.get(timeout=0.5).startswith(marker):
                    return
            assert self.proc.poll() is None, f"the program ended: {self.finish()}"
        raise AssertionError(f"no {marker} within {timeout} s")

    def finish(self, timeout: float = 30) -> str:
        """Wait for the exit; the program's stderr."""
        _, self.stderr = self.proc.communicate(timeout=timeout)
        return self.stderr

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.communicate(timeout=10)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _running(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def program(tmp_path: Path) -> Iterator[Program]:
    started = Program(tmp_path)
    try:
        yield started
    finally:
        for pid in _children(started.proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        started.kill()


def _demo_server(program: Program) -> int:
    kids = _children(program.proc.pid)
    assert len(kids) == 1, f"expected the demo server as the only child, found {kids}"
    return kids[0]


def test_sigterm_quits_cleanly_and_stops_the_demo_server(program: Program) -> None:
    program.wait_for("DATA")  # demo data on screen
    server = _demo_server(program)
    program.proc.send_signal(signal.SIGTERM)
    stderr = program.finish()
    assert program.proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "Error calling Python override" not in stderr, stderr
    assert _gone(server, 10), "the demo server outlived the program"
    log = program.log.read_text(encoding="utf-8")
    assert f"demo server {server} stopped (0)" in log, log[-2000:]
    # the window's place and size are kept for the next start, beside settings.json
    kept = window_state.read(program.profile / "config" / "linedesk" / "window.state")
    assert kept is not None and kept.geometry and kept.users_width > 0


def test_a_killed_program_leaves_no_demo_server_behind(program: Program) -> None:
    program.wait_for("DATA")
    server = _demo_server(program)
    program.proc.kill()  # no chance to clean up
    program.finish()
    assert _gone(server, 15), "the demo server outlived a killed program"


def test_a_second_start_hands_over_to_the_first(program: Program, tmp_path: Path) -> None:
    program.wait_for("PAINTED")  # the first may not listen yet: the second keeps knocking
    second = Program(tmp_path)
    try:
        stderr = second.finish(timeout=60)
        assert second.proc.returncode == 0, stderr
        shown = []
        while not second.lines.empty():
            shown.append(second.lines.get())
        assert not any(line.startswith("PAINTED") for line in shown), "a second window"
    finally:
        second.kill()
    assert program.proc.poll() is None  # the first keeps running
    program.wait_for("DATA")


def test_a_tel_link_given_to_a_second_start_opens_the_dialer_of_the_first(
    program: Program, tmp_path: Path
) -> None:
    """What a click on a tel: link in another program does (the desktop starts LineDesk
    with the link): the running window comes forward with the number in its dialer."""
    program.wait_for("DATA")
    second = Program(tmp_path, "tel:+7-495-123-45-67")
    try:
        assert second.finish(timeout=60) is not None
        assert second.proc.returncode == 0, second.stderr
    finally:
        second.kill()
    deadline = time.monotonic() + 30
    expected = "a link from another program opened the dialer with +74951234567"
    while expected not in program.log.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, program.log.read_text(encoding="utf-8")[-2000:]
        assert program.proc.poll() is None
        time.sleep(0.1)


def test_a_native_crash_leaves_its_trace_in_the_log_dir(program: Program) -> None:
    """faulthandler is on in the shipped program: a native crash (as Qt's or audio code's
    would be) writes the Python stacks into faults.log beside the log, kept open from the
    start for the process's life."""
    program.wait_for("DATA")
    faults = program.profile / "log" / "faults.log"
    assert faults.is_file()
    program.proc.send_signal(signal.SIGSEGV)
    program.finish()
    assert program.proc.returncode == -signal.SIGSEGV
    trace = faults.read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in trace, trace
    assert "most recent call first" in trace, trace

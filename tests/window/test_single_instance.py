"""One LineDesk per user: a second start asks the running one to come forward."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.window.conftest import WINDOW_MARKS
from ui.mainwindow.single_instance import SingleInstance

pytestmark = WINDOW_MARKS


def _name() -> str:
    return f"linedesk-test-{uuid.uuid4().hex[:12]}"


def test_second_start_brings_the_first_forward(qtbot: Any) -> None:
    name = _name()
    first = SingleInstance(name)
    assert first.claim()
    assert first.listen()
    try:
        second = SingleInstance(name)
        assert not second.claim()  # the first holds the lock
        with qtbot.waitSignal(first.sig_raise, timeout=5_000):
            assert second.notify_running()
    finally:
        first.close()
    # the first is gone: a new start runs on its own
    fresh = SingleInstance(name)
    assert fresh.claim()
    fresh.close()
    assert not SingleInstance(name).notify_running(timeout_ms=200)


def test_a_second_start_with_a_link_hands_the_link_over(qtbot: Any) -> None:
    name = _name()
    first = SingleInstance(name)
    assert first.claim() and first.listen()
    try:
        second = SingleInstance(name)
        assert not second.claim()
        link = "tel:+7-495-123-45-67;phone-context=пример.рф"
        with (
            qtbot.waitSignal(first.sig_raise, timeout=5_000),
            qtbot.waitSignal(first.sig_link, timeout=5_000) as got,
        ):
            assert second.notify_running(link=link)
        assert got.args == [link]
        with qtbot.waitSignal(first.sig_link, timeout=5_000) as got:  # one line, always
            assert second.notify_running(link="sip:bob@example.com\nraise")
        assert got.args == ["sip:bob@example.com raise"]
    finally:
        first.close()


def test_a_start_that_is_not_listening_yet_still_gets_the_request() -> None:
    """The first start listens only after its first paint; a second start that comes in
    between finds the lock taken and keeps knocking until the first answers."""
    name = _name()
    with subprocess.Popen(
        [sys.executable, "-c", _FIRST_START.format(name=name)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ) as first:
        try:
            assert first.stdout is not None
            assert first.stdout.readline().strip() == "CLAIMED"
            second = SingleInstance(name)
            assert not second.claim()
            assert second.notify_running(timeout_ms=10_000)
            assert first.stdout.readline().strip() == "RAISED"
            assert first.wait(timeout=30) == 0
        finally:
            first.kill()


_FIRST_START = """
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from ui.mainwindow.single_instance import SingleInstance
app = QCoreApplication([])
single = SingleInstance({name!r})
assert single.claim()
print("CLAIMED", flush=True)
def raised():
    print("RAISED", flush=True)
    app.quit()
single.sig_raise.connect(raised)
QTimer.singleShot(700, single.listen)  # "after the first paint"
QTimer.singleShot(20_000, app.quit)
app.exec()
single.close()
"""


def test_a_stale_socket_from_a_crash_does_not_block_the_start(qtbot: Any) -> None:
    name = _name()
    fresh = SingleInstance(name)
    path = Path(fresh.address)
    with socket.socket(socket.AF_UNIX) as crashed:  # bound, then gone without unlinking
        crashed.bind(str(path))
    assert path.exists()
    try:
        assert fresh.claim()
        assert fresh.listen()
        with qtbot.waitSignal(fresh.sig_raise, timeout=5_000):
            assert SingleInstance(name).notify_running()
    finally:
        fresh.close()


@pytest.mark.skipif(not hasattr(os, "kill"), reason="needs a process to kill")
def test_the_lock_of_a_crashed_start_is_taken_over() -> None:
    name = _name()
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import os, signal
                from ui.mainwindow.single_instance import SingleInstance
                single = SingleInstance({name!r})
                assert single.claim()
                os.kill(os.getpid(), signal.SIGKILL)  # a crash: the lock file stays
                """
            ),
        ],
        timeout=60,
    )
    assert crashed.returncode == -9
    fresh = SingleInstance(name)
    assert Path(fresh.lock_path).exists()
    try:
        assert fresh.claim()
    finally:
        fresh.close()


def test_the_lock_and_the_socket_live_in_the_users_runtime_dir(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not in the shared temp dir, where another user could take the names first."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    first = SingleInstance(_name())
    assert Path(first.lock_path).parent == runtime
    assert first.claim() and first.listen()
    try:
        assert Path(first.address).parent == runtime and Path(first.address).exists()
        with qtbot.waitSignal(first.sig_raise, timeout=5_000):
            assert SingleInstance(first.name).notify_running()
    finally:
        first.close()

"""One LineDesk per user: a second start asks the running one to come forward."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir

from tests.window.conftest import WINDOW_MARKS
from ui.single_instance import SingleInstance

pytestmark = WINDOW_MARKS


def test_second_start_brings_the_first_forward(qtbot: Any) -> None:
    name = f"linedesk-test-{uuid.uuid4().hex[:12]}"
    first = SingleInstance(name)
    assert first.listen()
    try:
        second = SingleInstance(name)
        with qtbot.waitSignal(first.sig_raise, timeout=5_000):
            assert second.notify_running()
    finally:
        first.close()
    # nobody listens any more: a new start runs on its own
    assert not SingleInstance(name).notify_running(timeout_ms=200)


def test_a_stale_socket_from_a_crash_does_not_block_the_start(qtbot: Any) -> None:
    name = f"linedesk-test-{uuid.uuid4().hex[:12]}"
    path = Path(QDir.tempPath()) / name  # where QLocalServer puts a plain name on Unix
    with socket.socket(socket.AF_UNIX) as crashed:  # bound, then gone without unlinking
        crashed.bind(str(path))
    assert path.exists()
    fresh = SingleInstance(name)
    try:
        assert fresh.listen()
        with qtbot.waitSignal(fresh.sig_raise, timeout=5_000):
            assert SingleInstance(name).notify_running()
    finally:
        fresh.close()

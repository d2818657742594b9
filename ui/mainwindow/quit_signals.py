"""SIGTERM, SIGINT and SIGHUP (a session logging out, Ctrl+C in a terminal, a service manager)
quit LineDesk the way the tray's Quit does: the outbox is kept, the demo server is stopped.

Python runs a signal handler only between bytecodes, and an idle Qt loop runs none: the
signal's number also goes to a socket (`signal.set_wakeup_fd`) that Qt watches, so the
handler runs at once even when the window is idle.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)


class QuitOnSignals(QObject):
    """While installed, the signals above call `quit_requested()` (on the Qt thread)."""

    def __init__(self, quit_requested: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quit_requested = quit_requested
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous: dict[int, Any] = {}
        for sig in _SIGNALS:
            self._previous[sig] = signal.signal(sig, self._on_signal)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _on_signal(self, signum: int, _frame: object) -> None:
        # a handler may run between any two bytecodes: only post the request to Qt's loop
        QTimer.singleShot(0, self._quit_requested)

    def _drain(self) -> None:
        """Qt woke up for a signal: read its bytes; Python runs the handler right after."""
        try:
            while self._reader.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def uninstall(self) -> None:
        self._notifier.setEnabled(False)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()

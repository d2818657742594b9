"""One LineDesk per user: a second start asks the first to come forward — and to open the
dialer, when it was started with a `tel:`/`sip:` link (a click on one in another program) —
then exits.

Who runs is decided by a lock file (QLockFile, QtCore: cheap before the first paint; a lock
left by a crashed process is stale and taken over). The "come forward" request goes over a
local socket (QtNetwork), which is loaded only after the first paint — or at once, by a
second start that found the lock taken.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
import zlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

_MESSAGE = b"raise\n"
_LINK = b"link "  # + the link, UTF-8, one line
_LINK_MAX = 2048  # bytes: a link is short; more is not a link
_READ_TIMEOUT_MS = 300


def server_name(suffix: str = "") -> str:
    user = getpass.getuser()
    digest = f"{zlib.crc32(user.encode('utf-8')):08x}"  # a name safe for a socket path
    return f"linedesk-{digest}{suffix}"


def private_dir() -> str:
    """Where the lock and the socket live: the user's own runtime dir (XDG_RUNTIME_DIR, mode
    0700: no other user can take the names first) where there is one, else the temp dir."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime) and os.access(runtime, os.W_OK):
        return runtime
    return QDir.tempPath()


class SingleInstance(QObject):
    sig_raise = Signal()
    """Another start of the program asked this one to come forward."""
    sig_link = Signal(str)
    """Another start of the program was given this link (`tel:…`, `sip:…`) to open."""

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        where = private_dir()
        self.lock_path = f"{where}/{self.name}.lock"
        # a path on Unix (QLocalServer would use the temp dir); a pipe name on Windows
        self.address = self.name if sys.platform == "win32" else f"{where}/{self.name}"
        self._lock = QLockFile(self.lock_path)
        self._lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """True when no other LineDesk of this user runs; this one holds the lock from now."""
        return bool(self._lock.tryLock(0))

    def notify_running(self, timeout_ms: int = 15_000, link: str = "") -> bool:
        """Ask the running instance to come forward (and to open `link`, when given); True
        when it took the request.

        It may have just started and not listen yet (it listens right after its first
        paint, which a machine busy at logon can delay by seconds: 3 s was too short with the
        load at 12 on two cores), so connecting is retried until `timeout_ms`."""
        from PySide6.QtNetwork import QLocalSocket

        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.address)
            if socket.waitForConnected(max(1, int((deadline - time.monotonic()) * 1000))):
                socket.write(_request(link))
                socket.flush()
                socket.waitForBytesWritten(_READ_TIMEOUT_MS)
                socket.disconnectFromServer()
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def listen(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.address):
            QLocalServer.removeServer(self.address)  # a stale socket from a crash
            if not server.listen(self.address):
                return False
        server.newConnection.connect(self._connection)
        self._server = server
        return True

    def _connection(self) -> None:
        """Read the short request at once: no per-socket slots outlive this call."""
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            request = b""
            while b"\n" not in request and len(request) <= _LINK_MAX + len(_LINK):
                if not (socket.bytesAvailable() or socket.waitForReadyRead(_READ_TIMEOUT_MS)):
                    break
                request += bytes(socket.readAll().data())
            line = request.split(b"\n", 1)[0]
            if line == _MESSAGE.strip():
                self.sig_raise.emit()
            elif line.startswith(_LINK) and len(line) <= _LINK_MAX + len(_LINK):
                self.sig_raise.emit()
                self.sig_link.emit(line[len(_LINK) :].decode("utf-8", "replace").strip())
            socket.abort()
            socket.deleteLater()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()


def _request(link: str) -> bytes:
    if not link:
        return _MESSAGE
    one_line = " ".join(link.split())  # a link never spans lines; the request is one
    return _LINK + one_line.encode("utf-8")[:_LINK_MAX] + b"\n"

"""One LineDesk per user: a second start asks the first to come forward, then exits."""

from __future__ import annotations

import getpass
import zlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_MESSAGE = b"raise\n"
_READ_TIMEOUT_MS = 300


def server_name(suffix: str = "") -> str:
    user = getpass.getuser()
    digest = f"{zlib.crc32(user.encode('utf-8')):08x}"  # a name safe for a socket path
    return f"linedesk-{digest}{suffix}"


class SingleInstance(QObject):
    sig_raise = Signal()
    """Another start of the program asked this one to come forward."""

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self._server: QLocalServer | None = None

    def notify_running(self, timeout_ms: int = 500) -> bool:
        """True when another instance answered (and was asked to come forward)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(_MESSAGE)
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # a stale socket from a crash
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._connection)
        self._server = server
        return True

    def _connection(self) -> None:
        """Read the short request at once: no per-socket slots outlive this call."""
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            if socket.bytesAvailable() or socket.waitForReadyRead(_READ_TIMEOUT_MS):
                request = bytes(socket.readAll().data())
                if request.startswith(_MESSAGE.strip()):
                    self.sig_raise.emit()
            socket.abort()
            socket.deleteLater()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

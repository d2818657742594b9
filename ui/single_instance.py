"""One LineDesk per user: a second start asks the first to come forward, then exits."""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_MESSAGE = b"raise\n"


def server_name(suffix: str = "") -> str:
    user = getpass.getuser()
    digest = hashlib.sha1(user.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
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
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(_MESSAGE.strip()):
            self.sig_raise.emit()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

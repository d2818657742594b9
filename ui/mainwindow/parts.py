"""The window's status-bar connection indicator and problem banner (built after the first
paint: they need app.core.domain and the problem texts)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.core.domain import ConnectionState
from ui.common.flow import ignored
from ui.common.text import DETAIL_SHOWN, plain_tooltip, preview_line

PROBLEM_SHOWN_MS = 20_000


class ConnectionIndicator(QWidget):
    """Status-bar text: connected / reconnecting in N s / offline; clicked while not
    connected, it asks to reconnect now (`sig_reconnect`)."""

    sig_reconnect = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionIndicator")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        self.dot = QLabel()
        self.label = QLabel()
        self.label.setObjectName("connectionLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        self.state: ConnectionState = ConnectionState.CONNECTING
        self._deadline: float | None = None
        self._detail = ""
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._render)
        self.show_state(ConnectionState.CONNECTING, "", None)

    def show_state(self, state: ConnectionState, detail: str, retry_in: float | None) -> None:
        self.state = state
        self._detail = detail
        self._deadline = time.monotonic() + retry_in if retry_in else None
        if self._deadline is not None:
            self._timer.start()
        else:
            self._timer.stop()
        self._render()

    def _render(self) -> None:
        color = {"connected": "#2eaa4f", "connecting": "#f2b01e", "offline": "#d93f3f"}[
            self.state.value
        ]
        self.dot.setText("●")
        self.dot.setStyleSheet(f"color: {color};")
        if self.state is ConnectionState.CONNECTED:
            text = self.tr("Connected")
        elif self.state is ConnectionState.OFFLINE:
            text = self.tr("Offline")
        elif self._deadline is not None:
            left = max(0, round(self._deadline - time.monotonic()))
            text = self.tr("Reconnecting in %n s", "", left) if left else self.tr("Reconnecting…")
            if not left:
                self._timer.stop()
        else:
            text = self.tr("Connecting…")
        self.label.setText(text)
        tip = self._detail
        if self.state is not ConnectionState.CONNECTED:
            tip = "\n".join(t for t in (tip, self.tr("Click to reconnect now")) if t)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()
        self.setToolTip(plain_tooltip(tip))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self.state is not ConnectionState.CONNECTED
            and self.rect().contains(event.position().toPoint())
        ):
            self.sig_reconnect.emit()
        super().mouseReleaseEvent(event)


class ProblemBanner(QFrame):
    """A non-blocking message above the chat; closes itself after a while."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemBanner")
        self.setStyleSheet(
            "#problemBanner { background: #fff4e5; border: 1px solid #f0c36d; border-radius: 6px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setObjectName("problemText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        ignored(self.label)
        layout.addWidget(self.label, 1)
        close = QToolButton()
        close.setObjectName("problemClose")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Close"))
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_problem(self, text: str, detail: str = "") -> None:
        """`text` in the specialist's words (ui.common.problem_texts for a problem's code)."""
        shown = text
        if detail:  # the server's (or a proxy's) words, said to be theirs (and English):
            # one line, marked, isolated, cut
            said = preview_line(detail, DETAIL_SHOWN)
            shown += "\n" + self.tr("The server explained: %1").replace("%1", said)
        self.label.setText(shown)
        self.show()
        self._timer.start(PROBLEM_SHOWN_MS)

"""The incoming-call pop-up: who calls, Answer / Decline, how long it has been ringing.

Seed 000 4.1: a call is answered within 4–5 seconds, so the counter turns amber at 4 s. The
clock is injectable (`clock`, seconds) so a test can be at 4 s without waiting 4 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.common.text import NAME_SHOWN, preview_line

AMBER_AFTER = 4.0  # seconds of ringing (seed 000 4.1)
AMBER = "#d98e04"


class IncomingCallPopup(QFrame):
    """Signals: `sig_answer()` and `sig_decline()`, the specialist's choice; `sig_open_chat()`,
    the caller's chat (shown once the caller is known as a client user: `show_caller`)."""

    sig_answer = Signal()
    sig_decline = Signal()
    sig_open_chat = Signal()

    def __init__(
        self,
        caller: str,
        detail: str = "",
        parent: QWidget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("incomingCall")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._clock = clock
        self._since = clock()
        # the From as the PBX wrote it: a display name is anyone's text (an override in it
        # would turn the number round), so one line, the controls marked, isolated
        self.caller = QLabel(preview_line(caller, NAME_SHOWN))
        self.caller.setObjectName("incomingCaller")
        self.caller.setTextFormat(Qt.TextFormat.PlainText)  # a name from outside: never markup
        self.detail = QLabel(detail)
        self.detail.setObjectName("incomingDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.counter = QLabel()
        self.counter.setObjectName("ringingCounter")
        self.answer = QPushButton(self.tr("Answer"))
        self.answer.setObjectName("answerCall")
        self.decline = QPushButton(self.tr("Decline"))
        self.decline.setObjectName("declineCall")
        self.open_chat = QPushButton(self.tr("Open chat"))
        self.open_chat.setObjectName("openCallerChat")
        self.open_chat.clicked.connect(self.sig_open_chat)
        self.open_chat.hide()
        self.answer.clicked.connect(self.sig_answer)
        self.decline.clicked.connect(self.sig_decline)
        buttons = QHBoxLayout()
        buttons.addWidget(self.answer)
        buttons.addWidget(self.decline)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Incoming call")))
        layout.addWidget(self.caller)
        layout.addWidget(self.detail)
        layout.addWidget(self.open_chat)
        layout.addWidget(self.counter)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.tick()

    def show_caller(self, name: str, company: str | None, address: str) -> None:
        """The caller as a client user: their name, company and address; their chat."""
        self.caller.setText(preview_line(name, NAME_SHOWN))  # bidi controls shown, not obeyed
        parts = (company or "", address)
        self.detail.setText("\n".join(preview_line(part, NAME_SHOWN) for part in parts if part))
        self.open_chat.show()

    @property
    def amber(self) -> bool:
        return self.ringing_for() >= AMBER_AFTER

    def ringing_for(self) -> float:
        return max(0.0, self._clock() - self._since)

    def tick(self) -> None:
        seconds = int(self.ringing_for())
        self.counter.setText(self.tr("Ringing for %n s", "", seconds))
        self.counter.setStyleSheet(f"color: {AMBER}; font-weight: bold" if self.amber else "")

    def closeEvent(self, event: object) -> None:
        self._timer.stop()
        super().closeEvent(event)  # type: ignore[arg-type]

"""The in-call controls: who, the call's timer, mute, hold, the DTMF keypad, hang up.

Signals carry the specialist's intent; the feature (ui/calls/feature.py) acts on the call.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")


class InCallPanel(QDockWidget):
    """Signals: `sig_mute(bool)`, `sig_hold(bool)`, `sig_digit(str)`, `sig_transfer()` (the
    specialist asks where to transfer the call), `sig_hang_up()`."""

    sig_mute = Signal(bool)
    sig_hold = Signal(bool)
    sig_digit = Signal(str)
    sig_transfer = Signal()
    sig_hang_up = Signal()

    def __init__(self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.setObjectName("inCallPanel")
        self.setWindowTitle(self.tr("Call"))
        self._clock = clock
        self._since: float | None = None
        body = QWidget()
        self.peer = ""  # the call shown: its other side as written (`start`)
        self.who = QLabel()
        self.who.setObjectName("callPeer")
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.timer = QLabel("0:00")
        self.timer.setObjectName("callTimer")
        self.state = QLabel()
        self.state.setObjectName("callState")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.audio = QLabel()  # where the call's sound goes, when not where it was chosen
        self.audio.setObjectName("callAudioNotice")
        self.audio.setTextFormat(Qt.TextFormat.PlainText)
        self.audio.setWordWrap(True)
        self.audio.hide()
        self.registration = QLabel()
        self.registration.setObjectName("pbxRegistration")
        self.registration.setTextFormat(Qt.TextFormat.PlainText)
        self.mute = QPushButton(self.tr("Mute"))
        self.mute.setObjectName("muteCall")
        self.mute.setCheckable(True)
        self.hold = QPushButton(self.tr("Hold"))
        self.hold.setObjectName("holdCall")
        self.hold.setCheckable(True)
        self.transfer = QPushButton(self.tr("Transfer…"))
        self.transfer.setObjectName("transferCall")
        self.transfer.clicked.connect(self.sig_transfer)
        self.hang_up = QPushButton(self.tr("Hang up"))
        self.hang_up.setObjectName("hangUpCall")
        self.mute.toggled.connect(self.sig_mute)
        self.hold.toggled.connect(self.sig_hold)
        self.hang_up.clicked.connect(self.sig_hang_up)
        pad = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(KEYS):
            button = QPushButton(key)
            button.setObjectName(f"dtmf{'star' if key == '*' else 'hash' if key == '#' else key}")
            button.clicked.connect(lambda _c=False, k=key: self.sig_digit.emit(k))
            pad.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        row = QHBoxLayout()
        for button in (self.mute, self.hold, self.transfer, self.hang_up):
            row.addWidget(button)
        layout = QVBoxLayout(body)
        for label in (self.registration, self.who, self.state, self.timer, self.audio):
            layout.addWidget(label)
        layout.addLayout(row)
        layout.addLayout(pad)
        self.setWidget(body)
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self.show_time)

    def start(self, peer: str) -> None:
        from ui.common.text import NAME_SHOWN, preview_line

        self.peer = peer  # as the call wrote it; shown on one line, its controls marked
        self.who.setText(preview_line(peer, NAME_SHOWN))
        self._since = self._clock()
        for button in (self.mute, self.hold):  # a new call's state, not a wish to change it
            blocked = button.blockSignals(True)
            button.setChecked(False)
            button.blockSignals(blocked)
        self.transfer.setEnabled(True)
        self.show_audio("")
        self._tick.start()
        self.show_time()
        self.show()

    def show_call(self, held: bool, muted: bool) -> None:
        """Hold and Mute as the call is (held for a call waiting…), without asking again."""
        for button, checked in ((self.hold, held), (self.mute, muted)):
            blocked = button.blockSignals(True)
            button.setChecked(checked)
            button.blockSignals(blocked)

    def show_audio(self, notice: str) -> None:
        self.audio.setText(notice)
        self.audio.setVisible(bool(notice))

    def stop(self) -> None:
        self._tick.stop()
        self._since = None

    def show_time(self) -> None:
        if self._since is None:
            return
        seconds = int(self._clock() - self._since)
        self.timer.setText(f"{seconds // 60}:{seconds % 60:02d}")

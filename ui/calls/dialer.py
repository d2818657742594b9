"""The dialer: a number field and a number pad, Call and Close.

Opened by the Dialer command (Ctrl+Shift+P), by `open_dialer(number)` (a phone number
clicked in the info panel), by the Call command when no user is open, and by a
`tel:`/`sip:` link handed over by a second start (ui/mainwindow/single_instance.py). What
cannot be dialled is said under the field and nothing is lost: the text stays as typed.

Signal: `sig_dial(str)`, the target to call (telephony.links.dial_target's result).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from telephony.links import NotDialable, dial_target
from ui.calls.panel import KEYS

log = logging.getLogger("linedesk.ui.calls")


class Dialer(QDialog):
    sig_dial = Signal(str)
    """The specialist pressed Call on something that can be dialled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialer")
        self.setWindowTitle(self.tr("Dialer"))
        self.number = QLineEdit()
        self.number.setObjectName("dialerNumber")
        self.number.setPlaceholderText(self.tr("Number or SIP address"))
        self.number.setClearButtonEnabled(True)
        self.problem = QLabel()
        self.problem.setObjectName("dialerProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a pasted text
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.hide()
        self.number.textEdited.connect(lambda _text: self.problem.hide())
        pad = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(KEYS):
            button = QPushButton(key)
            name = "star" if key == "*" else "hash" if key == "#" else key
            button.setObjectName(f"dialKey{name}")
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing goes on in the field
            button.clicked.connect(lambda _c=False, k=key: self._press(k))
            pad.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        self.call = QPushButton(self.tr("Call"))
        self.call.setObjectName("dialerCall")
        self.call.setDefault(True)
        self.call.clicked.connect(self.dial)
        close = QPushButton(self.tr("Close"))
        close.setObjectName("dialerClose")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.call)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.problem)
        layout.addLayout(pad)
        layout.addLayout(buttons)

    def set_number(self, number: str) -> None:
        self.number.setText(number.strip())
        self.problem.hide()
        self.number.setFocus()
        self.number.end(False)

    def set_link(self, link: str) -> None:
        """A `tel:`/`sip:` link from another program: its number; a link it cannot read
        stays as it came, with what is wrong with it."""
        try:
            number = dial_target(link)
        except NotDialable as exc:
            log.info("a link from another program could not be dialled (%s)", exc.reason)
            self.set_number(link)
            self.dial()  # says why, and keeps the text
            return
        log.info("a link from another program opened the dialer with %s", number)
        self.set_number(number)

    def _press(self, key: str) -> None:
        self.number.insert(key)
        self.problem.hide()

    def dial(self) -> None:
        from ui.calls.texts import not_dialable_text

        try:
            target = dial_target(self.number.text())
        except NotDialable as exc:
            self.problem.setText(not_dialable_text(exc.reason))
            self.problem.show()
            self.number.setFocus()
            return
        self.sig_dial.emit(target)
        self.accept()

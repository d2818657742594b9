"""The dialog that asks before disconnecting a user from the line: why (required, as the
server takes it: at most 500 characters, something besides spaces and invisible characters),
with the seed's warning as the hint; Disconnect while the reason is there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from contract.disconnections import MAX_REASON
from contract.types import shows_something
from ui.common.text import isolated
from ui.common.text_dialog import TextDialog


class DisconnectDialog(TextDialog):
    def __init__(self, name: str, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__("disconnect", reason, MAX_REASON, parent)
        self.setWindowTitle(self.tr("Disconnect from the line"))
        ask = QLabel(
            self.tr(
                "Disconnect %1 from this support line? Their open ticket is finished, and the"
                " line takes no messages, files or calls from them until a specialist of the"
                " line restores them."
            ).replace("%1", isolated(name))
        )
        ask.setObjectName("disconnectAsk")
        ask.setTextFormat(Qt.TextFormat.PlainText)  # the name is the user's: never markup
        ask.setWordWrap(True)
        self.box.addWidget(ask)
        self.box.addWidget(QLabel(self.tr("Reason (the user and your colleagues see it):")))
        self.editor.setPlaceholderText(
            self.tr("Repeated breach of the business style of communication after a warning")
        )
        self.why.setStyleSheet("color: #b3261e;")
        ok = self.buttons.addButton(self.tr("Disconnect"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("disconnectOk")
        self.place(ok)
        self.resize(440, 260)

    def reason(self) -> str:
        return self.text()

    def takes(self, text: str) -> bool:
        return shows_something(text)

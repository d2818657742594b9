"""The dialog of a ticket's comment: the comment so far to edit, said to be for the
colleagues only; Save while the text is new, not empty and within the server's length."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from contract.tickets import MAX_NOTE
from ui.tickets.holder import translate


class CommentDialog(QDialog):
    def __init__(self, before: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("commentDialog")
        self.setWindowTitle(translate("Tickets", "Comment on the ticket"))
        self._before = before
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                translate("Tickets", "For your colleagues of the line: the user does not see it")
            )
        )
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("commentText")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlainText(before)
        layout.addWidget(self.editor, 1)
        self.why = QLabel()
        self.why.setObjectName("commentWhy")
        layout.addWidget(self.why)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._enable)
        self._enable()
        self.resize(420, 240)

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def _enable(self) -> None:
        text = self.text()
        too_long = len(text) > MAX_NOTE
        self.why.setText(
            translate("Tickets", "Too long: at most %1 characters").replace("%1", str(MAX_NOTE))
            if too_long
            else ""
        )
        self.save.setEnabled(bool(text) and text != self._before and not too_long)

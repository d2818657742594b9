"""A dialog around one plain text to write — a ticket's comment, a disconnection's reason: the
words above it (the subclass's), the text, what keeps it from being taken (too long for the
server), and the buttons; its OK button is enabled while the text is taken (`takes`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class TextDialog(QDialog):
    """``name`` prefixes the object names (``<name>Dialog``, ``<name>Text``, ``<name>Why``);
    ``limit`` is the server's length. A subclass adds its words to ``box``, then calls
    :meth:`place` with its OK button (one of ``buttons``)."""

    def __init__(self, name: str, before: str, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Dialog")
        self.limit = limit
        self.box = QVBoxLayout(self)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName(f"{name}Text")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlainText(before)
        self.why = QLabel()
        self.why.setObjectName(f"{name}Why")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def place(self, ok: QPushButton) -> None:
        """The text, why it is not taken, the buttons — under the subclass's words."""
        self.ok = ok
        self.box.addWidget(self.editor, 1)
        self.box.addWidget(self.why)
        self.box.addWidget(self.buttons)
        self.editor.textChanged.connect(self._enable)
        self._enable()

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def takes(self, text: str) -> bool:
        """Whether OK may take ``text`` (within the limit): not empty, by default."""
        return bool(text)

    def _enable(self) -> None:
        text = self.text()
        too_long = len(text) > self.limit
        self.why.setText(
            QCoreApplication.translate("TextDialog", "Too long: at most %1 characters").replace(
                "%1", str(self.limit)
            )
            if too_long
            else ""
        )
        self.ok.setEnabled(self.takes(text) and not too_long)

"""The dialog of a ticket's comment: the comment so far to edit, said to be for the
colleagues only; Save while the text is new, not empty and within the server's length."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget

from contract.tickets import MAX_NOTE
from ui.common.text_dialog import TextDialog
from ui.tickets.holder import translate


class CommentDialog(TextDialog):
    def __init__(self, before: str, parent: QWidget | None = None) -> None:
        super().__init__("comment", before, MAX_NOTE, parent)
        self.setWindowTitle(translate("Tickets", "Comment on the ticket"))
        self._before = before
        self.box.addWidget(
            QLabel(
                translate("Tickets", "For your colleagues of the line: the user does not see it")
            )
        )
        self.save = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.place(self.save)
        self.resize(420, 240)

    def takes(self, text: str) -> bool:
        return bool(text) and text != self._before

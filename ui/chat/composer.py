"""The message composer: part of the window's first frame (ui.mainwindow.window), so it stays
light — Qt's `Qt` namespace is reached through QtCore only when a key is pressed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QMimeData, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPlainTextEdit, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

MAX_CHARS = 10_000
"""The server's limit on one message's text (docs/api.md)."""


class Composer(QPlainTextEdit):
    """Enter sends, Shift+Enter breaks the line. Text over the limit stays in the composer."""

    sig_send = Signal(str)
    """The specialist pressed Enter (or Send) with this text."""
    sig_image_pasted = Signal(QImage)
    """An image was pasted (or dropped as an image): to be sent as a file."""
    sig_files_pasted = Signal(list)
    """Local files were pasted or dropped on the composer: their paths (str)."""
    sig_too_long = Signal(int)
    """Enter was pressed on a text of this many characters, over MAX_CHARS; nothing was sent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setTabChangesFocus(True)
        self.setPlaceholderText(self.tr("Write a message… (Enter sends, Shift+Enter: new line)"))
        line = self.fontMetrics().lineSpacing()
        self.setFixedHeight(int(line * 3.4) + 12)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        Qt = QtCore.Qt
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if e.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.textCursor().insertText("\n")
                return
            if not e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                self.submit()
                return
        super().keyPressEvent(e)

    def submit(self) -> None:
        from contract.types import shows_something  # not before the first paint (msgspec)

        text = self.toPlainText()
        if self.isReadOnly():  # the user cannot receive it (ui/disconnect): the text stays
            return
        if not shows_something(text):  # spaces and zero-width characters: nothing to read
            return
        if len(text.strip()) > MAX_CHARS:
            self.sig_too_long.emit(len(text.strip()))
            return
        self.sig_send.emit(text)
        self.clear()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return (
            source.hasImage() or local_files(source) != [] or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = local_files(source)
        if files:
            self.sig_files_pasted.emit(files)
            return
        if source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.sig_image_pasted.emit(image)
            return
        super().insertFromMimeData(source)


def local_files(source: QMimeData) -> list[str]:
    """The local files `source` carries (a drop or a copy in a file manager)."""
    if not source.hasUrls():
        return []
    return [u.toLocalFile() for u in source.urls() if u.isLocalFile() and u.toLocalFile()]

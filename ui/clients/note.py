"""The users pane's notes (a streaming line's, the filter's): a sentence the specialist reads
whole and clicks. On a flat QPushButton (neither wrapped nor cut) such a sentence set the
pane's minimum width to its own (226 → 585 px on a streaming line), squeezing the chat; cut
with "…" it would lose its end, where what it does is said ("Change…", "✕"). Wrapped, it asks
the pane for height only.

Part of the window's first frame: no `Qt` namespace until a text is set
(tests/window/test_first_frame.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QMouseEvent

STYLE = "QLabel { color: palette(link); } QLabel:focus { text-decoration: underline; }"


class NoteButton(QLabel):
    """A plain-text sentence, wrapped to the pane's width, that acts as a button: a click,
    or Space/Enter once reached with Tab, emits `clicked`; its accessible name is the text."""

    clicked = Signal()
    """The specialist clicked the note or pressed it from the keyboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(STYLE)
        # the pane's width is the layout's to give: the sentence wraps to it
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._ready = False

    def setText(self, text: str) -> None:
        if not self._ready:  # (after the first paint: the Qt namespace is free now)
            Qt = QtCore.Qt
            self.setTextFormat(Qt.TextFormat.PlainText)  # a company's name is someone's text
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self._ready = True
        super().setText(text)
        self.setAccessibleName(text)

    def click(self) -> None:
        self.clicked.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == QtCore.Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        Key = QtCore.Qt.Key
        if event.key() in (Key.Key_Space, Key.Key_Return, Key.Key_Enter):
            self.clicked.emit()
            event.accept()
            return
        super().keyPressEvent(event)

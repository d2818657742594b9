"""A button whose text never widens its pane: a sentence on a flat button (the users pane's
streaming note) set the pane's minimum width to the sentence's, squeezing the chat.

Light for the window's first frame: no `Qt` namespace and no ui.common.text until a text is
set (tests/window/test_first_frame.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

ELLIPSIS = "…"


class ElidedButton(QPushButton):
    """A button as wide as its pane lets it be: its whole text when it fits, cut with "…" when
    it does not; the whole text always in its tooltip and accessible name. `text()` is the
    whole text. Clicked and reached by the keyboard as any button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._whole = ""
        # the pane's width is the layout's to give: this button's text asks for none of it
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:
        from ui.common.text import plain_tooltip

        self._whole = text
        self.setToolTip(plain_tooltip(text))
        self.setAccessibleName(text)
        self._elide()

    def text(self) -> str:
        return self._whole

    def shown_text(self) -> str:
        """What the button shows now (the whole text, or its start and "…")."""
        return super().text()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(
            self._padding() + self.fontMetrics().horizontalAdvance(ELLIPSIS), hint.height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._elide()
        super().resizeEvent(event)

    def _padding(self) -> int:
        """The button's own width around its text (frame and margins, in this style)."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        size = self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option, QSize(0, 0), self
        )
        return size.width()

    def _elide(self) -> None:
        from PySide6 import QtCore

        room = self.width() - self._padding()
        metrics = self.fontMetrics()
        whole = self._whole
        shown = whole
        if metrics.horizontalAdvance(whole) > room:
            shown = metrics.elidedText(whole, QtCore.Qt.TextElideMode.ElideRight, max(room, 0))
        if shown != super().text():
            super().setText(shown)

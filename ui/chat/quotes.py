"""Quoting: the message being quoted, shown above the composer until the reply goes (or
✕ drops it); the reply carries it (`quote_id`), and its bubble shows the quote.

The quoted message's text is shown whole and can be selected: a selection quotes only that
fragment (`quote_text`; the server checks it is a part of the message), the bubble shows it
between "…". Nothing selected: the whole message."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from app.core.domain import Message
from ui.common.text import marked, preview_line

LINES = 3  # the quoted text's height, in lines (it scrolls when longer)


class QuoteBar(QWidget):
    sig_dropped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 2, 2)
        column = QVBoxLayout()
        column.setSpacing(0)
        self.label = QLabel()
        self.label.setObjectName("quoteAuthor")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setStyleSheet("color: palette(placeholder-text);")
        self.text = QPlainTextEdit()
        self.text.setObjectName("quoteText")
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.text.setStyleSheet("border-left: 3px solid #3b6fd4; padding-left: 4px;")
        self.text.setToolTip(self.tr("Select a part of it to quote only that part"))
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * LINES + 10)
        self.text.selectionChanged.connect(self._say_what)
        column.addWidget(self.label)
        column.addWidget(self.text)
        self.drop = QToolButton()
        self.drop.setText("✕")
        self.drop.setToolTip(self.tr("Do not quote"))
        self.drop.clicked.connect(self.sig_dropped)
        row.addLayout(column, 1)
        row.addWidget(self.drop, 0, Qt.AlignmentFlag.AlignTop)
        self.message: Message | None = None
        self.hide()

    def quote(self, message: Message) -> None:
        self.message = message
        text = message.text.strip() or (message.file.name if message.file else "")
        self.text.setPlainText(marked(text))  # direction controls shown as marks
        self._say_what()
        self.show()

    def fragment(self) -> str:
        """The selected part of the quoted text ("": none — the whole message is quoted),
        as the message has it (marks back to the controls they show)."""
        if self.message is None:
            return ""
        selected = self.text.textCursor().selectedText().replace("\u2029", "\n").strip()
        if not selected or selected == self.text.toPlainText().strip():
            return ""
        start = self.text.textCursor().selectionStart()
        return _unmarked(self.message.text.strip(), self.text.toPlainText(), start, selected)

    def _say_what(self) -> None:
        name = self.message.author.full_name if self.message is not None else ""
        part = bool(self.text.textCursor().selectedText().strip()) and bool(self.fragment())
        said = self.tr("%1 — the selected part:") if part else self.tr("%1:")
        self.label.setText(said.replace("%1", preview_line(name)))

    def clear(self) -> None:
        self.message = None
        self.text.clear()
        self.label.clear()
        self.hide()


def _unmarked(original: str, shown: str, start: int, selected: str) -> str:
    """The part of `original` that `selected` (from `start` in `shown`, which is `original`
    with its direction controls as marks) shows; the same text when there are no marks."""
    if shown == original:
        return selected
    # map shown positions to the original's by walking both (a mark is one control)
    from ui.common.text import BIDI_MARKS

    marks = {mark: chr(code) for code, mark in BIDI_MARKS.items()}
    out, i, j = [], 0, 0
    end = start + len(selected)
    while i < len(shown) and j < len(original):
        mark = next((m for m in marks if shown.startswith(m, i)), None)
        step = len(mark) if mark is not None and original[j] == marks[mark] else 1
        if start <= i < end:
            out.append(original[j])
        i, j = i + step, j + 1
    return "".join(out).replace("\u2029", "\n").strip()

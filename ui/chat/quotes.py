"""Quoting: the message being quoted, shown above the composer until the reply goes (or
✕ / Esc drops it); the reply carries it (`quote_id`), and its bubble shows the quote."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.core.domain import Message
from ui.common.text import marked


class QuoteBar(QWidget):
    sig_dropped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 2, 2)
        self.label = QLabel()
        self.label.setObjectName("quoteText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setStyleSheet(
            "color: palette(placeholder-text); border-left: 3px solid #3b6fd4; padding-left: 6px;"
        )
        self.drop = QToolButton()
        self.drop.setText("✕")
        self.drop.setToolTip(self.tr("Do not quote"))
        self.drop.clicked.connect(self.sig_dropped)
        row.addWidget(self.label, 1)
        row.addWidget(self.drop)
        self.message: Message | None = None
        self.hide()

    def quote(self, message: Message) -> None:
        self.message = message
        text = " ".join(message.text.split()) or (message.file.name if message.file else "")
        line = f"{message.author.full_name}: {text}"
        metrics = self.label.fontMetrics()
        width = max(200, self.width() - 60)
        self.label.setText(metrics.elidedText(marked(line), Qt.TextElideMode.ElideRight, width))
        self.show()

    def clear(self) -> None:
        self.message = None
        self.label.clear()
        self.hide()

"""The child of test_screenshot.py, under Xvfb: paints chat bubbles and row previews with
hostile direction controls and emoji, saves the screenshots and what it compared.

    python -m tests.chat.bubbles_shot OUT_DIR
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication

from app.core.domain import Author, Message
from ui.chat.model import ChatModel
from ui.chat.view import ChatView
from ui.common.text import preview_line

SPOOF = "Счёт за 12:30 файл\u202eexe.txt\u202c готов \u200f12:30"
LITERAL = "Счёт за 12:30 файл[RLO]exe.txt[PDF] готов [RLM]12:30"
EMOJI = "👍🏽 👨‍👩‍👧 ✅"
WHEN = datetime(2026, 12, 4, 12, 30, tzinfo=UTC)


def bubble(app: QApplication, text: str) -> QImage:
    model = ChatModel()
    view = ChatView(model)
    view.resize(520, 160)
    message = Message(1, 1, "k1", Author(5, "client", "Клиент \u202eтсуп"), text, WHEN)
    model.open(5, 1, [message], False)
    view.show()
    for _ in range(5):
        app.processEvents()
    image = view.viewport().grab().toImage()
    view.hide()
    return image


def line(text: str) -> QImage:
    image = QImage(420, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    metrics = QFontMetrics(painter.font())
    painter.drawText(
        QRect(0, 0, 420, 24),
        int(Qt.AlignmentFlag.AlignLeft.value | Qt.AlignmentFlag.AlignVCenter.value),
        metrics.elidedText(text, Qt.TextElideMode.ElideRight, 420),
    )
    painter.end()
    return image


def coloured(image: QImage) -> int:
    """Pixels whose red, green and blue differ markedly: a colour emoji, not a grey box."""
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) > 80:
                count += 1
    return count


def main(out: Path) -> int:
    app = QApplication([sys.argv[0]])
    spoof, literal = bubble(app, SPOOF), bubble(app, LITERAL)
    emoji, blank = bubble(app, EMOJI), bubble(app, "")
    row_spoof = line(preview_line(SPOOF))
    row_literal = line(preview_line(LITERAL))
    row_obeyed = line(SPOOF)  # what the list drew before: the controls obeyed
    for name, image in (
        ("bubble-spoof", spoof),
        ("bubble-literal", literal),
        ("bubble-emoji", emoji),
        ("row-spoof", row_spoof),
        ("row-obeyed", row_obeyed),
    ):
        image.save(str(out / f"{name}.png"))
    result = {
        "platform": app.platformName(),
        "bubble_same_as_literal": spoof == literal,
        "row_same_as_literal": row_spoof == row_literal,
        "row_obeyed_differs": row_obeyed != row_literal,
        "emoji_coloured": coloured(emoji) - coloured(blank),
    }
    (out / "result.json").write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))

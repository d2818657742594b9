"""The child of test_screenshot.py's folding test, under Xvfb: a chat with a client's pasted
log, folded, then unfolded by a click on its link, then read to its end; saves the three
screenshots and what it measured.

    python -m tests.chat.fold_shot OUT_DIR
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.domain import Author, Delivery, Message
from ui.chat.bubble import LINK
from ui.chat.model import ChatModel
from ui.chat.view import ChatView
from ui.common import i18n

WHEN = datetime(2026, 12, 4, 9, 12, tzinfo=UTC)
CLIENT = Author(5, "client", "Андрей Соколов")
ME = Author(7, "specialist", "Мария Демидова")
LOG = "\n".join(
    f"12:{i // 60:02d}:{i % 60:02d} ERROR [worker-{i % 7}] 1С: нет связи ({i})" for i in range(180)
)


def messages() -> list[Message]:
    said = [
        (CLIENT, "Добрый день! После обновления 1С не запускается, прикладываю журнал."),
        (CLIENT, LOG),
        (ME, "Спасибо, смотрю журнал. Одну минуту."),
    ]
    return [
        Message(i + 1, 1, f"k{i}", who, text, WHEN + timedelta(minutes=i), delivery=Delivery.SENT)
        for i, (who, text) in enumerate(said)
    ]


def settle(app: QApplication) -> None:
    for _ in range(8):
        app.processEvents()


def link_pixels(image: QImage, left: int, top: int, right: int, bottom: int) -> int:
    count = 0
    for y in range(top, bottom):
        for x in range(left, right):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - LINK.red())
                + abs(c.green() - LINK.green())
                + abs(c.blue() - LINK.blue())
                < 90
            ):
                count += 1
    return count


def main(out: Path) -> int:
    app = QApplication([sys.argv[0]])
    i18n.install(app, "ru")
    model = ChatModel()
    view = ChatView(model)
    view.chat_delegate.my_id = ME.id
    view.resize(640, 520)
    model.open(5, 1, messages(), False)
    view.show()
    settle(app)
    index = model.index(1, 0)
    placed = view.chat_delegate.bubble_at(index, view.visualRect(index), view.font())
    assert placed is not None and placed[0].more is not None
    layout = placed[0]
    folded = view.viewport().grab().toImage()
    folded.save(str(out / "folded.png"))
    more = layout.more.toRect()
    top = view.visualRect(index).top()
    QTest.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(more.left() + 10, more.center().y()),
    )
    settle(app)
    unfolded = view.viewport().grab().toImage()
    unfolded.save(str(out / "unfolded.png"))
    kept_top = view.visualRect(index).top() == top
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + view.visualRect(index).bottom() - view.height() + 60)
    settle(app)
    end = view.chat_delegate.bubble_at(index, view.visualRect(index), view.font())
    assert end is not None and end[0].more is not None
    view.viewport().grab().save(str(out / "unfolded-end.png"))
    result = {
        "platform": app.platformName(),
        "link_left_is_text_left": layout.more.left() == layout.text_origin.x(),
        "link_pixels": link_pixels(folded, more.left(), more.top(), more.right(), more.bottom()),
        "kept_top": kept_top,
        "folded_h": layout.bubble.height(),
        "unfolded_h": view.visualRect(index).height(),
        "viewport_h": view.viewport().height(),
    }
    (out / "result.json").write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))

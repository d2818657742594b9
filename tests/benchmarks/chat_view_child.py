"""The child of bench_chat_flood.py: the chat pane's own share of a flood, without the server
or the network — a ChatView (model, delegate, view) shown offscreen over a chat of HISTORY
messages, fed RATE messages a second by a timer, as the window's thread would be fed by the
event stream. Prints the thread's CPU per message and how many times the chat was painted.

    python -m tests.benchmarks.chat_view_child [MESSAGES]
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.core.domain import Author, Message
from ui.chat.model import ChatModel
from ui.chat.view import ChatView

RATE = 50
HISTORY = 100
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def message(i: int) -> Message:
    words = " ".join(["слово"] * (1 + i % 12))
    return Message(
        id=i,
        chat_id=1,
        client_msg_id=f"m{i}",
        author=Author(50, "client", "Пётр Петров"),
        text=f"Поток №{i:03d}: {words}",
        created_at=START + timedelta(seconds=i),
    )


class Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def main(count: int) -> int:
    app = QApplication([sys.argv[0]])
    model = ChatModel()
    view = ChatView(model)
    view.resize(700, 650)
    view.show()
    model.open(50, 1, [message(i) for i in range(HISTORY)], False)
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:  # shown and laid out before the flood
        app.processEvents()
    paints = Paints()
    view.viewport().installEventFilter(paints)
    sent = [HISTORY]
    timer = QTimer()
    timer.setInterval(1000 // RATE)

    def tick() -> None:
        model.add(message(sent[0]))
        sent[0] += 1
        if sent[0] == HISTORY + count:
            timer.stop()
            QTimer.singleShot(500, app.quit)  # the last frame shown

    timer.timeout.connect(tick)
    cpu = time.thread_time()
    timer.start()
    app.exec()
    used = time.thread_time() - cpu
    bar = view.verticalScrollBar()
    print(
        json.dumps(
            {
                "messages": count,
                "rows": model.rowCount(),
                "cpu_ms_per_message": used * 1000 / count,
                "paints": paints.count,
                "at_bottom": bar.value() == bar.maximum(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))

"""The child of bench_chat.py's folding figures: a ChatView (model, delegate, view) shown
offscreen, as in the window, without the server. Prints one JSON object of samples (ms):

- `unfold`: a real mouse click on «Show all» of a 10 000-character message (a fresh one each
  time: its whole text never laid out before) until the view has repainted;
- `click`: the floor — the same click and repaint on the same chat, on a bubble where it
  changes nothing but a repaint asked for;
- `open_long` / `open_short`: a chat of 50 messages opened (`ChatModel.open`) until its
  first paint at the bottom is done: all of 10 000 characters, or all short.

    python -m tests.benchmarks.fold_child [RUNS]
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.domain import Author, Message
from tests.benchmarks.chat_view_child import Paints
from ui.chat.model import ChatModel
from ui.chat.view import ChatView

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
WORDS = [
    "договор",
    "счёт",
    "оплата",
    "принтер",
    "отчёт",
    "ошибка",
    "сервер",
    "обновление",
    "база",
    "пароль",
    "доступ",
]
CLIENT = Author(50, "client", "Пётр Петров")


def long_text(rng: random.Random) -> str:
    text = ""
    while len(text) < 10_000:
        text += rng.choice(WORDS) + (". " if rng.random() < 0.1 else " ")
    return text[:10_000]


def chat(prefix: str, texts: list[str]) -> list[Message]:
    return [
        Message(i, 1, f"{prefix}{i}", CLIENT, text, START + timedelta(seconds=i))
        for i, text in enumerate(texts)
    ]


def until_painted(app: QApplication, paints: Paints, start: float) -> float:
    """ms from `start` to the end of the next paint (events run until it is done)."""
    before = paints.count
    while paints.count == before:
        app.processEvents()
    return (time.perf_counter() - start) * 1000


def settled(app: QApplication, paints: Paints, start: float) -> float:
    """ms from `start` to the end of the last paint, once nothing is painted any more."""
    last, quiet = (time.perf_counter() - start) * 1000, 0
    while quiet < 20:
        before = paints.count
        app.processEvents()
        if paints.count != before:
            last, quiet = (time.perf_counter() - start) * 1000, 0
        else:
            quiet += 1
            time.sleep(0.002)
    return last


def main(runs: int) -> int:
    app = QApplication([sys.argv[0]])
    rng = random.Random(7)
    model = ChatModel()
    view = ChatView(model)
    view.resize(700, 650)
    view.show()
    paints = Paints()
    view.viewport().installEventFilter(paints)
    shorts = [f"Короткое сообщение №{i}: {rng.choice(WORDS)}" for i in range(50)]
    longs = [long_text(rng) for _ in range(50)]
    samples: dict[str, list[float]] = {"unfold": [], "click": [], "open_long": [], "open_short": []}
    for run in range(runs):
        for name, texts in (("open_short", shorts), ("open_long", longs)):
            start = time.perf_counter()
            model.open(50, 1, chat(f"{name}{run}-", texts), False)
            samples[name].append(settled(app, paints, start))
        # the last one (at the bottom) is unfolded: a fresh text, so never laid out whole
        texts = [*shorts[:49], long_text(rng)]
        model.open(50, 1, chat(f"unfold{run}-", texts), False)
        settled(app, paints, time.perf_counter())
        index = model.index(49, 0)
        placed = view.chat_delegate.bubble_at(index, view.visualRect(index), view.font())
        assert placed is not None and placed[0].more is not None and placed[0].shown_h
        more = placed[0].more.toRect()
        header = placed[0].bubble.toRect()
        # the floor: a click on the bubble's top edge (nothing there), the chat repainted
        start = time.perf_counter()
        QTest.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=header.topLeft() + QPoint(4, 2)
        )
        view.viewport().update()
        samples["click"].append(until_painted(app, paints, start))
        start = time.perf_counter()
        QTest.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(more.left() + 10, more.center().y()),
        )
        samples["unfold"].append(until_painted(app, paints, start))
        placed = view.chat_delegate.bubble_at(index, view.visualRect(index), view.font())
        assert placed is not None and placed[0].shown_h is None, "not unfolded"
    print(json.dumps(samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 15))

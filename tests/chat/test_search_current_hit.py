"""The chat search's current hit is read as easily as the others and told from them, as in a
browser's find: its row tinted with the selection's colour (not the style's solid blue, on
which the author and date were grey), its matches orange where the other hits' are yellow.
Looked at in the pixels the window draws."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage

from tests.chat.shown import Shown, shown
from tests.window.conftest import WINDOW_MARKS, Api

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]
WORD = "invoice"


def luminance(c: QColor) -> float:
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def pixels(image: QImage, rect: QRect) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    ]


def most(image: QImage, rect: QRect) -> QColor:
    counts = Counter(c.rgb() for c in pixels(image, rect))
    return QColor.fromRgb(counts.most_common(1)[0][0])


def test_the_current_hit_is_readable_and_told_from_the_others(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    user = shown.without_ticket(shown.pick_line())[-2]
    client = Api(live_server.url).login(user["login"])
    for n in (1, 2, 3):
        client.post_message(user["chat_id"], f"The {WORD} number {n} has not come")
    shown.open_user(user["id"])
    w = shown.window
    qtbot.keyClick(
        w.composer,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    panel = w.chat.jumps.panel
    qtbot.keyClicks(panel.field, WORD)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 3, timeout=10_000)
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)  # into the hits: the first is current
    qtbot.waitUntil(lambda: panel.list.currentIndex().row() == 0, timeout=5_000)
    image = panel.list.viewport().grab().toImage()
    m = QFontMetrics(panel.list.font())

    def look(row: int) -> tuple[QColor, QColor, QRect]:
        """The row's background, its first match's colour, its author line."""
        index = panel.model.index(row, 0)
        rect = panel.list.visualRect(index)
        back = image.pixelColor(rect.right() - 2, rect.top() + 1)
        inner = rect.adjusted(8, 4, -8, -4)
        hit = panel.model.hits[row]
        doc = panel.delegate.document(hit, panel.list.font())  # (the matches' places)
        doc.size()  # laid out
        block = doc.firstBlock()
        line = block.layout().lineAt(0)
        assert line.isValid()
        start, end = hit.spans[0]
        left = inner.left() + round(line.cursorToX(start)[0])
        right = inner.left() + round(line.cursorToX(end)[0])
        top = inner.top() + m.height()
        match = most(image, QRect(left, top, right - left, round(line.height())))
        return back, match, QRect(inner.left(), inner.top(), inner.width(), m.height())

    back, match, author = look(0)
    darkest = max(contrast(c, back) for c in pixels(image, author))
    assert darkest >= 4.5, (back.name(), darkest)  # the author and date readable on it
    other_back, other_match, _ = look(1)
    assert match.rgb() != back.rgb() and other_match.rgb() != other_back.rgb()
    assert match.rgb() != other_match.rgb(), match.name()  # the current hit's matches differ
    assert back.rgb() != other_back.rgb()  # and so does its row

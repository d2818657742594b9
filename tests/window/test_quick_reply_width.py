"""A long quick reply (one of the specialist's own, a link in it) wraps inside the palette,
cut after a few lines, its whole text in its tooltip: the palette never scrolls sideways,
and Enter still puts the whole snippet into the message field."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.window.conftest import WINDOW_MARKS
from tests.window.test_actions import shown
from tests.window.test_window import Shown

pytestmark = [*WINDOW_MARKS, pytest.mark.tickets]
__all__ = ["shown"]
LINK = "https://support.example.com/knowledge-base/articles/" + "exchange-settings-" * 6 + "1c"
LONG = (
    "Checked the exchange settings: the schedule was off. Please follow the instructions at "
    + LINK
    + " and restart the exchange. "
    + "If it still fails, send me the log from the program's folder. " * 5
).strip()


def test_a_long_quick_reply_wraps_with_its_text_on_hover(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = shown.without_ticket(line_id)[-2]
    shown.open_user(user["id"])
    w.activateWindow()
    w.composer.setFocus()
    w.composer.setPlainText(LONG)
    qtbot.keyClick(w.composer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.tickets.quick_palette is not None, timeout=5_000)
    palette = w.tickets.quick_palette
    qtbot.mouseClick(palette.keep, Qt.MouseButton.LeftButton)
    items = palette.items
    qtbot.waitUntil(lambda: items.count() > 0 and items.viewport().width() > 0, timeout=5_000)
    width = items.viewport().width()
    rows = [items.item(r) for r in range(items.count())]
    for item in rows:
        assert items.visualItemRect(item).right() < width, item.text()[:40]
    assert items.horizontalScrollBar().maximum() == 0
    kept = rows[-1]
    assert items.visualItemRect(kept).height() > items.visualItemRect(rows[1]).height()
    assert kept.text().endswith("…") and LINK in kept.toolTip()  # cut, whole on hover
    assert "send me the log" in kept.toolTip().rsplit("restart", 1)[1]
    palette.filter.insert("restart the exchange")
    qtbot.keyClick(palette.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.tickets.quick_palette is None, timeout=5_000)
    assert w.composer.toPlainText().count(LONG) == 2  # what I wrote, and the snippet whole

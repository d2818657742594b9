"""Search of the whole history and a jump, through the real window against the real server."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSlider

from tests.chat.shown import Shown, shown
from tests.window.conftest import WINDOW_MARKS, Api

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]


def test_search_finds_an_old_message_and_a_jump_shows_it_in_place(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    client = Api(live_server.url).login(user["login"])
    for i in range(60):
        client.post_message(user["chat_id"], f"Старое сообщение №{i}")
    old = client.post_message(user["chat_id"], "Ёлки, я потерял ДОГОВОРЫ поставки")
    for i in range(120):
        last = client.post_message(user["chat_id"], f"Новое сообщение №{i}")
    # the window has heard of all of them (else they come into the chat as they arrive)
    qtbot.waitUntil(
        lambda: (
            (row := shown.wp.users.get(user["id"])) is not None
            and row.last_message is not None
            and row.last_message.id == last["id"]
        ),
        timeout=20_000,
    )
    shown.open_user(user["id"])
    model = w.chat_model
    assert model.row_of(old["client_msg_id"]) < 0, (model.rowCount(), shown.wp.page)

    qtbot.keyClick(
        w.composer,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    panel = w.chat.jumps.panel
    assert w.chat.chat_stack.currentWidget() is panel and panel.field.hasFocus()
    panel.field.insert("елка договор")  # (QTest types ASCII only)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    hit = panel.model.hits[0]
    assert hit.message.id == old["id"]
    text = hit.message.text
    assert [text[s:e] for s, e in hit.spans] == ["Ёлки", "ДОГОВОРЫ"]
    doc = panel.delegate.document(hit, panel.list.font())
    assert doc.toPlainText() == text  # shown as plain text

    with qtbot.waitSignal(w.chat.jumps.sig_shown, timeout=10_000):
        qtbot.keyClick(panel.field, Qt.Key.Key_Down)
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert w.chat.chat_stack.currentWidget() is w.chat_view
    row = model.row_of(old["client_msg_id"])
    assert row >= 0 and model.highlight == old["client_msg_id"]
    assert model.message_at(row - 1) is not None and model.message_at(row + 1) is not None
    assert model.has_more and model.has_newer  # pages both ways from there
    index = model.index(row, 0)
    qtbot.waitUntil(
        lambda: w.chat_view.viewport().rect().intersects(w.chat_view.visualRect(index)),
        timeout=5_000,
    )
    # scrolled down: the newer pages come under it
    rows = model.rowCount()
    bar = w.chat_view.verticalScrollBar()
    with qtbot.waitSignal(model.rowsInserted, timeout=10_000):
        bar.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)
    assert model.rowCount() > rows
    assert model.message_at(rows).id > model.message_at(rows - 1).id  # in order


def test_only_stop_words_says_so(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    shown.open_user(user["id"])
    w.chat.jumps.open_search()
    panel = w.chat.jumps.panel
    panel.field.insert("и в на")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.waiting, timeout=10_000)
    assert panel.model.rowCount() == 0
    assert "и, в, на" in panel.status.text()
    qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert w.chat.chat_stack.currentWidget() is w.chat_view

"""Deleting one's own message through the real window against the real server: the
message's context menu, a question first, then "Message deleted" in its place — in this
window and in the user's history; the reply quoting it says its original was deleted, and
a click on that quote says so instead of jumping."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from app.core.domain import Message
from tests.chat.shown import Shown, shown
from tests.chat.test_quotes_window import click_quote
from tests.window.conftest import WINDOW_MARKS, Api

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]


def _row_of(shown: Shown, text: str) -> int:
    model = shown.window.chat_model
    for row in range(model.rowCount()):
        m = model.message_at(row)
        if m is not None and m.text == text:
            return row
    return -1


def _menu_action(shown: Shown, row: int, name: str) -> Any:
    view = shown.window.chat_view
    index = view.model().index(row, 0)
    view.scrollTo(index)
    view.customContextMenuRequested.emit(view.visualRect(index).center())
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    found = [a for a in menu.actions() if a.text() in name.split("|")]
    return menu, (found[0] if found else None)


def test_my_message_deleted_is_gone_for_both_and_its_quote_says_so(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    shown.open_user(user["id"])
    client = Api(live_server.url).login(user["login"])
    w.composer.setPlainText("Пароль от кабинета: 12345")
    w.composer.submit()
    model = w.chat_model

    def sent() -> Message | None:
        row = _row_of(shown, "Пароль от кабинета: 12345")
        m = model.message_at(row) if row >= 0 else None
        return m if m is not None and m.id is not None else None

    qtbot.waitUntil(lambda: sent() is not None, timeout=15_000)
    mine = sent()
    assert mine is not None and mine.id is not None
    client.call(
        "PUT",
        f"/chats/{user['chat_id']}/messages/{uuid.uuid4()}",
        {"text": "Записал", "quote_id": mine.id},
    )
    qtbot.waitUntil(lambda: _row_of(shown, "Записал") >= 0, timeout=15_000)
    # a client's message offers no Delete
    menu, action = _menu_action(shown, _row_of(shown, "Записал"), "Delete…|Удалить…")
    assert action is None
    menu.close()
    menu, action = _menu_action(shown, _row_of(shown, mine.text), "Delete…|Удалить…")
    assert action is not None
    action.trigger()
    menu.close()
    box = w.chat.findChild(QMessageBox, "deleteMessageBox")
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    def gone() -> bool:
        m = model.message_at(model.row_of(mine.client_msg_id))
        return m is not None and m.deleted

    qtbot.waitUntil(gone, timeout=15_000)
    assert _row_of(shown, "Пароль от кабинета: 12345") < 0
    row = model.row_of(mine.client_msg_id)
    doc = w.chat_view.chat_delegate._doc(model.message_at(row), w.chat_view.font(), 300)
    assert doc.toPlainText() in ("Message deleted", "Сообщение удалено")
    # the reply's quote says its original was deleted; a click on it says so, no jump
    reply_row = _row_of(shown, "Записал")
    qtbot.waitUntil(
        lambda: (
            (m := model.message_at(_row_of(shown, "Записал"))) is not None
            and m.quote is not None
            and m.quote.deleted
        ),
        timeout=15_000,
    )
    click_quote(shown, reply_row)
    qtbot.waitUntil(w.chat.banner.isVisible, timeout=10_000)
    assert w.chat.banner.label.text() in (
        "The quoted message was deleted.",
        "Цитируемое сообщение удалено.",
    )
    # the user sees it gone too
    history = client.call("GET", f"/chats/{user['chat_id']}/messages")["items"]
    theirs = next(m for m in history if m["id"] == mine.id)
    assert theirs["deleted"] and theirs["text"] == ""

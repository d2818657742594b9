"""Quotes through the real window against the real server: quote by the shortcut, shown
above the composer and in the sent bubble; a click on a quote of a message far back
loads it in place and highlights it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.chat.shown import Shown, shown
from tests.window.conftest import WINDOW_MARKS, Api

pytestmark = [*WINDOW_MARKS, pytest.mark.chat]
__all__ = ["shown"]

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def heard(shown: Shown, user_id: int, message_id: int) -> None:
    """The window has the user's row up to this message (so no message arrives later)."""

    def last() -> bool:
        row = shown.wp.users.get(user_id)
        return (
            row is not None and row.last_message is not None and (row.last_message.id == message_id)
        )

    shown.qtbot.waitUntil(last, timeout=20_000)


def click_quote(shown: Shown, row: int) -> None:
    w = shown.window
    model, view = w.chat_model, w.chat_view
    index = model.index(row, 0)
    view.scrollTo(index)
    delegate = view.chat_delegate
    message = model.message_at(row)
    above = len(delegate.separators(index))
    layout, _doc = delegate._layout(message, view.visualRect(index), view.font(), above)
    assert layout.quote is not None
    shown.qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=layout.quote.center().toPoint()
    )


def test_quote_by_shortcut_and_the_sent_bubble_shows_it(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    client = Api(live_server.url).login(user["login"])
    asked = client.post_message(user["chat_id"], "Какой у вас номер договора?")
    heard(shown, user["id"], asked["id"])
    shown.open_user(user["id"])
    qtbot.keyClick(w.composer, Qt.Key.Key_Q, CTRL_SHIFT)
    bar = w.chat.quote_bar
    assert bar.isVisible() and bar.message is not None and bar.message.id == asked["id"]
    assert "Какой у вас номер договора?" in bar.label.text()
    w.composer.setPlainText("Номер 42-17")
    qtbot.keyClick(w.composer, Qt.Key.Key_Return)
    assert not bar.isVisible()
    model = w.chat_model

    def sent_row() -> int:
        for r in range(model.rowCount() - 1, -1, -1):
            m = model.message_at(r)
            if m is not None and m.text == "Номер 42-17" and m.id is not None:
                return r
        return -1

    qtbot.waitUntil(lambda: sent_row() >= 0, timeout=15_000)
    sent = model.message_at(sent_row())
    assert sent is not None and sent.quote is not None and sent.quote.id == asked["id"]
    # a click on the quote highlights the original (here, on the page already)
    with qtbot.waitSignal(w.chat.jumps.sig_shown, timeout=10_000):
        click_quote(shown, sent_row())
    assert model.highlight == asked["client_msg_id"]


def test_a_quote_of_a_message_far_back_jumps_to_it(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    client = Api(live_server.url).login(user["login"])
    original = client.post_message(user["chat_id"], "Первый вопрос про счёт")
    for i in range(80):
        client.post_message(user["chat_id"], f"Потом №{i}")
    quoting = client.call(
        "PUT",
        f"/chats/{user['chat_id']}/messages/{uuid.uuid4()}",
        {"text": "Так что со счётом?", "quote_id": original["id"]},
    )
    heard(shown, user["id"], quoting["id"])
    shown.open_user(user["id"])
    model = w.chat_model
    assert model.row_of(original["client_msg_id"]) < 0  # not loaded
    last = model.rowCount() - 1
    assert model.message_at(last).quote.text == "Первый вопрос про счёт"
    with qtbot.waitSignal(w.chat.jumps.sig_shown, timeout=10_000):
        click_quote(shown, last)
    row = model.row_of(original["client_msg_id"])
    assert row >= 0 and model.highlight == original["client_msg_id"] and model.has_newer

"""Quotes through the real window against the real server: quote by the shortcut, shown
above the composer and in the sent bubble; a selected fragment quoted alone (the server
checks it is a part of the message); a click on a quote of a message far back loads it in
place and highlights it; a quote whose original is gone says so."""

from __future__ import annotations

import urllib.error
import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from app.core.domain import ConnectionState
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
    assert bar.text.toPlainText() == "Какой у вас номер договора?"
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


def quoted_far_back(shown: Shown, url: str) -> dict[str, Any]:
    """A user asks, writes 80 messages more, then quotes the first (not among the pages
    loaded); their chat open. The first message, as the server has it."""
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    client = Api(url).login(user["login"])
    original: dict[str, Any] = client.post_message(user["chat_id"], "Первый вопрос про счёт")
    for i in range(80):
        client.post_message(user["chat_id"], f"Потом №{i}")
    quoting = client.call(
        "PUT",
        f"/chats/{user['chat_id']}/messages/{uuid.uuid4()}",
        {"text": "Так что со счётом?", "quote_id": original["id"]},
    )
    heard(shown, user["id"], quoting["id"])
    shown.open_user(user["id"])
    return original


def test_a_quote_of_a_message_far_back_jumps_to_it(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    original = quoted_far_back(shown, live_server.url)
    model = w.chat_model
    assert model.row_of(original["client_msg_id"]) < 0  # not loaded
    last = model.rowCount() - 1
    assert model.message_at(last).quote.text == "Первый вопрос про счёт"
    with qtbot.waitSignal(w.chat.jumps.sig_shown, timeout=10_000):
        click_quote(shown, last)
    row = model.row_of(original["client_msg_id"])
    assert row >= 0 and model.highlight == original["client_msg_id"] and model.has_newer


def test_a_selected_fragment_is_quoted_alone(shown: Shown, qtbot: Any, live_server: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-2]
    client = Api(live_server.url).login(user["login"])
    asked = client.post_message(
        user["chat_id"], "Счёт пришёл дважды. И ещё: акт сверки за март не подписан"
    )
    heard(shown, user["id"], asked["id"])
    shown.open_user(user["id"])
    qtbot.keyClick(w.composer, Qt.Key.Key_Q, CTRL_SHIFT)
    bar = w.chat.quote_bar
    assert bar.fragment() == ""  # nothing selected: the whole message
    # the specialist double-clicks "сверки", then extends the selection by keys
    text = bar.text
    at = QTextCursor(text.document())
    at.setPosition(text.toPlainText().index("акт") + 1)
    qtbot.mouseDClick(text.viewport(), Qt.MouseButton.LeftButton, pos=text.cursorRect(at).center())
    assert text.textCursor().selectedText() == "акт"
    for _ in range(4):
        qtbot.keyClick(
            text,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert bar.fragment().startswith("акт сверки за март")
    part = bar.fragment()
    assert bar.label.text().endswith(("the selected part:", "выделенная часть:"))
    w.composer.setPlainText("Акт подпишем сегодня")
    qtbot.keyClick(w.composer, Qt.Key.Key_Return)
    model = w.chat_model

    def sent() -> Any:
        for r in range(model.rowCount() - 1, -1, -1):
            m = model.message_at(r)
            if m is not None and m.text == "Акт подпишем сегодня" and m.id is not None:
                return m
        return None

    qtbot.waitUntil(lambda: sent() is not None, timeout=15_000)
    quote = sent().quote
    assert quote is not None and quote.id == asked["id"] and quote.fragment
    assert quote.text == part
    from ui.chat.attachments import quote_lines

    assert quote_lines(quote)[1] == f"…{part}…"
    # what is not in the message is refused, in words
    with pytest.raises(urllib.error.HTTPError) as refused:
        shown.api.call(
            "PUT",
            f"/chats/{user['chat_id']}/messages/{uuid.uuid4()}",
            {"text": "Ответ", "quote_id": asked["id"], "quote_text": "договор расторгнут"},
        )
    assert refused.value.code == 404  # as a quote_id naming nothing: the field named
    assert "not a part of the quoted message" in refused.value.read().decode()


def test_a_quote_whose_original_is_not_in_the_chat_says_so(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    shown.open_user(user["id"])
    w.chat.jumps.jump(999_999_999)  # a quote of a message deleted, or of another chat
    qtbot.waitUntil(w.chat.banner.isVisible, timeout=10_000)
    assert w.chat.banner.label.text().startswith(
        (
            "That message is not in this chat any more",
            "Этого сообщения больше нет в чате",
            "It is no longer there: it was deleted",
            "Этого больше нет: объект удалён",
        )
    )


def test_a_quote_clicked_while_the_server_is_down_is_not_called_deleted(
    shown: Shown, qtbot: Any, server: Any
) -> None:
    """The page around the original could not be loaded: the banner says the server cannot
    be reached, not that the message was deleted (it said so over the right words)."""
    w = shown.window
    quoted_far_back(shown, server.url)
    server.stop()
    qtbot.waitUntil(lambda: w.connection.state is not ConnectionState.CONNECTED, timeout=20_000)
    click_quote(shown, w.chat_model.rowCount() - 1)
    qtbot.waitUntil(w.chat.banner.isVisible, timeout=20_000)
    qtbot.wait(300)  # (the jump's own words came just after the problem's)
    said = w.chat.banner.label.text()
    assert "not in this chat" not in said and "больше нет в чате" not in said, said

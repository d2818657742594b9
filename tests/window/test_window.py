"""The real window against the real server (the `server` fixture, or a child process)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSlider, QWidget

from app.core import changes as ch
from app.core.domain import ConnectionState, Delivery, Status
from tests.app.order import floated_items, newest
from tests.window.conftest import WINDOW_MARKS, Api, run_async, window_on
from ui.common.roles import ROW_ROLE
from ui.common.text import isolated
from ui.mainwindow.window import MainWindow

pytestmark = WINDOW_MARKS

LINE = "Техподдержка"  # 32 users: not streaming, every user is listed


class Shown:
    def __init__(self, qtbot: Any, window: MainWindow, wp: Any, api: Api) -> None:
        self.qtbot = qtbot
        self.window = window
        self.wp = wp
        self.api = api

    def pick_line(self, name: str = LINE) -> int:
        w = self.window
        self.qtbot.waitUntil(lambda: w.line_combo.findText(name) >= 0, timeout=15_000)
        pos = w.line_combo.findText(name)
        line_id = int(w.line_combo.itemData(pos))
        w.line_combo.setCurrentIndex(pos)
        w.line_combo.activated.emit(pos)
        self.qtbot.waitUntil(
            lambda: self.wp.users.line_id == line_id and w.users_model.rowCount() > 0,
            timeout=15_000,
        )
        return line_id

    def server_order(self, line_id: int) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self.api.call("GET", f"/lines/{line_id}/users?limit=500")[
            "items"
        ]
        return items

    def without_ticket(self, line_id: int) -> list[dict[str, Any]]:
        """The line's users (not colleagues) with a chat and no open ticket, server order."""
        return [
            u
            for u in self.server_order(line_id)
            if not u["colleague"] and u["open_ticket"] is None and u["chat_id"]
        ]

    def open_user(self, user_id: int) -> None:
        w = self.window
        pos = w.users_model.position(user_id)
        assert pos >= 0
        w.users_view.setCurrentIndex(w.users_model.index(pos, 0))
        self.qtbot.waitUntil(
            lambda: w.chat_model.user_id == user_id and w.composer.isEnabled(), timeout=15_000
        )


@pytest.fixture
def shown(qtbot: Any, live_server: Any, make_workplace: Any) -> Iterator[Shown]:
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as window:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        qtbot.waitUntil(
            lambda: window.connection.state is ConnectionState.CONNECTED, timeout=15_000
        )
        yield Shown(qtbot, window, wp, Api(live_server.url).login("demo"))


def test_sign_in_line_order_chat_and_history(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    assert "Демидова" in w.windowTitle()
    line_id = shown.pick_line()
    me = shown.api.call("GET", "/me")["id"]
    expected = floated_items(shown.server_order(line_id), me)
    qtbot.waitUntil(lambda: list(w.users_model.ids()) == expected, timeout=10_000)
    # messages first (newest first), then alphabetical — the server's order, the users
    # waiting for my answer floated above (longest wait first)
    names = [w.users_model.index(r, 0).data() for r in range(w.users_model.rowCount())]
    by_id = {u["id"]: u["full_name"] for u in shown.server_order(line_id)}
    assert names == [by_id[i] for i in expected]

    # a chat longer than one page: the client writes 60 messages first
    user = [u for u in shown.server_order(line_id) if not u["colleague"]][-1]
    client = Api(shown.api.url).login(user["login"])
    for i in range(60):
        client.post_message(user["chat_id"], f"Сообщение для истории №{i + 1}")
    qtbot.waitUntil(lambda: newest(shown.wp, w.users_model, user["id"]), timeout=15_000)
    shown.open_user(user["id"])
    assert w.chat_title.text() == isolated(user["full_name"])
    first_page = w.chat_model.rowCount()
    assert first_page > 0
    qtbot.waitUntil(lambda: w.info_panel.values["login"].text() == user["login"], timeout=10_000)
    assert w.chat_model.has_more
    top_message = w.chat_model.message_at(0)
    bar = w.chat_view.verticalScrollBar()
    # the chat opens at its newest message
    qtbot.waitUntil(lambda: 0 < bar.maximum() == bar.value(), timeout=5_000)
    with qtbot.waitSignal(w.chat_model.rowsInserted, timeout=10_000):
        bar.triggerAction(QAbstractSlider.SliderAction.SliderToMinimum)  # as Ctrl+Home or a drag
    assert w.chat_model.rowCount() > first_page
    # the message that was at the top is still in view: the position was kept
    row = w.chat_model.row_of(top_message.client_msg_id or f"id:{top_message.id}")
    assert row > 0
    rect = w.chat_view.visualRect(w.chat_model.index(row, 0))
    assert w.chat_view.viewport().rect().intersects(rect)


def test_send_message_is_delivered(shown: Shown, qtbot: Any) -> None:
    w = shown.window
    line_id = shown.pick_line()
    user = shown.server_order(line_id)[-1]
    shown.open_user(user["id"])
    text = "Добрый день! Проверяю доставку."
    w.composer.setFocus()
    w.composer.insertPlainText(text)
    qtbot.keyClick(w.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            (m := w.chat_model.message_at(w.chat_model.rowCount() - 1)) is not None
            and m.text == text
            and m.delivery is Delivery.SENT
            and m.id is not None
        ),
        timeout=15_000,
    )
    page = shown.api.call("GET", f"/chats/{user['chat_id']}/messages?limit=5")
    assert [m["text"] for m in page["items"]].count(text) == 1
    # the row went to the top of the list (below the users waiting for my answer)
    qtbot.waitUntil(lambda: newest(shown.wp, w.users_model, user["id"]), timeout=10_000)


def test_client_message_arrives_live_moves_row_and_stays_plain(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    w = shown.window
    line_id = shown.pick_line()
    users = [u for u in shown.server_order(line_id) if not u["colleague"]]
    user = users[-1]
    assert not newest(shown.wp, w.users_model, user["id"])
    shown.open_user(user["id"])
    client = Api(live_server.url).login(user["login"])
    chat_id = user["chat_id"]
    text = "<img src=file:///etc/passwd> <b>help</b> https://example.ru/x"
    resets: list[object] = []
    w.users_model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(w.users_model.rowsMoved, timeout=15_000):
        client.post_message(chat_id, text)
    qtbot.waitUntil(lambda: newest(shown.wp, w.users_model, user["id"]), timeout=15_000)
    assert resets == []  # a move, never a reset
    qtbot.waitUntil(
        lambda: any(
            (m := w.chat_model.message_at(r)) is not None and m.text == text
            for r in range(w.chat_model.rowCount())
        ),
        timeout=10_000,
    )
    # shown as the very characters: no image, no bold, one https link
    row = w.chat_model.rowCount() - 1
    message = w.chat_model.message_at(row)
    assert message is not None and message.author.kind == "client"
    doc = w.chat_view.chat_delegate._doc(message, w.chat_view.font(), 300)
    assert doc.toPlainText() == text
    html = doc.toHtml()
    assert "<img" not in html and "&lt;img src=file:///etc/passwd&gt;" in html
    assert 'href="https://example.ru/x"' in html
    w.chat_view.grab()  # paints without trouble


def test_a_message_while_another_window_is_in_front_stays_unread_until_seen(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    """The specialist opened a chat, then went to another window: the user's message shows
    in the chat but counts as unread (badge on the row) until LineDesk is in front again."""
    w = shown.window
    line_id = shown.pick_line()
    user = next(u for u in shown.server_order(line_id) if not u["colleague"])
    shown.open_user(user["id"])
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5_000)

    def unread() -> int:
        row = w.users_model.data(
            w.users_model.index(w.users_model.position(user["id"]), 0), ROW_ROLE
        )
        return int(row.unread)

    qtbot.waitUntil(lambda: unread() == 0, timeout=10_000)
    other = QWidget()
    other.setWindowTitle("another program")
    other.show()
    other.activateWindow()
    try:
        qtbot.waitUntil(lambda: not w.isActiveWindow(), timeout=5_000)
        Api(live_server.url).login(user["login"]).post_message(user["chat_id"], "Вы тут?")
        qtbot.waitUntil(lambda: unread() == 1, timeout=10_000)
        assert w.chat_model.message_at(w.chat_model.rowCount() - 1).text == "Вы тут?"  # type: ignore[union-attr]
    finally:
        other.close()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5_000)
    qtbot.waitUntil(lambda: unread() == 0, timeout=10_000)
    card = shown.api.call("GET", f"/lines/{line_id}/users/{user['id']}")
    assert card["unread"] == 0


def test_a_half_written_reply_stays_with_its_chat(shown: Shown, qtbot: Any) -> None:
    """Typing to one user, the specialist looks at another: the text does not follow them
    (it would be sent to the wrong person); back in the first chat, it is there again."""
    w = shown.window
    line_id = shown.pick_line()
    first, second = [u for u in shown.server_order(line_id) if not u["colleague"]][:2]
    shown.open_user(first["id"])
    w.composer.setFocus()
    w.composer.insertPlainText("Кирилл Ильич, проверьте, пожалуйста")
    shown.open_user(second["id"])
    assert w.composer.toPlainText() == ""
    w.composer.insertPlainText("Для второго")
    shown.open_user(first["id"])
    assert w.composer.toPlainText() == "Кирилл Ильич, проверьте, пожалуйста"
    assert w.composer.textCursor().atEnd()  # typing goes on where it stopped
    qtbot.keyClick(w.composer, Qt.Key.Key_Return)  # sent to the first user
    qtbot.waitUntil(
        lambda: any(
            (m := w.chat_model.message_at(r)) is not None
            and m.text == "Кирилл Ильич, проверьте, пожалуйста"
            for r in range(w.chat_model.rowCount())
        ),
        timeout=10_000,
    )
    shown.open_user(second["id"])
    assert w.composer.toPlainText() == "Для второго"
    shown.open_user(first["id"])
    assert w.composer.toPlainText() == ""  # sent: no draft left


def test_a_draft_is_there_after_a_crash_and_a_new_start(
    shown: Shown, qtbot: Any, live_server: Any, make_workplace: Any
) -> None:
    """Typed and left (no switch, no quit): a moment later the draft is kept, and a program
    started afterwards on the same data shows it in that chat."""
    w = shown.window
    shown.pick_line()
    user_id = w.users_model.ids()[2]
    shown.open_user(user_id)
    chat_id = shown.wp.users.chat_id(user_id)
    w.composer.setFocus()
    w.composer.insertPlainText("Сейчас проверю и вернусь")
    qtbot.waitUntil(lambda: shown.wp.draft(chat_id) == "Сейчас проверю и вернусь", timeout=5_000)
    # as after a crash: another program on the same data dir
    wp = make_workplace("demo")
    with window_on(qtbot, wp) as again:
        assert run_async(qtbot, wp.sign_in(live_server.url, "demo", "demo", False))
        later = Shown(qtbot, again, wp, shown.api)
        later.pick_line()
        later.open_user(user_id)
        assert again.composer.toPlainText() == "Сейчас проверю и вернусь"
        qtbot.keyClick(again.composer, Qt.Key.Key_Return)  # sent: the draft is gone
        assert wp.draft(chat_id) == ""


def test_alt_arrows_go_through_the_chats_from_the_composer(
    shown: Shown, qtbot: Any, live_server: Any
) -> None:
    """Alt+Down / Alt+Up open the next / previous user without leaving the composer;
    Alt+Shift+Down opens the topmost chat with unread messages."""
    w = shown.window
    line_id = shown.pick_line()
    ids = w.users_model.ids()
    shown.open_user(ids[0])
    w.composer.setFocus()
    qtbot.keyClick(w.composer, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: w.chat_model.user_id == ids[1], timeout=10_000)
    qtbot.keyClick(w.composer, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: w.chat_model.user_id == ids[2], timeout=10_000)
    qtbot.keyClick(w.composer, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: w.chat_model.user_id == ids[1], timeout=10_000)
    assert w.composer.hasFocus()  # typing goes on in the new chat
    # a user far down the list writes (the list's top): Alt+Shift+Down goes straight there
    writer = next(
        u for u in reversed(shown.server_order(line_id)) if not u["colleague"] and u["id"] != ids[1]
    )
    Api(live_server.url).login(writer["login"]).post_message(writer["chat_id"], "Срочно!")
    qtbot.waitUntil(lambda: newest(shown.wp, w.users_model, writer["id"]), timeout=10_000)
    w.composer.setFocus()
    qtbot.keyClick(
        w.composer,
        Qt.Key.Key_Down,
        Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: w.chat_model.user_id == writer["id"], timeout=10_000)


def test_tray_status_reaches_server_and_colleague(
    shown: Shown, qtbot: Any, live_server: Any, make_workplace: Any
) -> None:
    w = shown.window
    colleague = make_workplace("colleague")
    seen: list[Any] = []
    colleague.subscribe(seen.append)
    assert run_async(qtbot, colleague.sign_in(live_server.url, "o.smirnova", "demo", False))
    qtbot.waitUntil(lambda: colleague.connection is ConnectionState.CONNECTED, timeout=15_000)
    me_id = shown.wp.me.id
    target = Status.DND if shown.wp.status is not Status.DND else Status.AWAY
    w.tray.menu.status_actions[target].trigger()
    qtbot.waitUntil(lambda: w.tray.status is target, timeout=10_000)
    assert w.status_menu.status_actions[target].isChecked()
    assert shown.api.call("GET", "/me")["status"] == target.value
    qtbot.waitUntil(
        lambda: any(
            isinstance(c, ch.ColleagueChanged)
            and c.colleague.id == me_id
            and c.colleague.status is target
            for c in seen
        ),
        timeout=10_000,
    )
    other = Api(live_server.url).login("o.smirnova")
    mine = [c for c in other.call("GET", "/colleagues")["items"] if c["id"] == me_id]
    assert mine and mine[0]["status"] == target.value
